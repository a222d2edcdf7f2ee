"""The waitlist: strict order, no queue-jumping, no promotion once closed, the promoted person told at once."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Session
from courses.services import session_update
from lms.models import Enrollment, EnrollmentStatus
from lms.selectors.enrollments import waitlist_position, with_waitlist_position
from lms.services.enrollment import enrollment_approve, enrollment_cancel, enrollment_request

S = EnrollmentStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def people(make_employee, supervisor):
    return [make_employee("Orang %s" % name, supervisor=supervisor) for name in ("A", "B", "C", "D", "E")]


def ask(employee, session):
    return enrollment_request(employee=employee, session=session, user=employee.user)


def statuses(session):
    rows = with_waitlist_position(Enrollment.objects.filter(session=session)).select_related("employee")
    return {e.employee.name: (e.status, e.waitlist_position) for e in rows}


def test_a_full_session_waitlists_in_order_and_promotes_the_first_at_once(
    people, open_session, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c, d, e = (ask(p, open_session) for p in people)
    assert statuses(open_session) == {
        "Orang A": (S.ENROLLED, None), "Orang B": (S.ENROLLED, None),
        "Orang C": (S.WAITLISTED, 1), "Orang D": (S.WAITLISTED, 2), "Orang E": (S.WAITLISTED, 3),
    }
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_cancel(enrollment=b, user=people[1].user, reason="Sakit")
    assert statuses(open_session)["Orang C"] == (S.ENROLLED, None)
    assert statuses(open_session)["Orang D"] == (S.WAITLISTED, 1)
    promoted = [m for m in mailoutbox if m.to == [people[2].email]]
    assert [m.subject for m in promoted] == ["A seat is yours: you are now enrolled in Digital literacy"]
    assert promoted[0].attachments, "the promoted person gets the calendar file"
    withdrawn = [m for m in mailoutbox if m.to == [people[1].email]]
    assert "METHOD:CANCEL" in withdrawn[0].attachments[0][1]


def test_a_waitlisted_person_who_withdraws_and_asks_again_goes_to_the_back(people, open_session):
    waiting = [ask(p, open_session) for p in people][2]
    enrollment_cancel(enrollment=waiting, user=people[2].user)
    again = ask(people[2], open_session)
    assert again.pk != waiting.pk and again.status == S.WAITLISTED
    assert waitlist_position(again) == 3
    assert statuses(open_session)["Orang D"] == (S.WAITLISTED, 1)


def test_asking_again_while_waitlisted_keeps_the_place(people, open_session):
    for person in people:
        ask(person, open_session)
    again = ask(people[3], open_session)
    assert again.created is False and waitlist_position(again) == 2
    assert Enrollment.objects.filter(session=open_session).count() == 5


def test_the_waitlist_follows_the_order_of_approval_not_of_asking(people, supervisor, session):
    early, late = ask(people[0], session), ask(people[1], session)
    for person in people[2:4]:
        enrollment_approve(enrollment=ask(person, session), user=supervisor.user)
    late = enrollment_approve(enrollment=late, user=supervisor.user)
    early = enrollment_approve(enrollment=early, user=supervisor.user)
    assert (waitlist_position(late), waitlist_position(early)) == (1, 2)


def test_nobody_moves_up_once_enrollment_has_closed(people, open_session, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    enrollments = [ask(p, open_session) for p in people]
    Session.objects.filter(pk=open_session.pk).update(enrollment_closes=timezone.now() - datetime.timedelta(minutes=1))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment_cancel(enrollment=enrollments[0], user=people[0].user)
    assert statuses(open_session)["Orang C"] == (S.WAITLISTED, 1)
    assert [m.to for m in mailoutbox] == [[people[0].email]]


def test_nobody_moves_up_once_the_session_has_started(people, admin, open_session):
    enrollments = [ask(p, open_session) for p in people]
    start = timezone.now() - datetime.timedelta(minutes=5)
    Session.objects.filter(pk=open_session.pk).update(starts_at=start, ends_at=start + datetime.timedelta(days=2))
    enrollment_cancel(enrollment=enrollments[1], user=admin.user, reason="Tugas luar")
    assert statuses(open_session)["Orang C"] == (S.WAITLISTED, 1)
    assert Enrollment.objects.filter(session=open_session).holding_seat().count() == 1


def test_no_promotion_within_the_configured_cutoff(people, open_session, settings):
    settings.LATIH_WAITLIST_CUTOFF_HOURS = 24 * 365
    enrollments = [ask(p, open_session) for p in people]
    enrollment_cancel(enrollment=enrollments[0], user=people[0].user)
    assert statuses(open_session)["Orang C"] == (S.WAITLISTED, 1)


def test_raising_the_capacity_fills_seats_from_the_waitlist_in_order(people, open_session, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    for person in people:
        ask(person, open_session)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=open_session, capacity=4)
    assert statuses(open_session) == {
        "Orang A": (S.ENROLLED, None), "Orang B": (S.ENROLLED, None), "Orang C": (S.ENROLLED, None),
        "Orang D": (S.ENROLLED, None), "Orang E": (S.WAITLISTED, 1),
    }
    assert sorted(m.to[0] for m in mailoutbox) == sorted([people[2].email, people[3].email])


def test_a_promotion_passes_over_someone_now_holding_an_overlapping_seat(
    people, open_course, open_session, make_session
):
    """Only a rescheduled session can create the overlap; the person keeps their waitlist place."""
    a, b, c, d, e = (ask(p, open_session) for p in people)
    other = make_session(open_course, capacity=5, offset_days=28, label="Angkatan II")
    ask(people[2], other)
    session_update(session=other, meetings=_slots(open_session))
    enrollment_cancel(enrollment=a, user=people[0].user)
    assert statuses(open_session)["Orang C"] == (S.WAITLISTED, 1)
    assert statuses(open_session)["Orang D"] == (S.ENROLLED, None)


def _slots(session):
    from courses.recurrence import Slot

    return [Slot(m.starts_at, m.ends_at) for m in session.meetings.order_by("number")]


def test_approving_into_an_overlap_is_refused(people, supervisor, course, open_course, make_session):
    pending = ask(people[0], make_session(course, capacity=5))
    other = make_session(open_course, capacity=5, offset_days=28, label="Angkatan II")
    ask(people[0], other)
    session_update(session=other, meetings=_slots(pending.session))
    with pytest.raises(ValidationError, match="overlaps"):
        enrollment_approve(enrollment=pending, user=supervisor.user)
