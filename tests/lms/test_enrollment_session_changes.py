"""What participants hear when a session changes: updates with the same UIDs and a higher SEQUENCE."""

import datetime

import pytest
from icalendar import Calendar

from courses.recurrence import Slot
from courses.services import session_cancel, session_postpone, session_update
from lms.services.enrollment import enrollment_request


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def full(open_session, asn, colleague, make_employee):
    """Two seats taken, one person waiting."""
    waiting = make_employee("Eko Menunggu")
    for person in (asn, colleague, waiting):
        enrollment_request(employee=person, session=open_session, user=person.user)
    return open_session


def events(message):
    (_name, content, _mimetype), = message.attachments
    calendar = Calendar.from_ical(content)
    return calendar, list(calendar.walk("VEVENT"))


def test_a_reschedule_sends_seat_holders_the_same_events_with_a_higher_sequence(
    full, asn, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    moved = [Slot(m.starts_at + datetime.timedelta(hours=1), m.ends_at + datetime.timedelta(hours=1))
             for m in full.meetings.order_by("number")]
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=full, meetings=moved, reason="Aula dipakai")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([asn.email, colleague.email])
    message = mailoutbox[0]
    assert message.subject == "Schedule change: Digital literacy"
    calendar, vevents = events(message)
    assert calendar["METHOD"] == "PUBLISH"
    assert sorted(str(e["UID"]) for e in vevents) == ["%s-1@latih" % full.uid, "%s-2@latih" % full.uid]
    assert {int(e["SEQUENCE"]) for e in vevents} == {1}
    assert {e.decoded("DTSTART").hour for e in vevents} == {9}


def test_a_cosmetic_edit_sends_nothing(full, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session_update(session=full, label="Angkatan I (kelas pagi)")
    assert mailoutbox == []


def test_a_cancellation_reaches_everyone_concerned_with_a_cancel_for_seat_holders(
    full, asn, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_cancel(session=full, reason="Narasumber berhalangan")
    assert len(mailoutbox) == 3
    by_person = {m.to[0]: m for m in mailoutbox}
    calendar, vevents = events(by_person[asn.email])
    assert calendar["METHOD"] == "CANCEL"
    assert {str(e["STATUS"]) for e in vevents} == {"CANCELLED"}
    assert {int(e["SEQUENCE"]) for e in vevents} == {1}
    assert "Narasumber berhalangan" in by_person[asn.email].body
    waiting, = [m for m in mailoutbox if not m.attachments]
    assert waiting.subject == "Cancelled: Digital literacy"


def test_a_postponement_keeps_places_and_marks_the_events_tentative(full, asn, mailoutbox,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session_postpone(session=full, reason="Menunggu anggaran perubahan")
    assert len(mailoutbox) == 2
    _calendar, vevents = events(mailoutbox[0])
    assert {str(e["STATUS"]) for e in vevents} == {"TENTATIVE"}
