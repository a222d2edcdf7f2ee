"""The .ics of a mentoring session and the e-mails about it: RFC 5545 with the agency's VTIMEZONE, a stable
UID, the two people as attendees and nobody else written to; private notes never leave the site."""

import pytest
from django.core import mail
from django.test import override_settings
from icalendar import Calendar

from lms.mentoring_notify import notify_session, session_ics
from lms.models.mentoring import MentoringSession

S = MentoringSession.Status


@pytest.fixture
def planned(pair, monday, at, make_mentoring_session):
    return make_mentoring_session(pair, at(monday, "14:00"), status=S.PLANNED, confirmed=False, topic="Memo",
                                  place="Ruang Rapat", mentor_notes="RAHASIA-MENTOR", mentee_notes="RAHASIA-MENTEE")


def event_of(data):
    calendar = Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_invitation_is_an_rfc5545_request_for_both(planned, mentor, mentee):
    calendar, event = event_of(session_ics(planned))
    assert str(calendar["METHOD"]) == "REQUEST" and calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Jakarta"
    assert str(event["UID"]) == "mentoring-%d-1@latih" % planned.pk and event["SEQUENCE"] == 0
    assert event["DTSTART"].dt == planned.starts_at and event["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert event["DTEND"].dt == planned.ends_at
    assert str(event["SUMMARY"]) == "Mentoring: Policy analysis" and str(event["LOCATION"]) == "Ruang Rapat"
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == sorted(["mailto:%s" % mentor.email, "mailto:%s" % mentee.email])
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert "Memo" in str(event["DESCRIPTION"]) and b"RAHASIA" not in session_ics(planned)


def test_the_uid_stays_and_the_sequence_rises_on_cancellation(planned):
    planned.status, planned.sequence = S.CANCELLED, 1
    planned.save()
    calendar, event = event_of(session_ics(planned, method="REQUEST"))
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == "mentoring-%d-1@latih" % planned.pk and event["SEQUENCE"] == 1


def test_a_person_without_an_address_is_left_out(planned, mentee, django_capture_on_commit_callbacks):
    mentee.email = ""
    mentee.save()
    planned.pair.refresh_from_db()
    _calendar, event = event_of(session_ics(planned))
    assert [str(a) for a in [event["ATTENDEE"]]] == ["mailto:%s" % planned.pair.mentor.email]
    with django_capture_on_commit_callbacks(execute=True):
        notify_session(planned, "planned", by=planned.pair.mentor)
    assert [m.to for m in mail.outbox] == [[planned.pair.mentor.email]]


def test_mails_go_to_the_two_only_without_notes(planned, mentor, mentee, supervisor, admin,
                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_session(planned, "planned", by=mentee)
        notify_session(planned, "logged", by=mentee)
    recipients = [address for m in mail.outbox for address in m.to + m.cc + m.bcc]
    assert sorted(recipients) == sorted([mentor.email, mentee.email, mentor.email])
    for message in mail.outbox:
        assert "RAHASIA" not in message.body and "RAHASIA" not in message.subject
        for _name, content, _type in message.attachments:
            assert "RAHASIA" not in content


@override_settings(LATIH_EMAIL_NOTIFICATIONS=False)
def test_no_mail_when_notifications_are_off(planned, mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_session(planned, "planned", by=mentee)
    assert mail.outbox == []


def test_the_mail_is_written_in_the_sites_language(planned, mentee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_session(planned, "planned", by=mentee)
    # Dates as Indonesian write them (docs/architecture.md), whatever the language of the request.
    assert "14.00–15.00 WIB" in mail.outbox[0].subject
