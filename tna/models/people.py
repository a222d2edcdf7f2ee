"""Employees (ASN): PNS and PPPK, each linked to a Django user whose username is the NIP."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..grades import GRADE_CHOICES, GRADES, PANGKAT
from .organisation import Agency, Position, Unit


class EmploymentType(models.TextChoices):
    PNS = "PNS", _("PNS (civil servant)")
    PPPK = "PPPK", _("PPPK (contract)")


class EmployeeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def in_agency(self, agency):
        return self.filter(agency=agency)


class EmployeeManager(models.Manager.from_queryset(EmployeeQuerySet)):
    def get_by_natural_key(self, nip):
        return self.get(nip=nip)


class Employee(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="employee", verbose_name=_("user")
    )
    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="employees", verbose_name=_("agency"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit"))
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="employees", verbose_name=_("position")
    )
    grade = models.CharField(_("grade (golongan/ruang)"), max_length=5, choices=GRADE_CHOICES)
    employment = models.CharField(
        _("employment"), max_length=4, choices=EmploymentType.choices, default=EmploymentType.PNS
    )
    supervisor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports",
        verbose_name=_("direct supervisor"),
    )
    email = models.EmailField(_("email"), blank=True)
    grade_since = models.DateField(
        _("in this grade since"), null=True, blank=True, help_text=_("For the time-in-grade criterion of career steps."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = EmployeeManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        indexes = [models.Index(fields=["agency", "unit"], name="tna_employee_agency_unit")]
        constraints = [
            models.CheckConstraint(condition=models.Q(nip__regex=r"^[0-9]{18}$"), name="tna_employee_nip_18_digits"),
            models.CheckConstraint(condition=models.Q(grade__in=GRADES), name="tna_employee_grade_valid"),
            models.CheckConstraint(
                condition=models.Q(employment__in=EmploymentType.values), name="tna_employee_employment_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("pk")), name="tna_employee_not_own_supervisor"
            ),
        ]

    def __str__(self):
        return "%s (%s)" % (self.name, self.nip)

    def natural_key(self):
        return (self.nip,)

    @property
    def pangkat(self):
        return PANGKAT.get(self.grade, "")
