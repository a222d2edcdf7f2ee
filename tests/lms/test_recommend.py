"""Known-answer tests of the pure recommender (lms.recommend): ranking, exclusions, preferences, the JP plan."""

import json

import numpy as np
import pandas as pd
import pytest

from lms.recommend import ALTERNATIVE, GAP, TOP_UP, Params, reason_payloads, recommend

GAP_COLUMNS = ["employee_id", "competency_id", "required", "observed", "gap", "priority"]
COURSE_COLUMNS = ["course_id", "competency_id", "level", "jp", "cost", "mode"]
COMMUNICATION, DATA, INTEGRITY = 10, 11, 12


def gaps(*rows):
    return pd.DataFrame(rows, columns=GAP_COLUMNS)


def courses(*rows):
    return pd.DataFrame(rows, columns=COURSE_COLUMNS)


def ranked_ids(result, employee=1):
    rows = result.ranked[result.ranked["employee_id"] == employee]
    return rows.sort_values("rank")["course_id"].tolist()


def row(result, course, employee=1):
    rows = result.ranked[(result.ranked["employee_id"] == employee) & (result.ranked["course_id"] == course)]
    assert len(rows) == 1, "course %s is not recommended to %s" % (course, employee)
    return rows.iloc[0]


ONE_GAP = gaps((1, COMMUNICATION, 3, 2.0, 1.0, 60.0))


