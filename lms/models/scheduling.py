"""Duty data the scheduler reads (service patterns, closures, absences) and the proposals it writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Session
from tna.models import Agency, Employee, Unit


class ServiceKind(models.TextChoices):
    """When a unit's service is busiest (``lms.scheduling.duty`` holds the hours)."""

    OFFICE = "office", _("Back office (no peak hours)")
    SCHOOL = "school", _("School (teaching hours in the morning)")
    CLINIC = "clinic", _("Clinic or hospital (morning shift)")
    SERVICE_COUNTER = "service_counter", _("Service counter (morning queues)")


class UnitDuty(models.Model):
    """How a unit serves the public, so training avoids its peak hours."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="duty", verbose_name=_("unit"))
    pattern = models.CharField(_("service pattern"), max_length=20, choices=ServiceKind.choices,
                               default=ServiceKind.OFFICE)

    class Meta:
        verbose_name = _("unit service pattern")
        verbose_name_plural = _("unit service patterns")
        constraints = [
            models.CheckConstraint(condition=models.Q(pattern__in=ServiceKind.values), name="lms_unitduty_pattern_valid"),
        ]

    def __str__(self):
        return "%s: %s" % (self.unit, self.get_pattern_display())


class AgencyClosure(models.Model):
    """A day the agency is closed beyond national holidays and cuti bersama (its anniversary, a late decree)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="closures", verbose_name=_("agency"))
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["agency", "date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="lms_closure_unique_per_day")]

    def __str__(self):
        return "%s %s (%s)" % (self.agency, self.date, self.reason)


class StaffAbsence(models.Model):
    """Days (inclusive) an employee is away: neither on duty nor free to train."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave (cuti)")
        DUTY_TRAVEL = "duty_travel", _("Duty travel")
        OTHER = "other", _("Other")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="absences",
                                 verbose_name=_("employee"))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.LEAVE)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["employee", "first_day"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["first_day", "last_day"], name="lms_absence_days")]
        constraints = [
            models.CheckConstraint(condition=models.Q(first_day__lte=models.F("last_day")), name="lms_absence_days_ordered"),
            models.CheckConstraint(condition=models.Q(kind__in=["leave", "duty_travel", "other"]),
                                   name="lms_absence_kind_valid"),
        ]

    def __str__(self):
        return "%s, %s–%s" % (self.employee.name, self.first_day, self.last_day)


class ScheduleRun(models.Model):
    """One run of the scheduler for an agency and period: its proposal, figures and what it left out.

    ``state`` is where the computation is (a background task: queued, running, done or failed,
    with the error); ``status`` is what the planner did with the proposal (draft, published).
    ``request`` keeps what the run was asked, so a worker can compute it later.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        CP_SAT = "cp-sat", _("Optimised (CP-SAT)")
        GREEDY = "greedy", _("Simple first fit (baseline)")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="schedule_runs", verbose_name=_("agency"))
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.CP_SAT)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DONE)
    request = models.JSONField(_("request"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    violations = models.JSONField(_("checker findings"), default=list, blank=True)
    log = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")
        constraints = [
            models.CheckConstraint(condition=models.Q(first_day__lte=models.F("last_day")), name="lms_schedulerun_period"),
            models.CheckConstraint(condition=models.Q(status__in=["draft", "published"]), name="lms_schedulerun_status_valid"),
            models.CheckConstraint(condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                                   name="lms_schedulerun_state_valid"),
        ]

    def __str__(self):
        return "%s %s–%s (%s)" % (self.agency, self.first_day, self.last_day, self.get_status_display())

    @property
    def under_way(self):
        """Still queued or running: the proposal is not there yet."""
        return self.state in (self.State.QUEUED, self.State.RUNNING)


class ProposedClass(models.Model):
    """One class the scheduler proposes; a planner may move or lock it, and publishing makes it a session."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="classes")
    key = models.CharField(max_length=60)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course"))
    class Format(models.TextChoices):  # the values of lms.scheduling.problem.Format
        SHORT_BLOCKS = "short_blocks", _("Short blocks, twice a week")
        WHOLE_DAYS = "whole_days", _("Whole days")
        ONLINE = "online", _("Online")

    format = models.CharField(_("format"), max_length=12, choices=Format.choices)
    locked = models.BooleanField(_("locked"), default=False,
                                 help_text=_("Kept as it is when the scheduler runs again."))
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("published session"))
    participants = models.ManyToManyField(Employee, related_name="+", verbose_name=_("participants"))

    class Meta:
        ordering = ["run", "key"]
        verbose_name = _("proposed class")
        verbose_name_plural = _("proposed classes")
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="lms_proposedclass_key_unique")]

    def __str__(self):
        return "%s %s" % (self.course.code, self.key)


class ProposedMeeting(models.Model):
    proposed_class = models.ForeignKey(ProposedClass, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["proposed_class", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(starts_at__lt=models.F("ends_at")),
                                   name="lms_proposedmeeting_starts_before_ends"),
        ]

    def __str__(self):
        return "%s %s" % (self.proposed_class_id, self.starts_at)


class UnplacedDemand(models.Model):
    """A participant a run could not place in a course, and the constraint that stopped it."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="unplaced")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "course", "employee"]
        verbose_name = _("unplaced demand")
        verbose_name_plural = _("unplaced demand")

    def __str__(self):
        return "%s × %s: %s" % (self.employee_id, self.course_id, self.reason)
