"""Training budgets: envelopes per agency (and unit), fiscal year and account; plans and their items."""

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Route
from tna.models import Agency, Competency, CompetencyGroup, Cycle, Employee, Unit

from ..budget.accounts import ACCOUNTS
from .recommendations import Recommendation

ACCOUNT_CHOICES = [(code, format_lazy("{} {}", code, _(name))) for code, name in ACCOUNTS.items()]
FISCAL_YEAR = models.Q(fiscal_year__gte=2000, fiscal_year__lte=2100)


class Envelope(models.Model):
    """Money for training in one fiscal year on one account, for an agency or one of its units (rupiah)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="budget_envelopes",
                               verbose_name=_("agency"))
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_envelopes", verbose_name=_("unit"),
        help_text=_("Empty for the agency's own envelope; a unit's envelope pays for that unit's staff first."),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    account = models.CharField(
        _("account"), max_length=20, choices=ACCOUNT_CHOICES,
        help_text=_("5.1.02.02.12 (any training) pays for every route its sub-accounts do not cover."),
    )
    amount = models.PositiveBigIntegerField(_("amount (Rp)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "fiscal_year", "unit", "account"]
        verbose_name = _("budget envelope")
        verbose_name_plural = _("budget envelopes")
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year", "account"], condition=models.Q(unit__isnull=True),
                                    name="lms_envelope_unique_agency"),
            models.UniqueConstraint(fields=["agency", "unit", "fiscal_year", "account"],
                                    condition=models.Q(unit__isnull=False), name="lms_envelope_unique_unit"),
            models.CheckConstraint(condition=FISCAL_YEAR, name="lms_envelope_fiscal_year"),
        ]

    def __str__(self):
        return "{} {} {}{}: Rp {}".format(self.agency_id, self.fiscal_year, self.account,
                                       f" ({self.unit})" if self.unit_id else "", f"{self.amount:,}")

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.agency_id}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class PlanMethod(models.TextChoices):
    OPTIMISED = "optimised", _("Optimised (MILP)")
    GREEDY = "greedy", _("Greedy (best value per rupiah first)")


class TrainingPlanQuerySet(models.QuerySet):
    def of_year(self, agency, fiscal_year):
        return self.filter(agency=agency, fiscal_year=fiscal_year)


class TrainingPlan(models.Model):
    """An agency's development plan for one fiscal year: drafted, submitted, approved by the head.

    ``figures`` keeps what the planner saw when it was drawn (objective, gap closure, bound and
    gap, seconds, staff reaching the JP minimum); ``envelopes`` the amounts it was drawn against.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="training_plans",
                               verbose_name=_("agency"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    cycle = models.ForeignKey(Cycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("TNA cycle"))
    name = models.CharField(_("name"), max_length=120)
    method = models.CharField(_("method"), max_length=10, choices=PlanMethod.choices)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    envelopes = models.JSONField(_("envelopes used"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-fiscal_year", "-created_at"]
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        constraints = [
            models.CheckConstraint(condition=FISCAL_YEAR, name="lms_plan_fiscal_year"),
            models.CheckConstraint(condition=models.Q(status__in=PlanStatus.values), name="lms_plan_status_valid"),
            models.CheckConstraint(condition=models.Q(method__in=PlanMethod.values), name="lms_plan_method_valid"),
            # One approved plan per agency and year: the one the head of the agency signed.
            models.UniqueConstraint(fields=["agency", "fiscal_year"], condition=models.Q(status="approved"),
                                    name="lms_plan_one_approved_per_year"),
            models.CheckConstraint(
                condition=~models.Q(status="approved") | models.Q(approved_at__isnull=False),
                name="lms_plan_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.agency_id} {self.fiscal_year}: {self.name} ({self.get_status_display()})"

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.agency_id}


class PlanEvent(models.Model):
    """The plan's audit trail: who did what, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Drawn up")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned to draft")

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    at = models.DateTimeField(_("when"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")

    def __str__(self):
        return f"{self.plan_id} {self.action} {self.at}"


class PlanItem(models.Model):
    """One line of the plan: a course for its participants in ``classes`` classes, with its cost and effect.

    The national development plan's columns (PP 11/2017): competency type, target staff, route,
    provider, schedule and budget.
    """

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("course"))
    envelope = models.ForeignKey(Envelope, on_delete=models.SET_NULL, null=True, blank=True, related_name="items",
                                 verbose_name=_("envelope"))
    account = models.CharField(_("account"), max_length=20, choices=ACCOUNT_CHOICES)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("unit paying"), help_text=_("Empty when the agency's envelope pays."))
    participants = models.ManyToManyField(Employee, through="PlanParticipant", related_name="plan_items",
                                          verbose_name=_("participants"))
    classes = models.PositiveSmallIntegerField(_("classes"), default=0)
    cost_per_participant = models.PositiveBigIntegerField(_("cost per participant (Rp)"))
    cost_per_class = models.PositiveBigIntegerField(_("fixed cost per class (Rp)"))
    jp = models.PositiveSmallIntegerField(_("JP"))
    expected_closure = models.FloatField(_("expected gap closure (priority-weighted levels)"), default=0)
    levels_closed = models.FloatField(_("expected gap closure (levels)"), default=0)
    # The national development plan's columns.
    competency_type = models.CharField(_("competency type"), max_length=20, choices=CompetencyGroup.choices)
    target_staff = models.TextField(_("target staff"))
    route = models.CharField(_("type and route of development"), max_length=5, choices=Route.choices)
    provider = models.CharField(_("provider"), max_length=200)
    schedule = models.CharField(_("schedule"), max_length=100, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (Rp)"))

    class Meta:
        ordering = ["plan", "-expected_closure"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "course", "envelope"], name="lms_plan_item_unique"),
            models.CheckConstraint(condition=models.Q(jp__gte=1), name="lms_plan_item_jp_positive"),
            models.CheckConstraint(condition=models.Q(expected_closure__gte=0), name="lms_plan_item_closure_positive"),
            models.CheckConstraint(condition=models.Q(budget__gte=models.F("cost_per_class") * models.F("classes")),
                                   name="lms_plan_item_budget_covers_classes"),
        ]

    def __str__(self):
        return f"{self.plan_id}: {self.course_id} × {self.classes}"


class PlanParticipant(models.Model):
    """A person in a plan item, with the recommendation (and gap) the seat came from."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="seats")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+",
                             help_text=_("The person's unit (perangkat daerah) when planned."))
    recommendation = models.ForeignKey(Recommendation, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="plan_seats")
    competency = models.ForeignKey(Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    expected_closure = models.FloatField(_("expected gap closure (priority-weighted levels)"), default=0)
    levels_closed = models.FloatField(_("expected gap closure (levels)"), default=0)

    class Meta:
        ordering = ["item", "employee"]
        verbose_name = _("plan participant")
        verbose_name_plural = _("plan participants")
        constraints = [models.UniqueConstraint(fields=["item", "employee"], name="lms_plan_participant_unique")]

    def __str__(self):
        return f"{self.employee_id} in {self.item_id}"
