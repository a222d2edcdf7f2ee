"""Small edit-form panels of the tna admin."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

LEVEL_CHOICES = [(n, str(n)) for n in range(1, 6)]


def level_select():
    """A 1–5 dropdown for competency levels (the model also refuses anything else)."""
    return forms.Select(choices=LEVEL_CHOICES)


class RequiredLevelOriginPanel(Panel):
    """Shows whether a required level follows the job type's default or was set for the position."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Origin"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "tna/admin/organisation/required_level_origin.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # A row not saved yet is being set by hand, whatever the field's default says.
            context["is_default"] = bool(self.instance.pk and self.instance.is_default)
            return context