def test_a_cheaper_course_closing_the_same_gap_ranks_higher():
    result = recommend(ONE_GAP, courses(
        (100, COMMUNICATION, 3, 16, 2_500_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
    ))
    assert ranked_ids(result) == [101, 100]
    assert row(result, 101)["kind"] == GAP and row(result, 100)["kind"] == ALTERNATIVE
    # 16 JP leave the plan short of 20, yet a second course at the same level closes nothing more.
    assert row(result, 101)["in_plan"] and not row(result, 100)["in_plan"]


def test_an_alternative_reaching_further_tops_the_plan_up():
    deep_gap = gaps((1, COMMUNICATION, 3, 1.0, 2.0, 80.0))
    result = recommend(deep_gap, courses(
        (100, COMMUNICATION, 2, 8, 300_000, "online"),  # cheap, half the gap
        (101, COMMUNICATION, 3, 16, 1_000_000, "classroom"),  # the whole gap
    ))
    assert ranked_ids(result) == [100, 101]
    assert row(result, 100)["kind"] == GAP and row(result, 100)["expected_closure"] == pytest.approx(1.0)
    assert row(result, 101)["kind"] == ALTERNATIVE and row(result, 101)["in_plan"]


def test_a_shorter_course_closing_the_same_gap_at_the_same_price_ranks_higher():
    result = recommend(ONE_GAP, courses(
        (100, COMMUNICATION, 3, 32, 1_000_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
    ))
    assert ranked_ids(result) == [101, 100]


def test_the_score_is_weighted_closure_per_million_rupiah_of_full_cost():
    result = recommend(ONE_GAP, courses((101, COMMUNICATION, 3, 16, 1_000_000, "classroom")),
                       params=Params(rupiah_per_jp=100_000))
    chosen = row(result, 101)
    # closure 1 level × priority 60 % = 0.6; full cost 1.0 M + 16 × 0.1 M = 2.6 M.
    assert chosen["benefit"] == pytest.approx(0.6)
    assert chosen["full_cost"] == 2_600_000
    assert chosen["score"] == pytest.approx(0.6 / 2.6)


def test_a_course_beyond_the_required_level_closes_no_more_than_the_gap():
    result = recommend(ONE_GAP, courses(
        (100, COMMUNICATION, 5, 16, 1_000_000, "classroom"),
        (101, COMMUNICATION, 2, 16, 1_000_000, "classroom"),
    ))
    assert row(result, 100)["expected_closure"] == pytest.approx(1.0)
    # Level 2 for someone at 2.0 closes nothing: it is not offered for this gap at all.
    assert 101 not in ranked_ids(result)


def test_a_course_barely_above_where_the_person_is_does_not_count_as_closing_the_gap():
    result = recommend(gaps((1, COMMUNICATION, 4, 2.9, 1.1, 60.0), (1, DATA, 3, 2.95, 0.05, 5.0)), courses(
        (100, COMMUNICATION, 3, 8, 400_000, "online"),  # 0.1 of 1.1 levels
        (101, COMMUNICATION, 4, 24, 2_000_000, "classroom"),  # the whole gap
        (102, DATA, 3, 48, 8_000_000, "blended"),  # a gap of a few hundredths
    ))
    assert ranked_ids(result) == [101, 102]
    assert row(result, 101)["kind"] == GAP
    assert row(result, 102)["kind"] == TOP_UP and not row(result, 102)["in_plan"]


def test_a_higher_priority_gap_comes_first_at_equal_cost():
    result = recommend(gaps(
        (1, COMMUNICATION, 3, 2.0, 1.0, 30.0),
        (1, DATA, 3, 2.0, 1.0, 80.0),
    ), courses(
        (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
        (101, DATA, 3, 16, 1_000_000, "classroom"),
    ))
    assert ranked_ids(result) == [101, 100]


def test_a_course_already_completed_or_enrolled_is_excluded():
    catalogue = courses(
        (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 2_000_000, "classroom"),
    )
    exclusions = pd.DataFrame({"employee_id": [1], "course_id": [100]})
    result = recommend(ONE_GAP, catalogue, exclusions=exclusions)
    assert ranked_ids(result) == [101]
    assert row(result, 101)["kind"] == GAP
    # Someone else is not affected by this person's history.
    other = recommend(pd.concat([ONE_GAP, ONE_GAP.assign(employee_id=2)]), catalogue, exclusions=exclusions)
    assert ranked_ids(other, employee=2) == [100, 101]


def test_the_preferred_mode_wins_a_tie():
    catalogue = courses(
        (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 1_000_000, "online"),
    )
    assert ranked_ids(recommend(ONE_GAP, catalogue)) == [100, 101]  # tie: lower id first
    prefers_online = pd.DataFrame({"employee_id": [1], "mode": ["online"], "time": [""]})
    result = recommend(ONE_GAP, catalogue, preferences=prefers_online)
    assert ranked_ids(result) == [101, 100]
    assert row(result, 101)["mode_match"] == 1.0 and row(result, 101)["preference"] > 1


def test_the_preferred_time_wins_a_tie():
    catalogue = courses(
        (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
    ).assign(times=[4, 1])  # full days, mornings
    mornings = pd.DataFrame({"employee_id": [1], "mode": [""], "time": ["morning"]})
    assert ranked_ids(recommend(ONE_GAP, catalogue, preferences=mornings)) == [101, 100]


def test_a_clearly_cheaper_course_still_beats_the_preferred_mode():
    catalogue = courses(
        (100, COMMUNICATION, 3, 16, 500_000, "classroom"),
        (101, COMMUNICATION, 3, 16, 3_000_000, "online"),
    )
    prefers_online = pd.DataFrame({"employee_id": [1], "mode": ["online"], "time": [""]})
    assert ranked_ids(recommend(ONE_GAP, catalogue, preferences=prefers_online)) == [100, 101]


def test_the_plan_is_topped_up_to_the_20_jp_minimum():
    people_gaps = gaps(
        (1, COMMUNICATION, 3, 2.0, 1.0, 60.0),
        (1, DATA, 3, 3.0, 0.0, 0.0),  # met: courses beyond it are top-ups
        (1, INTEGRITY, 2, 2.5, 0.0, 0.0),
    )
    catalogue = courses(
        (100, COMMUNICATION, 3, 8, 800_000, "classroom"),
        (101, DATA, 4, 8, 600_000, "online"),
        (102, INTEGRITY, 3, 6, 300_000, "self_paced"),
        (103, DATA, 3, 8, 300_000, "online"),  # level 3 for someone at 3.0: develops nothing
    )
    result = recommend(people_gaps, catalogue)
    plan = result.ranked[result.ranked["in_plan"]]
    assert plan["course_id"].tolist() == [100, 102, 101]
    assert plan["jp"].sum() >= 20
    assert plan["kind"].tolist() == [GAP, TOP_UP, TOP_UP]
    assert 103 not in ranked_ids(result)
    summary = result.plan.set_index("employee_id").loc[1]
    assert summary["jp_planned"] == 22 and summary["jp_minimum"] == 20


def test_jp_already_earned_counts_towards_the_minimum():
    people_gaps = gaps((1, COMMUNICATION, 3, 2.0, 1.0, 60.0), (1, DATA, 3, 3.0, 0.0, 0.0))
    catalogue = courses((100, COMMUNICATION, 3, 16, 800_000, "classroom"), (101, DATA, 4, 8, 600_000, "online"))
    without = recommend(people_gaps, catalogue)
    assert row(without, 101)["in_plan"]
    earned = pd.DataFrame({"employee_id": [1], "jp": [4]})
    result = recommend(people_gaps, catalogue, earned=earned)
    assert not row(result, 101)["in_plan"]
    assert row(result, 101)["rank"] == 2  # still listed as an option


def test_a_gap_without_ratings_gets_no_gap_course_but_may_be_a_top_up():
    result = recommend(gaps((1, COMMUNICATION, 3, np.nan, 0.0, 0.0)),
                       courses((100, COMMUNICATION, 3, 16, 800_000, "classroom")))
    chosen = row(result, 100)
    assert chosen["kind"] == TOP_UP and chosen["expected_closure"] == 0 and chosen["competency_id"] == -1


def test_offers_limit_courses_to_the_persons_agency():
    people_gaps = gaps((1, COMMUNICATION, 3, 2.0, 1.0, 60.0), (2, COMMUNICATION, 3, 2.0, 1.0, 60.0)).assign(
        agency_id=[7, 8])
    catalogue = courses((100, COMMUNICATION, 3, 16, 800_000, "classroom"), (101, COMMUNICATION, 3, 16, 900_000, "classroom"))
    offers = pd.DataFrame({"agency_id": [7, 8, 8], "course_id": [100, 100, 101]})
    result = recommend(people_gaps, catalogue, offers=offers)
    assert ranked_ids(result, 1) == [100]
    assert ranked_ids(result, 2) == [100, 101]


def test_a_course_closing_two_gaps_makes_the_second_gaps_own_course_an_alternative():
    people_gaps = gaps((1, COMMUNICATION, 3, 2.0, 1.0, 60.0), (1, DATA, 3, 2.0, 1.0, 50.0))
    catalogue = courses(
        (100, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
        (100, DATA, 3, 16, 1_000_000, "classroom"),
        (101, DATA, 3, 16, 1_200_000, "classroom"),
    )
    result = recommend(people_gaps, catalogue)
    assert row(result, 100)["kind"] == GAP and row(result, 100)["expected_closure"] == pytest.approx(2.0)
    assert row(result, 101)["kind"] == ALTERNATIVE


def test_recommendations_are_capped_per_person_with_ranks_1_to_n():
    people_gaps = gaps(*[(1, c, 3, 1.0, 2.0, 50.0) for c in range(10, 20)])
    catalogue = courses(*[(100 + c, c, 3, 8, 500_000 + 1000 * c, "classroom") for c in range(10, 20)])
    result = recommend(people_gaps, catalogue, params=Params(per_person=4))
    assert result.ranked["rank"].tolist() == [1, 2, 3, 4]
    assert result.ranked["course_id"].is_unique


def test_everyone_without_a_gap_or_course_gets_a_plan_row_but_no_recommendations():
    result = recommend(gaps((1, COMMUNICATION, 3, 2.0, 1.0, 60.0)), courses((100, DATA, 3, 8, 1, "online")))
    assert result.ranked.empty
    assert result.plan["employee_id"].tolist() == [1]
    assert reason_payloads(result) == []


def test_reason_payload_names_the_gap_the_level_the_course_reaches_and_the_jp():
    result = recommend(ONE_GAP, courses((101, COMMUNICATION, 3, 16, 1_000_000, "classroom"),
                                        (101, DATA, 4, 16, 1_000_000, "classroom")),
                       earned=pd.DataFrame({"employee_id": [1], "jp": [2]}))
    payload = json.loads(reason_payloads(result, codes={COMMUNICATION: "M.03"})[0])
    assert payload["kind"] == "gap"
    assert payload["gaps"] == [{"competency": COMMUNICATION, "code": "M.03", "required": 3, "observed": 2.0, "level": 3,
                                "gap": 1.0, "priority": 60.0, "closure": 1.0}]
    assert payload["develops"] == []  # DATA is not in this person's job standard
    assert payload["course"] == {"jp": 16, "cost": 1000000}
    assert payload["plan"] == {"in_plan": True, "jp_earned": 2, "jp_planned": 16, "jp_minimum": 20}
    assert set(payload["parts"]) >= {"benefit", "full_cost", "preference", "score"}


def test_large_random_workforce_keeps_the_invariants():
    rng = np.random.default_rng(5)
    n_people, competencies = 3000, list(range(1, 13))
    employee = np.repeat(np.arange(1, n_people + 1), len(competencies))
    competency = np.tile(competencies, n_people)
    required = rng.integers(1, 5, len(employee))
    observed = np.round(np.clip(required + rng.normal(-0.3, 0.8, len(employee)), 1, 5), 2)
    frame = pd.DataFrame({
        "employee_id": employee, "competency_id": competency, "required": required, "observed": observed,
        "gap": np.maximum(required - observed, 0), "priority": rng.uniform(0, 100, len(employee)),
    })
    catalogue = courses(*[(200 + i, int(rng.choice(competencies)), int(rng.integers(2, 5)), int(rng.choice([4, 8, 16, 24])),
                           int(rng.integers(1, 30)) * 100_000, str(rng.choice(["classroom", "online"]))) for i in range(60)])
    exclusions = pd.DataFrame({"employee_id": np.arange(1, 101), "course_id": 200 + np.arange(100) % 60})
    result = recommend(frame, catalogue, exclusions=exclusions, params=Params(per_person=6))
    ranked = result.ranked
    assert (ranked.groupby("employee_id")["rank"].agg(lambda r: list(r) == list(range(1, len(r) + 1)))).all()
    assert not ranked.duplicated(["employee_id", "course_id"]).any()
    assert ranked.groupby("employee_id").size().max() <= 6
    excluded = set(zip(exclusions["employee_id"], exclusions["course_id"], strict=True))
    assert not any(pair in excluded for pair in zip(ranked["employee_id"], ranked["course_id"], strict=True))
    # In each list the plan comes first.
    first_outside = ranked[~ranked["in_plan"]].groupby("employee_id")["rank"].min()
    last_inside = ranked[ranked["in_plan"]].groupby("employee_id")["rank"].max()
    both = pd.concat([first_outside, last_inside], axis=1, keys=["out", "in"]).dropna()
    assert (both["in"] < both["out"]).all()
    # Gap courses never close more than the gap.
    merged = result.details.merge(frame, on=["employee_id", "competency_id"], suffixes=("", "_gap"))
    assert (merged["closure"] <= merged["gap_gap"] + 1e-9).all()
    assert len(reason_payloads(result)) == len(ranked)


def test_blocks_give_the_same_answer_as_one_pass(monkeypatch):
    import lms.recommend as module

    frame = pd.DataFrame({
        "employee_id": np.repeat(np.arange(1, 51), 2), "competency_id": np.tile([COMMUNICATION, DATA], 50),
        "required": 3, "observed": np.tile([2.0, 2.5], 50), "gap": np.tile([1.0, 0.5], 50), "priority": 50.0,
    })
    catalogue = courses((100, COMMUNICATION, 3, 16, 800_000, "classroom"), (101, DATA, 3, 8, 300_000, "online"),
                        (102, DATA, 4, 24, 2_000_000, "classroom"))
    whole = recommend(frame, catalogue)
    monkeypatch.setattr(module, "BLOCK", 7)
    pieces = recommend(frame, catalogue)
    pd.testing.assert_frame_equal(whole.ranked, pieces.ranked)
    assert reason_payloads(whole) == reason_payloads(pieces)


def test_top_ups_for_one_competency_are_limited_unless_the_plan_needs_them():
    people_gaps = gaps((1, COMMUNICATION, 3, 2.0, 1.0, 60.0), (1, DATA, 3, 3.0, 0.0, 0.0))
    catalogue = courses(
        (100, COMMUNICATION, 3, 24, 1_000_000, "classroom"),
        *[(101 + i, DATA, 4, 8, 500_000 + 100_000 * i, "online") for i in range(4)],
    )
    result = recommend(people_gaps, catalogue, params=Params(courses_per_gap=2))
    assert ranked_ids(result) == [100, 101, 102]
    short = recommend(people_gaps.assign(employee_id=1), catalogue.assign(jp=[4, 4, 4, 4, 4]),
                      params=Params(courses_per_gap=2))
    # 4 JP for the gap: the plan needs four top-ups of 4 JP to reach 20.
    assert ranked_ids(short) == [100, 101, 102, 103, 104]
    assert short.ranked["in_plan"].all()
