"""Turns the evidence DataFrames into the dense integer arrays the analysis computes on."""

from dataclasses import dataclass

import numpy as np

from .inputs import (
    EvidenceError,
    IdSpace,
    check_range,
    expectation_codes,
    indicator_codes,
    int_column,
    role_codes,
)
from .params import SELF

# Unit trees are shallow; the cap only stops a malformed (cyclic) tree from looping forever.
MAX_UNIT_DEPTH = 64


@dataclass
class Encoded:
    """Evidence as arrays. ``R`` required rows sorted by (employee, competency), ``P`` people,
    ``N`` ratings. Codes are dense indexes; ids are the original database ids."""

    # Required rows (R).
    employee: np.ndarray  # int64 id
    competency: np.ndarray  # int64 id
    person: np.ndarray  # intp index into the people arrays
    required_level: np.ndarray  # int8 1-5
    weight: np.ndarray  # float64
    is_service: np.ndarray  # bool
    survey_priority: np.ndarray  # int8 0 (none) or 1-3
    training_n: np.ndarray  # int64 completed courses
    training_level: np.ndarray  # int8 highest course level, 0 when none
    coaching_level: np.ndarray  # int8 level of the latest coaching rating, 0 when none
    # People (P).
    agency: np.ndarray  # int64 id
    unit: np.ndarray  # int64 id
    results: np.ndarray  # int8 ABOVE/MEETS/BELOW, -1 without appraisal
    behaviour: np.ndarray  # int8 as results
    discipline: np.ndarray  # int8 1-5, 0 when not recorded
    quality: np.ndarray
    innovation: np.ndarray
    ikm: np.ndarray  # float64 unit IKM (own unit or nearest ancestor), NaN when unknown
    # Ratings (N).
    cell: np.ndarray  # intp ratee x competency, for leniency comparisons
    n_cells: int
    rater_key: np.ndarray  # intp rater code * 2 + 1 for self-ratings
    n_rater_keys: int
    role: np.ndarray  # int8 index into ROLES
    level: np.ndarray  # int8 1-5
    row: np.ndarray  # intp required row the rating is evidence for, -1 for none
    rater_space: IdSpace


