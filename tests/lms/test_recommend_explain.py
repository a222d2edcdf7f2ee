"""Each recommendation explains itself: competency, required vs observed level, what the course brings, JP."""

import pytest
from django.utils import translation

from lms.explain import explain_recommendation, plan_summary

GAP_REASON = {
    "kind": "gap",
    "gaps": [
        {"competency": 3, "code": "M.03", "required": 3, "observed": 2.14, "level": 3, "gap": 0.86, "priority": 62.0,
         "closure": 0.86},
        {"competency": 5, "code": "M.05", "required": 2, "observed": 1.5, "level": 2, "gap": 0.5, "priority": 20.0,
         "closure": 0.5},
    ],
    "develops": [],
    "course": {"jp": 16, "cost": 1250000},
    "parts": {"mode_match": 1.0, "time_match": 0.0},
    "plan": {"in_plan": True, "jp_earned": 0, "jp_planned": 16, "jp_minimum": 20},
}
NAMES = {3: "Communication", 5: "Public service"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_gap_recommendation_says_why_in_order():
    assert explain_recommendation(GAP_REASON, mode="classroom", names=NAMES) == [
        "Your position requires Communication at level 3; your level now is 2.1. Closing this gap is a high priority.",
        "The course develops it to level 3, enough to close the gap.",
        "It also helps with Public service.",
        "It is a classroom course of 16 JP.",
        "It is held in the way you asked for in the survey.",
        "It is in your plan.",
    ]


def test_a_course_below_the_required_level_says_how_much_it_closes():
    reason = {**GAP_REASON, "gaps": [{**GAP_REASON["gaps"][0], "required": 4, "gap": 1.86, "closure": 0.86}]}
    sentences = explain_recommendation(reason, mode="online", names=NAMES)
    assert "The course develops it to level 3, which closes 0.9 of the 1.9 levels missing." in sentences
    assert "It is an online course of 16 JP." in sentences


def test_a_top_up_names_the_competency_it_develops_and_the_jp_minimum():
    reason = {
        "kind": "top_up", "gaps": [],
        "develops": [{"competency": 7, "code": "TK.05", "required": 2, "observed": 2.4, "level": 3}],
        "course": {"jp": 8, "cost": 600000}, "parts": {"mode_match": 0.0, "time_match": 1.0},
        "plan": {"in_plan": True, "jp_earned": 2, "jp_planned": 24, "jp_minimum": 20},
    }
    assert explain_recommendation(reason, mode="self_paced", names={7: "Data analysis"}) == [
        "Your position requires Data analysis at level 2 and you are at 2.4; this course develops it further, to level 3.",
        "It is a self-paced course of 8 JP.",
        "Its sessions are at the time of day you asked for in the survey.",
        "It tops up your plan towards the minimum of 20 JP a year.",
    ]


def test_a_competency_without_ratings_is_said_to_be_unrated():
    reason = {"kind": "top_up", "gaps": [], "develops": [{"competency": 7, "code": "TK.05", "required": 2,
                                                          "observed": None, "level": 2}],
              "course": {"jp": 8}, "parts": {}, "plan": {"in_plan": False}}
    first = explain_recommendation(reason, mode="blended")[0]
    assert first == "Your position requires TK.05 at level 2; it has not been rated yet, and this course works at level 2."


def test_numbers_follow_the_language():
    with translation.override("id"):
        sentences = explain_recommendation(GAP_REASON, mode="classroom", names=NAMES)
    assert "2,1" in sentences[0]


def test_plan_summary_counts_what_the_person_already_has():
    assert plan_summary(planned=16, earned=6, minimum=20) == (
        "Your plan adds 16 JP to the 6 JP you have this year: 22 JP, at least the minimum of 20 JP.")
    assert "nothing more" in plan_summary(planned=8, earned=0, minimum=20)
