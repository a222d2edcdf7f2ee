"""tna.talent.grid on hand-made frames: the axes, their thresholds, the reason, who is left out, and scale."""

import json

import numpy as np
import pandas as pd
import pytest

from tna.analysis.params import ParameterError
from tna.talent.grid import PLACED_COLUMNS, UNPLACED_COLUMNS, TalentParameters, place

PARAMS = TalentParameters()
AGENCY = 1
# The next level up from pengawas is administrator; jpt_utama is the top of its ladder.
STANDARDS = pd.DataFrame(
    [(AGENCY, "administrator", c, 3) for c in (11, 12, 13, 14)]
    + [(AGENCY, "pengawas", c, 2) for c in (11, 12, 13, 14)]
    + [(AGENCY, "jpt_utama", c, 5) for c in (11, 12, 13)],
    columns=["agency_id", "job_type", "competency_id", "required"],
)
NO_ASSESSMENTS = pd.DataFrame({"employee": pd.Series(dtype="int64"), "jpm": pd.Series(dtype=float)})


def frames(people):
    """Frames for ``people``: {id: dict(job_type, predikat=[latest first, None = none], observed={competency: level}, jpm)}."""
    rows, appraisals, profile, assessments = [], [], [], []
    for employee, spec in people.items():
        rows.append((employee, AGENCY, 7, spec.get("job_type", "pengawas")))
        for back, predikat in enumerate(spec.get("predikat", ("Baik", "Baik"))):
            if predikat:
                appraisals.append((employee, back, 2026 - back, predikat))
        for competency, level in spec.get("observed", {11: 3, 12: 3, 13: 3, 14: 3}).items():
            profile.append((employee, competency, np.nan if level is None else float(level)))
        if spec.get("jpm") is not None:
            assessments.append((employee, spec["jpm"]))
    return (
        pd.DataFrame(rows, columns=["employee", "agency", "unit", "job_type"]),
        pd.DataFrame(appraisals, columns=["employee", "back", "year", "predikat"]),
        pd.DataFrame(profile, columns=["employee", "competency", "observed"]),
        STANDARDS,
        pd.DataFrame(assessments, columns=["employee", "jpm"]) if assessments else NO_ASSESSMENTS,
    )


def placed(people, params=PARAMS):
    result = place(*frames(people), params)
    return result.placed.set_index("employee"), result.unplaced.set_index("employee")


def levels(observed):
    return dict(zip((11, 12, 13, 14), observed, strict=True))


def test_the_nine_boxes_from_the_two_axes():
    people = {
        1: {"predikat": ("Sangat Baik", "Sangat Baik"), "observed": levels((3, 3, 3, 3))},  # above/high
        2: {"predikat": ("Baik", "Baik"), "observed": levels((2, 2, 2, 2))},  # meets/low
        3: {"predikat": ("Butuh Perbaikan", "Kurang"), "observed": levels((3, 3, 3, 2.5))},  # below/high
        4: {"predikat": ("Sangat Baik", "Baik"), "observed": levels((2.5, 2.5, 2.5, 2.5))},  # above/medium
        5: {"predikat": ("Sangat Kurang", "Baik"), "observed": levels((2.5, 2.5, 3, 2))},  # below/medium
    }
    found, _ = placed(people)
    assert found["box"].to_dict() == {1: 9, 2: 2, 3: 6, 4: 7, 5: 3}
    # 0.6 × 1 + 0.4 × 2 = 1.4 < 1.5: below.
    assert found.loc[5, "performance_score"] == 1.4 and found.loc[5, "performance"] == "below"
    assert list(found.columns) == [c for c in PLACED_COLUMNS if c != "employee"]


@pytest.mark.parametrize(("predikat", "score", "performance"), [
    (("Sangat Baik", "Baik"), 2.6, "above"),
    (("Baik", "Sangat Baik"), 2.4, "meets"),
    (("Sangat Baik", None), 3.0, "above"),  # one year alone: its weight renormalised to 1
    ((None, "Sangat Baik"), 3.0, "above"),
    (("Butuh Perbaikan", "Sangat Baik"), 1.8, "meets"),
    (("Kurang", "Baik"), 1.4, "below"),
])
def test_performance_is_the_weighted_predikat_latest_first(predikat, score, performance):
    found, _ = placed({1: {"predikat": predikat}})
    assert (found.loc[1, "performance_score"], found.loc[1, "performance"]) == (score, performance)


