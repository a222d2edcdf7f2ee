"""Wiring for the courses app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Training catalogue")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .permissions import register_policies

        register_policies()
