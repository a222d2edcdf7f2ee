"""Wiring for the tna app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TnaConfig(AppConfig):
    name = "tna"
    label = "tna"
    verbose_name = _("Training-needs analysis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks, signals  # noqa: F401 - registers checks and receivers
