"""The enrollment workflow: request, approval (or not), rejection, withdrawal, clashes and illegal moves."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from courses.models import Session
from lms.models import Enrollment, EnrollmentStatus
from lms.services.enrollment import (
    enrollment_approve,
    enrollment_cancel,
    enrollment_reject,
    enrollment_request,
    status_message,
)

S = EnrollmentStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def ask(employee, session):
    return enrollment_request(employee=employee, session=session, user=employee.user)


def ics_of(message):
    (name, content, mimetype), = message.attachments
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_request_waits_for_the_supervisor_who_is_emailed(asn, supervisor, session, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = ask(asn, session)
    assert enrollment.status == S.REQUESTED and enrollment.created
    to_supervisor, to_person = mailoutbox
    assert to_supervisor.to == [supervisor.email]
    assert "Budi Pegawai" in to_supervisor.subject and "Service excellence" in to_supervisor.subject
    assert "/learning/approvals/" in to_supervisor.body
    assert to_person.to == [asn.email] and not to_person.attachments


def test_approval_gives_a_seat_and_the_calendar_file(asn, supervisor, session, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    enrollment = ask(asn, session)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_approve(enrollment=enrollment, user=supervisor.user)
    assert enrollment.status == S.ENROLLED and enrollment.decided_by == supervisor.user
    message, = mailoutbox
    assert message.to == [asn.email]
    calendar = ics_of(message)
    assert calendar["METHOD"] == "PUBLISH"
    uids = sorted(str(event["UID"]) for event in calendar.walk("VEVENT"))
    assert uids == ["%s-1@latih" % session.uid, "%s-2@latih" % session.uid]
    assert "/learning/invitation/" in message.body
    assert [e.to_status for e in enrollment.events.order_by("pk")] == ["requested", "enrolled"]


def test_the_head_above_the_supervisor_and_the_training_admin_may_also_approve(asn, colleague, head, admin, session):
    assert enrollment_approve(enrollment=ask(asn, session), user=head.user).status == S.ENROLLED
    assert enrollment_approve(enrollment=ask(colleague, session), user=admin.user).status == S.ENROLLED


def test_nobody_else_may_decide_and_nobody_decides_their_own(asn, colleague, admin, session, make_session, course):
    enrollment = ask(asn, session)
    with pytest.raises(PermissionDenied):
        enrollment_approve(enrollment=enrollment, user=colleague.user)
    with pytest.raises(PermissionDenied):
        enrollment_approve(enrollment=enrollment, user=asn.user)
    own = ask(admin, make_session(course, offset_days=7))
    with pytest.raises(PermissionDenied):
        enrollment_approve(enrollment=own, user=admin.user)
    with pytest.raises(PermissionDenied):
        enrollment_request(employee=asn, session=session, user=colleague.user)


def test_no_approval_where_the_course_or_the_agency_says_so(asn, colleague, open_session, session, agency,
                                                            mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(asn, open_session).status == S.ENROLLED
    message, = mailoutbox
    assert message.subject == "You are enrolled in Digital literacy"
    assert ics_of(message)
    agency.auto_approve_enrollment = True
    agency.save()
    colleague.agency.refresh_from_db()
    assert ask(colleague, session).status == S.ENROLLED


def test_approval_of_a_full_session_joins_the_waitlist(asn, colleague, make_employee, supervisor, session,
                                                       mailoutbox, django_capture_on_commit_callbacks):
    for name in ("Eka Satu", "Fajar Dua"):
        enrollment_approve(enrollment=ask(make_employee(name, supervisor=supervisor), session), user=supervisor.user)
    enrollment = ask(asn, session)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_approve(enrollment=enrollment, user=supervisor.user)
    assert enrollment.status == S.WAITLISTED
    message, = mailoutbox
    assert message.subject == "You are on the waitlist for Service excellence"
    assert not message.attachments  # nothing goes in the calendar without a seat
    assert "number 1" in message.body
    assert "number 1 on the waitlist" in status_message(enrollment)


def test_rejection_needs_a_reason_which_the_person_reads(asn, supervisor, session, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    enrollment = ask(asn, session)
    with pytest.raises(ValidationError, match="reason"):
        enrollment_reject(enrollment=enrollment, user=supervisor.user, reason="   ")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_reject(enrollment=enrollment, user=supervisor.user,
                                       reason="Bulan ini ada audit BPK; ikut angkatan berikutnya.")
    assert enrollment.status == S.REJECTED
    message, = mailoutbox
    assert "audit BPK" in message.body and not message.attachments


@pytest.mark.parametrize("first_move, second_move, words", [
    ("cancel", "approve", "cannot be approved"),
    ("approve", "approve", "cannot be approved"),
    ("approve", "reject", "cannot be rejected"),
    ("reject", "cancel", "cannot be cancelled"),
    ("cancel", "cancel", "cannot be cancelled"),
])
def test_illegal_transitions_are_refused_with_a_clear_message(asn, supervisor, session, first_move, second_move,
                                                              words):
    moves = {
        "approve": lambda e: enrollment_approve(enrollment=e, user=supervisor.user),
        "reject": lambda e: enrollment_reject(enrollment=e, user=supervisor.user, reason="Tidak relevan."),
        "cancel": lambda e: enrollment_cancel(enrollment=e, user=asn.user),
    }
    enrollment = moves[first_move](ask(asn, session))
    before = enrollment.status
    with pytest.raises(ValidationError) as refused:
        moves[second_move](enrollment)
    assert words in refused.value.messages[0]
    assert enrollment.get_status_display() in refused.value.messages[0]
    enrollment.refresh_from_db()
    assert enrollment.status == before


def test_asking_again_while_active_returns_the_same_enrollment(asn, supervisor, session, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    first = ask(asn, session)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = ask(asn, session)
    assert again.pk == first.pk and again.created is False
    assert Enrollment.objects.filter(employee=asn, session=session).count() == 1
    assert mailoutbox == []


def test_a_person_never_holds_two_overlapping_sessions(asn, supervisor, course, open_course, make_session):
    morning = make_session(course, capacity=5)
    same_days = make_session(open_course, capacity=5, start="10:00", end="14:00", label="Siang")
    afternoon = make_session(open_course, capacity=5, start="13:00", end="15:00", label="Sore")
    held = enrollment_approve(enrollment=ask(asn, morning), user=supervisor.user)
    with pytest.raises(ValidationError) as refused:
        ask(asn, same_days)
    assert "overlaps" in refused.value.messages[0] and "pelayanan-prima" in refused.value.messages[0]
    assert ask(asn, afternoon).status == S.ENROLLED
    enrollment_cancel(enrollment=held, user=asn.user)
    afternoon_enrollment = Enrollment.objects.get(employee=asn, session=afternoon)
    enrollment_cancel(enrollment=afternoon_enrollment, user=asn.user)
    assert ask(asn, same_days).status == S.ENROLLED


def test_a_pending_request_also_blocks_an_overlapping_one(asn, course, open_course, make_session):
    ask(asn, make_session(course))
    with pytest.raises(ValidationError):
        ask(asn, make_session(open_course, label="Lain"))


def test_a_cancelled_session_does_not_count_as_a_clash(asn, supervisor, course, open_course, make_session):
    from courses.services import session_cancel

    first = make_session(course)
    enrollment_approve(enrollment=ask(asn, first), user=supervisor.user)
    session_cancel(session=first, reason="Narasumber berhalangan")
    assert ask(asn, make_session(open_course, label="Pengganti")).status == S.ENROLLED


def test_closed_sessions_refuse_requests_with_the_reason(asn, session):
    Session.objects.filter(pk=session.pk).update(
        enrollment_opens=timezone.now() - datetime.timedelta(days=10),
        enrollment_closes=timezone.now() - datetime.timedelta(days=1),
    )
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="closed on"):
        ask(asn, session)
    Session.objects.filter(pk=session.pk).update(enrollment_opens=timezone.now() + datetime.timedelta(days=1),
                                                 enrollment_closes=None)
    session.refresh_from_db()
    with pytest.raises(ValidationError, match="opens on"):
        ask(asn, session)


def test_the_person_withdraws_until_the_start_the_admin_cancels_until_the_end(asn, colleague, admin, open_course,
                                                                              make_session):
    session = make_session(open_course, capacity=5)
    mine, theirs = ask(asn, session), ask(colleague, session)
    start = timezone.now() - datetime.timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="already started"):
        enrollment_cancel(enrollment=mine, user=asn.user)
    assert enrollment_cancel(enrollment=theirs, user=admin.user, reason="Mutasi").status == S.CANCELLED
    with pytest.raises(PermissionDenied):
        enrollment_cancel(enrollment=mine, user=colleague.user)


def test_an_inactive_person_cannot_ask(asn, session):
    asn.active = False
    asn.save()
    with pytest.raises(ValidationError):
        ask(asn, session)


def test_a_draft_course_takes_no_requests(asn, agency, make_session):
    from courses.factories import CourseFactory

    draft = CourseFactory(agency=agency, code="draf", live=False, max_participants=60, min_participants=1)
    with pytest.raises(ValidationError, match="not published"):
        ask(asn, make_session(draft))
