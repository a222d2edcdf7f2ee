"""Sessions change without being deleted, and only real changes reach participants' calendars."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from courses import services
from courses.models import Meeting, Session, SessionChange
from courses.recurrence import Slot
from courses.signals import session_changed

WIB = ZoneInfo("Asia/Jakarta")


def slots(first_day, count, start=8, end=12):
    return [Slot(datetime.datetime.combine(first_day + datetime.timedelta(days=n), datetime.time(start), tzinfo=WIB),
                 datetime.datetime.combine(first_day + datetime.timedelta(days=n), datetime.time(end), tzinfo=WIB))
            for n in range(count)]


@pytest.fixture(autouse=True)
def english():
    """The messages below are matched in English; outside a request Django speaks the default, Indonesian."""
    with translation.override("en"):
        yield


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    calls = []

    def receiver(sender, session, change, kind, significant, calendar_update, **kwargs):
        assert calendar_update == significant and change.kind == kind and change.session_id == session.pk
        calls.append((kind, significant, session.sequence))

    session_changed.connect(receiver)
    yield calls
    session_changed.disconnect(receiver)


def test_a_new_session_has_numbered_meetings_and_its_dates(session, first_day):
    assert list(session.meetings.values_list("number", flat=True)) == [1, 2, 3]
    assert session.starts_at == session.meetings.first().starts_at
    assert session.ends_at == session.meetings.last().ends_at
    assert session.sequence == 0 and session.changes.get().kind == "created"


def test_cosmetic_edits_do_not_touch_the_calendar(session, django_capture_on_commit_callbacks, sent):
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.session_update(session=session, label="Angkatan I (pagi)", capacity=30)
    assert updated.sequence == 0
    assert sent == [("edited", False, 0)]
    assert session.changes.last().changed == {"label": ["Angkatan I", "Angkatan I (pagi)"], "capacity": [25, 30]}


def test_moving_the_place_or_the_times_raises_the_sequence_and_keeps_meeting_numbers(
    session, first_day, django_capture_on_commit_callbacks, sent
):
    ids = list(session.meetings.values_list("pk", "number"))
    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(session=session, place="Ruang Rapat Lt. 2")
        services.session_update(session=session, meetings=slots(first_day + datetime.timedelta(days=7), 3, 13, 16))
    session.refresh_from_db()
    assert session.sequence == 2
    assert list(session.meetings.values_list("pk", "number")) == ids
    assert session.meetings.first().starts_at.astimezone(WIB).hour == 13
    assert sent == [("rescheduled", True, 1), ("rescheduled", True, 2)]


def test_an_unchanged_save_changes_nothing(session):
    services.session_update(session=session, place=session.place, meetings=[Slot(m.starts_at, m.ends_at) for m in session.meetings.all()])
    session.refresh_from_db()
    assert session.sequence == 0 and session.changes.count() == 1


def test_a_shorter_schedule_keeps_the_dropped_meeting_as_cancelled(session, first_day):
    services.session_update(session=session, meetings=slots(first_day, 2))
    assert list(session.meetings.values_list("number", "cancelled")) == [(1, False), (2, False), (3, True)]
    services.session_update(session=session, meetings=slots(first_day, 3))
    # A new meeting gets a new number (a new calendar event); number 3 stays cancelled.
    assert list(session.meetings.values_list("number", "cancelled")) == [(1, False), (2, False), (3, True), (4, False)]


def test_cancel_keeps_the_session_its_meetings_and_history(session, django_capture_on_commit_callbacks, sent):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, reason="Narasumber berhalangan")
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.sequence) == ("cancelled", "Narasumber berhalangan", 1)
    assert Meeting.objects.filter(session=session).count() == 3
    assert [c.kind for c in session.changes.all()] == ["created", "cancelled"]
    assert sent == [("cancelled", True, 1)]
    assert session.changes.last().reason == "Narasumber berhalangan"
    with pytest.raises(ValidationError, match="cancelled session cannot be changed"):
        services.session_update(session=session, place="Aula")
    with pytest.raises(ValidationError):
        services.session_cancel(session=session, reason="lagi")


def test_cancel_and_postpone_need_a_reason(session):
    with pytest.raises(ValidationError, match="reason"):
        services.session_cancel(session=session, reason="  ")
    with pytest.raises(ValidationError, match="reason"):
        services.session_postpone(session=session, reason="")
    assert Session.objects.get(pk=session.pk).status == "scheduled"


def test_a_postponed_session_given_new_dates_is_scheduled_again(session, first_day):
    services.session_postpone(session=session, reason="Bertepatan dengan kegiatan daerah")
    services.session_update(session=session, meetings=slots(first_day + datetime.timedelta(days=30), 3))
    session.refresh_from_db()
    assert (session.status, session.sequence) == ("scheduled", 2)
    assert [c.kind for c in session.changes.all()] == ["created", "postponed", "rescheduled"]


@pytest.mark.parametrize("change, message", [
    ({"capacity": 31}, "maximum class size"),
    ({"place": ""}, "needs a place"),
    ({"enrollment_closes": "after"}, "close before the first meeting"),
])
def test_invalid_sessions_are_refused_with_the_reason(session, change, message):
    if change.get("enrollment_closes") == "after":
        change["enrollment_closes"] = session.starts_at + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match=message):
        services.session_update(session=session, **change)


def test_overlapping_meetings_are_refused(course, first_day):
    overlapping = slots(first_day, 1) + slots(first_day, 1, 11, 13)
    with pytest.raises(ValidationError, match="overlap"):
        services.session_create(course=course, meetings=overlapping, capacity=10, place="Aula")


def test_only_schedule_fields_can_be_edited(session):
    with pytest.raises(ValidationError, match="sequence"):
        services.session_update(session=session, sequence=9)


def test_the_database_refuses_a_cancelled_session_without_reason(session):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(status="cancelled", cancel_reason="")
    assert SessionChange.objects.filter(session=session).count() == 1


def test_reasons_are_given_in_indonesian_by_default(session):
    with translation.override("id"), pytest.raises(ValidationError, match="Tuliskan alasannya"):
        services.session_cancel(session=session, reason="")
