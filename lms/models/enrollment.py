"""Enrollment of an employee in a session: request, approval, seat or waitlist, attendance, outcome."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Meeting, Session
from tna.models import Employee


class EnrollmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waitlisted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


# A person holds at most one of these per session, and these take part in clash checks.
ACTIVE_STATUSES = [EnrollmentStatus.REQUESTED, EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]


class Rsvp(models.TextChoices):
    NONE = "", _("No answer")
    CONFIRMED = "confirmed", _("Will attend")
    APOLOGIES = "apologies", _("Sends apologies")


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def holding_seat(self):
        return self.filter(status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.NOT_COMPLETED])

    def waitlist(self):
        """The waitlist in strict order: when each entered it, then id."""
        return self.filter(status=EnrollmentStatus.WAITLISTED).order_by("queued_at", "pk")


class Enrollment(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="enrollments")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=14, choices=EnrollmentStatus.choices,
                              default=EnrollmentStatus.REQUESTED)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    # When the request was approved and joined the queue for a seat; the waitlist's order.
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was rejected or cancelled."))
    rsvp = models.CharField(_("reply to the invitation"), max_length=10, choices=Rsvp.choices, blank=True)
    post_test_score = models.PositiveSmallIntegerField(_("post-test score"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    recommendation = models.ForeignKey("lms.Recommendation", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="enrollments")

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        indexes = [
            models.Index(fields=["session", "status", "queued_at"], name="lms_enrollment_queue"),
            models.Index(fields=["employee", "status"], name="lms_enrollment_employee"),
        ]
        constraints = [
            # One live enrollment per person and session: re-requesting cannot jump the queue.
            models.UniqueConstraint(
                fields=["employee", "session"], condition=models.Q(status__in=ACTIVE_STATUSES),
                name="lms_enrollment_one_active_per_session",
            ),
            models.CheckConstraint(condition=models.Q(status__in=EnrollmentStatus.values), name="lms_enrollment_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status=EnrollmentStatus.WAITLISTED) | models.Q(queued_at__isnull=False),
                name="lms_enrollment_waitlist_has_queue_time",
            ),
            models.CheckConstraint(
                condition=models.Q(post_test_score__isnull=True) | models.Q(post_test_score__lte=100),
                name="lms_enrollment_post_test_0_100",
            ),
        ]

    def __str__(self):
        return "%s @ %s: %s" % (self.employee_id, self.session_id, self.status)

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.employee.agency_id}


class EnrollmentEvent(models.Model):
    """Audit trail: every transition of an enrollment, who made it and why."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=14, blank=True)
    to_status = models.CharField(max_length=14)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["enrollment", "at", "pk"]
        verbose_name = _("enrollment event")
        verbose_name_plural = _("enrollment events")

    def __str__(self):
        return "%s: %s → %s" % (self.enrollment_id, self.from_status or "-", self.to_status)


class Attendance(models.Model):
    """Whether an enrolled person was at one meeting of the session."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "meeting"], name="lms_attendance_unique"),
            models.CheckConstraint(condition=models.Q(status__in=["present", "absent", "excused"]),
                                   name="lms_attendance_status_valid"),
        ]

    def __str__(self):
        return "%s @ meeting %s: %s" % (self.enrollment_id, self.meeting_id, self.status)

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.enrollment.employee.agency_id}

