"""Test scores and completion: the attendance and post-test rules, JP credited, certificates issued.

Completion is all or nothing per person: the enrollment becomes completed, its JP are credited to
the learning record once (in the year of completion, in the person's agency's time zone) with the
competencies and levels the course develops, and a certificate with a verification code is
issued. Every function checks who may call it, and a bulk call does its reads and writes in bulk
rather than per person.
"""

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseCompetency, Meeting, Session

from ..conf import settings
from ..models import Enrollment, EnrollmentEvent, EnrollmentStatus
from ..models.evaluation import PreTest
from ..models.ledger import Certificate, CreditedCompetency, JpCredit
from ..notify import notify_enrollment
from ..selectors.delivery import ATTENDING, with_attendance
from .attendance import session_attendance_problem
from .certificates import certificate_number
from .delivery_access import delivers, require_delivery

S = EnrollmentStatus
UNCHANGED = object()


# --- test scores ---------------------------------------------------------------------------------

def _score(value, label):
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if not re.fullmatch(r"\d{1,3}", value):
            raise ValidationError(_("The %(test)s score is a whole number from 0 to 100.") % {"test": label})
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError(_("The %(test)s score is a whole number from 0 to 100.") % {"test": label})
    return value


def scores_record(*, enrollment, user, pre_test_score=UNCHANGED, post_test_score=UNCHANGED):
    """Record a participant's pre- and/or post-test score (0–100; None clears it)."""
    require_delivery(user, enrollment)
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("employee", "session").get(pk=enrollment.pk)
        if post_test_score is not UNCHANGED:
            score = _score(post_test_score, _("post-test"))
            if enrollment.status == S.COMPLETED and score != enrollment.post_test_score:
                raise ValidationError(_("%(name)s has completed the course; the post-test score it was based on "
                                        "cannot change.") % {"name": enrollment.employee.name})
            enrollment.post_test_score = score
            enrollment.save(update_fields=["post_test_score"])
        if pre_test_score is not UNCHANGED:
            score = _score(pre_test_score, _("pre-test"))
            if score is None:
                PreTest.objects.filter(enrollment=enrollment).delete()
            else:
                PreTest.objects.update_or_create(enrollment=enrollment, defaults={"score": score, "recorded_by": user})
    return enrollment


# --- completion ----------------------------------------------------------------------------------

def completion_refusal(*, attended, meetings, has_post_test, post_test_score):
    """Why a participant cannot complete (a sentence), or None; pure, from the counts and score."""
    minimum = settings.COMPLETION_ATTENDANCE
    if meetings == 0:
        return _("The session has no meetings to attend.")
    if attended / meetings < minimum - 1e-9:
        return _("Attended %(attended)d of %(meetings)d meetings (%(share)d%%); at least %(minimum)d%% is needed.") % {
            "attended": attended, "meetings": meetings, "share": round(100 * attended / meetings),
            "minimum": round(100 * minimum),
        }
    if has_post_test:
        if post_test_score is None:
            return _("This course has a post-test: record the score first.")
        if post_test_score < settings.POST_TEST_PASS:
            return _("Post-test score %(score)d is below the pass mark of %(pass)d.") % {
                "score": post_test_score, "pass": settings.POST_TEST_PASS}
    return None


@dataclass
class CompletionResult:
    """What a completion call did: who completed, and who could not, with the reason."""

    completed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # [(enrollment, reason)]


def enrollment_complete(*, enrollment, user, post_test_score=None):
    """Complete one participant: checks attendance (and the post-test), credits JP, issues the certificate.

    Raises ValidationError with the reason when the person does not qualify.
    """
    require_delivery(user, enrollment)
    scores = {}
    if post_test_score is not None:
        scores[enrollment.pk] = _score(post_test_score, _("post-test"))
    result = _complete(enrollment.session_id, [enrollment.pk], user=user, scores=scores)
    if result.refused:
        raise ValidationError(result.refused[0][1])
    return result.completed[0]


def session_complete_eligible(*, session, user):
    """Complete every participant of ``session`` who qualifies; the rest stay as they are, with reasons."""
    if not delivers(user, session):
        raise PermissionDenied(_("Only a training admin of the course's agency can complete participants."))
    ids = list(Enrollment.objects.filter(session=session, status__in=ATTENDING).values_list("pk", flat=True))
    return _complete(session.pk, ids, user=user, scores={})


