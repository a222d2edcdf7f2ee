"""Courses a development plan names (leadership training of the talent boxes 7–9) in the recommender,
its explanation and the budget plan: ranked by the agency's priority, always in the plan, never the box."""

import json

import pandas as pd
import pytest
from django.utils import timezone, translation

from lms.explain import explain_recommendation
from lms.models import DevelopmentItem, Recommendation
from lms.recommend import ALTERNATIVE, DEVELOPMENT, GAP, KINDS, TOP_UP, Params, reason_payloads, recommend
from lms.services import budget as budget_service
from lms.services.development import development_plan_write
from lms.services.recommendations import recommend_cycle
from tna.factories import EmployeeFactory, PositionFactory
from tna.models import TalentPlacement, TalentPolicy
from tna.talent.boxes import AXES

from .recommend_scene import competency, course_with_session, gap, this_cycle

GAP_COLUMNS = ["employee_id", "competency_id", "required", "observed", "gap", "priority"]
COURSE_COLUMNS = ["course_id", "competency_id", "level", "jp", "cost", "mode"]
DEV_COLUMNS = ["employee_id", "course_id", "priority"]
COMMUNICATION, LEADING = 10, 20
PKA = 500
M = 1_000_000


def gaps(*rows):
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def courses(*rows):
    return pd.DataFrame(rows, columns=COURSE_COLUMNS)


def development(*rows):
    return pd.DataFrame(rows, columns=DEV_COLUMNS)


def ranked(result, employee=1):
    rows = result.ranked[result.ranked["employee_id"] == employee].sort_values("rank")
    return rows.set_index("course_id")


# The pure recommender ---------------------------------------------------------------------------


