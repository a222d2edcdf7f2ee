"""The learning record: JP credited per year (in the national record's terms) and certificates."""

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from tna.models import Competency, Employee

from .enrollment import Enrollment


def certificate_code():
    """A short, unguessable verification code, grouped for reading aloud (e.g. 7KQ4-M2XD-9PRA)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i:i + 4] for i in range(0, 12, 4))


class CreditSource(models.TextChoices):
    """Where a credit comes from: a completion in Latih, or the training-history import."""

    LATIH = "latih", _("completed in Latih")
    IMPORT = "import", _("imported training history")
    MENTORING = "mentoring", _("mentoring")
    COACHING = "coaching", _("coaching")


class JpCredit(models.Model):
    """JP credited to a person for one completed development activity (SIASN terms).

    Latih writes one per completion (``source`` latih, with its enrollment); the training-history
    import (``lms.services.training_history``) writes the training people did before or outside
    Latih (``source`` import), recognised on re-import by person + course + start date for a
    catalogue course and by person + title (any case) + start date otherwise.
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="jp_credits")
    enrollment = models.OneToOneField(Enrollment, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="jp_credit")
    # The catalogue course, when the training is one (completions in Latih always are).
    course = models.ForeignKey(Course, on_delete=models.PROTECT, null=True, blank=True, related_name="jp_credits",
                               verbose_name=_("course"))
    source = models.CharField(_("source"), max_length=10, choices=CreditSource.choices, default=CreditSource.LATIH)
    # Mentoring credits: the pair (one credit per pair, person and year, topped up as sessions are confirmed).
    mentoring_pair = models.ForeignKey("lms.MentoringPair", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="jp_credits", verbose_name=_("mentoring pair"))
    year = models.PositiveSmallIntegerField(_("year"))
    jp = models.PositiveSmallIntegerField(_("JP"))
    title = models.CharField(_("training"), max_length=200)
    competency_type = models.CharField(_("competency type"), max_length=20)
    route = models.CharField(_("route / training type"), max_length=5)
    provider = models.CharField(_("provider institution"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    certificate_number = models.CharField(_("certificate number"), max_length=40, blank=True)
    # With the level each reached: CreditedCompetency rows (``competency_levels``).
    competencies = models.ManyToManyField(Competency, through="CreditedCompetency", blank=True, related_name="+")

    class Meta:
        ordering = ["employee", "-end_date"]
        verbose_name = _("JP credit")
        verbose_name_plural = _("JP credits")
        indexes = [models.Index(fields=["employee", "year"], name="lms_jp_employee_year")]
        constraints = [
            models.CheckConstraint(condition=models.Q(jp__gte=1), name="lms_jp_credit_positive"),
            models.CheckConstraint(condition=models.Q(start_date__lte=models.F("end_date")), name="lms_jp_dates_ordered"),
            models.CheckConstraint(condition=models.Q(source__in=CreditSource.values), name="lms_jp_source_valid"),
            # The natural keys of imported training: a re-import updates rather than duplicates.
            models.UniqueConstraint(
                fields=["employee", "course", "start_date"],
                condition=models.Q(source=CreditSource.IMPORT, course__isnull=False),
                name="lms_jp_import_course_unique",
            ),
            models.UniqueConstraint(
                Lower("title"), "employee", "start_date",
                condition=models.Q(source=CreditSource.IMPORT, course__isnull=True),
                name="lms_jp_import_title_unique",
            ),
            models.UniqueConstraint(
                fields=["employee", "mentoring_pair", "year"],
                condition=models.Q(source=CreditSource.MENTORING),
                name="lms_jp_mentoring_unique",
            ),
            # Coaching: one credit per person and year, the conversations' minutes added up.
            models.UniqueConstraint(
                fields=["employee", "year"],
                condition=models.Q(source=CreditSource.COACHING),
                name="lms_jp_coaching_unique",
            ),
        ]

    def __str__(self):
        return f"{self.employee_id} {self.year}: {self.jp} JP"

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.employee.agency_id}


class CreditedCompetency(models.Model):
    """A competency a credited training developed and the level it reached, fixed at completion.

    A snapshot, so later edits of the course's targets do not rewrite anyone's record; it is what
    the next TNA run reads as training evidence (``lms.training_evidence``).
    """

    credit = models.ForeignKey(JpCredit, on_delete=models.CASCADE, related_name="competency_levels")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level reached"))

    class Meta:
        ordering = ["credit", "competency"]
        verbose_name = _("competency credited")
        verbose_name_plural = _("competencies credited")
        constraints = [
            models.UniqueConstraint(fields=["credit", "competency"], name="lms_credited_competency_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="lms_credited_level_1_5"),
        ]

    def __str__(self):
        return f"{self.credit_id} {self.competency_id} → {self.level}"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked=False)


class Certificate(models.Model):
    """The certificate of a completed enrollment; anyone can check its ``code`` on the public page."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT, related_name="certificate")
    code = models.CharField(_("verification code"), max_length=14, unique=True, default=certificate_code)
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.number

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.enrollment.employee.agency_id}