def test_performance_thresholds_are_inclusive_at_above_and_exclusive_at_below():
    params = TalentParameters(weights=(0.5, 0.5))
    found, _ = placed({1: {"predikat": ("Sangat Baik", "Baik")}, 2: {"predikat": ("Baik", "Kurang")}}, params)
    assert found.loc[1, "performance_score"] == 2.5 and found.loc[1, "performance"] == "above"
    assert found.loc[2, "performance_score"] == 1.5 and found.loc[2, "performance"] == "meets"


@pytest.mark.parametrize(("observed", "shortfall", "potential"), [
    ((3, 3, 3, 2), 0.25, "high"),  # at most 0.25
    ((3, 3, 2.5, 2.5), 0.25, "high"),
    ((3, 2, 2, 3), 0.5, "medium"),
    ((2, 2, 2, 3), 0.75, "medium"),  # at most 0.75
    ((2, 2, 2, 2.9), 0.775, "low"),
    ((4, 4, 4, 4), 0.0, "high"),  # above the standard does not make up for a shortfall elsewhere …
    ((5, 5, 5, 1), 0.5, "medium"),  # … as this one shows
])
def test_potential_is_the_mean_shortfall_against_the_next_levels_standard(observed, shortfall, potential):
    found, _ = placed({1: {"observed": levels(observed)}})
    assert (found.loc[1, "potential_score"], found.loc[1, "potential"]) == (shortfall, potential)
    assert found.loc[1, "reason"]["potential"]["reference_job_type"] == "administrator"


def test_only_competencies_of_the_reference_standard_with_an_observed_level_are_compared():
    # 15 is not in the administrator standard; 14 has no observed level.
    found, unplaced = placed({
        1: {"observed": {11: 3, 12: 2, 13: 3, 14: None, 15: 1}},
        2: {"observed": {11: 3, 12: 3, 14: None, 15: 1}},
    })
    reason = found.loc[1, "reason"]["potential"]
    assert (reason["compared"], reason["shortfall"]) == (3, 0.333)
    assert reason["largest"] == [{"competency": 12, "required": 3, "observed": 2.0, "shortfall": 1.0}]
    assert unplaced.loc[2, "code"] == "too_little_evidence" and unplaced.loc[2, "compared"] == 2


def test_at_the_top_of_the_ladder_the_own_level_is_the_reference():
    found, _ = placed({1: {"job_type": "jpt_utama", "observed": {11: 5, 12: 4, 13: 5}}})
    reason = found.loc[1, "reason"]["potential"]
    assert reason["reference_job_type"] == "jpt_utama" and reason["shortfall"] == 0.333


def test_the_largest_shortfalls_are_three_at_most_largest_first():
    found, _ = placed({1: {"observed": levels((1.5, 2, 1, 2.75))}})
    assert found.loc[1, "reason"]["potential"]["largest"] == [
        {"competency": 13, "required": 3, "observed": 1.0, "shortfall": 2.0},
        {"competency": 11, "required": 3, "observed": 1.5, "shortfall": 1.5},
        {"competency": 12, "required": 3, "observed": 2.0, "shortfall": 1.0},
    ]


@pytest.mark.parametrize(("jpm", "potential"), [(90, "high"), (89.9, "medium"), (78, "medium"), (77.9, "low")])
def test_an_assessment_centre_jpm_decides_potential(jpm, potential):
    found, _ = placed({1: {"observed": levels((3, 3, 3, 3)), "jpm": jpm}})
    assert (found.loc[1, "potential"], found.loc[1, "potential_score"]) == (potential, jpm)
    reason = found.loc[1, "reason"]["potential"]
    assert (reason["decided_by"], reason["jpm"], reason["shortfall"]) == ("assessment", jpm, 0.0)


def test_an_assessment_places_a_person_whose_profile_is_too_thin():
    found, unplaced = placed({1: {"observed": {11: 3}, "jpm": 92}, 2: {"observed": {11: 3}}})
    assert found.loc[1, "box"] == 8 and found.loc[1, "reason"]["potential"]["compared"] == 1
    assert unplaced["code"].to_dict() == {2: "too_little_evidence"}


