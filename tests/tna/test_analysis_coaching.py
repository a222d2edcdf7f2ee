"""Coaching as evidence in the pure analysis: a supervisor's coaching rating counts as weighted pseudo-ratings
that can pull the observed level either way, the latest one counting, and shows in the reason."""

import pandas as pd
import pytest

from tna.analysis import ParameterError, Parameters, analyse
from tna.analysis.reasons import reason_dict, reason_values
from tna.sentences import explain

from .analysis_frames import evidence, params, row

# Three peers rate person 1's competency 1 at 3: the observed level is 3 without anything else.
PEERS = [(1, 10 + k, "peer", 1, 3) for k in range(3)]


def coaching(*rows):
    return pd.DataFrame(list(rows), columns=["employee", "competency", "level"])


def test_coaching_pulls_the_level_down_as_an_observation():
    result, reason = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 1))), params(coaching_weight=1.0)), 1, 1)
    # (3 x 3 + 1 x 1) / 4, unlike a course, which never lowers the level.
    assert result["observed_level"] == 2.5 and result["gap"] == 0.5
    assert reason["coaching"] == {"level": 1}


def test_coaching_raises_the_level_too():
    result, reason = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 5))), params(coaching_weight=1.0)), 1, 1)
    assert result["observed_level"] == 3.5 and reason["coaching"] == {"level": 5}


def test_the_default_weight_is_half_a_rating():
    assert Parameters().coaching_weight == 0.5
    result, _reason = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 1))), params()), 1, 1)
    assert result["observed_level"] == round((3 * 3 + 0.5 * 1) / 3.5, 2)


def test_weight_zero_turns_coaching_off():
    plain, plain_reason = row(analyse(evidence(PEERS), params()), 1, 1)
    off, off_reason = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 1))), params(coaching_weight=0)), 1, 1)
    assert off == plain and "coaching" not in off_reason and off_reason == plain_reason


def test_a_negative_weight_is_refused():
    with pytest.raises(ParameterError, match="coaching"):
        Parameters(coaching_weight=-0.5)


def test_the_latest_coaching_rating_supersedes_earlier_ones():
    frame = coaching((1, 1, 5), (1, 1, 2))  # oldest first: 5, then 2
    result, reason = row(analyse(evidence(PEERS, coaching=frame), params(coaching_weight=1.0)), 1, 1)
    assert reason["coaching"] == {"level": 2} and result["observed_level"] == 2.75


def test_coaching_alone_gives_an_observed_level():
    required = [(1, 1, 3, 1.0), (1, 2, 3, 1.0)]
    result, reason = row(analyse(evidence(PEERS, required=required, coaching=coaching((1, 2, 2))), params()), 1, 2)
    assert result["observed_level"] == 2.0 and result["gap"] == 1.0 and reason["coaching"] == {"level": 2}
    assert reason["raters"] == {}
    # Half a rating of evidence: confidence 0.5 / (0.5 + 2), flagged as low.
    assert result["confidence"] == 0.2 and "low_confidence" in reason["signals"]
    # Competencies nobody rated or coached stay without evidence.
    assert row(analyse(evidence(PEERS, required=required), params()), 1, 2)[1]["no_evidence"] is True


def test_coaching_counts_as_the_supervisor_being_present_for_confidence():
    without, _ = row(analyse(evidence(PEERS), params()), 1, 1)
    coached, _ = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 3))), params()), 1, 1)
    # Same level (the coach agrees), more evidence and no penalty for a missing supervisor.
    assert coached["observed_level"] == without["observed_level"] == 3.0
    assert coached["confidence"] > without["confidence"]


def test_training_never_pulls_below_ratings_and_coaching_together():
    frame = evidence(PEERS, coaching=coaching((1, 1, 5)), training=[(1, 1, 2)])
    result, reason = row(analyse(frame, params(coaching_weight=1.0, training_weight=1.0)), 1, 1)
    # Ratings and coaching: 3.5; the course (level 2) counts at 3.5, so the level stays.
    assert result["observed_level"] == 3.5
    assert reason["training"]["weight"] == 0.2 and reason["coaching"] == {"level": 5}


def test_coaching_of_someone_else_or_another_competency_changes_nothing():
    plain, _ = row(analyse(evidence(PEERS), params()), 1, 1)
    other, reason = row(analyse(evidence(PEERS, coaching=coaching((2, 1, 1), (1, 9, 1))), params()), 1, 1)
    assert other == plain and "coaching" not in reason


def test_levels_outside_1_to_5_are_refused():
    from tna.analysis import EvidenceError

    with pytest.raises(EvidenceError, match="coaching.level"):
        analyse(evidence(PEERS, coaching=coaching((1, 1, 6))), params())


def test_the_reason_round_trips_through_its_stored_columns():
    _result, reason = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 4))), params()), 1, 1)
    values = reason_values(reason)
    rebuilt = reason_dict({**values, "required_level": 3, "observed_level": reason["observed"], "gap": reason["gap"],
                           "confidence": reason["confidence"]})
    assert rebuilt["coaching"] == {"level": 4} and rebuilt["signals"] == reason["signals"]


def test_the_reason_in_words_names_the_supervisors_coaching():
    _result, reason = row(analyse(evidence(PEERS, coaching=coaching((1, 1, 1))), params(coaching_weight=1.0)), 1, 1)
    raters = [{"role": "peer", "n": 3, "mean": 3.0}]
    sentences = explain(reason, raters, 10)
    assert "Coaching by the supervisor, at level 1, counts as evidence." in sentences[2]
    # 2.5 lies below the peers' 3.0 only because of the coaching.
    assert sentences[1] == "The observed level is below every group shown here because the supervisor's coaching counts too."
