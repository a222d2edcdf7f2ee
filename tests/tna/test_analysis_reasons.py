"""Every result row carries a reason that follows the contract shared with the views and the API."""

import json
import math

import numpy as np
import pandas as pd
import pytest

from tna.analysis import Evidence, Parameters, analyse
from tna.analysis.reasons import PREDIKAT, reason_dict, reason_values

TOP_KEYS = {"required", "observed", "gap", "confidence", "no_evidence", "raters", "leniency_correction",
            "priority_parts", "signals"}
OPTIONAL_KEYS = {"training", "appraisal", "survey_priority", "ikm"}
SIGNALS = ["behaviour_below", "results_below", "low_discipline", "low_quality", "low_innovation",
           "survey_priority_1", "survey_priority_2", "survey_priority_3", "low_ikm", "low_confidence",
           "ratings_left_out"]
ROLES = ["supervisor", "peer", "subordinate", "self"]


@pytest.fixture(scope="module")
def mixed():
    """300 people, 4 competencies (3 rated, 4 a service one), random panels and every kind of evidence."""
    rng = np.random.default_rng(7)
    people = pd.DataFrame({"employee": np.arange(1, 301), "agency": 1, "unit": rng.integers(1, 6, 300), "position": 1})
    required = pd.DataFrame({
        "employee": np.repeat(people["employee"], 4), "competency": np.tile([1, 2, 3, 4], 300),
        "required_level": rng.integers(1, 6, 1200), "weight": rng.choice([0.5, 1.0, 2.0], 1200),
    })
    rows = []
    for ratee in range(1, 301):
        for competency in (1, 2, 4):
            if ratee % 17 == 0 and competency == 4:
                continue  # some people have no evidence on competency 4
            panel = [(ratee, "self")]
            if ratee % 5:
                panel.append((1 + (ratee + 3) % 300, "supervisor"))
            panel += [(1 + (ratee + k) % 300, "peer") for k in (10, 20, 30)[: ratee % 4]]
            panel += [(1 + (ratee + 40) % 300, "subordinate")] if ratee % 3 == 0 else []
            rows += [(ratee, rater, role, competency, int(rng.integers(1, 6))) for rater, role in panel]
    ratings = pd.DataFrame(rows, columns=["ratee", "rater", "role", "competency", "level"])
    appraisals = pd.DataFrame({
        "employee": np.arange(1, 301, 2), "results": rng.choice(["above", "meets", "below"], 150),
        "behaviour": rng.choice(["above", "meets", "below"], 150), "discipline": rng.integers(1, 6, 150).astype(float),
        "quality": np.where(rng.random(150) < 0.3, np.nan, rng.integers(1, 6, 150)), "innovation": np.nan,
    })
    survey = pd.DataFrame({"employee": np.arange(1, 301, 3), "competency": 4, "priority": rng.integers(1, 4, 100)})
    ikm = pd.DataFrame({"unit": [1, 2, 3], "score": [61.5, 80.0, 76.6]})
    training = pd.DataFrame({"employee": [2, 2, 3], "competency": [1, 1, 3], "level": [3, 4, 2]})
    competencies = pd.DataFrame({"competency": [1, 2, 3, 4], "is_service": [False, False, False, True]})
    evidence = Evidence(people=people, required=required, ratings=ratings, appraisals=appraisals, survey=survey,
                        ikm=ikm, training=training, competencies=competencies)
    # Pooling off: these tests check how a reason carries the numbers; the pooling of small
    # groups has its own tests (test_analysis_anonymity.py).
    result = analyse(evidence, Parameters(anonymity_minimum=1))
    return evidence, result, [result.reason(i) for i in range(len(result))]


def test_every_row_has_a_reason_that_matches_its_numbers(mixed):
    _, result, reasons = mixed
    gaps = result.gaps
    assert len(reasons) == len(gaps) == 1200
    for (_, gap), reason in zip(gaps.iterrows(), reasons, strict=True):
        assert TOP_KEYS <= set(reason) <= TOP_KEYS | OPTIONAL_KEYS
        assert reason["required"] == gap["required_level"] and isinstance(reason["required"], int)
        if math.isnan(gap["observed_level"]):
            assert reason["observed"] is None and reason["no_evidence"] is True
            assert reason["gap"] == 0 and reason["confidence"] == 0 and gap["priority"] == 0
        else:
            assert reason["observed"] == gap["observed_level"] and reason["no_evidence"] is False
            assert 1 <= reason["observed"] <= 5
        assert reason["gap"] == gap["gap"] == round(max(gap["required_level"] - (reason["observed"] or 99), 0), 2)
        assert reason["confidence"] == gap["confidence"]
        assert list(reason["priority_parts"]) == ["gap", "weight", "appraisal", "survey", "ikm"]
        assert round(sum(reason["priority_parts"].values()), 2) == gap["priority"]
        assert [s for s in SIGNALS if s in reason["signals"]] == reason["signals"]
        assert isinstance(reason["leniency_correction"], float)


