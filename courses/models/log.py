"""The catalogue's audit log, kept per agency so the admin's site history stays inside it.

Wagtail logs snippets to ``ModelLogEntry`` and shows them in the site-history report to anyone
with a permission on the model — a training admin would read another agency's course titles and
editors there. These entries carry their agency, and ``viewable_by_user`` keeps each agency to
its own (plus shared providers); superusers see everything.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.models import BaseLogEntry
from wagtail.models.audit_log import ModelLogEntryManager
from wagtail.permissions import policy_registry

from tna.models import Agency
from tna.roles import user_agency

#: The permissions any of which lets a user see a model's history.
ACTIONS = ("add", "change", "view", "publish")


class CatalogueLogEntryManager(ModelLogEntryManager):
    def log_action(self, instance, action, **kwargs):
        kwargs.setdefault("agency_id", policy_registry.get_by_type(type(instance)).agency_id_of(instance))
        return super().log_action(instance, action, **kwargs)

    def viewable_by_user(self, user):
        if user.is_superuser:
            return self.all()
        agency = user_agency(user)
        if agency is None:
            return self.none()
        from . import Course, Provider, Session

        allowed = [
            ContentType.objects.get_for_model(model).pk for model in (Course, Session, Provider)
            if policy_registry.get_by_type(model).user_has_any_permission(user, ACTIONS)
        ]
        return self.filter(Q(agency=agency) | Q(agency__isnull=True), content_type_id__in=allowed)


class CatalogueLogEntry(BaseLogEntry):
    """What happened to a provider, course or session, by whom — in the object's agency."""

    object_id = models.CharField(max_length=255, blank=False, db_index=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=True,
        help_text=_("Empty for shared providers (LAN, universities)."),
    )

    objects = CatalogueLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = _("catalogue log entry")
        verbose_name_plural = _("catalogue log entries")

    def __str__(self):
        return "CatalogueLogEntry %d: '%s' on '%s' with id %s" % (
            self.pk, self.action, self.object_verbose_name, self.object_id,
        )
