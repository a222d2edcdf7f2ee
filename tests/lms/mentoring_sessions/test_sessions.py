"""Planning, cancelling, logging, recording and confirming sessions: who may, when, what each side sees,
and the e-mails the two people get."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.factories import session_for
from lms.factories import EnrollmentFactory
from lms.models import EnrollmentStatus, JpCredit, StaffAbsence
from lms.models.mentoring import MentoringPair, MentoringSession
from lms.services.mentoring_sessions import (
    available_actions,
    session_cancel,
    session_confirm,
    session_log,
    session_plan,
    session_record,
)

D = datetime.timedelta
S = MentoringSession.Status


@pytest.fixture
def planned(pair, mentor, monday, at, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_plan(pair=pair, starts_at=at(monday, "14:00"), minutes=60, by=mentor, topic="Memo kebijakan",
                               place="Ruang Rapat Bappeda")
    mail.outbox.clear()
    return session


def started(session, minutes_ago=90):
    """Move a session into the past (as if the day had come)."""
    session.starts_at = timezone.now() - D(minutes=minutes_ago)
    session.ends_at = session.starts_at + D(minutes=session.minutes)
    session.save()
    return session


def message_text(error):
    return " ".join(error.value.messages)


# --- planning ------------------------------------------------------------------------------------

def test_planning_creates_the_session_and_invites_both(pair, mentor, mentee, monday, at,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_plan(pair=pair, starts_at=at(monday, "14:00"), minutes=90, by=mentee, topic="Memo")
    session.refresh_from_db()
    assert (session.status, session.minutes, session.topic, session.sequence) == (S.PLANNED, 90, "Memo", 0)
    assert session.ends_at - session.starts_at == D(minutes=90)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])
    for message in mail.outbox:
        name, body, mimetype = message.attachments[0]
        assert name == "mentoring-%d.ics" % session.pk and "method=REQUEST" in mimetype
        assert "METHOD:REQUEST" in body and "BEGIN:VTIMEZONE" in body
        assert "Eko Mentee merencanakan sesi mentoring" in message.body and "Memo" in message.body


def test_only_the_two_people_of_an_active_pair_plan(pair, mentor, monday, at, make_employee):
    outsider = make_employee("Orang Lain")
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday, "14:00"), minutes=60, by=outsider)
    assert "Only the mentor and the mentee" in message_text(error)
    pair.status = MentoringPair.Status.PROPOSED
    pair.save()
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday, "14:00"), minutes=60, by=mentor)
    assert "only while the pair is active" in message_text(error)
    assert not MentoringSession.objects.exists() and not mail.outbox


def test_a_time_no_longer_free_is_refused_naming_the_clash(pair, mentor, mentee, course, monday, at):
    training = session_for(course, first_day=monday, days=1, start="13:00", end="16:00")
    EnrollmentFactory(employee=mentee, session=training, status=EnrollmentStatus.ENROLLED)
    StaffAbsence.objects.create(employee=mentor, first_day=monday + D(days=1), last_day=monday + D(days=1))
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday, "14:00"), minutes=60, by=mentor)
    assert message_text(error) == "Eko Mentee has a training meeting at that time."
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday + D(days=1), "14:00"), minutes=60, by=mentor)
    assert message_text(error) == "Maya Mentor is away that day (leave or duty travel)."
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday + D(days=5), "09:00"), minutes=60, by=mentor)
    assert message_text(error) == "That day is not a working day."
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday, "11:30"), minutes=60, by=mentor)
    assert message_text(error) == "The session overlaps a break."
    assert not MentoringSession.objects.exists()


def test_two_sessions_of_one_person_never_overlap(planned, pair, mentor, monday, at):
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday, "14:30"), minutes=60, by=mentor)
    assert "Maya Mentor has another mentoring session at that time." in message_text(error)
    session_plan(pair=pair, starts_at=at(monday, "15:00"), minutes=60, by=mentor)  # back to back is fine


def test_the_past_and_days_outside_the_programme_are_refused(pair, mentor, programme, monday, at):
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=timezone.now() - D(hours=1), minutes=60, by=mentor)
    assert "future" in message_text(error)
    programme.ends_on = monday - D(days=1)
    programme.save()
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=at(monday, "14:00"), minutes=60, by=mentor)
    assert "outside it" in message_text(error)


# --- cancelling ----------------------------------------------------------------------------------

def test_cancelling_raises_the_sequence_and_sends_the_cancellation(planned, mentee, mentor,
                                                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_cancel(session=planned, by=mentee)
    session.refresh_from_db()
    assert (session.status, session.sequence) == (S.CANCELLED, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])
    body = mail.outbox[0].attachments[0][1]
    assert "METHOD:CANCEL" in body and "SEQUENCE:1" in body and "STATUS:CANCELLED" in body
    with pytest.raises(ValidationError):
        session_cancel(session=session, by=mentee)


# --- logging and confirming ----------------------------------------------------------------------

def test_a_session_is_logged_only_once_it_has_started(planned, mentor):
    with pytest.raises(ValidationError) as error:
        session_log(session=planned, by=mentor, minutes=60, topic="Memo")
    assert "once it has started" in message_text(error)


def test_logging_confirms_for_the_logger_and_asks_the_other(planned, mentor, mentee,
                                                              django_capture_on_commit_callbacks):
    started(planned)
    with django_capture_on_commit_callbacks(execute=True):
        session = session_log(session=planned, by=mentor, minutes=75, topic="Memo kebijakan",
                              notes="Eko needs to practise summaries.")
    session.refresh_from_db()
    assert (session.status, session.minutes, session.topic) == (S.HELD, 75, "Memo kebijakan")
    assert session.mentor_confirmed_at and session.mentee_confirmed_at is None and not session.confirmed
    assert session.ends_at - session.starts_at == D(minutes=75)
    assert (session.mentor_notes, session.mentee_notes) == ("Eko needs to practise summaries.", "")
    # Only the other side is written to, asked to confirm, with no calendar file and no notes.
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    assert not mail.outbox[0].attachments and "practise" not in mail.outbox[0].body
    assert "75 menit" in mail.outbox[0].body
    assert not JpCredit.objects.exists()
    assert available_actions(session, "mentee") == {"confirm", "correct"}
    assert available_actions(session, "mentor") == {"edit"}


def test_confirming_by_both_credits_jp_and_freezes_the_length(planned, mentor, mentee):
    started(planned)
    session_log(session=planned, by=mentor, minutes=90, topic="Memo")
    session = session_confirm(session=planned, by=mentee, notes="Ringkas dulu, baru rinci.")
    assert session.confirmed and session.mentee_notes == "Ringkas dulu, baru rinci."
    credit = JpCredit.objects.get(employee=mentee)
    assert (credit.jp, credit.route, credit.source) == (2, "NKL02", "mentoring")
    with pytest.raises(ValidationError) as error:
        session_log(session=session, by=mentee, minutes=120, topic="Memo")
    assert "can no longer change" in message_text(error)
    with pytest.raises(ValidationError):
        session_confirm(session=session, by=mentee)
    # Notes stay the author's to edit.
    session_log(session=session, by=mentor, minutes=90, topic="Memo", notes="Next: a full brief.")
    session.refresh_from_db()
    assert session.mentor_notes == "Next: a full brief." and session.minutes == 90 and session.confirmed


def test_a_correction_asks_the_other_side_again(planned, mentor, mentee):
    started(planned)
    session_log(session=planned, by=mentor, minutes=60, topic="Memo")
    session = session_log(session=planned, by=mentee, minutes=45, topic="Memo singkat")
    assert session.mentee_confirmed_at and session.mentor_confirmed_at is None
    session = session_confirm(session=session, by=mentor)
    assert session.confirmed and JpCredit.objects.get(employee=mentee).jp == 1


def test_confirming_a_session_nobody_logged_is_refused(planned, mentee):
    with pytest.raises(ValidationError) as error:
        session_confirm(session=planned, by=mentee)
    assert "logged" in message_text(error)


def test_logging_may_move_the_day_but_not_onto_another_session(planned, pair, mentor, monday, at,
                                                                 make_mentoring_session):
    started(planned, minutes_ago=3 * 24 * 60)
    earlier = make_mentoring_session(pair, timezone.now() - D(days=1, minutes=0), minutes=60)
    local_earlier = timezone.localtime(earlier.starts_at, at(monday, "09:00").tzinfo)
    planned.starts_at = at(local_earlier.date() - D(days=2), local_earlier.strftime("%H:%M"))
    planned.ends_at = planned.starts_at + D(minutes=60)
    planned.save()
    with pytest.raises(ValidationError) as error:
        session_log(session=planned, by=mentor, minutes=60, topic="Memo", held_on=local_earlier.date())
    assert "another mentoring session" in message_text(error)
    moved = session_log(session=planned, by=mentor, minutes=60, topic="Memo",
                        held_on=local_earlier.date() - D(days=1))
    assert timezone.localtime(moved.starts_at, moved.starts_at.tzinfo).date() == local_earlier.date() - D(days=1)


# --- recording a meeting never planned -----------------------------------------------------------

def test_recording_a_past_meeting(pair, mentor, mentee, django_capture_on_commit_callbacks):
    yesterday = timezone.localdate() - D(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        session = session_record(pair=pair, by=mentee, held_on=yesterday, start_time=datetime.time(10),
                                 minutes=50, topic="Membaca data", notes="Saya belum paham regresi.")
    assert (session.status, session.minutes, session.mentee_notes) == (S.HELD, 50, "Saya belum paham regresi.")
    assert session.mentee_confirmed_at and not session.mentor_confirmed_at
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    session_confirm(session=session, by=mentor)
    assert JpCredit.objects.get(employee=mentee).jp == 1


def test_recording_the_future_or_over_another_session_is_refused(pair, mentee, make_mentoring_session, at):
    tomorrow = timezone.localdate() + D(days=1)
    with pytest.raises(ValidationError) as error:
        session_record(pair=pair, by=mentee, held_on=tomorrow, start_time=datetime.time(10), minutes=60, topic="X")
    assert "plan a future one" in message_text(error)
    yesterday = timezone.localdate() - D(days=1)
    make_mentoring_session(pair, at(yesterday, "10:30"), minutes=60)
    with pytest.raises(ValidationError) as error:
        session_record(pair=pair, by=mentee, held_on=yesterday, start_time=datetime.time(10), minutes=60, topic="X")
    assert "another mentoring session" in message_text(error)
    with pytest.raises(ValidationError) as error:
        session_record(pair=pair, by=mentee, held_on=yesterday, start_time=datetime.time(8), minutes=60, topic="  ")
    assert "what the session was about" in message_text(error)
