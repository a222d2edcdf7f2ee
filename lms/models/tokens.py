"""Secret, revocable tokens for personal calendar feeds (calendar apps cannot log in)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from tna.models import Employee


def new_token():
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    employee = models.OneToOneField(Employee, on_delete=models.CASCADE, related_name="calendar_token")
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return "calendar token of %s" % self.employee_id

    def revoke(self):
        """Replace the token: the old feed URL stops working at once."""
        self.token = new_token()
        self.save(update_fields=["token", "created_at"])
