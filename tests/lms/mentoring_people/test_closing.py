"""Closing feedback and the closing of pairs: the mentor's "goal met" and the mentee's word close a pair, which then
counts as evidence like completed training; pairs left open at the programme's end are closed daily."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from lms.models import JpCredit, MentoringPair, PairFeedback
from lms.models.ledger import CreditedCompetency
from lms.services.mentoring_people import evidence_level, pair_feedback_save, pairs_close_expired
from lms.tasks import mentoring_close_task
from lms.training_evidence import training_evidence

from .conftest import gap_row, hold_session, make_pair, plan_session, today

pytestmark = pytest.mark.django_db


def messages_of(error):
    return " ".join(error.value.messages)


def test_mentor_goal_met_and_mentee_feedback_complete_the_pair_with_evidence(scene, django_capture_on_commit_callbacks):
    pair = make_pair(scene)
    hold_session(pair, minutes=100)
    ahead = plan_session(pair, days_ahead=5)
    pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=5, goal_met=True, level_reached=4,
                       comment="Sudah mandiri")
    pair.refresh_from_db()
    assert pair.status == "active"  # the mentee has not spoken yet

    with django_capture_on_commit_callbacks(execute=True):
        pair_feedback_save(pair=pair, by=scene["mentee"], usefulness=4, goal_met=False, comment="Masih belajar")
    pair.refresh_from_db()
    assert (pair.status, pair.goal_met, pair.ended_on) == ("completed", True, today())

    credit = JpCredit.objects.get(employee=scene["mentee"], mentoring_pair=pair)
    assert (credit.source, credit.route, credit.jp) == ("mentoring", "NKL02", 2)
    assert list(credit.competency_levels.values_list("competency__code", "level")) == [("TK.71", 4)]
    # The next TNA reads it like completed training.
    frame = training_evidence(cycle=credit.year)
    assert frame.to_dict("records") == [{"employee_id": scene["mentee"].pk, "competency_id": scene["data"].pk,
                                         "level": 4}]
    # The meeting still ahead will not take place: it is cancelled, and both calendars are told.
    ahead.refresh_from_db()
    assert ahead.status == "cancelled"
    assert {address for message in mail.outbox for address in message.to} >= {scene["mentor"].email,
                                                                             scene["mentee"].email}


def test_the_order_of_the_two_feedbacks_does_not_matter(scene):
    pair = make_pair(scene)
    hold_session(pair)
    pair_feedback_save(pair=pair, by=scene["mentee"], usefulness=5, goal_met=True)
    pair.refresh_from_db()
    assert pair.status == "active"
    pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=5, goal_met=True, level_reached=5)
    pair.refresh_from_db()
    assert pair.status == "completed"
    # Level 5 judged, but the mentor is at 4.5 themselves: 4 is credited.
    assert CreditedCompetency.objects.get().level == 4


def test_the_mentor_saying_not_yet_keeps_the_pair_open_and_feedback_can_change(scene):
    pair = make_pair(scene)
    hold_session(pair)
    pair_feedback_save(pair=pair, by=scene["mentee"], usefulness=3, goal_met=True)
    pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=3, goal_met=False)
    pair.refresh_from_db()
    assert pair.status == "active" and PairFeedback.objects.count() == 2
    assert not CreditedCompetency.objects.exists()

    pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=4, goal_met=True, level_reached=3)
    pair.refresh_from_db()
    assert pair.status == "completed" and PairFeedback.objects.count() == 2
    assert CreditedCompetency.objects.get().level == 3


def test_no_completion_without_a_confirmed_session(scene):
    pair = make_pair(scene)
    hold_session(pair, confirmed=False)
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=4, goal_met=True, level_reached=4)
    assert "no session has been confirmed by both of you" in messages_of(error)
    assert not PairFeedback.objects.exists()


def test_no_completion_while_the_sessions_make_less_than_one_jp(scene):
    pair = make_pair(scene)
    hold_session(pair, minutes=30)
    pair_feedback_save(pair=pair, by=scene["mentee"], usefulness=4, goal_met=True)
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=4, goal_met=True, level_reached=4)
    assert "less than one JP (45 minutes)" in messages_of(error)
    pair.refresh_from_db()
    assert pair.status == "active" and not PairFeedback.objects.filter(role="mentor").exists()


def test_feedback_rules(scene):
    pair = make_pair(scene)
    hold_session(pair)
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=pair, by=scene["colleague"], usefulness=4, goal_met=True)
    assert "Only the pair's mentor and mentee" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=pair, by=scene["mentee"], usefulness=4, goal_met=True, level_reached=4)
    assert error.value.message_dict == {"level_reached": ["Only the mentor judges the level reached."]}
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=4, goal_met=True)
    assert error.value.message_dict == {"level_reached": ["Say which level your mentee has reached."]}
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=pair, by=scene["mentor"], usefulness=7, goal_met=False)
    assert "usefulness" in error.value.message_dict

    proposed = make_pair(scene, status="proposed", mentee=scene["colleague"])
    with pytest.raises(ValidationError) as error:
        pair_feedback_save(pair=proposed, by=scene["mentor"], usefulness=4, goal_met=False)
    assert "this one is proposed" in messages_of(error)
    assert not PairFeedback.objects.exists()


def test_evidence_level_is_capped_by_the_mentors_level_and_at_least_one(scene):
    pair = make_pair(scene, reason={"mentor_level": 3.9})
    assert evidence_level(pair, 5) == 3 and evidence_level(pair, 2) == 2
    by_hand = make_pair(scene, mentee=scene["colleague"], reason={})
    assert evidence_level(by_hand, 5) == 4  # the mentor's 4.5 in the latest TNA
    gap_row(scene["cycle"], scene["hr"], scene["data"], required=3, observed=0.4)
    odd = make_pair(scene, mentor=scene["hr"], mentee=scene["colleague"], competency=scene["writing"], reason={})
    assert evidence_level(odd, 3) == 3  # no result in TK.72: only the judgement


def _end_programme(scene, days_ago=1):
    programme = scene["programme"]
    programme.ends_on = today() - datetime.timedelta(days=days_ago)
    programme.save()
    return programme


def test_pairs_past_their_programme_close(scene):
    both = make_pair(scene)
    hold_session(both)
    PairFeedback.objects.create(pair=both, role="mentor", usefulness=5, goal_met=True, level_reached=4)
    PairFeedback.objects.create(pair=both, role="mentee", usefulness=5, goal_met=True)
    said_no = make_pair(scene, mentee=scene["colleague"])
    PairFeedback.objects.create(pair=said_no, role="mentee", usefulness=2, goal_met=False)
    silent = make_pair(scene, mentor=scene["hr"], mentee=scene["colleague"], competency=scene["writing"])
    proposed = make_pair(scene, status="proposed", mentor=scene["colleague"], mentee=scene["hr"])
    programme = _end_programme(scene)

    summary = pairs_close_expired()
    assert summary.as_dict() == {"completed": 1, "ended": 2}
    states = {p.pk: (p.status, p.goal_met, p.ended_on) for p in MentoringPair.objects.all()}
    assert states[both.pk] == ("completed", True, programme.ends_on)
    assert states[said_no.pk] == ("ended", False, programme.ends_on)
    assert states[silent.pk] == ("ended", None, programme.ends_on)
    assert states[proposed.pk][0] == "proposed"
    assert CreditedCompetency.objects.get().credit.mentoring_pair_id == both.pk
    assert pairs_close_expired().as_dict() == {"completed": 0, "ended": 0}


def test_both_saying_met_without_a_credit_ends_the_pair(scene):
    pair = make_pair(scene)
    PairFeedback.objects.create(pair=pair, role="mentor", usefulness=5, goal_met=True, level_reached=4)
    PairFeedback.objects.create(pair=pair, role="mentee", usefulness=5, goal_met=True)
    _end_programme(scene)
    assert pairs_close_expired().as_dict() == {"completed": 0, "ended": 1}
    pair.refresh_from_db()
    assert (pair.status, pair.goal_met) == ("ended", False)


def test_a_running_programme_keeps_its_pairs_open_until_the_day_after_it_ends(scene):
    pair = make_pair(scene)
    _end_programme(scene, days_ago=0)
    assert pairs_close_expired().as_dict() == {"completed": 0, "ended": 0}
    assert pairs_close_expired(today=today() + datetime.timedelta(days=1)).as_dict() == {"completed": 0, "ended": 1}
    pair.refresh_from_db()
    assert pair.status == "ended"


def test_the_command_and_the_task_close_pairs(scene):
    make_pair(scene)
    _end_programme(scene)
    out = StringIO()
    call_command("close_mentoring_pairs", stdout=out)
    assert "0 completed, 1 ended" in out.getvalue()
    make_pair(scene, mentee=scene["colleague"])
    result = mentoring_close_task.enqueue()
    assert result.return_value == {"completed": 0, "ended": 1}