CATALOGUE = courses(
    (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
    (PKA, LEADING, 4, 16, 1_000_000, "classroom"),
)
ONE_GAP = gaps((1, COMMUNICATION, 3, 2.0, 1.0, 50.0))


def test_kinds_keep_their_numbers_and_add_development():
    assert (GAP, ALTERNATIVE, TOP_UP, DEVELOPMENT) == (0, 1, 2, 3)
    assert KINDS == ("gap", "alternative", "top_up", "development")


def test_a_development_course_is_in_the_plan_with_its_priority_as_one_level():
    result = recommend(ONE_GAP, CATALOGUE, development=development((1, PKA, 60)))
    rows = ranked(result)
    lead = rows.loc[PKA]
    assert lead["kind"] == DEVELOPMENT and lead["in_plan"] and lead["competency_id"] == -1
    assert lead["benefit"] == pytest.approx(0.6) and lead["development"] == 60
    assert lead["score"] == pytest.approx(0.6 / 2.6)  # per million of full cost: 1.0 M + 16 JP × 0.1 M
    assert lead["expected_closure"] == 0
    # Ranked among the gap courses by score: 0.6 beats the gap's 1 level × 50 %.
    assert list(rows.index) == [PKA, 100]
    assert rows.loc[100, "development"] == -1
    assert result.plan.set_index("employee_id").loc[1, "jp_planned"] == 32


def test_a_low_priority_development_course_ranks_after_a_higher_priority_gap():
    result = recommend(ONE_GAP, CATALOGUE, development=development((1, PKA, 30)))
    rows = ranked(result)
    assert list(rows.index) == [100, PKA]
    assert rows.loc[PKA, "in_plan"] and rows.loc[PKA, "rank"] == 2


def test_someone_without_gaps_still_gets_the_development_course():
    result = recommend(gaps(), CATALOGUE, development=development((7, PKA, 60)))
    rows = ranked(result, employee=7)
    assert list(rows.index) == [PKA] and rows.loc[PKA, "kind"] == DEVELOPMENT
    assert 7 in result.plan["employee_id"].tolist()


def test_a_course_already_recommended_for_a_gap_is_marked_not_doubled():
    both = courses((100, COMMUNICATION, 3, 16, 1_000_000, "classroom"))
    result = recommend(ONE_GAP, both, development=development((1, 100, 60)))
    rows = ranked(result)
    assert list(rows.index) == [100]
    row = rows.loc[100]
    assert row["kind"] == GAP and row["competency_id"] == COMMUNICATION and row["development"] == 60
    assert row["benefit"] == pytest.approx(0.5 + 0.6)
    payload = json.loads(reason_payloads(result, programmes={100: "pkp"})[0])
    assert payload["kind"] == "gap" and payload["gaps"][0]["competency"] == COMMUNICATION
    assert payload["development"] == {"kind": "development", "action": "leadership_training", "programme": "pkp",
                                      "priority": 60}


def test_an_alternative_the_plan_names_joins_the_plan():
    catalogue = courses(
        (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 3_000_000, "classroom"),
    )
    plain = ranked(recommend(ONE_GAP, catalogue))
    assert plain.loc[101, "kind"] == ALTERNATIVE and not plain.loc[101, "in_plan"]
    rows = ranked(recommend(ONE_GAP, catalogue, development=development((1, 101, 60))))
    assert rows.loc[101, "in_plan"] and rows.loc[101, "development"] == 60


def test_completed_enrolled_or_unknown_courses_are_skipped():
    done = pd.DataFrame({"employee_id": [1], "course_id": [PKA]})
    result = recommend(ONE_GAP, CATALOGUE, exclusions=done, development=development((1, PKA, 60)))
    assert PKA not in ranked(result).index
    result = recommend(ONE_GAP, CATALOGUE, development=development((1, 999, 60)))  # not open for recommendation
    assert list(ranked(result).index) == [100]


def test_offers_do_not_hide_the_course_the_plan_chose():
    frame = ONE_GAP.assign(agency_id=1)
    offers = pd.DataFrame({"agency_id": [1], "course_id": [100]})
    result = recommend(frame, CATALOGUE, offers=offers, development=development((1, PKA, 60)))
    assert set(ranked(result).index) == {100, PKA}


def test_the_development_course_is_kept_when_the_list_is_cut():
    many = gaps(*[(1, c, 3, 2.0, 1.0, 90.0) for c in range(30, 40)])
    catalogue = courses(*[(c + 100, c, 3, 16, 1_000_000, "classroom") for c in range(30, 40)],
                        (PKA, LEADING, 4, 16, 1_000_000, "classroom"))
    result = recommend(many, catalogue, development=development((1, PKA, 5)), params=Params(per_person=8))
    rows = ranked(result)
    assert len(rows) == 8 and PKA in rows.index
    assert list(rows["rank"]) == list(range(1, 9))
    assert rows.loc[PKA, "rank"] == 8 and rows.loc[PKA, "in_plan"]


def test_the_payload_names_programme_and_priority_never_the_box():
    result = recommend(ONE_GAP, CATALOGUE, development=development((1, PKA, 60)))
    texts = reason_payloads(result, programmes={PKA: "pka"})
    by_course = dict(zip(result.ranked["course_id"], texts, strict=True))
    payload = json.loads(by_course[PKA])
    assert payload["kind"] == "development" and payload["gaps"] == [] and payload["plan"]["in_plan"]
    assert payload["development"] == {"kind": "development", "action": "leadership_training", "programme": "pka",
                                      "priority": 60}
    assert "box" not in by_course[PKA]
    assert "development" not in json.loads(by_course[100])


def test_blocks_give_the_same_answer_as_one_pass(monkeypatch):
    import lms.recommend as module

    frame = gaps(*[(e, COMMUNICATION, 3, 2.0, 1.0, 10.0 * (e % 9)) for e in range(1, 40)])
    plans = development(*[(e, PKA, (7 * e) % 100) for e in range(1, 60, 3)])
    whole = recommend(frame, CATALOGUE, development=plans)
    monkeypatch.setattr(module, "BLOCK", 7)
    blocked = recommend(frame, CATALOGUE, development=plans)
    pd.testing.assert_frame_equal(whole.ranked, blocked.ranked)
    pd.testing.assert_frame_equal(whole.plan, blocked.plan)
    assert set(whole.ranked.loc[whole.ranked["course_id"] == PKA, "employee_id"]) == set(plans["employee_id"])


# Explanation -------------------------------------------------------------------------------------


DEV_REASON = {
    "kind": "development", "gaps": [], "develops": [], "course": {"jp": 40, "cost": 9_000_000},
    "parts": {"mode_match": 0.0, "time_match": 0.0},
    "plan": {"in_plan": True, "jp_earned": 0, "jp_planned": 40, "jp_minimum": 20},
    "development": {"kind": "development", "action": "leadership_training", "programme": "pka", "priority": 60},
}


def test_a_development_recommendation_explains_itself_without_the_box():
    with translation.override("en"):
        sentences = explain_recommendation(DEV_REASON, mode="classroom")
    assert sentences == [
        "Your development plan includes the leadership training PKA; your agency gives it priority 60 of 100.",
        "It is a classroom course of 40 JP.",
        "It is in your plan.",
    ]
    assert not any("box" in sentence.lower() for sentence in sentences)


def test_a_gap_course_the_plan_also_names_says_both():
    reason = {**DEV_REASON, "kind": "gap", "gaps": [
        {"competency": 3, "code": "M.03", "required": 3, "observed": 2.0, "level": 3, "gap": 1.0, "priority": 62.0,
         "closure": 1.0}]}
    reason["development"] = {**DEV_REASON["development"], "programme": "pkn2"}
    with translation.override("en"):
        sentences = explain_recommendation(reason, mode="classroom", names={3: "Communication"})
    assert sentences[2] == ("Your development plan includes the leadership training PKN Tingkat II; your agency "
                            "gives it priority 60 of 100.")
    assert sentences[-1] == "It is in your plan."


# Through the database ----------------------------------------------------------------------------


def place(employee, box, *, cycle, job_type=None):
    performance, potential = AXES[box]
    return TalentPlacement.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit,
        job_type=job_type or employee.position.job_type, performance=performance, potential=potential,
        computed_box=box, box=box, performance_score=3.0, potential_score=3.0, computed_at=timezone.now(),
    )


