"""Small evidence frames for the pure analysis tests."""

import pandas as pd

from tna.analysis import Evidence, Parameters

# No leniency correction and no pooling of small rater groups: known-answer tests of the
# weighting then come out exact (tests/tna/test_analysis_anonymity.py tests the pooling).
NO_LENIENCY = {"leniency_shrinkage": 1e12, "leniency_iterations": 1, "anonymity_minimum": 1}


def params(**overrides):
    return Parameters(**{**NO_LENIENCY, **overrides})


def evidence(ratings, *, people=None, required=None, competencies=None, **frames):
    """Evidence from ``ratings`` tuples (ratee, rater, role, competency, level).

    By default everyone rated (as ratee) is a person in agency 1, unit 1, position 1, and needs
    level 3 with weight 1 of every competency they were rated on.
    """
    ratings = pd.DataFrame(ratings, columns=["ratee", "rater", "role", "competency", "level"])
    if people is None:
        ids = sorted(set(ratings["ratee"]))
        people = pd.DataFrame({"employee": ids, "agency": 1, "unit": 1, "position": 1})
    elif not isinstance(people, pd.DataFrame):
        people = pd.DataFrame(people, columns=["employee", "agency", "unit", "position"])
    if required is None:
        pairs = ratings[ratings["ratee"].isin(people["employee"])][["ratee", "competency"]].drop_duplicates()
        required = pd.DataFrame({
            "employee": pairs["ratee"], "competency": pairs["competency"], "required_level": 3, "weight": 1.0,
        })
    elif not isinstance(required, pd.DataFrame):
        required = pd.DataFrame(required, columns=["employee", "competency", "required_level", "weight"])
    for name, columns in {
        "appraisals": ["employee", "results", "behaviour", "discipline", "quality", "innovation"],
        "survey": ["employee", "competency", "priority"],
        "ikm": ["unit", "score"],
        "units": ["unit", "parent"],
        "training": ["employee", "competency", "level"],
    }.items():
        if name in frames and not isinstance(frames[name], pd.DataFrame):
            frames[name] = pd.DataFrame(frames[name], columns=columns)
    if competencies is not None and not isinstance(competencies, pd.DataFrame):
        frames["competencies"] = pd.DataFrame(competencies, columns=["competency", "is_service"])
    return Evidence(people=people, required=required, ratings=ratings, **frames)


def row(result, employee, competency):
    """The result row (a dict) and its reason for one employee x competency."""
    gaps = result.gaps
    index = gaps.index[(gaps["employee"] == employee) & (gaps["competency"] == competency)]
    assert len(index) == 1, "no single result row for %s x %s" % (employee, competency)
    position = gaps.index.get_loc(index[0])
    return gaps.iloc[position].to_dict(), result.reason(position)
