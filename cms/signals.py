"""Receivers of the site: course links resolve to catalogue pages; new catalogues get their pages."""

from django.dispatch import receiver

from courses.links import register_course_url
from courses.signals import catalogue_generated

from .models import catalogue_course_url

register_course_url(catalogue_course_url)


@receiver(catalogue_generated)
def create_agency_pages(sender, agencies, **kwargs):
    from .pages import agency_pages_ensure

    agency_pages_ensure(agencies=agencies)
