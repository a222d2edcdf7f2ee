"""Write paths for delivery: attendance per meeting, test scores, completion, certificates, evaluation.

Completion is all or nothing per person: the enrollment becomes completed, its JP are credited to
the learning record once (in the year of completion, in the person's agency's time zone) with the
competencies and levels the course develops, and a certificate with a verification code is
issued. Every function checks who may call it; the site, the API and the CSV upload all come
through here, and a bulk call does its reads and writes in bulk rather than per person.
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseCompetency, Meeting, Session, SessionStatus
from tna.infra.cells import nip_text
from tna.infra.row_errors import ErrorList, ImportRejected, RowError
from tna.infra.spreadsheets import fold, read_table
from tna.roles import TRAINING_ADMIN, employee_of, has_role

from ..conf import settings
from ..models import Attendance, Enrollment, EnrollmentEvent, EnrollmentStatus
from ..models.evaluation import Evaluation, PreTest
from ..models.ledger import Certificate, CreditedCompetency, JpCredit
from ..notify import notify_enrollment

S = EnrollmentStatus
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED
# Enrollments whose attendance may still be recorded; a completed one is locked (its JP are credited).
ATTENDING = (S.ENROLLED, S.NOT_COMPLETED)
HELD = (SessionStatus.SCHEDULED, SessionStatus.COMPLETED)
UNCHANGED = object()


# --- who may do what -----------------------------------------------------------------------------

def delivers(user, session):
    """True when ``user`` runs ``session``'s delivery: a training admin of the course's agency or a superuser."""
    if getattr(user, "is_superuser", False):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == session.course.agency_id)


def delivers_for(user, enrollment):
    """``delivers`` for the enrollment's session, or a training admin of the participant's own agency."""
    if delivers(user, enrollment.session):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == enrollment.employee.agency_id)


def _require_delivery(user, enrollment):
    if not delivers_for(user, enrollment):
        raise PermissionDenied(_("Only a training admin of the course's or the participant's agency can do this."))


# --- attendance ----------------------------------------------------------------------------------

def attendance_status(present):
    """``True``/``False`` or one of ``present``, ``absent``, ``excused`` as an Attendance status."""
    if present is True:
        return PRESENT
    if present is False:
        return ABSENT
    if present in Attendance.Status.values:
        return Attendance.Status(present)
    raise ValidationError(_("Attendance is present, absent or excused."))


def _attendance_problem(enrollment, meeting, now):
    """Why attendance of ``enrollment`` at ``meeting`` cannot be recorded now, or None."""
    if meeting.session_id != enrollment.session_id:
        return _("Meeting %(number)d is not a meeting of this person's session.") % {"number": meeting.number}
    if meeting.cancelled:
        return _("Meeting %(number)d was cancelled.") % {"number": meeting.number}
    if meeting.starts_at > now:
        return _("Meeting %(number)d has not started yet.") % {"number": meeting.number}
    if enrollment.status == S.COMPLETED:
        return _("%(name)s has already completed the course; their attendance is final.") % {
            "name": enrollment.employee.name}
    if enrollment.status not in ATTENDING:
        return _("%(name)s does not hold a seat in this session (%(status)s).") % {
            "name": enrollment.employee.name, "status": enrollment.get_status_display().lower()}
    return None


def _session_problem(session):
    if session.status not in HELD:
        return _("This session is %(status)s: there is no attendance to record.") % {
            "status": session.get_status_display().lower()}
    return None


def _write_attendance(marks, *, user, now):
    """Insert or update Attendance rows for ``marks`` [(enrollment, meeting, status)] in bulk."""
    if not marks:
        return
    existing = {
        (a.enrollment_id, a.meeting_id): a
        for a in Attendance.objects.filter(
            enrollment__in={e.pk for e, _m, _s in marks}, meeting__in={m.pk for _e, m, _s in marks}
        )
    }
    to_update, to_create = [], []
    for enrollment, meeting, status in marks:
        row = existing.get((enrollment.pk, meeting.pk))
        if row is None:
            to_create.append(Attendance(enrollment=enrollment, meeting=meeting, status=status, recorded_by=user))
        elif row.status != status:
            row.status, row.recorded_by, row.recorded_at = status, user, now
            to_update.append(row)
    Attendance.objects.bulk_update(to_update, ["status", "recorded_by", "recorded_at"])
    Attendance.objects.bulk_create(to_create)


def attendance_record(*, enrollment, meeting, present, user):
    """Record whether the participant of ``enrollment`` was at ``meeting`` (by a training admin).

    ``present`` is True/False or ``"excused"``. Refuses meetings of another session, cancelled
    or not yet started meetings, and people who hold no seat or have already completed.
    """
    status = attendance_status(present)
    _require_delivery(user, enrollment)
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("employee", "session").get(pk=enrollment.pk)
        problem = _session_problem(enrollment.session) or _attendance_problem(enrollment, meeting, timezone.now())
        if problem:
            raise ValidationError(problem)
        _write_attendance([(enrollment, meeting, status)], user=user, now=timezone.now())
    return Attendance.objects.get(enrollment=enrollment, meeting=meeting)


def roster(session):
    """The session's participants who hold or held a seat, with employee, in name order."""
    return (
        Enrollment.objects.filter(session=session).holding_seat()
        .select_related("employee", "employee__agency", "employee__unit")
        .order_by("employee__name", "pk")
    )


