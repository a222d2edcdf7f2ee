"""Sessions (one run of a course for a cohort), their meetings, and the history of their changes."""

import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tna.infra.formats import date_text

from .catalogue import Course


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class SessionQuerySet(models.QuerySet):
    def public(self):
        """Sessions of published courses."""
        return self.filter(course__live=True)

    def upcoming(self, now=None):
        """Sessions that have not ended yet and are neither cancelled nor completed."""
        return self.filter(
            ends_at__gte=now or timezone.now(), status__in=[SessionStatus.SCHEDULED, SessionStatus.POSTPONED]
        )


class Session(models.Model):
    """One run of a course. Never deleted: cancelled or postponed with a reason instead.

    ``starts_at``/``ends_at`` mirror the first and last active meeting (kept by
    ``courses.services``) so lists filter by date without touching meetings. ``sequence`` is the
    iCalendar SEQUENCE of every meeting's event: it goes up on changes of time, place or status only.
    """

    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    label = models.CharField(_("label"), max_length=100, blank=True, help_text=_("e.g. Angkatan II, or Batch 2."))
    # Free text rather than a person: trainers are often from outside the agency (widyaiswara, vendors),
    # and participants' reaction is summarised per name.
    trainer = models.CharField(_("trainer"), max_length=200, blank=True,
                               help_text=_("Who teaches the session (names, separated by commas)."))
    place = models.CharField(_("place"), max_length=200, blank=True, help_text=_("Room and building, with town."))
    online_url = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    enrollment_opens = models.DateTimeField(_("enrollment opens"), null=True, blank=True)
    enrollment_closes = models.DateTimeField(_("enrollment closes"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    cancel_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the session was cancelled or postponed; shown to participants.")
    )
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    starts_at = models.DateTimeField(_("starts"), null=True, editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="courses_session_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(status__in=SessionStatus.values), name="courses_session_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(starts_at__lte=models.F("ends_at")),
                name="courses_session_starts_before_ends",
            ),
            models.CheckConstraint(
                condition=models.Q(enrollment_opens__isnull=True)
                | models.Q(enrollment_closes__isnull=True)
                | models.Q(enrollment_opens__lte=models.F("enrollment_closes")),
                name="courses_session_enrollment_window",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[SessionStatus.CANCELLED, SessionStatus.POSTPONED])
                | ~models.Q(cancel_reason=""),
                name="courses_session_reason_when_cancelled",
            ),
        ]

    def __str__(self):
        when = date_text(self.starts_at, self.tz) if self.starts_at else "—"
        return "%s %s (%s)" % (self.course.code, self.label or "", when)

    @property
    def tz(self):
        return ZoneInfo(self.course.agency.time_zone)

    @property
    def enrollment_state(self):
        """``"open"``, ``"not_yet"`` (the window opens later) or ``"closed"`` (closed, started, not scheduled)."""
        now = timezone.now()
        if self.status != SessionStatus.SCHEDULED:
            return "closed"
        if self.enrollment_opens is not None and now < self.enrollment_opens:
            return "not_yet"
        if (self.enrollment_closes is not None and now > self.enrollment_closes) or (
            self.starts_at is not None and now >= self.starts_at
        ):
            return "closed"
        return "open"

    @property
    def is_open_for_enrollment(self):
        return self.enrollment_state == "open"

    def active_meetings(self):
        return [m for m in self.meetings.all() if not m.cancelled]


class Meeting(models.Model):
    """One block of a session (a day, or a 2-hour slot); dropped meetings stay as cancelled rows."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("number"), help_text=_("1 for the first meeting; part of its calendar id."))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["session", "number"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="courses_meeting_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="courses_meeting_number_positive"),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="courses_meeting_starts_before_ends"
            ),
        ]

    def __str__(self):
        return "%s #%s" % (self.session, self.number)


class SessionChange(models.Model):
    """The history of a session: what changed, when, by whom and why (kept for the record)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited (no calendar update)")
        RESCHEDULED = "rescheduled", _("Rescheduled or moved")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    sequence = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    changed = models.JSONField(default=dict, blank=True, help_text=_("Field: [before, after]."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["session", "at", "pk"]
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")

    def __str__(self):
        return "%s: %s" % (self.session, self.get_kind_display())
