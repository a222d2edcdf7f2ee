"""Evidence gathered per cycle: SKP appraisals, 360° ratings, the needs survey and unit IKM."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .competencies import LEVEL_VALIDATORS, Competency
from .organisation import Unit
from .people import Employee


class Cycle(models.Model):
    """One year of evidence and analysis; closed cycles take no more entries."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_open = models.BooleanField(_("open for entries"), default=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self):
        return str(self.year)


class ExpectationRating(models.TextChoices):
    ABOVE = "above", _("Above expectations")
    MEETS = "meets", _("Meets expectations")
    BELOW = "below", _("Below expectations")


# PermenPANRB 6/2022: predikat from (results, behaviour).
PREDIKAT = {
    ("above", "below"): "Kurang", ("above", "meets"): "Baik", ("above", "above"): "Sangat Baik",
    ("meets", "below"): "Kurang", ("meets", "meets"): "Baik", ("meets", "above"): "Baik",
    ("below", "below"): "Sangat Kurang", ("below", "meets"): "Butuh Perbaikan", ("below", "above"): "Butuh Perbaikan",
}

INDICATOR_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Appraisal(models.Model):
    """An employee's SKP appraisal for a cycle, rated by the direct superior."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="appraisals")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="appraisals")
    rated_by = models.ForeignKey(
        Employee, on_delete=models.SET_NULL, null=True, blank=True, related_name="appraisals_given"
    )
    results = models.CharField(_("work results"), max_length=5, choices=ExpectationRating.choices)
    behaviour = models.CharField(_("work behaviour"), max_length=5, choices=ExpectationRating.choices)
    discipline = models.PositiveSmallIntegerField(_("discipline"), null=True, blank=True, validators=INDICATOR_VALIDATORS)
    quality = models.PositiveSmallIntegerField(_("quality of work"), null=True, blank=True, validators=INDICATOR_VALIDATORS)
    innovation = models.PositiveSmallIntegerField(_("innovation"), null=True, blank=True, validators=INDICATOR_VALIDATORS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("appraisal (SKP)")
        verbose_name_plural = _("appraisals (SKP)")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee"], name="tna_appraisal_unique"),
            models.CheckConstraint(condition=models.Q(results__in=ExpectationRating.values), name="tna_appraisal_results_valid"),
            models.CheckConstraint(condition=models.Q(behaviour__in=ExpectationRating.values), name="tna_appraisal_behaviour_valid"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f + "__isnull": True}) | models.Q(**{f + "__gte": 1, f + "__lte": 5}),
                    name="tna_appraisal_%s_1_5" % f,
                )
                for f in ("discipline", "quality", "innovation")
            ],
        ]

    def __str__(self):
        return "%s %s: %s" % (self.cycle, self.employee, self.predikat)

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.employee.agency_id}

    @property
    def predikat(self):
        return PREDIKAT[(self.results, self.behaviour)]


class RaterRole(models.TextChoices):
    SELF = "self", _("Self")
    SUPERVISOR = "supervisor", _("Supervisor")
    PEER = "peer", _("Peer")
    SUBORDINATE = "subordinate", _("Subordinate")


class Rating(models.Model):
    """One rater's 1–5 rating of one ratee on one competency in a cycle (360° assessment)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="ratings")
    ratee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="ratings_received")
    rater = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="ratings_given")
    rater_role = models.CharField(_("rater role"), max_length=12, choices=RaterRole.choices)
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("competency rating")
        verbose_name_plural = _("competency ratings")
        indexes = [models.Index(fields=["cycle", "ratee"], name="tna_rating_cycle_ratee")]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "ratee", "rater", "competency"], name="tna_rating_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="tna_rating_level_1_5"),
            models.CheckConstraint(condition=models.Q(rater_role__in=RaterRole.values), name="tna_rating_role_valid"),
            # "self" exactly when the rater is the ratee.
            models.CheckConstraint(
                condition=models.Q(rater_role="self", rater=models.F("ratee"))
                | (~models.Q(rater_role="self") & ~models.Q(rater=models.F("ratee"))),
                name="tna_rating_self_iff_same_person",
            ),
        ]

    def __str__(self):
        # No level: this text is kept in the audit trail, which must not tell what a rater said.
        return "%s → %s (%s)" % (self.rater_id, self.ratee_id, self.competency_id)

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.ratee.agency_id}


class PeerAssignment(models.Model):
    """Who is asked to rate whom as a peer in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="peer_assignments")
    ratee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="peer_raters")
    rater = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="peer_ratees")

    class Meta:
        verbose_name = _("peer assignment")
        verbose_name_plural = _("peer assignments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "ratee", "rater"], name="tna_peer_assignment_unique"),
            models.CheckConstraint(condition=~models.Q(rater=models.F("ratee")), name="tna_peer_not_self"),
        ]

    def __str__(self):
        return "%s: %s rates %s" % (self.cycle_id, self.rater_id, self.ratee_id)


class TrainingMode(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")
    SELF_PACED = "self_paced", _("Self-paced")


class PreferredTime(models.TextChoices):
    ANY = "", _("Any time")
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    FULL_DAY = "full_day", _("Full days")
    SHORT_BLOCKS = "short_blocks", _("Short blocks")


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class SurveyResponse(models.Model):
    """One training need an employee declared in a cycle's survey, with their constraints."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="survey_responses")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="survey_responses")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="survey_responses")
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 = nice to have, 3 = most needed"),
    )
    mode = models.CharField(_("preferred mode"), max_length=12, choices=TrainingMode.choices, blank=True)
    time = models.CharField(_("preferred time"), max_length=12, choices=PreferredTime.choices, blank=True)
    blocked_days = models.JSONField(
        _("days the person cannot leave their post"), default=list, blank=True,
        help_text=_("Weekday codes such as tue, thu."),
    )
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training-needs survey answer")
        verbose_name_plural = _("training-needs survey answers")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee", "competency"], name="tna_survey_unique"),
            models.CheckConstraint(condition=models.Q(priority__gte=1, priority__lte=3), name="tna_survey_priority_1_3"),
        ]

    def __str__(self):
        return "%s %s %s (%s)" % (self.cycle, self.employee, self.competency.code, self.priority)


class UnitSatisfaction(models.Model):
    """A unit's public service-satisfaction index (IKM, 25–100) for a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="unit_satisfaction")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="satisfaction_scores")
    score = models.DecimalField(
        _("IKM score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(25), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("unit service satisfaction (IKM)")
        verbose_name_plural = _("unit service satisfaction (IKM)")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="tna_ikm_unique"),
            models.CheckConstraint(condition=models.Q(score__gte=25, score__lte=100), name="tna_ikm_25_100"),
        ]

    def __str__(self):
        return "%s %s: %s" % (self.cycle, self.unit, self.score)
