"""The competency dictionary, its level descriptors, and required levels per position."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from ..infra.formats import localized
from .organisation import Position

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CompetencyGroup(models.TextChoices):
    MANAGERIAL = "managerial", _("Managerial")
    SOCIO_CULTURAL = "socio_cultural", _("Socio-cultural")
    TECHNICAL = "technical", _("Technical")
    GOVERNMENTAL = "governmental", _("Governmental")


class TopicCategory(models.TextChoices):
    """Topic a competency (and a course) belongs to; shared by the catalogue."""

    IT_DIGITAL = "it_digital", _("IT and digital skills")
    TIME_MANAGEMENT = "time_management", _("Time management")
    LEADERSHIP = "leadership", _("Leadership")
    COMMUNICATION = "communication", _("Communication")
    TEACHING_TECHNOLOGY = "teaching_technology", _("Teaching with technology")
    PUBLIC_SERVICE = "public_service", _("Public service")
    DATA_PERFORMANCE = "data_performance", _("Data and performance management")
    INTEGRITY = "integrity", _("Integrity and ethics")
    COLLABORATION = "collaboration", _("Collaboration")
    CHANGE = "change", _("Managing change")
    DECISION_MAKING = "decision_making", _("Decision making")
    SELF_DEVELOPMENT = "self_development", _("Self and staff development")
    NATIONHOOD = "nationhood", _("Nationhood and diversity")
    GOVERNANCE = "governance", _("Regional governance")


class CompetencyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Competency(ClusterableModel):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. M.01, SK.01, TK.01"))
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=20, choices=CompetencyGroup.choices)
    category = models.CharField(_("topic category"), max_length=30, choices=TopicCategory.choices)
    description = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    applies_to_all = models.BooleanField(
        _("applies to every position"), default=False,
        help_text=_("Positions get the job type's default required level unless they set their own."),
    )
    is_service = models.BooleanField(
        _("service competency"), default=False,
        help_text=_("A low service-satisfaction (IKM) score in the unit raises the priority of this gap."),
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CompetencyManager()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.CheckConstraint(condition=models.Q(group__in=CompetencyGroup.values), name="tna_competency_group_valid"),
        ]

    def __str__(self):
        return "%s %s" % (self.code, self.display_name)

    def natural_key(self):
        return (self.code,)

    @property
    def display_name(self):
        return localized(self, "name")


class CompetencyLevelManager(models.Manager):
    def get_by_natural_key(self, competency_code, level):
        return self.get(competency__code=competency_code, level=level)


class CompetencyLevel(models.Model):
    """What a level 1–5 of one competency looks like (PermenPANRB 38/2017)."""

    # A ParentalKey so the admin edits the five levels inline with their competency.
    competency = ParentalKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)
    descriptor = models.TextField(_("descriptor (Indonesian)"))
    descriptor_en = models.TextField(_("descriptor (English)"), blank=True)

    objects = CompetencyLevelManager()

    class Meta:
        ordering = ["competency", "level"]
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="tna_competency_level_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="tna_competency_level_1_5"),
        ]

    def __str__(self):
        return "%s – %s" % (self.competency.code, self.level)

    def natural_key(self):
        return (self.competency.code, self.level)

    natural_key.dependencies = ["tna.competency"]

    @property
    def display_descriptor(self):
        return localized(self, "descriptor")


class RequiredLevel(models.Model):
    """The level a position requires of one competency, and how much that competency matters to it."""

    # A ParentalKey so the admin edits a position's standard inline with the position.
    position = ParentalKey(Position, on_delete=models.CASCADE, related_name="required_levels")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="required_levels")
    level = models.PositiveSmallIntegerField(_("required level"), validators=LEVEL_VALIDATORS)
    weight = models.DecimalField(
        _("weight"), max_digits=3, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(0), MaxValueValidator(3)],
        help_text=_("How much this competency matters for the position (1 = normal, up to 3)."),
    )
    is_default = models.BooleanField(_("from the job type's default"), default=True)

    class Meta:
        ordering = ["position", "competency"]
        verbose_name = _("required level")
        verbose_name_plural = _("required levels")
        constraints = [
            models.UniqueConstraint(fields=["position", "competency"], name="tna_required_level_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="tna_required_level_1_5"),
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=3), name="tna_required_weight_0_3"),
        ]

    def __str__(self):
        return "%s: %s ≥ %s" % (self.position, self.competency.code, self.level)
