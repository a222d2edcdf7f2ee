"""Observed level, confidence and gap from role-weighted, corrected ratings."""

import math

import pytest

from tna.analysis import analyse

from .analysis_frames import evidence, params, row

FULL_PANEL = [
    (1, 1, "self", 1, 4),
    (1, 2, "supervisor", 1, 2),
    (1, 3, "peer", 1, 4),
    (1, 4, "peer", 1, 2),
    (1, 5, "subordinate", 1, 3),
]


def test_role_means_are_weighted_by_role():
    gap, reason = row(analyse(evidence(FULL_PANEL), params()), 1, 1)
    assert gap["observed_level"] == 2.75  # 0.4 x 2 + 0.25 x 3 + 0.2 x 3 + 0.15 x 4
    assert gap["gap"] == 0.25
    assert reason["raters"] == {
        "supervisor": {"n": 1, "mean": 2.0, "weight": 0.4},
        "peer": {"n": 2, "mean": 3.0, "weight": 0.25},
        "subordinate": {"n": 1, "mean": 3.0, "weight": 0.2},
        "self": {"n": 1, "mean": 4.0, "weight": 0.15},
    }


def test_role_weights_renormalise_over_the_roles_present():
    ratings = [(1, 2, "supervisor", 1, 2), (1, 3, "peer", 1, 4)]
    gap, reason = row(analyse(evidence(ratings), params()), 1, 1)
    assert gap["observed_level"] == round((0.4 * 2 + 0.25 * 4) / 0.65, 2)
    assert reason["raters"]["supervisor"]["weight"] == round(0.4 / 0.65, 2)
    assert reason["raters"]["peer"]["weight"] == round(0.25 / 0.65, 2)
    assert set(reason["raters"]) == {"supervisor", "peer"}


def test_other_rater_weights_change_the_observed_level():
    default = row(analyse(evidence(FULL_PANEL), params()), 1, 1)[0]["observed_level"]
    self_only = params(rater_weights={"supervisor": 0, "peer": 0, "subordinate": 0, "self": 1})
    assert row(analyse(evidence(FULL_PANEL), self_only), 1, 1)[0]["observed_level"] == 4.0
    assert default != 4.0


def test_without_a_supervisor_rating_there_is_still_a_result_with_lower_confidence():
    without = [r for r in FULL_PANEL if r[2] != "supervisor"] + [(1, 6, "peer", 1, 2)]
    with_supervisor, _ = row(analyse(evidence(FULL_PANEL), params()), 1, 1)
    no_supervisor, reason = row(analyse(evidence(without), params()), 1, 1)
    assert not math.isnan(no_supervisor["observed_level"])
    assert "supervisor" not in reason["raters"]
    assert 0 < no_supervisor["confidence"] < with_supervisor["confidence"]


def test_confidence_grows_with_raters_and_falls_with_disagreement():
    def confidence(ratings):
        return row(analyse(evidence(ratings), params()), 1, 1)[0]["confidence"]

    one = confidence([(1, 2, "supervisor", 1, 3)])
    agreeing = confidence([(1, 2, "supervisor", 1, 3), (1, 3, "peer", 1, 3), (1, 4, "peer", 1, 3)])
    split = confidence([(1, 2, "supervisor", 1, 1), (1, 3, "peer", 1, 5), (1, 4, "peer", 1, 5)])
    assert one < agreeing
    assert split < agreeing
    # One supervisor who agrees with nobody: n_eff / (n_eff + 2) = 1/3.
    assert one == 0.33


def test_confidence_formula():
    ratings = [(1, 2, "supervisor", 1, 2), (1, 3, "peer", 1, 4)]
    gap, _ = row(analyse(evidence(ratings), params()), 1, 1)
    w_sup, w_peer = 0.4 / 0.65, 0.25 / 0.65
    observed = w_sup * 2 + w_peer * 4
    spread = math.sqrt(w_sup * (2 - observed) ** 2 + w_peer * (4 - observed) ** 2)
    n_eff = 1 / (w_sup**2 + w_peer**2)
    assert gap["confidence"] == round(n_eff / (n_eff + 2) * (1 - spread / 2), 2)


def test_a_competency_with_no_evidence_shows_no_gap_and_says_so():
    ratings = [(1, 2, "supervisor", 1, 2)]
    required = [(1, 1, 3, 1.0), (1, 2, 4, 1.0)]
    result = analyse(evidence(ratings, required=required, survey=[(1, 2, 3)]), params())
    gap, reason = row(result, 1, 2)
    assert math.isnan(gap["observed_level"])
    assert (gap["gap"], gap["priority"], gap["confidence"]) == (0.0, 0.0, 0.0)
    assert reason["no_evidence"] is True
    assert reason["observed"] is None
    assert reason["raters"] == {}
    assert "low_confidence" not in reason["signals"]


def test_ratings_on_competencies_the_position_does_not_require_make_no_rows():
    ratings = [(1, 2, "supervisor", 1, 2), (1, 2, "supervisor", 9, 2)]
    result = analyse(evidence(ratings, required=[(1, 1, 3, 1.0)]), params())
    assert result.gaps[["employee", "competency"]].values.tolist() == [[1, 1]]


def test_completed_training_counts_as_pseudo_ratings_and_never_lowers_the_level():
    ratings = [(1, 2, "supervisor", 1, 2), (1, 3, "peer", 1, 2)]
    before = row(analyse(evidence(ratings), params()), 1, 1)[0]
    gap, reason = row(analyse(evidence(ratings, training=[(1, 1, 4)]), params(training_weight=0.5)), 1, 1)
    assert gap["observed_level"] == round((2 * 2 + 0.5 * 4) / 2.5, 2)
    assert gap["confidence"] > before["confidence"]
    # Half a pseudo-rating next to two ratings: a fifth of the observed level rests on the course.
    assert reason["training"] == {"n": 1, "level": 4, "weight": 0.2}
    lower = row(analyse(evidence(ratings, training=[(1, 1, 1)]), params()), 1, 1)[0]
    assert lower["observed_level"] == 2.0


def test_training_alone_is_evidence():
    required = [(1, 1, 3, 1.0)]
    result = analyse(evidence([(7, 8, "peer", 1, 3)], people=[(1, 1, 1, 1)], required=required, training=[(1, 1, 2)]), params())
    gap, reason = row(result, 1, 1)
    assert gap["observed_level"] == 2.0
    assert gap["gap"] == 1.0
    assert reason["no_evidence"] is False
    assert reason["training"] == {"n": 1, "level": 2, "weight": 1.0}
    assert 0 < gap["confidence"] < 0.3


def test_the_training_evidence_weight_sets_how_much_a_course_counts():
    ratings = [(1, 2, "supervisor", 1, 2), (1, 3, "peer", 1, 2)]
    light = row(analyse(evidence(ratings, training=[(1, 1, 4)]), params(training_weight=0.5)), 1, 1)
    heavy = row(analyse(evidence(ratings, training=[(1, 1, 4)]), params(training_weight=2.0)), 1, 1)
    ignored = row(analyse(evidence(ratings, training=[(1, 1, 4)]), params(training_weight=0)), 1, 1)
    assert ignored[0]["observed_level"] == 2.0 < light[0]["observed_level"] < heavy[0]["observed_level"] == 3.0
    assert heavy[1]["training"]["weight"] == 0.5


@pytest.mark.parametrize("level", [0, 6])
def test_levels_outside_one_to_five_are_refused(level):
    from tna.analysis import EvidenceError

    with pytest.raises(EvidenceError, match="ratings.level must be between 1 and 5"):
        analyse(evidence([(1, 2, "peer", 1, level)]), params())
