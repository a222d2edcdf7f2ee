"""Registers the catalogue admin (providers, courses, sessions) and its per-agency audit log.

The views live in courses.viewsets and courses.choosers.
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .models import CatalogueLogEntry, Course, Provider, Session
from .viewsets import ADMIN_URLS, CatalogueViewSetGroup

register_snippet(CatalogueViewSetGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return ADMIN_URLS


@hooks.register("register_log_actions")
def register_catalogue_log(actions):
    for model in (Provider, Course, Session):
        actions.register_model(model, CatalogueLogEntry)