def test_raters_show_count_corrected_mean_and_the_weight_used(mixed):
    evidence, result, reasons = mixed
    ratings = evidence.ratings
    for (_, gap), reason in zip(result.gaps.iterrows(), reasons, strict=True):
        mine = ratings[(ratings["ratee"] == gap["employee"]) & (ratings["competency"] == gap["competency"])]
        counts = mine["role"].value_counts().to_dict()
        assert {role: entry["n"] for role, entry in reason["raters"].items()} == counts
        assert list(reason["raters"]) == [role for role in ROLES if role in counts]
        if counts:
            assert sum(entry["weight"] for entry in reason["raters"].values()) == pytest.approx(1, abs=0.02)
            assert all(1 <= entry["mean"] <= 5 for entry in reason["raters"].values())


def test_optional_parts_appear_exactly_when_they_apply(mixed):
    evidence, result, reasons = mixed
    appraised = dict(zip(evidence.appraisals["employee"], evidence.appraisals.to_dict("records"), strict=True))
    asked = {(e, c): p for e, c, p in evidence.survey.itertuples(index=False)}
    unit_ikm = dict(zip(evidence.ikm["unit"], evidence.ikm["score"], strict=True))
    units = dict(zip(evidence.people["employee"], evidence.people["unit"], strict=True))
    for (_, gap), reason in zip(result.gaps.iterrows(), reasons, strict=True):
        employee, competency = gap["employee"], gap["competency"]
        record = appraised.get(employee)
        if record is None:
            assert "appraisal" not in reason
        else:
            expected = {"results": record["results"], "behaviour": record["behaviour"],
                        "predikat": PREDIKAT[(record["results"], record["behaviour"])]}
            for name in ("discipline", "quality", "innovation"):
                if not math.isnan(record[name]):
                    expected[name] = int(record[name])
            assert reason["appraisal"] == expected
            assert ("behaviour_below" in reason["signals"]) == (record["behaviour"] == "below")
        if (employee, competency) in asked:
            assert reason["survey_priority"] == asked[(employee, competency)]
            assert "survey_priority_%d" % asked[(employee, competency)] in reason["signals"]
        else:
            assert "survey_priority" not in reason
        score = unit_ikm.get(units[employee])
        if competency == 4 and score is not None:
            assert reason["ikm"] == score
            assert ("low_ikm" in reason["signals"]) == (score < 76.61)
        else:
            assert "ikm" not in reason and "low_ikm" not in reason["signals"]


def test_training_appears_only_where_it_counted(mixed):
    _, result, reasons = mixed
    evidence = mixed[0]
    rated = ((evidence.ratings["ratee"] == 2) & (evidence.ratings["competency"] == 1)).sum()
    # Two courses at the default weight of half a rating each, next to the ratings received.
    trained = {(2, 1): {"n": 2, "level": 4, "weight": round(1.0 / (rated + 1.0), 2)}}
    for (_, gap), reason in zip(result.gaps.iterrows(), reasons, strict=True):
        # Competency 3 is never rated: employee 3's course is the only evidence there.
        key = (gap["employee"], gap["competency"])
        if key == (3, 3):
            assert reason["training"] == {"n": 1, "level": 2, "weight": 1.0} and reason["observed"] == 2.0
        else:
            assert reason.get("training") == trained.get(key)


def test_reason_columns_are_the_same_whatever_the_chunk(mixed):
    _, result, _ = mixed
    whole = result.reason_columns()
    for name, values in whole.items():
        pieces = np.concatenate([result.reason_columns(start, start + 77)[name] for start in range(0, len(result), 77)])
        np.testing.assert_array_equal(pieces, values, err_msg=name)


def test_the_columns_give_back_the_reason_they_were_made_from(mixed):
    """Reasons survive the trip through the stored columns (as the migration from JSON relies on)."""
    _, _, reasons = mixed
    for reason in reasons:
        values = reason_values(reason)
        numbers = {"required_level": reason["required"], "observed_level": reason["observed"], "gap": reason["gap"],
                   "confidence": reason["confidence"]}
        assert reason_dict({**numbers, **values}) == reason
    assert json.loads(json.dumps(reasons)) == reasons  # plain JSON types for the API
