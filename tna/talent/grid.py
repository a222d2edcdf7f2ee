"""The 9-box placement, pure: people, SKP appraisals, competency profiles, job-level standards and
assessment-centre results in; each person's box with the numbers behind it out (docs/talent.md).

No ORM here: ``tna.services.talent`` reads the frames in bulk and writes the placements back.

Performance is the weighted SKP predikat of the cycle placed and the ones before it; potential is
the mean shortfall of the person's observed competency levels against the standard of the next
job level on their ladder (``tna.talent.ladder.potential_reference``), unless an assessment centre
measured a job-person match (JPM) in the cycle, which then decides. Everything is computed on
NumPy arrays over all people at once; only the reasons are built person by person.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from ..analysis.params import ParameterError
from .boxes import BOX
from .ladder import potential_reference

#: people: one row per person to place. ``employee`` (id), ``agency`` (id), ``unit`` (id),
#: ``job_type`` (their position's job type, ``tna.grades.JobType``).
PEOPLE_COLUMNS = ("employee", "agency", "unit", "job_type")
#: appraisals: one row per SKP appraisal. ``employee``; ``back``: how many cycles before the one
#: placed (0 = that cycle, 1 = the one before …; rows at or past the number of weights are
#: ignored); ``year`` of that cycle; ``predikat`` as in ``tna.models.evidence.PREDIKAT``.
APPRAISAL_COLUMNS = ("employee", "back", "year", "predikat")
#: profile: the TNA results of the cycle. ``employee``, ``competency`` (id), ``observed`` (the
#: observed level, 1–5; NaN or absent where nothing was observed).
PROFILE_COLUMNS = ("employee", "competency", "observed")
#: standards: the required level of each competency per job level and agency, as
#: ``tna.talent.selectors.level_standards`` returns them.
STANDARD_COLUMNS = ("agency_id", "job_type", "competency_id", "required")
#: assessments: assessment-centre results of the cycle. ``employee``, ``jpm`` (0–100 %).
ASSESSMENT_COLUMNS = ("employee", "jpm")

#: placed: one row per person placed. ``employee``, ``agency``, ``unit``, ``job_type``,
#: ``performance`` (below/meets/above), ``potential`` (low/medium/high), ``box`` (1–9),
#: ``performance_score`` (weighted predikat score, 1–3), ``potential_score`` (the mean shortfall
#: in levels when the profile decides, the JPM in % when an assessment decides: see the reason's
#: ``potential.decided_by``), ``reason`` (a JSON-able dict, see ``reason_of``).
PLACED_COLUMNS = ("employee", "agency", "unit", "job_type", "performance", "potential", "box",
                  "performance_score", "potential_score", "reason")
#: unplaced: one row per person left out. ``employee``, ``code`` (``UNPLACED_REASONS``),
#: ``compared`` (competencies the profile could compare).
UNPLACED_COLUMNS = ("employee", "code", "compared")

#: Points of each SKP predikat (PermenPANRB 6/2022); any other predikat scores ``OTHER_PREDIKAT_SCORE``.
PREDIKAT_SCORES = {"Sangat Baik": 3, "Baik": 2}
OTHER_PREDIKAT_SCORE = 1

NO_APPRAISAL = "no_appraisal"
TOO_LITTLE_EVIDENCE = "too_little_evidence"
#: Why a person was left out of the grid, by code.
UNPLACED_REASONS = {
    NO_APPRAISAL: _("no SKP appraisal in the cycles read"),
    TOO_LITTLE_EVIDENCE: _("too few competencies observed against the next level's standard, and no assessment"),
}

#: What decided potential (the reason's ``potential.decided_by``).
PROFILE, ASSESSMENT = "profile", "assessment"
#: Largest shortfalls listed in a reason.
LARGEST = 3

PERFORMANCE_LEVELS = np.array(["below", "meets", "above"], dtype=object)
POTENTIAL_LEVELS = np.array(["low", "medium", "high"], dtype=object)
# BOX as a 3 × 3 array: [performance code, potential code] → box.
BOX_TABLE = np.array([[BOX[(perf, pot)] for pot in POTENTIAL_LEVELS] for perf in PERFORMANCE_LEVELS])


@dataclass(frozen=True)
class TalentParameters:
    """The thresholds of the grid (docs/talent.md names the ``LATIH_TALENT_*`` setting of each).

    ``weights`` are the appraisal cycles' weights, latest first; their number is the number of
    cycles read.
    """

    weights: tuple = (0.6, 0.4)
    above: float = 2.5
    below: float = 1.5
    potential_high: float = 0.25
    potential_medium: float = 0.75
    min_competencies: int = 3
    jpm_high: float = 90
    jpm_medium: float = 78

    def __post_init__(self):
        object.__setattr__(self, "weights", tuple(float(w) for w in self.weights))
        if not self.weights or min(self.weights) <= 0:
            raise ParameterError("The appraisal weights must be one or more positive numbers.")
        if not 1 <= self.below <= self.above <= 3:
            raise ParameterError("Performance thresholds need 1 <= below <= above <= 3.")
        if not 0 <= self.potential_high <= self.potential_medium:
            raise ParameterError("Potential thresholds need 0 <= high <= medium (levels of shortfall).")
        if self.min_competencies < 1:
            raise ParameterError("At least one compared competency is needed to judge potential.")
        if not 0 <= self.jpm_medium <= self.jpm_high <= 100:
            raise ParameterError("JPM thresholds need 0 <= medium <= high <= 100.")


@dataclass
class Placement:
    """What ``place`` returns: the ``placed`` frame (``PLACED_COLUMNS``) and the ``unplaced``
    frame (``UNPLACED_COLUMNS``), both in the order of the people frame."""

    placed: pd.DataFrame
    unplaced: pd.DataFrame


def place(people, appraisals, profile, standards, assessments, params):
    """Place every person of ``people`` in the 9-box; see the module docstring and docs/talent.md.

    Frames as described by the ``*_COLUMNS`` constants above; rows of people not in ``people``
    are ignored. Returns a ``Placement``.
    """
    for name, frame, columns in (("people", people, PEOPLE_COLUMNS), ("appraisals", appraisals, APPRAISAL_COLUMNS),
                                 ("profile", profile, PROFILE_COLUMNS), ("standards", standards, STANDARD_COLUMNS),
                                 ("assessments", assessments, ASSESSMENT_COLUMNS)):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError("The %s frame lacks the columns %s." % (name, ", ".join(missing)))
    ids = people["employee"].to_numpy(np.int64)
    index = pd.Index(ids)
    if not index.is_unique:
        raise ValueError("The people frame lists a person twice.")
    n = len(ids)
    perf = _performance(index, n, appraisals, params)
    pot = _profile(index, n, people, profile, standards, params)
    jpm = np.full(n, np.nan)
    if len(assessments):
        at = index.get_indexer(assessments["employee"].to_numpy(np.int64))
        found = at >= 0
        jpm[at[found]] = assessments["jpm"].to_numpy(float)[found]
    assessed = ~np.isnan(jpm)

    # Potential: 0 low, 1 medium, 2 high; an assessment decides over the profile.
    shortfall = pot["shortfall"]
    from_profile = np.where(shortfall <= params.potential_high, 2, np.where(shortfall <= params.potential_medium, 1, 0))
    from_jpm = np.where(jpm >= params.jpm_high, 2, np.where(jpm >= params.jpm_medium, 1, 0))
    potential = np.where(assessed, from_jpm, from_profile)
    potential_score = np.where(assessed, jpm, shortfall)
    enough = pot["compared"] >= params.min_competencies

    appraised = perf["weight"] > 0
    placed = appraised & (assessed | enough)
    box = BOX_TABLE[perf["level"], potential]

    rows = np.flatnonzero(placed)
    frame = pd.DataFrame({
        "employee": ids[rows],
        "agency": people["agency"].to_numpy(np.int64)[rows],
        "unit": people["unit"].to_numpy(np.int64)[rows],
        "job_type": people["job_type"].to_numpy(object)[rows],
        "performance": PERFORMANCE_LEVELS[perf["level"][rows]],
        "potential": POTENTIAL_LEVELS[potential[rows]],
        "box": box[rows].astype(np.int64),
        "performance_score": perf["score"][rows],
        "potential_score": np.round(potential_score[rows], 3),
    })
    frame["reason"] = _reasons(rows, perf, pot, jpm, assessed, potential, box, params)
    left = np.flatnonzero(~placed)
    unplaced = pd.DataFrame({
        "employee": ids[left],
        "code": np.where(appraised[left], TOO_LITTLE_EVIDENCE, NO_APPRAISAL).astype(object),
        "compared": pot["compared"][left].astype(np.int64),
    })
    return Placement(placed=frame[list(PLACED_COLUMNS)], unplaced=unplaced[list(UNPLACED_COLUMNS)])


def _performance(index, n, appraisals, params):
    """Weighted predikat score per person; the appraisal rows used, sorted by person and cycle."""
    weights = np.asarray(params.weights)
    person = index.get_indexer(appraisals["employee"].to_numpy(np.int64))
    back = appraisals["back"].to_numpy(np.int64)
    keep = (person >= 0) & (back >= 0) & (back < len(weights))
    person, back = person[keep], back[keep]
    year = appraisals["year"].to_numpy(np.int64)[keep]
    predikat = appraisals["predikat"].to_numpy(object)[keep]
    # One appraisal per person and cycle (the last given wins), in order of person, then latest first.
    order = np.lexsort((back, person))
    person, back, year, predikat = person[order], back[order], year[order], predikat[order]
    unique = np.ones(len(person), dtype=bool)
    unique[:-1] = (person[1:] != person[:-1]) | (back[1:] != back[:-1])
    person, back, year, predikat = person[unique], back[unique], year[unique], predikat[unique]
    points = np.full(len(person), OTHER_PREDIKAT_SCORE, dtype=np.int64)
    for name, value in PREDIKAT_SCORES.items():
        points[predikat == name] = value
    weight = weights[back]
    total_weight = np.bincount(person, weights=weight, minlength=n)
    total = np.bincount(person, weights=weight * points, minlength=n)
    score = np.round(np.divide(total, total_weight, out=np.zeros(n), where=total_weight > 0), 6)
    level = np.where(score >= params.above, 2, np.where(score < params.below, 0, 1))
    return {"score": score, "level": level, "weight": total_weight,
            "rows": (person, year, predikat, points, weight), "starts": np.searchsorted(person, np.arange(n + 1))}


def _profile(index, n, people, profile, standards, params):
    """Per person: the reference job level, the competencies compared and their mean shortfall;
    the largest shortfalls, sorted by person."""
    job_type = people["job_type"].to_numpy(object)
    references = {job: _reference(job) for job in pd.unique(job_type)}
    reference = np.array([references[job] for job in job_type], dtype=object) if n else np.array([], dtype=object)
    # Dense required levels: [standard of (agency, job level), competency] → level, 0 where not asked.
    pairs = pd.MultiIndex.from_arrays([standards["agency_id"].to_numpy(np.int64), standards["job_type"].to_numpy(object)])
    group_of_row, groups = pairs.factorize()
    competency_of_row, competencies = pd.factorize(standards["competency_id"].to_numpy(np.int64))
    required = np.zeros((len(groups), len(competencies)), dtype=np.int64)
    required[group_of_row, competency_of_row] = standards["required"].to_numpy(np.int64)
    wanted = pd.MultiIndex.from_arrays([people["agency"].to_numpy(np.int64), reference])
    group = groups.get_indexer(wanted) if len(groups) else np.full(n, -1, dtype=np.intp)

    person = index.get_indexer(profile["employee"].to_numpy(np.int64))
    competency = pd.Index(competencies).get_indexer(profile["competency"].to_numpy(np.int64))
    observed = profile["observed"].to_numpy(float)
    usable = (person >= 0) & (competency >= 0) & ~np.isnan(observed)
    person, competency, observed = person[usable], competency[usable], observed[usable]
    standard = group[person]
    person, competency, observed, standard = (a[standard >= 0] for a in (person, competency, observed, standard))
    level = required[standard, competency]
    asked = level > 0
    person, competency, observed, level = person[asked], competency[asked], observed[asked], level[asked]
    gap = np.maximum(level - observed, 0.0)
    compared = np.bincount(person, minlength=n)
    total = np.bincount(person, weights=gap, minlength=n)
    shortfall = np.round(np.divide(total, compared, out=np.full(n, np.nan), where=compared > 0), 6)

    # The largest shortfalls per person: by person, then shortfall down, then competency id.
    ids = competencies[competency] if len(competency) else np.zeros(0, dtype=np.int64)
    short = gap > 0
    person, ids, level, observed, gap = person[short], ids[short], level[short], observed[short], gap[short]
    order = np.lexsort((ids, -gap, person))
    person, ids, level, observed, gap = person[order], ids[order], level[order], observed[order], gap[order]
    return {"reference": reference, "compared": compared, "shortfall": shortfall,
            "largest": (person, ids, level, observed, gap), "starts": np.searchsorted(person, np.arange(n + 1))}


def _reference(job_type):
    """The job level whose standard measures potential, or None for an unknown job type."""
    try:
        return potential_reference(job_type)
    except KeyError:
        return None


def _reasons(rows, perf, pot, jpm, assessed, potential, box, params):
    """The reason dict of each placed person (``rows``: their positions in the people frame).

    ``performance``: ``appraisals`` (per cycle, latest first: ``year``, ``predikat``, ``score``,
    ``weight`` renormalised over the cycles present), ``score`` (Σ weight × score), ``level``,
    ``above_from`` and ``below_under`` (its thresholds). ``potential``: ``decided_by``
    (``profile`` or ``assessment``), ``level``, ``reference_job_type`` (whose standard was
    used), ``compared`` (competencies with both a required and an observed level),
    ``min_compared``, ``shortfall`` (their mean of max(0, required − observed); None with
    nothing compared), ``largest`` (up to three: ``competency`` id, ``required``, ``observed``,
    ``shortfall``; largest first, ties by competency id), ``high_at_most`` and
    ``medium_at_most`` (its thresholds), ``jpm`` (the assessment-centre match, None without
    one), ``jpm_high_from`` and ``jpm_medium_from``. ``box``: the box from the evidence.
    """
    # Whole columns are rounded and turned into Python objects at once, and the small dicts are
    # built in one pass over their rows, then sliced per person: a loop indexing per value would
    # take several times as long.
    a_person, a_year, a_predikat, a_points, a_weight = perf["rows"]
    a_share = np.round(a_weight / np.maximum(perf["weight"][a_person], 1e-12), 4)
    appraisals = [{"year": y, "predikat": p, "score": s, "weight": w} for y, p, s, w in zip(
        a_year.tolist(), a_predikat.tolist(), a_points.tolist(), a_share.tolist(), strict=True)]
    l_person, l_ids, l_level, l_observed, l_gap = pot["largest"]
    first = pot["starts"][l_person] if len(l_person) else np.zeros(0, dtype=np.int64)
    top = np.arange(len(l_person)) - first < LARGEST
    largest = [{"competency": c, "required": r, "observed": o, "shortfall": g} for c, r, o, g in zip(
        l_ids[top].tolist(), l_level[top].tolist(), np.round(l_observed[top], 2).tolist(),
        np.round(l_gap[top], 2).tolist(), strict=True)]
    l_starts = np.searchsorted(l_person[top], np.arange(len(pot["starts"])))
    a_starts = perf["starts"]

    perf_names, pot_names = PERFORMANCE_LEVELS.tolist(), POTENTIAL_LEVELS.tolist()
    above, below = params.above, params.below
    performance = [
        {"appraisals": appraisals[a:b], "score": score, "level": perf_names[level],
         "above_from": above, "below_under": below}
        for a, b, score, level in zip(a_starts[rows].tolist(), a_starts[rows + 1].tolist(),
                                      np.round(perf["score"][rows], 4).tolist(), perf["level"][rows].tolist(),
                                      strict=True)
    ]
    high, medium, minimum = params.potential_high, params.potential_medium, params.min_competencies
    jpm_high, jpm_medium = params.jpm_high, params.jpm_medium
    shortfall = np.round(pot["shortfall"][rows], 3).astype(object)
    shortfall[np.isnan(pot["shortfall"][rows])] = None
    jpm = jpm[rows].astype(object)
    jpm[~assessed[rows]] = None
    decided = np.where(assessed[rows], ASSESSMENT, PROFILE).tolist()
    potentials = [
        {"decided_by": by, "level": pot_names[level], "reference_job_type": reference, "compared": compared,
         "min_compared": minimum, "shortfall": mean, "largest": largest[a:b], "high_at_most": high,
         "medium_at_most": medium, "jpm": match, "jpm_high_from": jpm_high, "jpm_medium_from": jpm_medium}
        for by, level, reference, compared, mean, a, b, match in zip(
            decided, potential[rows].tolist(), pot["reference"][rows].tolist(), pot["compared"][rows].tolist(),
            shortfall.tolist(), l_starts[rows].tolist(), l_starts[rows + 1].tolist(), jpm.tolist(), strict=True)
    ]
    return [{"performance": p, "potential": q, "box": b}
            for p, q, b in zip(performance, potentials, box[rows].tolist(), strict=True)]
