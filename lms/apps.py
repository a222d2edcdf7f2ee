"""Wiring for the lms app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    label = "lms"
    verbose_name = _("Learning")
    default_auto_field = "django.db.models.BigAutoField"
