"""Talent management per cycle: 9-box placements and their calibration, assessment-centre results,
project assignments, and each agency's talent policy (docs/talent.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..talent.boxes import Performance, Potential
from .competencies import Competency
from .evidence import Cycle
from .organisation import Agency, Unit
from .people import Employee

BOX_VALIDATORS = [MinValueValidator(1), MaxValueValidator(9)]


class TalentPolicy(models.Model):
    """What an agency decided about talent management: the weight of leadership development and
    whether people see their own box."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="talent_policy",
                                  verbose_name=_("agency"))
    leadership_priority = models.PositiveSmallIntegerField(
        _("priority of leadership development"), default=60, validators=[MaxValueValidator(100)],
        help_text=_("0–100, on the scale of gap priorities: how strongly the recommender and the budget "
                    "plan favour the leadership training of boxes 7–9."),
    )
    show_own_box = models.BooleanField(
        _("people see their own box"), default=False,
        help_text=_("Off by default: the box is for HR and the talent committee."),
    )

    class Meta:
        verbose_name = _("talent policy")
        verbose_name_plural = _("talent policies")
        constraints = [
            models.CheckConstraint(condition=models.Q(leadership_priority__lte=100),
                                   name="tna_talent_policy_priority_0_100"),
        ]

    def __str__(self):
        return str(self.agency)


class AssessmentResult(models.Model):
    """An assessment-centre result for one person in a cycle: the job-person match (JPM, %)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("cycle"))
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assessments",
                                 verbose_name=_("employee"))
    jpm = models.FloatField(_("job-person match (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    assessor = models.CharField(_("assessment centre"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("assessment-centre result")
        verbose_name_plural = _("assessment-centre results")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="tna_assessment_unique"),
            models.CheckConstraint(condition=models.Q(jpm__gte=0, jpm__lte=100), name="tna_assessment_jpm_0_100"),
        ]

    def __str__(self):
        return "%s %s" % (self.cycle_id, self.employee)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    ADVISER = "adviser", _("Adviser")


class Assignment(models.Model):
    """Project participation (a task force, a programme team) as career evidence."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="assignments",
                                 verbose_name=_("employee"))
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("cycle"))
    title = models.CharField(_("project"), max_length=200)
    role = models.CharField(_("role"), max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.MEMBER)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    competencies = models.ManyToManyField(Competency, blank=True, related_name="+", verbose_name=_("competencies"))
    entered_by = models.ForeignKey(Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("entered by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        verbose_name = _("project assignment")
        verbose_name_plural = _("project assignments")
        constraints = [
            models.UniqueConstraint(fields=["employee", "cycle", "title", "start"], name="tna_assignment_unique"),
            models.CheckConstraint(condition=models.Q(role__in=AssignmentRole.values), name="tna_assignment_role_valid"),
            models.CheckConstraint(condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                                   name="tna_assignment_end_after_start"),
        ]

    def __str__(self):
        return "%s: %s" % (self.employee, self.title)

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.employee.agency_id}


class TalentPlacement(models.Model):
    """Where one person sits in the 9-box for a cycle, why, and any move made in calibration."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="talent_placements",
                              verbose_name=_("cycle"))
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="talent_placements",
                                 verbose_name=_("employee"))
    # Snapshot of where the person sat when placed, so the grid filters need no joins.
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    job_type = models.CharField(_("job type"), max_length=20)
    performance = models.CharField(_("performance"), max_length=5, choices=Performance.choices)
    potential = models.CharField(_("potential"), max_length=6, choices=Potential.choices)
    computed_box = models.PositiveSmallIntegerField(_("box from the evidence"), validators=BOX_VALIDATORS)
    box = models.PositiveSmallIntegerField(_("box"), validators=BOX_VALIDATORS)
    performance_score = models.FloatField(_("performance score"))
    potential_score = models.FloatField(_("potential score"))
    # The numbers behind the placement (tna.talent.grid REASON), like a gap's reason.
    reason = models.JSONField(_("reason"), default=dict)
    computed_at = models.DateTimeField(_("computed at"))
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("moved by"))
    moved_at = models.DateTimeField(_("moved at"), null=True, blank=True)
    move_reason = models.TextField(_("reason for the move"), blank=True)

    class Meta:
        ordering = ["-box", "employee__name"]
        verbose_name = _("talent placement")
        verbose_name_plural = _("talent placements")
        indexes = [models.Index(fields=["cycle", "agency", "box"], name="tna_talent_cycle_agency_box")]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="tna_talent_placement_unique"),
            models.CheckConstraint(condition=models.Q(box__gte=1, box__lte=9), name="tna_talent_box_1_9"),
            models.CheckConstraint(condition=models.Q(computed_box__gte=1, computed_box__lte=9),
                                   name="tna_talent_computed_box_1_9"),
            models.CheckConstraint(condition=models.Q(performance__in=Performance.values),
                                   name="tna_talent_performance_valid"),
            models.CheckConstraint(condition=models.Q(potential__in=Potential.values),
                                   name="tna_talent_potential_valid"),
            # A box that differs from the evidence was moved in calibration, with a written reason.
            models.CheckConstraint(
                condition=models.Q(box=models.F("computed_box")) | (models.Q(moved_at__isnull=False) & ~models.Q(move_reason="")),
                name="tna_talent_move_has_reason",
            ),
        ]

    def __str__(self):
        return "%s %s: %s" % (self.cycle_id, self.employee, self.box)

    @property
    def calibrated(self):
        return self.box != self.computed_box


class TalentMove(models.Model):
    """One move of a placement in a calibration meeting: from where, to where, why and by whom."""

    placement = models.ForeignKey(TalentPlacement, on_delete=models.CASCADE, related_name="moves",
                                  verbose_name=_("placement"))
    from_box = models.PositiveSmallIntegerField(_("from box"), validators=BOX_VALIDATORS)
    to_box = models.PositiveSmallIntegerField(_("to box"), validators=BOX_VALIDATORS)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("calibration move")
        verbose_name_plural = _("calibration moves")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="tna_talent_move_reason_required"),
            models.CheckConstraint(condition=models.Q(to_box__gte=1, to_box__lte=9), name="tna_talent_move_box_1_9"),
        ]

    def __str__(self):
        return "%s: %s → %s" % (self.placement_id, self.from_box, self.to_box)
