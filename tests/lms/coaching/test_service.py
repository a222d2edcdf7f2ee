"""coaching_save / coaching_delete / coaching_credit_refresh: who may record, what a record must hold, and the
coaching JP credit (route NKL01) that follows the year's conversations."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lms.models.ledger import CreditSource, JpCredit
from lms.models.mentoring import CoachingConversation, CoachingRating
from lms.services.coaching import (
    RECORD_WINDOW_DAYS,
    coaching_credit_refresh,
    coaching_delete,
    coaching_save,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def record(coach, employee, competencies, *, held_on, minutes=60, ratings=None, **fields):
    return coaching_save(coach=coach, employee=employee, held_on=held_on, minutes=minutes,
                         topic=fields.pop("topic", "Pelayanan loket"), agreed_actions=fields.pop("agreed_actions", ""),
                         ratings=ratings if ratings is not None else {competencies["integrity"]: 3}, **fields)


def credit_of(employee, year):
    return JpCredit.objects.filter(employee=employee, source=CreditSource.COACHING, year=year).first()


def test_the_direct_supervisor_records_a_conversation_with_its_levels(supervisor, asn, competencies, today):
    conversation = record(supervisor, asn, competencies, held_on=today, agreed_actions="  Latihan bicara  ",
                          ratings={competencies["integrity"]: 2, competencies["service"].pk: 4})
    assert (conversation.coach, conversation.employee, conversation.minutes) == (supervisor, asn, 60)
    assert conversation.agreed_actions == "Latihan bicara"
    levels = dict(CoachingRating.objects.filter(conversation=conversation).values_list("competency__code", "level"))
    assert levels == {"M.01": 2, "SK.02": 4}


@pytest.mark.parametrize("who", ["head", "colleague", "admin", "outsider", "asn"])
def test_nobody_else_may_record(who, request, asn, competencies, today):
    someone = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied, match="Only Budi Pegawai's direct supervisor"):
        record(someone, asn, competencies, held_on=today)
    assert not CoachingConversation.objects.exists()


def test_the_date_is_neither_ahead_nor_outside_the_window(supervisor, asn, competencies, today):
    with pytest.raises(ValidationError) as future:
        record(supervisor, asn, competencies, held_on=today + DAY)
    assert future.value.message_dict == {"held_on": ["The conversation cannot be in the future."]}
    with pytest.raises(ValidationError) as old:
        record(supervisor, asn, competencies, held_on=today - (RECORD_WINDOW_DAYS + 1) * DAY)
    assert "held_on" in old.value.message_dict
    assert record(supervisor, asn, competencies, held_on=today - RECORD_WINDOW_DAYS * DAY).pk


@pytest.mark.parametrize(("minutes", "topic", "field"), [(4, "Topik", "minutes"), (481, "Topik", "minutes"),
                                                        (30, "   ", "topic"), (30, "x" * 201, "topic")])
def test_duration_and_topic_are_checked(minutes, topic, field, supervisor, asn, competencies, today):
    with pytest.raises(ValidationError) as error:
        record(supervisor, asn, competencies, held_on=today, minutes=minutes, topic=topic)
    assert list(error.value.message_dict) == [field]


@pytest.mark.parametrize(("ratings", "message"), [
    ({}, "Rate at least one competency you discussed."),
    ({"integrity": 6}, "Each level is a whole number from 1 to 5."),
    ({"integrity": 0}, "Each level is a whole number from 1 to 5."),
    ({"other": 3}, "Only the competencies Budi Pegawai's position requires can be rated."),
])
def test_ratings_must_be_levels_of_the_positions_competencies(ratings, message, supervisor, asn, competencies, today):
    with pytest.raises(ValidationError) as error:
        record(supervisor, asn, competencies, held_on=today,
               ratings={competencies[name]: level for name, level in ratings.items()})
    assert error.value.messages == [message]
    assert not CoachingConversation.objects.exists()


def test_the_credit_adds_up_the_years_minutes_in_jp(supervisor, asn, competencies, today, agency):
    first = record(supervisor, asn, competencies, held_on=today - 2 * DAY, minutes=30)
    assert credit_of(asn, today.year) is None  # 30 minutes: not yet a JP
    record(supervisor, asn, competencies, held_on=today, minutes=70,
           ratings={competencies["service"]: 3, competencies["integrity"]: 4})
    credit = credit_of(asn, today.year)
    # 100 minutes // 45 = 2 JP, from the first conversation to the last.
    assert (credit.jp, credit.route, credit.title, credit.provider) == (2, "NKL01", "Coaching", agency.name)
    assert (credit.start_date, credit.end_date) == (today - 2 * DAY, today)
    assert credit.competency_type == "managerial"  # two of the three levels given were managerial
    assert credit.enrollment is None and not credit.competency_levels.exists()
    coaching_delete(conversation=first, by=supervisor)
    credit.refresh_from_db()
    assert (credit.jp, credit.start_date) == (1, today)


def test_the_credit_goes_when_it_falls_below_one_jp(supervisor, asn, competencies, today):
    conversation = record(supervisor, asn, competencies, held_on=today, minutes=45)
    assert credit_of(asn, today.year).jp == 1
    record(supervisor, asn, competencies, held_on=today, minutes=44, conversation=conversation)
    assert credit_of(asn, today.year) is None
    assert CoachingConversation.objects.get().minutes == 44


def test_changing_a_conversation_replaces_its_levels(supervisor, asn, competencies, today):
    conversation = record(supervisor, asn, competencies, held_on=today,
                          ratings={competencies["integrity"]: 2, competencies["service"]: 2})
    record(supervisor, asn, competencies, held_on=today, topic="Lanjutan", conversation=conversation,
           ratings={competencies["service"]: 4})
    conversation.refresh_from_db()
    assert conversation.topic == "Lanjutan"
    assert list(conversation.ratings.values_list("competency__code", "level")) == [("SK.02", 4)]


def test_only_the_coach_changes_or_deletes_and_only_within_the_window(supervisor, asn, colleague, head,
                                                                      competencies, today):
    conversation = record(supervisor, asn, competencies, held_on=today)
    with pytest.raises(PermissionDenied):
        coaching_delete(conversation=conversation, by=head)
    # Colleague's conversation with their own report cannot be passed off as Budi's.
    with pytest.raises(PermissionDenied):
        record(supervisor, colleague, competencies, held_on=today, conversation=conversation)
    old = CoachingConversation.objects.create(employee=asn, coach=supervisor, minutes=60, topic="Lama",
                                              held_on=today - (RECORD_WINDOW_DAYS + 5) * DAY)
    with pytest.raises(ValidationError, match="can no longer be deleted"):
        coaching_delete(conversation=old, by=supervisor)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        record(supervisor, asn, competencies, held_on=today, conversation=old)
    coaching_delete(conversation=conversation, by=supervisor)
    assert list(CoachingConversation.objects.values_list("topic", flat=True)) == ["Lama"]


def test_refresh_credits_each_calendar_year_on_its_own(supervisor, asn, competencies):
    for day, minutes in ((datetime.date(2025, 12, 30), 90), (datetime.date(2026, 1, 5), 45),
                         (datetime.date(2026, 3, 1), 20)):
        CoachingConversation.objects.create(employee=asn, coach=supervisor, held_on=day, minutes=minutes, topic="T")
    last_year, this_year = (coaching_credit_refresh(employee=asn, year=y) for y in (2025, 2026))
    assert (last_year.jp, last_year.start_date, last_year.end_date) == (2, datetime.date(2025, 12, 30),
                                                                         datetime.date(2025, 12, 30))
    assert (this_year.jp, this_year.start_date, this_year.end_date) == (1, datetime.date(2026, 1, 5),
                                                                         datetime.date(2026, 3, 1))
    assert coaching_credit_refresh(employee=asn, year=2024) is None
    assert JpCredit.objects.filter(employee=asn).count() == 2
