"""Results of the gap analysis: one row per employee × required competency per cycle, and the runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..analysis.reasons import REASON_COLUMNS, reason_dict, reason_values
from .competencies import Competency
from .evidence import Cycle
from .organisation import Agency, Unit
from .people import Employee


class TnaRun(models.Model):
    """One execution of the analysis for a cycle (and optionally one agency)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="runs")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="tna_runs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees analysed"), default=0)
    gaps = models.PositiveIntegerField(_("gaps found"), default=0)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    timings = models.JSONField(_("timings (s)"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("TNA run")
        verbose_name_plural = _("TNA runs")

    def __str__(self):
        scope = self.agency.code if self.agency_id else _("all agencies")
        return "TNA %s %s (%s)" % (self.cycle, scope, self.get_status_display())


class RealField(models.FloatField):
    """A 4-byte float on PostgreSQL (8 bytes elsewhere), read back as its shortest decimal.

    For the reason's numbers, which are rounded to two decimals on a small scale: half the size
    of a double on each of the millions of result rows a run writes.
    """

    def db_type(self, connection):
        return "real" if connection.vendor == "postgresql" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        return None if value is None else float("%.7g" % value)


class CompetencyGapQuerySet(models.QuerySet):
    def open_gaps(self):
        return self.filter(gap__gt=0)


class CompetencyGap(models.Model):
    """Required vs observed level of one competency for one employee in a cycle, with the why."""

    # A run writes twelve million rows at once (tna.services.tna_run, the only writer) and every
    # index and database-level foreign-key check costs on each of them, so there are three: the
    # primary key, the unique (employee, competency, cycle), which also serves every lookup by
    # person (with or without the cycle) and the employee key's checks, and (cycle, agency, unit)
    # for the summaries. A competency's rows are found through those (always within a cycle and
    # scope); run is only a trace. The writer checks the references it does not leave to the
    # database in bulk, inside its transaction; deletions cascade in Django.
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="gaps", db_index=False, db_constraint=False)
    run = models.ForeignKey(
        TnaRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=False, db_constraint=False
    )
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="gaps", db_index=False)
    # Snapshot of where the person sat when analysed, so summaries need no joins.
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False)
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="gaps", db_index=False,
                                   db_constraint=False)
    required_level = models.PositiveSmallIntegerField(_("required level"))
    observed_level = models.FloatField(_("observed level"), null=True, blank=True)
    confidence = models.FloatField(_("confidence"), default=0)
    gap = models.FloatField(_("gap"), default=0)
    priority = models.FloatField(_("priority"), default=0)
    # The reason: the numbers each part contributed (tna.analysis.reasons, docs/tna-method.md §8),
    # read through ``reason``. Priority points per part:
    points_gap = RealField(_("points for the gap"), default=0)
    points_weight = RealField(_("points for the competency's weight"), default=0)
    points_appraisal = RealField(_("points from the appraisal"), default=0)
    points_survey = RealField(_("points from the survey"), default=0)
    points_ikm = RealField(_("points from the unit's IKM"), default=0)
    leniency_correction = RealField(_("leniency correction"), default=0)
    signals = models.PositiveSmallIntegerField(_("signals"), default=0, help_text=_("Bit set, see docs/tna-method.md."))
    # Per rater role: ratings, mean after the leniency correction and the weight used.
    raters_supervisor = models.PositiveSmallIntegerField(_("supervisor ratings"), default=0)
    raters_peer = models.PositiveSmallIntegerField(_("peer ratings"), default=0)
    raters_subordinate = models.PositiveSmallIntegerField(_("subordinate ratings"), default=0)
    raters_self = models.PositiveSmallIntegerField(_("self ratings"), default=0)
    mean_supervisor = RealField(_("supervisor mean"), null=True, blank=True)
    mean_peer = RealField(_("peer mean"), null=True, blank=True)
    mean_subordinate = RealField(_("subordinate mean"), null=True, blank=True)
    mean_self = RealField(_("self mean"), null=True, blank=True)
    weight_supervisor = RealField(_("supervisor weight"), null=True, blank=True)
    weight_peer = RealField(_("peer weight"), null=True, blank=True)
    weight_subordinate = RealField(_("subordinate weight"), null=True, blank=True)
    weight_self = RealField(_("self weight"), null=True, blank=True)
    training_courses = models.PositiveSmallIntegerField(_("completed courses"), default=0)
    training_level = models.PositiveSmallIntegerField(_("level reached by training"), null=True, blank=True)
    training_weight = RealField(_("weight of training"), null=True, blank=True)
    # The person's SKP appraisal as used (tna.analysis.reasons.appraisal_fields) and the unit's IKM.
    appraisal = models.PositiveSmallIntegerField(_("appraisal"), null=True, blank=True)
    ikm = RealField(_("unit IKM"), null=True, blank=True)

    objects = CompetencyGapQuerySet.as_manager()

    class Meta:
        ordering = ["-priority"]
        verbose_name = _("competency gap")
        verbose_name_plural = _("competency gaps")
        # Lookups by person, with or without the cycle, use the unique constraint's index.
        indexes = [models.Index(fields=["cycle", "agency", "unit"], name="tna_gap_cycle_agency_unit")]
        constraints = [
            models.UniqueConstraint(fields=["employee", "competency", "cycle"], name="tna_gap_unique"),
            models.CheckConstraint(condition=models.Q(gap__gte=0), name="tna_gap_non_negative"),
            models.CheckConstraint(condition=models.Q(priority__gte=0, priority__lte=100), name="tna_gap_priority_0_100"),
            models.CheckConstraint(condition=models.Q(confidence__gte=0, confidence__lte=1), name="tna_gap_confidence_0_1"),
        ]

    def __str__(self):
        return "%s %s: %s" % (self.employee_id, self.competency_id, self.gap)

    @property
    def reason(self):
        """The numbers behind this gap as the contract's dict (docs/tna-method.md §8)."""
        names = ("required_level", "observed_level", "gap", "confidence", *REASON_COLUMNS)
        return reason_dict({name: getattr(self, name) for name in names})

    @reason.setter
    def reason(self, reason):
        for name, value in reason_values(reason).items():
            setattr(self, name, value)
