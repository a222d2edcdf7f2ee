"""Secret, revocable tokens for personal calendar feeds (calendar apps cannot log in).

A feed token is a random string stored here, not a signed value: it opens the feed and nothing
else (an invitation link's signed token never matches one, nor the other way round), the person
can revoke or replace it at once, and one that no calendar app has read for
``LATIH_CALENDAR_FEED_IDLE_DAYS`` stops working.
"""

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
    # When a calendar app last read the feed (to the day); a long-unused link expires.
    last_used_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return "calendar token of %s" % self.employee_id

    def revoke(self):
        """Replace the token: the old feed URL stops working at once."""
        self.token = new_token()
        self.last_used_at = None
        self.save(update_fields=["token", "created_at", "last_used_at"])
