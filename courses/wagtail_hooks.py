"""Registers the catalogue admin (providers, courses, sessions) and its per-agency audit log.

The viewsets and views live in courses.admin.catalogue and courses.admin.choosers.
"""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin.catalogue import ADMIN_URLS, CatalogueViewSetGroup
from .models import CatalogueLogEntry, Course, Provider, Session

register_snippet(CatalogueViewSetGroup)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return ADMIN_URLS


@hooks.register("register_log_actions")
def register_catalogue_log(actions):
    for model in (Provider, Course, Session):
        actions.register_model(model, CatalogueLogEntry)