def session_not_ready(session, meetings, now):
    """Why nobody in ``session`` can complete yet (a sentence), or None; ``meetings`` are its active ones."""
    problem = session_attendance_problem(session)
    if problem:
        return problem
    if not meetings:
        return _("The session has no meetings to attend.")
    if meetings[-1].starts_at > now:
        return _("The last meeting has not started yet: completion comes at the end of the course.")
    return None


def _complete(session_id, ids, *, user, scores):
    """Complete the given enrollments of one session that qualify, in one transaction and in bulk."""
    result = CompletionResult()
    now = timezone.now()
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",)).select_related("course", "course__agency", "course__provider")
            .get(pk=session_id)
        )
        locked = list(Enrollment.objects.select_for_update().filter(pk__in=ids, session=session).values_list("pk", flat=True))
        enrollments = list(
            with_attendance(Enrollment.objects.filter(pk__in=locked))
            .select_related("employee", "employee__agency", "session__course")
            .order_by("employee__name", "pk")
        )
        meetings = [m for m in Meeting.objects.filter(session=session).order_by("starts_at") if not m.cancelled]
        not_ready = session_not_ready(session, meetings, now)
        course = session.course
        ready = []
        for enrollment in enrollments:
            score = scores.get(enrollment.pk, enrollment.post_test_score)
            if enrollment.status == S.COMPLETED:
                reason = _("%(name)s has already completed this course.") % {"name": enrollment.employee.name}
            elif enrollment.status not in ATTENDING:
                reason = _("%(name)s does not hold a seat in this session (%(status)s).") % {
                    "name": enrollment.employee.name, "status": enrollment.get_status_display().lower()}
            else:
                reason = not_ready or completion_refusal(
                    attended=enrollment.attended, meetings=len(meetings), has_post_test=course.has_post_test,
                    post_test_score=score,
                )
            if reason:
                result.refused.append((enrollment, reason))
                continue
            enrollment.post_test_score = score
            ready.append(enrollment)
        if ready:
            _write_completions(session, meetings, ready, user=user, now=now)
            result.completed = ready
    return result


def _write_completions(session, meetings, enrollments, *, user, now):
    course = session.course
    session_tz = session.tz
    start_date = timezone.localtime(meetings[0].starts_at, session_tz).date()
    end_date = timezone.localtime(meetings[-1].ends_at, session_tz).date()
    targets = list(CourseCompetency.objects.filter(course=course).select_related("competency").order_by("sort_order", "pk"))
    competency_type = targets[0].competency.group if targets else ""
    already = set(JpCredit.objects.filter(enrollment__in=enrollments).values_list("enrollment_id", flat=True))
    events, credits, certificates = [], [], []
    for enrollment in enrollments:
        before = enrollment.status
        enrollment.status, enrollment.completed_at = S.COMPLETED, now
        events.append(EnrollmentEvent(
            enrollment=enrollment, from_status=before, to_status=S.COMPLETED, user=user, at=now,
            note=_("Completed: attended %(attended)d of %(meetings)d meetings.") % {
                "attended": enrollment.attended, "meetings": len(meetings)},
        ))
        # The year of the record is the year the person completed, where they work.
        year = timezone.localtime(now, ZoneInfo(enrollment.employee.agency.time_zone)).year
        number = certificate_number(agency_code=course.agency.code, year=year, enrollment_id=enrollment.pk)
        certificates.append(Certificate(enrollment=enrollment, number=number))
        if enrollment.pk not in already:
            credits.append(JpCredit(
                employee=enrollment.employee, enrollment=enrollment, course=course, year=year, jp=course.jp,
                title=course.title,
                competency_type=competency_type, route=course.route, provider=course.provider.name,
                start_date=start_date, end_date=end_date, certificate_number=number,
            ))
    Enrollment.objects.bulk_update(enrollments, ["status", "completed_at", "post_test_score"])
    EnrollmentEvent.objects.bulk_create(events)
    existing_certificates = set(
        Certificate.objects.filter(enrollment__in=enrollments).values_list("enrollment_id", flat=True)
    )
    Certificate.objects.bulk_create([c for c in certificates if c.enrollment_id not in existing_certificates])
    created = JpCredit.objects.bulk_create(credits)
    CreditedCompetency.objects.bulk_create(
        CreditedCompetency(credit=credit, competency_id=target.competency_id, level=target.level)
        for credit in created for target in targets
    )
    for enrollment in enrollments:
        notify_enrollment(enrollment, "completed")
