"""Completed training read back: as evidence for the next TNA run, on the profile, and in the portable record.

``register()`` (called from the lms AppConfig.ready) installs ``training_evidence`` as a source of
training evidence for tna's analysis: each credited competency counts, with the level the course
reaches, in the TNA of the year it was completed and of the following years up to
``LATIH_TRAINING_EVIDENCE_YEARS`` in all; tna weighs it by ``LATIH_TRAINING_EVIDENCE_WEIGHT``.
"""

from zoneinfo import ZoneInfo

import pandas as pd
from django.conf import settings as django_settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from tna.conf import settings as tna_settings
from tna.hooks import register_training_evidence
from tna.models import CompetencyGap, Employee
from tna.selectors import current_cycle, profile_gaps

from .certificates import CertificateData
from .conf import settings
from .models import Enrollment
from .models.ledger import Certificate, CreditedCompetency, JpCredit
from .record import LearningRecord, RecordCompetency, RecordTraining

EVIDENCE_COLUMNS = ["employee_id", "competency_id", "level"]


def _year(cycle):
    return cycle if isinstance(cycle, int) else cycle.year


def training_evidence(*, cycle, agency=None):
    """Completed training as evidence for ``cycle`` (a Cycle or a year): DataFrame(employee_id, competency_id, level).

    One row per credited competency of each training completed in the window of years ending
    with the cycle's year; ``agency`` limits it to that agency's current staff. Ids are ints.
    """
    year = _year(cycle)
    window = max(int(settings.TRAINING_EVIDENCE_YEARS), 1)
    queryset = CreditedCompetency.objects.filter(credit__year__lte=year, credit__year__gt=year - window)
    if agency is not None:
        queryset = queryset.filter(credit__employee__in=Employee.objects.filter(agency=agency))
    rows = list(queryset.order_by().values_list("credit__employee_id", "competency_id", "level"))
    return pd.DataFrame.from_records(rows, columns=EVIDENCE_COLUMNS).astype("int64")


def register():
    """Hand ``training_evidence`` to tna's analysis (``tna.hooks``; registering twice adds it once)."""
    register_training_evidence(training_evidence)


# --- reads for pages and records -------------------------------------------------------------

def completed_training(employee):
    """The person's credited trainings, newest first, with certificate and competencies loaded.

    The selector behind ``lms/delivery/_completed.html`` (``{% completed_training employee %}``).
    """
    return (
        JpCredit.objects.filter(employee=employee)
        .select_related("enrollment", "enrollment__certificate", "enrollment__evaluation", "enrollment__session")
        .prefetch_related(Prefetch(
            "competency_levels", queryset=CreditedCompetency.objects.select_related("competency").order_by("competency__code")
        ))
        .order_by("-end_date", "-pk")
    )


def certificate_of(credit):
    """The certificate behind a credit, or None (credits entered by hand have none)."""
    enrollment = credit.enrollment
    if enrollment is None:
        return None
    try:
        return enrollment.certificate
    except Certificate.DoesNotExist:
        return None


def verify_url(code, request=None):
    """The absolute address of a certificate's public verification page."""
    path = reverse("lms:certificate-verify-code", kwargs={"code": code})
    if request is not None:
        return request.build_absolute_uri(path)
    return django_settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def certificate_data(certificate, request=None):
    """``CertificateData`` for the PDF from a certificate with its enrollment's JP credit."""
    enrollment = (
        Enrollment.objects
        .select_related("employee", "session__course__agency", "session__course__provider", "jp_credit")
        .get(pk=certificate.enrollment_id)
    )
    credit = getattr(enrollment, "jp_credit", None)
    course = enrollment.session.course
    levels = (
        CreditedCompetency.objects.filter(credit=credit).select_related("competency").order_by("competency__code")
        if credit else []
    )
    session_tz = enrollment.session.tz
    return CertificateData(
        name=enrollment.employee.name,
        nip=enrollment.employee.nip,
        course=credit.title if credit else course.title,
        jp=credit.jp if credit else course.jp,
        start_date=credit.start_date if credit else timezone.localtime(enrollment.session.starts_at, session_tz).date(),
        end_date=credit.end_date if credit else timezone.localtime(enrollment.session.ends_at, session_tz).date(),
        agency=course.agency.name,
        provider=credit.provider if credit else course.provider.name,
        number=certificate.number,
        code=certificate.code,
        verify_url=verify_url(certificate.code, request),
        issued_on=timezone.localtime(certificate.issued_at, session_tz).date(),
        competencies=[f"{c.competency.code} {c.competency.name} ({c.level})" for c in levels],
        revoked=certificate.revoked,
    )


def learning_record(employee, request=None):
    """The person's ``LearningRecord``: latest competency profile, every credited training, JP per year."""
    cycle = current_cycle(CompetencyGap.objects.filter(employee=employee))
    gaps = profile_gaps(employee, cycle) if cycle else []
    trainings = []
    for credit in completed_training(employee):
        certificate = certificate_of(credit)
        trainings.append(RecordTraining(
            title=credit.title, year=credit.year, jp=credit.jp, start_date=credit.start_date,
            end_date=credit.end_date, provider=credit.provider, route=credit.route,
            competency_type=credit.competency_type, certificate_number=credit.certificate_number,
            verification_code=certificate.code if certificate and not certificate.revoked else "",
            verify_url=verify_url(certificate.code, request) if certificate and not certificate.revoked else "",
            competencies=[
                {"code": c.competency.code, "name": c.competency.name, "level": c.level}
                for c in credit.competency_levels.all()
            ],
        ))
    employee = Employee.objects.select_related("agency", "unit", "position").get(pk=employee.pk)
    return LearningRecord(
        name=employee.name, nip=employee.nip, agency=employee.agency.name, unit=employee.unit.name,
        position=employee.position.name, grade=employee.grade, employment=employee.employment,
        generated_at=timezone.localtime(timezone.now(), ZoneInfo(employee.agency.time_zone)),
        cycle=cycle.year if cycle else None,
        competencies=[
            RecordCompetency(
                code=g.competency.code, name=g.competency.name, group=g.competency.group,
                required_level=g.required_level,
                observed_level=round(g.observed_level, 2) if g.observed_level is not None else None,
                gap=round(g.gap, 2),
            )
            for g in gaps
        ],
        trainings=trainings,
        jp_minimum=tna_settings.JP_MINIMUM_PER_YEAR,
    )