def attendance_save(*, session, marks, user):
    """Save a roster grid: ``marks`` maps (enrollment id, meeting id) to a status; all or nothing.

    Raises ValidationError listing every problem, and nothing is written when there is one.
    Returns the number of marks saved.
    """
    if not delivers(user, session):
        raise PermissionDenied(_("Only a training admin of the course's agency can record attendance."))
    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
        problem = _session_problem(session)
        if problem:
            raise ValidationError(problem)
        enrollments = {e.pk: e for e in roster(session)}
        meetings = {m.pk: m for m in Meeting.objects.filter(session=session)}
        problems, rows = [], []
        for (enrollment_id, meeting_id), present in marks.items():
            enrollment, meeting = enrollments.get(enrollment_id), meetings.get(meeting_id)
            if enrollment is None or meeting is None:
                problems.append(_("Unknown participant or meeting in this session."))
                continue
            try:
                status = attendance_status(present)
            except ValidationError as error:
                problems.extend(error.messages)
                continue
            problem = _attendance_problem(enrollment, meeting, now)
            if problem:
                problems.append(f"{enrollment.employee.name}: {problem}")
                continue
            rows.append((enrollment, meeting, status))
        if problems:
            raise ValidationError(sorted(set(problems)))
        _write_attendance(rows, user=user, now=now)
    return len(rows)


# --- attendance upload ---------------------------------------------------------------------------

PRESENT_WORDS = {
    "1": PRESENT, "yes": PRESENT, "y": PRESENT, "ya": PRESENT, "true": PRESENT, "present": PRESENT, "hadir": PRESENT,
    "0": ABSENT, "no": ABSENT, "n": ABSENT, "tidak": ABSENT, "false": ABSENT, "absent": ABSENT,
    "tidak hadir": ABSENT, "absen": ABSENT, "alpa": ABSENT,
    "excused": EXCUSED, "izin": EXCUSED, "ijin": EXCUSED, "sakit": EXCUSED,
}
NUMBER_COLUMNS = ("meeting", "meeting_number")
DATE_COLUMNS = ("date", "meeting_date")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")


def _parse_date(text):
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def attendance_import(*, session, data, user, filename=""):
    """Import attendance for ``session`` from a CSV or XLSX file; all or nothing.

    Columns: ``nip``, ``meeting`` (the meeting's number) or ``date`` (its date, when the session
    meets once that day), and ``present`` (yes/no, 1/0, hadir/tidak, or excused/izin). Raises
    ``ImportRejected`` with every problem as row + column + reason; returns the rows saved.
    """
    if not delivers(user, session):
        raise PermissionDenied(_("Only a training admin of the course's agency can record attendance."))
    table = read_table(data, filename=filename)
    errors = ErrorList()
    for column in ("nip", "present"):
        if column not in table.columns:
            errors.add(1, column, _("Required column \"%(column)s\" is missing. The header must name: "
                                    "nip, meeting (or date), present.") % {"column": column}, "")
    number_column = next((c for c in NUMBER_COLUMNS if c in table.columns), None)
    date_column = next((c for c in DATE_COLUMNS if c in table.columns), None)
    if number_column is None and date_column is None:
        errors.add(1, "meeting", _("Name the meeting in a column \"meeting\" (its number) or \"date\"."), "")
    errors.raise_if_any()

    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("course", "course__agency").get(pk=session.pk)
        problem = _session_problem(session)
        if problem:
            raise ImportRejected([_row_error(1, "", problem)])
        by_nip = {e.employee.nip: e for e in roster(session)}
        meetings = list(Meeting.objects.filter(session=session).order_by("number"))
        by_number = {m.number: m for m in meetings}
        by_date = {}
        for meeting in meetings:
            if not meeting.cancelled:
                by_date.setdefault(timezone.localtime(meeting.starts_at, session.tz).date(), []).append(meeting)
        rows, seen = [], {}
        for row in table.rows:
            nip = nip_text(row, "nip", errors)
            enrollment = None
            if nip is not None:
                enrollment = by_nip.get(nip)
                if enrollment is None:
                    errors.add(row, "nip", _("Nobody with this NIP holds a seat in this session."))
            meeting = _meeting_of(row, errors, number_column, date_column, by_number, by_date)
            status = PRESENT_WORDS.get(fold(row.get("present")))
            if status is None:
                errors.add(row, "present", _("Write yes or no (also 1/0, hadir/tidak), or excused (izin)."))
            if enrollment is None or meeting is None or status is None:
                continue
            problem = _attendance_problem(enrollment, meeting, now)
            if problem:
                errors.add(row, "meeting", problem, row.get(number_column or date_column))
                continue
            first = seen.setdefault((enrollment.pk, meeting.pk), row.number)
            if first != row.number:
                errors.add(row, "nip", _("This person's attendance at this meeting is already in row %(row)d.")
                           % {"row": first})
                continue
            rows.append((enrollment, meeting, status))
        errors.raise_if_any()
        _write_attendance(rows, user=user, now=now)
    return len(rows)


