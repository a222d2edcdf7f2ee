"""The priority sentence follows the priority's parts; the observed level is explained when it lies
outside the rater groups shown."""

from django.utils import translation

from tna.sentences import explain, priority_sentence, spread_sentence

APPRAISAL = {"results": "meets", "behaviour": "meets", "discipline": 2, "innovation": 2}
SIGNALS = ["low_discipline", "low_innovation"]


def _reason(gap, parts, **extra):
    return {
        "required": 2, "observed": round(2 - gap, 2), "gap": gap, "no_evidence": False,
        "priority_parts": parts, "signals": SIGNALS, "appraisal": APPRAISAL, **extra,
    }


def test_two_competencies_of_one_person_read_differently_when_their_parts_differ():
    # The demo's nurse: the same appraisal on every competency, gaps of 0.8 and 0.5.
    big = _reason(0.78, {"gap": 19.5, "weight": 3.33, "appraisal": 3.0, "survey": 0.0, "ikm": 0.0})
    small = _reason(0.49, {"gap": 12.25, "weight": 3.27, "appraisal": 2.94, "survey": 0.0, "ikm": 0.0})
    with translation.override("en"):
        first = priority_sentence(big, 25.83)
        second = priority_sentence(small, 18.46)
    assert first == (
        "Medium priority (26 of 100), mostly from the gap of 0.8 levels (19.5 points); also from the weight "
        "of this competency for your position (3.3 points) and the appraisal (SKP), where discipline is rated "
        "low (2 of 5) and innovation is rated low (2 of 5) (3.0 points)."
    )
    assert second.startswith("Low priority (18 of 100), mostly from the gap of 0.5 levels (12.2 points); ")
    assert first != second


def test_the_largest_part_comes_first_and_no_main_part_is_claimed_when_none_dominates():
    reason = _reason(0.6, {"gap": 15.0, "weight": 2.0, "appraisal": 0.0, "survey": 15.0, "ikm": 10.0},
                     survey_priority=3, ikm=61.5, signals=["survey_priority_3", "low_ikm"])
    with translation.override("en"):
        sentence = priority_sentence(reason, 42.0, own=False)
    assert sentence == (
        "Medium priority (42 of 100), from the gap of 0.6 levels (15.0 points), their request in the "
        "training-needs survey, priority 3 (15.0 points), the unit's low public satisfaction score, "
        "IKM 61.5 (10.0 points) and the weight of this competency for the position (2.0 points)."
    )
    assert "appraisal" not in sentence  # a part worth nothing is not given as a reason


def test_a_single_part_says_so_and_indonesian_reads_with_a_decimal_comma():
    reason = _reason(1.6, {"gap": 40.0, "weight": 0, "appraisal": 0, "survey": 0, "ikm": 0}, signals=[])
    with translation.override("en"):
        assert priority_sentence(reason, 40.0) == "Medium priority (40 of 100), all from the gap of 1.6 levels (40.0 points)."
    with translation.override("id"):
        assert "1,6" in priority_sentence(reason, 40.0)


def test_without_parts_the_signals_still_explain_and_without_priority_nothing_is_said():
    reason = {**_reason(0.9, {}), "signals": ["behaviour_below"], "appraisal": {"behaviour": "below"}}
    with translation.override("en"):
        assert priority_sentence(reason, 60) == "High priority because work behaviour is below expectations."
        assert priority_sentence(reason, 0) == ""


def test_observed_below_every_group_shown_is_explained():
    reason = {"required": 2, "observed": 1.22, "gap": 0.78, "no_evidence": False}
    shown = [{"role": "peer", "n": 3, "mean": 1.43}, {"role": "self", "n": 1, "mean": 1.44}]
    with translation.override("en"):
        assert spread_sentence(reason, shown).startswith("The observed level is below every group shown here")
        # The sentence comes right after the levels, before the gap.
        sentences = explain(reason, shown, 0)
        assert sentences[1].startswith("The observed level is below every group shown here")
        assert sentences[2] == "Gap of 0.8 levels."


def test_observed_among_the_groups_or_raised_by_training_reads_accordingly():
    shown = [{"role": "supervisor", "n": 1, "mean": 1.0}, {"role": "peer", "n": 3, "mean": 1.43}]
    with translation.override("en"):
        assert spread_sentence({"observed": 1.22, "no_evidence": False}, shown) == ""
        # Compared as shown, to one decimal: 1.04 reads 1.0, like the supervisor's 1.0.
        assert spread_sentence({"observed": 1.04, "no_evidence": False}, shown) == ""
        trained = {"observed": 2.4, "no_evidence": False, "training": {"n": 1, "level": 3}}
        assert spread_sentence(trained, shown) == (
            "The observed level is above every group shown here because completed training counts too."
        )
        assert spread_sentence({"observed": None, "no_evidence": True}, shown) == ""


def test_ratings_left_out_for_anonymity_are_mentioned():
    reason = {**_reason(0.5, {}), "signals": ["ratings_left_out"]}
    with translation.override("en"):
        assert "Some ratings were left out because their group was too small" in explain(reason, [], 0)[1]
