"""The reads behind "My mentoring": pairs by role with progress, open programmes with my gaps and levels, in a
constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.models import MentoringProgramme
from lms.selectors.mentoring import overview, pairs_of
from lms.services.mentoring_people import application_create, offer_opt_in
from tna.factories import EmployeeFactory

from .conftest import hold_session, make_pair, plan_session, today

pytestmark = pytest.mark.django_db


def test_pairs_carry_their_progress_and_next_session(scene):
    pair = make_pair(scene)
    hold_session(pair, minutes=90, days_ago=5)
    hold_session(pair, minutes=60, days_ago=2)
    hold_session(pair, minutes=45, days_ago=1, confirmed=False)
    later = plan_session(pair, days_ahead=7)
    soon = plan_session(pair, days_ahead=2)
    row = pairs_of(scene["mentee"]).get()
    assert (row.confirmed_sessions, row.confirmed_minutes, row.jp_done) == (2, 150, 3)
    assert row.next_session_id == soon.pk and row.next_session_at == soon.starts_at
    assert later.pk != soon.pk


def test_overview_sorts_pairs_by_role_and_states_what_i_can_join(scene):
    as_mentee = make_pair(scene)
    as_mentor = make_pair(scene, mentor=scene["mentee"], mentee=scene["colleague"], competency=scene["writing"],
                          status="proposed")
    make_pair(scene, mentee=scene["colleague"], status="vetoed")
    MentoringProgramme.objects.create(agency=scene["agency"], code="old", name="Old", starts_on=today().replace(
        year=today().year - 2), ends_on=today() - datetime.timedelta(days=1))
    view = overview(scene["mentee"])
    assert [p.pk for p in view.as_mentee] == [as_mentee.pk]
    assert [p.pk for p in view.as_mentor] == [as_mentor.pk]
    assert view.cycle == scene["cycle"]
    [choice] = view.programmes  # the ended programme is not open
    by_code = {c.competency.code: c for c in choice.competencies}
    assert by_code["TK.71"].has_gap and by_code["TK.71"].paired and not by_code["TK.71"].can_apply
    assert not by_code["TK.72"].has_gap and by_code["TK.72"].can_apply
    assert choice.may_mentor == [] and choice.may_apply

    mentor_view = overview(scene["mentor"])
    [choice] = mentor_view.programmes
    assert [c.competency.code for c in choice.may_mentor] == ["TK.71"]


def test_overview_reads_in_a_constant_number_of_queries(scene, django_assert_max_num_queries):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            view = overview(scene["mentor"])
            for pair in view.as_mentor:
                pair.feedback.all(), pair.mentee.position.name, pair.mentee.unit.name, pair.programme.name
            for offer in view.offers:
                list(offer.competencies.all())
        return len(queries)

    offer_opt_in(programme=scene["programme"], mentor=scene["mentor"], competencies=[scene["data"]], capacity=9)
    make_pair(scene)
    few = measure()
    for n in range(6):
        mentee = EmployeeFactory(agency=scene["agency"], name="Mentee %d" % n)
        pair = make_pair(scene, mentee=mentee)
        hold_session(pair)
        plan_session(pair)
    application_create(programme=scene["programme"], employee=scene["mentor"], competency=scene["writing"])
    assert measure() == few <= 10
    with django_assert_max_num_queries(few):
        overview(scene["mentor"])
