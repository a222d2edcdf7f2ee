"""Reads for delivery: a training admin's sessions, rosters with attendance and scores, ratings, certificates."""

from django.db.models import Avg, Count, Prefetch, Q
from django.utils import timezone

from courses.models import Meeting, Session
from tna.roles import employee_of

from ..certificates import normalise_code
from ..models import Attendance, Enrollment, EnrollmentStatus
from ..models.evaluation import Evaluation, PreTest
from ..models.ledger import Certificate, CreditedCompetency, JpCredit
from .enrollments import SEAT_STATUSES

S = EnrollmentStatus
# Enrollments whose attendance may still be recorded; a completed one is locked (its JP are credited).
ATTENDING = (S.ENROLLED, S.NOT_COMPLETED)


# --- sessions ------------------------------------------------------------------------------------

def delivery_sessions(user, *, starts_before):
    """Sessions of ``user``'s agency (a superuser: every agency) starting before ``starts_before``, newest
    first, annotated with ``participants`` (holding or held a seat) and ``completed``."""
    sessions = Session.objects.select_related("course", "course__agency")
    if not user.is_superuser:
        sessions = sessions.filter(course__agency=employee_of(user).agency_id)
    return (
        sessions.filter(starts_at__lte=starts_before)
        .annotate(
            participants=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES)),
            completed=Count("enrollments", filter=Q(enrollments__status=S.COMPLETED)),
        )
        .order_by("-starts_at", "-pk")
    )


def sessions_for_delivery():
    """Sessions with course, agency and provider loaded, to look one up by id (then check ``delivers``)."""
    return Session.objects.select_related("course", "course__agency", "course__provider")


def session_meetings(session):
    """The session's meetings (cancelled ones included) in number order, as a list."""
    return list(Meeting.objects.filter(session=session).order_by("number"))


def held_meetings(session, now=None):
    """The session's meetings that have started by ``now`` and were not cancelled, in number order."""
    now = now or timezone.now()
    return [m for m in session_meetings(session) if not m.cancelled and m.starts_at <= now]


# --- the roster ----------------------------------------------------------------------------------

def roster(session):
    """The session's participants who hold or held a seat, with employee, in name order."""
    return (
        Enrollment.objects.filter(session=session).holding_seat()
        .select_related("employee", "employee__agency", "employee__unit")
        .order_by("employee__name", "pk")
    )


def attending_roster(session):
    """The participants whose attendance may still be recorded (``ATTENDING``), in name order."""
    return roster(session).filter(status__in=ATTENDING)


def session_enrollments(session):
    """Every enrollment of the session, to look one up by id."""
    return Enrollment.objects.filter(session=session)


def with_attendance(queryset):
    """Annotate ``attended``: the meetings (not cancelled) at which the participant was present."""
    return queryset.annotate(
        attended=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT,
                                              attendance__meeting__cancelled=False))
    )


def completion_candidates(session):
    """The session's participants annotated with ``attended`` (meetings present), for the roster,
    with their certificate loaded."""
    return with_attendance(roster(session)).select_related("certificate")


def attendance_marks(enrollments):
    """{(enrollment id, meeting id): status} of the enrollments' recorded attendance."""
    return {
        (a.enrollment_id, a.meeting_id): a.status
        for a in Attendance.objects.filter(enrollment__in=[e.pk for e in enrollments])
    }


def attendance_by_number(enrollments):
    """{enrollment id: {meeting number as text: status}} of the enrollments' recorded attendance."""
    marks = {}
    for enrollment_id, number, mark in Attendance.objects.filter(enrollment__in=enrollments).values_list(
            "enrollment_id", "meeting__number", "status"):
        marks.setdefault(enrollment_id, {})[str(number)] = mark
    return marks


def meeting_ids_by_number(session):
    """{meeting number: meeting id} of the session."""
    return dict(Meeting.objects.filter(session=session).values_list("number", "pk"))


def pre_test_scores(enrollments):
    """{enrollment id: pre-test score} of the enrollments that have one."""
    return dict(PreTest.objects.filter(enrollment__in=[e.pk for e in enrollments]).values_list("enrollment_id", "score"))


def seat_holder(session, nip):
    """The enrollment by which the person with ``nip`` holds or held a seat in ``session``, or None."""
    return (Enrollment.objects.filter(session=session, employee__nip=nip).holding_seat()
            .select_related("employee", "session").first())


# --- what the session's participants said and scored ---------------------------------------------

def session_ratings(session):
    """The session's ratings: ``n`` and the mean of each score (None when nobody rated)."""
    return Evaluation.objects.filter(enrollment__session=session).aggregate(
        n=Count("id"), relevance=Avg("relevance"), trainer=Avg("trainer"), organisation=Avg("organisation"),
        overall=Avg("overall"),
    )


def session_comments(session, limit=20):
    """The latest non-empty comments of the session's ratings, newest first."""
    return list(Evaluation.objects.filter(enrollment__session=session).exclude(comment="")
                .order_by("-submitted_at").values_list("comment", flat=True)[:limit])


def session_test_averages(session):
    """{"pre": {avg, n}, "post": {avg, n}}: the session's pre- and post-test scores."""
    return {
        "pre": PreTest.objects.filter(enrollment__session=session).aggregate(avg=Avg("score"), n=Count("id")),
        "post": Enrollment.objects.filter(session=session, post_test_score__isnull=False).aggregate(
            avg=Avg("post_test_score"), n=Count("id")),
    }


# --- certificates --------------------------------------------------------------------------------

def certificate_by_code(code):
    """The certificate with verification ``code`` (as typed: spacing and case do not matter), with its
    holder, course and JP credit loaded; or None."""
    normalised = normalise_code(code)
    if not normalised:
        return None
    return (
        Certificate.objects.select_related(
            "enrollment__employee", "enrollment__session__course__agency", "enrollment__jp_credit"
        ).filter(code=normalised).first()
    )


def certificates_with_holder():
    """Certificates with the holder and the course loaded, to look one up by code."""
    return Certificate.objects.select_related("enrollment__employee", "enrollment__session__course")


def certificate_codes(enrollments):
    """{enrollment id: certificate code} of the enrollments that have a certificate."""
    return dict(Certificate.objects.filter(enrollment__in=enrollments).values_list("enrollment_id", "code"))


# --- the participant -----------------------------------------------------------------------------

def credited_trainings(employee):
    """The person's JP credits with certificate, rating and competency levels loaded, newest first."""
    return (
        JpCredit.objects.filter(employee=employee)
        .select_related("enrollment__certificate", "enrollment__evaluation")
        .prefetch_related(Prefetch("competency_levels",
                                   queryset=CreditedCompetency.objects.select_related("competency")))
        .order_by("-end_date", "-pk")
    )


def enrollments_to_rate(employee, now=None):
    """Enrollments the person attended, that have ended, and that they have not rated yet, latest first."""
    now = now or timezone.now()
    attended = Attendance.objects.filter(status=Attendance.Status.PRESENT).values("enrollment")
    return list(
        Enrollment.objects.filter(employee=employee, evaluation__isnull=True)
        .filter(Q(status=S.COMPLETED) | Q(pk__in=attended, session__ends_at__lte=now))
        .select_related("session__course").order_by("-session__ends_at")
    )


def own_enrollments(employee):
    """The person's enrollments with session, course and employee loaded, to look one up by id."""
    return Enrollment.objects.filter(employee=employee).select_related("session__course", "employee")


def reports_enrollments(supervisor):
    """Enrollments of the supervisor's direct reports, with session, course and employee loaded."""
    return Enrollment.objects.filter(employee__supervisor=supervisor).select_related("session__course", "employee")