def encode(evidence):
    """Encode an ``Evidence`` (see ``tna.analysis.inputs``) into an ``Encoded``."""
    people, required, ratings = evidence.people, evidence.required, evidence.ratings
    people_ids = int_column(people, "employee", "people")
    if len(people_ids) != len(np.unique(people_ids)):
        raise EvidenceError("people.employee has duplicates.")
    ratee = int_column(ratings, "ratee", "ratings")
    rater = int_column(ratings, "rater", "ratings")
    space = IdSpace([people_ids, ratee, rater])
    competency_space = IdSpace([
        int_column(required, "competency", "required"),
        int_column(ratings, "competency", "ratings"),
        int_column(evidence.competencies, "competency", "competencies"),
    ])
    n_competencies = max(competency_space.size, 1)

    person_of = np.full(space.size, -1, dtype=np.intp)
    person_of[space.codes(people_ids)] = np.arange(len(people_ids))

    # Required rows of people in scope, ordered by (employee, competency) through a cell table.
    req_employee = int_column(required, "employee", "required")
    req_codes = space.codes(req_employee)
    keep = req_codes >= 0
    keep[keep] = person_of[req_codes[keep]] >= 0
    req_comp = competency_space.codes(int_column(required, "competency", "required")[keep])
    req_cell = req_codes[keep] * n_competencies + req_comp
    levels = int_column(required, "required_level", "required")[keep]
    check_range(levels, 1, 5, "required.required_level")
    weights = required["weight"].to_numpy(dtype=float)[keep]
    if np.isnan(weights).any() or (weights < 0).any():
        raise EvidenceError("required.weight must be a number of at least 0.")
    counts = np.bincount(req_cell, minlength=space.size * n_competencies) if len(req_cell) else np.zeros(0)
    if len(counts) and counts.max() > 1:
        cell = int(np.argmax(counts))
        raise EvidenceError(
            "required lists competency %s twice for employee %s."
            % (competency_space.ids(cell % n_competencies), space.ids(cell // n_competencies))
        )
    row_of_cell = np.full(space.size * n_competencies, -1, dtype=np.intp)
    row_of_cell[req_cell] = np.arange(len(req_cell))
    sorted_cells = np.flatnonzero(row_of_cell >= 0)
    order = row_of_cell[sorted_cells]
    row_of_cell[sorted_cells] = np.arange(len(sorted_cells))
    comp_code = sorted_cells % n_competencies
    person = person_of[sorted_cells // n_competencies]

    is_service_by_comp = np.zeros(n_competencies, dtype=bool)
    competencies = evidence.competencies
    if len(competencies):
        is_service_by_comp[competency_space.codes(int_column(competencies, "competency", "competencies"))] = (
            competencies["is_service"].to_numpy(dtype=bool)
        )

    def rows_for(frame, name):
        """Required-row index of each (employee, competency) in ``frame``; -1 when not required."""
        codes = space.codes(int_column(frame, "employee", name))
        comps = competency_space.codes(int_column(frame, "competency", name))
        ok = (codes >= 0) & (comps >= 0)
        rows = np.full(len(frame), -1, dtype=np.intp)
        rows[ok] = row_of_cell[codes[ok] * n_competencies + comps[ok]]
        return rows

    survey_priority = np.zeros(len(sorted_cells), dtype=np.int8)
    if len(evidence.survey):
        rows = rows_for(evidence.survey, "survey")
        priority = int_column(evidence.survey, "priority", "survey")
        check_range(priority, 1, 3, "survey.priority")
        np.maximum.at(survey_priority, rows[rows >= 0], priority[rows >= 0].astype(np.int8))

    training_n = np.zeros(len(sorted_cells), dtype=np.int64)
    training_level = np.zeros(len(sorted_cells), dtype=np.int8)
    if len(evidence.training):
        rows = rows_for(evidence.training, "training")
        level = int_column(evidence.training, "level", "training")
        check_range(level, 1, 5, "training.level")
        ok = rows >= 0
        training_n = np.bincount(rows[ok], minlength=len(sorted_cells))
        np.maximum.at(training_level, rows[ok], level[ok].astype(np.int8))

    coaching_level = np.zeros(len(sorted_cells), dtype=np.int8)
    if len(evidence.coaching):
        rows = rows_for(evidence.coaching, "coaching")
        level = int_column(evidence.coaching, "level", "coaching")
        check_range(level, 1, 5, "coaching.level")
        # The last row of each required row counts: its first occurrence in the reversed rows.
        rows, level = rows[::-1], level[::-1]
        ok = rows >= 0
        latest, first = np.unique(rows[ok], return_index=True)
        coaching_level[latest] = level[ok][first]

    # Ratings.
    role = role_codes(ratings)
    level = int_column(ratings, "level", "ratings").astype(np.int8)
    check_range(level, 1, 5, "ratings.level")
    if ((role == SELF) != (ratee == rater)).any():
        bad = np.flatnonzero((role == SELF) != (ratee == rater))[0]
        raise EvidenceError(
            "A self-rating must have the ratee as rater and only a self-rating may (rater %s, ratee %s)."
            % (rater[bad], ratee[bad])
        )
    rater_codes = space.codes(rater)
    rating_comp = competency_space.codes(int_column(ratings, "competency", "ratings"))
    cell = space.codes(ratee) * n_competencies + rating_comp
    row = row_of_cell[cell] if len(cell) else np.zeros(0, dtype=np.intp)

    appraisal = _appraisals(evidence.appraisals, space, person_of, len(people_ids))
    return Encoded(
        employee=people_ids[person],
        competency=competency_space.ids(comp_code),
        person=person,
        required_level=levels[order].astype(np.int8),
        weight=weights[order],
        is_service=is_service_by_comp[comp_code],
        survey_priority=survey_priority,
        training_n=training_n,
        training_level=training_level,
        coaching_level=coaching_level,
        agency=int_column(people, "agency", "people"),
        unit=int_column(people, "unit", "people"),
        ikm=_unit_ikm(evidence, int_column(people, "unit", "people")),
        cell=cell,
        n_cells=space.size * n_competencies,
        rater_key=rater_codes * 2 + (role == SELF),
        n_rater_keys=space.size * 2,
        role=role,
        level=level,
        row=row,
        rater_space=space,
        **appraisal,
    )


def _appraisals(frame, space, person_of, n_people):
    """Per-person appraisal codes (see ``Encoded``)."""
    out = {
        "results": np.full(n_people, -1, dtype=np.int8),
        "behaviour": np.full(n_people, -1, dtype=np.int8),
        **{name: np.zeros(n_people, dtype=np.int8) for name in ("discipline", "quality", "innovation")},
    }
    if not len(frame):
        return out
    codes = space.codes(int_column(frame, "employee", "appraisals"))
    ok = codes >= 0
    ok[ok] = person_of[codes[ok]] >= 0
    person = person_of[codes[ok]]
    for name in ("results", "behaviour"):
        out[name][person] = expectation_codes(frame, name)[ok]
    for name in ("discipline", "quality", "innovation"):
        out[name][person] = indicator_codes(frame, name)[ok]
    return out


def _unit_ikm(evidence, person_units):
    """Each person's unit IKM: the unit's own score, else its nearest ancestor's, else NaN."""
    ikm, units = evidence.ikm, evidence.units
    if not len(ikm):
        return np.full(len(person_units), np.nan)
    parents = units["parent"].dropna()
    space = IdSpace([person_units, int_column(ikm, "unit", "ikm"), int_column(units, "unit", "units"),
                     parents.to_numpy(dtype=np.int64)])
    scores = ikm["score"].to_numpy(dtype=float)
    check_range(scores, 25, 100, "ikm.score")
    score = np.full(space.size, np.nan)
    score[space.codes(int_column(ikm, "unit", "ikm"))] = scores
    parent = np.full(space.size, -1, dtype=np.intp)
    with_parent = units["parent"].notna().to_numpy()
    parent[space.codes(int_column(units[with_parent], "unit", "units"))] = space.codes(
        units["parent"][with_parent].to_numpy(dtype=np.int64)
    )
    resolved = score.copy()
    ancestor = parent.copy()
    for _ in range(MAX_UNIT_DEPTH):
        todo = np.isnan(resolved) & (ancestor >= 0)
        if not todo.any():
            break
        resolved[todo] = score[ancestor[todo]]
        ancestor[todo] = parent[ancestor[todo]]
    return resolved[space.codes(person_units)]
