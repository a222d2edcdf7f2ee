"""Agencies (instansi), their units (perangkat daerah, nested) and positions."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel

from ..grades import JobType, job_family


class AgencyKind(models.TextChoices):
    REGENCY = "regency", _("Regency (kabupaten)")
    CITY = "city", _("City (kota)")
    PROVINCE = "province", _("Province")
    MINISTRY = "ministry", _("Ministry or national agency")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class AgencyManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Agency(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    seat = models.CharField(_("seat (capital town)"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=40, choices=TimeZone.choices, default=TimeZone.WIB)
    auto_approve_enrollment = models.BooleanField(
        _("approve enrollments automatically"), default=False,
        help_text=_("When ticked, requests for this agency's staff skip the supervisor's approval."),
    )

    objects = AgencyManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class UnitManager(models.Manager):
    def get_by_natural_key(self, agency_code, code):
        return self.get(agency__code=agency_code, code=code)


class Unit(models.Model):
    """A perangkat daerah or one of its parts (bidang, seksi); a tree inside one agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="units", verbose_name=_("agency"))
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent unit")
    )
    min_on_duty_share = models.DecimalField(
        _("minimum on-duty share"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of staff that must stay on duty while others train; empty uses the default."),
    )

    objects = UnitManager()

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="tna_unit_code_unique_per_agency"),
            models.CheckConstraint(
                condition=models.Q(min_on_duty_share__isnull=True)
                | models.Q(min_on_duty_share__gte=0, min_on_duty_share__lte=1),
                name="tna_unit_min_on_duty_share_0_1",
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.agency.code, self.code)

    natural_key.dependencies = ["tna.agency"]

    def clean(self):
        if self.parent_id:
            if self.parent.agency_id != self.agency_id:
                raise ValidationError({"parent": _("The parent unit must belong to the same agency.")})
            node, seen = self.parent, {self.pk}
            while node is not None:
                if node.pk in seen:
                    raise ValidationError({"parent": _("A unit cannot be inside itself.")})
                seen.add(node.pk)
                node = node.parent


class PositionManager(models.Manager):
    def get_by_natural_key(self, agency_code, code):
        return self.get(agency__code=agency_code, code=code)


class Position(ClusterableModel):
    """A job (jabatan) in an agency, with its type and level and its competency standard."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="positions", verbose_name=_("agency"))
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    job_type = models.CharField(_("job type"), max_length=20, choices=JobType.choices)
    is_key = models.BooleanField(
        _("key position"), default=False,
        help_text=_("Latih lists succession candidates for key positions and warns when none is ready."),
    )

    objects = PositionManager()

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="tna_position_code_unique_per_agency"),
            models.CheckConstraint(condition=models.Q(job_type__in=JobType.values), name="tna_position_job_type_valid"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.agency.code, self.code)

    natural_key.dependencies = ["tna.agency"]

    @property
    def job_family(self):
        return job_family(self.job_type)
