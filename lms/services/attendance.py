"""Attendance per meeting: one participant's mark, or a session's roster grid saved all or nothing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Meeting, Session, SessionStatus

from ..models import Attendance, Enrollment, EnrollmentStatus
from ..selectors.delivery import ATTENDING, roster
from .delivery_access import require_delivers, require_delivery

S = EnrollmentStatus
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED
HELD = (SessionStatus.SCHEDULED, SessionStatus.COMPLETED)


def attendance_status(present):
    """``True``/``False`` or one of ``present``, ``absent``, ``excused`` as an Attendance status."""
    if present is True:
        return PRESENT
    if present is False:
        return ABSENT
    if present in Attendance.Status.values:
        return Attendance.Status(present)
    raise ValidationError(_("Attendance is present, absent or excused."))


def attendance_problem(enrollment, meeting, now):
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


def session_attendance_problem(session):
    """Why no attendance can be recorded in ``session`` (it is postponed or cancelled), or None."""
    if session.status not in HELD:
        return _("This session is %(status)s: there is no attendance to record.") % {
            "status": session.get_status_display().lower()}
    return None


def attendance_marks_write(marks, *, user, now):
    """Insert or update Attendance rows for ``marks`` [(enrollment, meeting, status)] in bulk.

    Writes only: the caller has checked the user's right and every mark's problem first.
    """
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
    require_delivery(user, enrollment)
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update(of=("self",)).select_related("employee", "session").get(pk=enrollment.pk)
        problem = session_attendance_problem(enrollment.session) or attendance_problem(enrollment, meeting, timezone.now())
        if problem:
            raise ValidationError(problem)
        attendance_marks_write([(enrollment, meeting, status)], user=user, now=timezone.now())
    return Attendance.objects.get(enrollment=enrollment, meeting=meeting)


def attendance_save(*, session, marks, user):
    """Save a roster grid: ``marks`` maps (enrollment id, meeting id) to a status; all or nothing.

    Raises ValidationError listing every problem, and nothing is written when there is one.
    Returns the number of marks saved.
    """
    require_delivers(user, session)
    now = timezone.now()
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
        problem = session_attendance_problem(session)
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
            problem = attendance_problem(enrollment, meeting, now)
            if problem:
                problems.append(f"{enrollment.employee.name}: {problem}")
                continue
            rows.append((enrollment, meeting, status))
        if problems:
            raise ValidationError(sorted(set(problems)))
        attendance_marks_write(rows, user=user, now=now)
    return len(rows)