def test_people_without_an_appraisal_in_the_window_are_not_placed():
    people, appraisals, *rest = frames({1: {"predikat": (None, None)}, 2: {}})
    old = pd.DataFrame([(2, 2, 2024, "Sangat Baik"), (1, 2, 2024, "Sangat Baik")], columns=appraisals.columns)
    result = place(people, pd.concat([appraisals, old]), *rest, PARAMS)
    assert result.unplaced.to_dict("records") == [{"employee": 1, "code": "no_appraisal", "compared": 4}]
    # The 2024 appraisal is outside the two cycles read: person 2's score is 2026 and 2025 only.
    assert result.placed["performance_score"].tolist() == [2.0]
    assert list(result.unplaced.columns) == list(UNPLACED_COLUMNS)


def test_the_reason_lets_an_analyst_check_the_placement():
    found, _ = placed({1: {"predikat": ("Sangat Baik", "Baik"), "observed": levels((3, 2.5, 3, 3))}})
    assert found.loc[1, "reason"] == {
        "performance": {
            "appraisals": [
                {"year": 2026, "predikat": "Sangat Baik", "score": 3, "weight": 0.6},
                {"year": 2025, "predikat": "Baik", "score": 2, "weight": 0.4},
            ],
            "score": 2.6, "level": "above", "above_from": 2.5, "below_under": 1.5,
        },
        "potential": {
            "decided_by": "profile", "level": "high", "reference_job_type": "administrator",
            "compared": 4, "min_compared": 3, "shortfall": 0.125,
            "largest": [{"competency": 12, "required": 3, "observed": 2.5, "shortfall": 0.5}],
            "high_at_most": 0.25, "medium_at_most": 0.75,
            "jpm": None, "jpm_high_from": 90, "jpm_medium_from": 78,
        },
        "box": 9,
    }
    assert json.loads(json.dumps(found.loc[1, "reason"])) == found.loc[1, "reason"]


def test_an_empty_agency_places_nobody():
    empty = frames({})
    result = place(*empty, PARAMS)
    assert result.placed.empty and result.unplaced.empty


@pytest.mark.parametrize("kwargs", [
    {"weights": ()}, {"weights": (0.6, 0)}, {"above": 1.4}, {"below": 0.5},
    {"potential_high": 0.8}, {"min_competencies": 0}, {"jpm_medium": 95},
])
def test_parameters_out_of_range_are_refused(kwargs):
    with pytest.raises(ParameterError):
        TalentParameters(**kwargs)


def test_a_hundred_thousand_people_are_placed_in_a_few_seconds():
    rng = np.random.default_rng(7)
    n, competencies = 100_000, 12
    ids = np.arange(1, n + 1) * 3
    job_types = np.array(["pelaksana", "pengawas", "ahli_pertama", "ahli_muda", "administrator"], dtype=object)
    people = pd.DataFrame({"employee": ids, "agency": AGENCY, "unit": rng.integers(1, 200, n),
                           "job_type": rng.choice(job_types, n)})
    standards = pd.DataFrame(
        [(AGENCY, job, c, int(rng.integers(1, 5))) for job in ["pengawas", "ahli_pertama", "ahli_muda", "ahli_madya",
                                                                "administrator", "jpt_pratama", "terampil"]
         for c in range(1, competencies + 1)],
        columns=["agency_id", "job_type", "competency_id", "required"],
    )
    back = np.tile([0, 1], n)
    appraisals = pd.DataFrame({
        "employee": np.repeat(ids, 2), "back": back, "year": 2026 - back,
        "predikat": rng.choice(np.array(["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang"], dtype=object), 2 * n),
    }).sample(frac=0.97, random_state=1)
    profile = pd.DataFrame({
        "employee": np.repeat(ids, competencies), "competency": np.tile(np.arange(1, competencies + 1), n),
        "observed": np.round(rng.uniform(1, 5, n * competencies), 2),
    })
    profile.loc[rng.random(len(profile)) < 0.08, "observed"] = np.nan
    assessments = pd.DataFrame({"employee": ids[::20], "jpm": rng.uniform(60, 100, len(ids[::20]))})

    # Speed is bench/talent.py's to measure; here, that a national-sized frame places everyone once.
    result = place(people, appraisals, profile, standards, assessments, PARAMS)

    assert len(result.placed) + len(result.unplaced) == n
    assert len(result.placed) > 0.9 * n