@pytest.fixture
def leadership_scene(agency, unit):
    """Lina (pelaksana, box 8) has no gap but needs PKP; Gani has a priority-30 gap in Communication."""
    cycle = this_cycle()
    communication = competency("M.03", "Komunikasi", "Communication")
    leading = competency("M.09", "Kepemimpinan", "Leadership")
    pelaksana = PositionFactory(agency=agency, code="pengadministrasi", job_type="pelaksana")
    lina = EmployeeFactory(agency=agency, unit=unit, position=pelaksana, name="Lina Talenta")
    gani = EmployeeFactory(agency=agency, unit=unit, position=pelaksana, name="Gani Celah")
    gap(gani, communication, cycle=cycle, required=3, observed=2.0, priority=30)
    gap_course, _s = course_with_session(agency, "komunikasi-efektif", [(communication, 3)], jp=16, cost=M,
                                         min_participants=1, route="KL03")
    pkp, _s = course_with_session(agency, "pkp-angkatan-1", [(leading, 3)], jp=16, cost=M, min_participants=1,
                                  route="KL01", leadership_programme="pkp")
    place(lina, 8, cycle=cycle)
    return {"cycle": cycle, "lina": lina, "gani": gani, "gap_course": gap_course, "pkp": pkp}


def test_the_recommendation_service_puts_the_leadership_course_in_the_plan(leadership_scene, agency):
    scene = leadership_scene
    development_plan_write(cycle=scene["cycle"], agency=agency)
    recommend_cycle(cycle=scene["cycle"], agency=agency)
    rec = Recommendation.objects.get(employee=scene["lina"], cycle=scene["cycle"])
    assert rec.course == scene["pkp"] and rec.in_plan and rec.competency is None and rec.rank == 1
    assert rec.reason["kind"] == "development"
    assert rec.reason["development"] == {"kind": "development", "action": "leadership_training",
                                         "programme": "pkp", "priority": 60}
    assert "box" not in json.dumps(rec.reason)
    with translation.override("en"):
        sentences = explain_recommendation(rec.reason, mode=rec.course.mode)
    assert sentences[0] == ("Your development plan includes the leadership training PKP; your agency gives it "
                            "priority 60 of 100.")
    # A dropped item is no longer recommended.
    DevelopmentItem.objects.filter(employee=scene["lina"], action="leadership_training").update(status="dropped")
    recommend_cycle(cycle=scene["cycle"], agency=agency)
    assert not Recommendation.objects.filter(employee=scene["lina"], cycle=scene["cycle"]).exists()


def test_raising_the_leadership_priority_moves_the_leadership_seat_into_a_tight_budget(
        leadership_scene, agency, unit, settings):
    from lms.budget.accounts import TRAINING

    settings.LATIH_BUDGET_JP_WEIGHT = 0.0  # what the seats close or serve, nothing for JP
    scene = leadership_scene
    planner = EmployeeFactory(agency=agency, unit=unit, roles=["planner"]).user
    year = scene["cycle"].year
    budget_service.envelope_set(agency=agency, fiscal_year=year, account=TRAINING, amount=M, user=planner)

    def funded(priority):
        TalentPolicy.objects.update_or_create(agency=agency, defaults={"leadership_priority": priority})
        development_plan_write(cycle=scene["cycle"], agency=agency)
        recommend_cycle(cycle=scene["cycle"], agency=agency)
        plan = budget_service.plan_budget(agency=agency, fiscal_year=year, user=planner, cycle=scene["cycle"])
        return {(p.employee_id, item.course_id, round(p.expected_closure, 4))
                for item in plan.items.all() for p in item.seats.all()}

    # One seat fits. Priority 10: the leadership seat is worth 0.1, the gap seat 1 level × 30 % = 0.3.
    assert funded(10) == {(scene["gani"].pk, scene["gap_course"].pk, 0.3)}
    # Priority 90: the leadership seat, worth 0.9, comes first.
    assert funded(90) == {(scene["lina"].pk, scene["pkp"].pk, 0.9)}
    candidates = budget_service.read_candidates(agency=agency, fiscal_year=year, cycle=scene["cycle"])
    values = candidates.problem.seats.set_index("employee")["value"]
    assert values[scene["lina"].pk] == pytest.approx(0.9) and values[scene["gani"].pk] == pytest.approx(0.3)
