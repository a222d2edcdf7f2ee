"""Priority 0-100: gap first, then the position's weight, appraisal, survey and unit IKM."""

import pytest

from tna.analysis import ParameterError, analyse

from .analysis_frames import evidence, params, row


def priority(level=2, *, required_level=3, weight=1.0, is_service=False, ikm=None, survey=None, appraisal=None, **kw):
    """Priority and reason of employee 1's competency 1, rated ``level`` by the supervisor."""
    frames = {
        "required": [(1, 1, required_level, weight)],
        "competencies": [(1, is_service)],
    }
    if ikm is not None:
        frames["ikm"] = [(1, ikm)]
    if survey is not None:
        frames["survey"] = [(1, 1, survey)]
    if appraisal is not None:
        frames["appraisals"] = [(1, *appraisal)]
    gap, reason = row(analyse(evidence([(1, 2, "supervisor", 1, level)], **frames), params(**kw)), 1, 1)
    return gap["priority"], reason


def test_priority_grows_with_the_gap():
    assert priority(3)[0] == 0 < priority(2)[0] < priority(1)[0]
    value, reason = priority(1)
    # A two-level gap earns all 50 gap points.
    assert reason["priority_parts"]["gap"] == 50.0


def test_priority_grows_with_the_competencys_weight_for_the_position():
    assert priority(weight=0.5)[0] < priority(weight=1.0)[0] < priority(weight=3.0)[0]


def test_priority_grows_with_the_surveyed_priority():
    none, one, three = priority()[0], priority(survey=1)[0], priority(survey=3)[0]
    assert none < one < three
    reason = priority(survey=3)[1]
    assert reason["survey_priority"] == 3
    assert "survey_priority_3" in reason["signals"]
    assert reason["priority_parts"]["survey"] == 15.0


def test_low_unit_ikm_raises_service_competencies_only():
    good, low, very_low = (priority(is_service=True, ikm=score)[0] for score in (90, 70, 30))
    assert good < low < very_low
    reason = priority(is_service=True, ikm=70)[1]
    assert reason["ikm"] == 70.0
    assert "low_ikm" in reason["signals"]
    plain = priority(is_service=False, ikm=30)
    assert plain[0] == good
    assert "ikm" not in plain[1] and "low_ikm" not in plain[1]["signals"]


def test_the_ikm_threshold_is_a_parameter():
    assert "low_ikm" not in priority(is_service=True, ikm=80)[1]["signals"]
    assert "low_ikm" in priority(is_service=True, ikm=80, ikm_threshold=85)[1]["signals"]


def test_a_unit_without_its_own_ikm_takes_its_parent_units():
    frames = {
        "people": [(1, 1, 11, 1)],
        "required": [(1, 1, 3, 1.0)],
        "competencies": [(1, True)],
        "ikm": [(10, 60.0)],
        "units": [(10, None), (11, 10)],
    }
    gap, reason = row(analyse(evidence([(1, 2, "supervisor", 1, 2)], **frames), params()), 1, 1)
    assert reason["ikm"] == 60.0


def test_appraisal_signals_raise_priority_and_are_explained():
    base = priority(appraisal=("meets", "meets", 4, 4, 4))
    below = priority(appraisal=("meets", "below", 2, 4, 1))
    assert below[0] > base[0]
    reason = below[1]
    # One supervisor alone is also flagged as thin evidence.
    assert reason["signals"] == ["behaviour_below", "low_discipline", "low_innovation", "low_confidence"]
    assert reason["appraisal"] == {
        "results": "meets", "behaviour": "below", "predikat": "Kurang", "discipline": 2, "quality": 4, "innovation": 1,
    }
    assert reason["priority_parts"]["appraisal"] == 15 * (0.4 + 0.1 + 0.1)


def test_without_a_gap_nothing_else_gives_priority():
    value, reason = priority(3, survey=3, is_service=True, ikm=30, appraisal=("below", "below", 1, 1, 1))
    assert value == 0
    assert set(reason["priority_parts"].values()) == {0.0}
    # The facts are still there to read.
    assert {"behaviour_below", "results_below", "survey_priority_3", "low_ikm"} <= set(reason["signals"])


def test_parts_add_up_to_the_priority_and_the_worst_case_is_100():
    value, reason = priority(
        1, required_level=5, weight=3.0, is_service=True, ikm=25, survey=3, appraisal=("below", "below", 1, 1, 1),
    )
    assert reason["priority_parts"] == {"gap": 50.0, "weight": 10.0, "appraisal": 15.0, "survey": 15.0, "ikm": 10.0}
    assert value == 100.0
    value, reason = priority(2, survey=2, weight=2.0)
    assert value == round(sum(reason["priority_parts"].values()), 2)


def test_priority_points_are_parameters_and_must_fit_in_100():
    value, reason = priority(1, priority_points={"gap": 80, "weight": 20})
    assert reason["priority_parts"]["gap"] == 80.0
    with pytest.raises(ParameterError, match="at most 100"):
        params(priority_points={"gap": 80, "survey": 30})