def _row_error(row, column, message):
    return RowError(row, column, "", str(message))


def _meeting_of(row, errors, number_column, date_column, by_number, by_date):
    if number_column and row.get(number_column):
        text = row.get(number_column)
        meeting = by_number.get(int(text)) if text.isdigit() else None
        if meeting is None:
            errors.add(row, number_column, _("This session has no meeting with this number (1 to %(n)d).")
                       % {"n": max(by_number, default=0)})
        return meeting
    if date_column and row.get(date_column):
        day = _parse_date(row.get(date_column))
        if day is None:
            errors.add(row, date_column, _("Write the date as YYYY-MM-DD or DD-MM-YYYY."))
            return None
        found = by_date.get(day, [])
        if not found:
            errors.add(row, date_column, _("This session does not meet on this date."))
            return None
        if len(found) > 1:
            errors.add(row, date_column, _("The session meets more than once that day: give the meeting number."))
            return None
        return found[0]
    errors.add(row, number_column or date_column, _("Give the meeting's number or date."))
    return None


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
    _require_delivery(user, enrollment)
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


def _with_attendance(queryset):
    return queryset.annotate(
        attended=Count("attendance", filter=Q(attendance__status=PRESENT, attendance__meeting__cancelled=False))
    )


def completion_candidates(session):
    """The session's participants annotated with ``attended`` (meetings present), for the roster."""
    return _with_attendance(roster(session))


def enrollment_complete(*, enrollment, user, post_test_score=None):
    """Complete one participant: checks attendance (and the post-test), credits JP, issues the certificate.

    Raises ValidationError with the reason when the person does not qualify.
    """
    _require_delivery(user, enrollment)
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
    problem = _session_problem(session)
    if problem:
        return problem
    if not meetings:
        return _("The session has no meetings to attend.")
    if meetings[-1].starts_at > now:
        return _("The last meeting has not started yet: completion comes at the end of the course.")
    return None


def certificate_number(*, agency_code, year, enrollment_id):
    """The certificate's printed number, unique because the enrollment is (e.g. SERT/KOTA-CONTOH/2026/000042)."""
    return f"SERT/{agency_code.upper()[:16]}/{year}/{enrollment_id:06d}"


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
            _with_attendance(Enrollment.objects.filter(pk__in=locked))
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
                employee=enrollment.employee, enrollment=enrollment, year=year, jp=course.jp, title=course.title,
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


def certificate_revoke(*, certificate, user):
    """Withdraw a certificate issued in error: the public page then shows it as not valid."""
    _require_delivery(user, certificate.enrollment)
    certificate.revoked = True
    certificate.save(update_fields=["revoked"])
    return certificate


# --- evaluation ----------------------------------------------------------------------------------

def evaluation_refusal(enrollment, *, attended=None, now=None):
    """Why the participant cannot rate the course (a sentence), or None."""
    now = now or timezone.now()
    if attended is None:
        attended = enrollment.attendance.filter(status=PRESENT).exists()
    if enrollment.status != S.COMPLETED and not attended:
        return _("Only participants who attended the course can rate it.")
    session = enrollment.session
    if enrollment.status != S.COMPLETED and session.ends_at and session.ends_at > now:
        return _("You can rate the course once it has ended.")
    if Evaluation.objects.filter(enrollment=enrollment).exists():
        return _("You have already rated this course. Thank you!")
    return None


SCORE_FIELDS = ("relevance", "trainer", "organisation", "overall")


def evaluation_submit(*, enrollment, user, relevance, trainer, organisation, overall, comment=""):
    """The participant's own rating of the course (each score 1–5) after attending it."""
    if employee_of(user) is None or employee_of(user).pk != enrollment.employee_id:
        raise PermissionDenied(_("Only the participant can rate their course."))
    scores = {"relevance": relevance, "trainer": trainer, "organisation": organisation, "overall": overall}
    for name, value in scores.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValidationError({name: _("Choose a score from 1 to 5.")})
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrollment.pk)
        refusal = evaluation_refusal(enrollment)
        if refusal:
            raise ValidationError(refusal)
        return Evaluation.objects.create(enrollment=enrollment, comment=(comment or "").strip(), **scores)
