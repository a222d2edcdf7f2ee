"""Wiring for the cms app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    label = "cms"
    verbose_name = _("Latih site")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import audit, auth, signals, sites  # noqa: F401 - signals registers the course-link resolver and receivers

        audit.register()
        auth.connect_access_signals()
        sites.connect_site_signals()
