"""A synthetic province for the benchmark and tests: agencies, units, people, courses, seats, envelopes.

Reproducible by seed. Each unit leans towards a few competencies (a health office needs other
skills than a finance office), so classes can fill; courses come in the formats agencies buy —
cheap e-learning without a class, classroom courses with a fixed cost per class and a minimum
size, technical guidance, socialisation, leadership training — each booked on its account.
Envelopes are the agency's per account plus, for some units, their own; each holds a share of
what meeting all demand in it would cost, so money is short as it is in the seed regions.
"""

import numpy as np
import pandas as pd

from .accounts import LEADERSHIP, SHORT_COURSE, SOCIALISATION, TECHNICAL_GUIDANCE, TRAINING, match_envelopes
from .problem import Problem

MILLION = 1_000_000
# kind, share of courses, account, JP choices, cost per participant (Rp million), fixed cost per
# class (Rp million), min size, max size
FORMATS = (
    ("e-learning", 0.25, SHORT_COURSE, (8, 12, 16), (0.2, 1.2), (0, 0), (1, 1), (200, 500)),
    ("classroom", 0.45, SHORT_COURSE, (16, 24, 32, 40), (1.0, 4.5), (6, 25), (8, 15), (25, 35)),
    ("bimtek", 0.15, TECHNICAL_GUIDANCE, (16, 24, 32), (1.5, 5.0), (10, 30), (10, 20), (30, 40)),
    ("socialisation", 0.08, SOCIALISATION, (4, 8), (0.1, 0.6), (3, 8), (15, 25), (60, 100)),
    ("leadership", 0.07, LEADERSHIP, (40, 60, 80), (8.0, 16.0), (20, 40), (15, 20), (30, 40)),
)
COMPETENCIES = 40


def synthetic_problem(*, seats=50_000, agencies=5, units=20, courses=160, seed=1, budget_share=0.35,
                      unit_envelope_share=0.2, pppk_share=0.2) -> Problem:
    """A problem with exactly ``seats`` candidate seats over ``agencies`` × ``units``.

    ``pools`` carries course, kind and account; ``envelopes`` agency, unit (-1 agency-wide),
    account; ``seats`` also agency, course and competency (-1 for top-ups).
    """
    rng = np.random.default_rng(seed)
    catalogue = _courses(rng, courses)
    by_competency = [np.flatnonzero((catalogue["competency_a"] == c) | (catalogue["competency_b"] == c))
                     for c in range(COMPETENCIES)]
    unit_ids = np.arange(agencies * units)
    unit_agency = unit_ids // units
    unit_taste = rng.dirichlet(np.full(COMPETENCIES, 0.15), size=len(unit_ids))
    unit_weight = rng.lognormal(0, 0.6, size=len(unit_ids))
    unit_weight /= unit_weight.sum()

    rows, people = [], []
    group = 0
    while len(rows) < seats:
        person = len(people)
        unit = int(rng.choice(len(unit_ids), p=unit_weight))
        pppk = rng.random() < pppk_share
        earned = 0 if rng.random() < 0.6 else int(rng.integers(2, 30))
        people.append((person, unit, unit_agency[unit], earned, 24.0 if pppk else np.nan))
        gaps = rng.choice(COMPETENCIES, size=int(rng.integers(1, 5)), replace=False, p=unit_taste[unit])
        for competency in gaps:
            options = by_competency[competency]
            if not len(options):
                continue
            priority = rng.uniform(0.2, 0.95)
            for course in rng.choice(options, size=min(len(options), int(rng.integers(1, 3))), replace=False):
                closure = rng.choice((0.5, 1.0, 1.5, 2.0), p=(0.3, 0.4, 0.2, 0.1))
                rows.append((person, unit, course, competency, group, round(closure * priority, 4)))
            group += 1
        if rng.random() < 0.3:
            course = int(rng.integers(len(catalogue)))
            rows.append((person, unit, course, -1, -1, round(rng.uniform(0.02, 0.1), 4)))
    frame = pd.DataFrame(rows[:seats], columns=["employee", "unit", "course", "competency", "group", "value"])
    frame["agency"] = unit_agency[frame["unit"].to_numpy()]
    frame["jp"] = catalogue["jp"].to_numpy()[frame["course"].to_numpy()]
    frame["cost"] = catalogue["cost"].to_numpy()[frame["course"].to_numpy()]
    frame["account"] = catalogue["account"].to_numpy()[frame["course"].to_numpy()]

    envelopes = _envelopes(rng, agencies, unit_ids, unit_agency, unit_envelope_share)
    frame["envelope"] = match_envelopes(frame, envelopes)
    pools, frame["pool"] = _pools(frame, catalogue)
    envelopes["amount"] = _amounts(frame, pools, catalogue, len(envelopes), budget_share)
    employees = pd.DataFrame(people, columns=["employee", "unit", "agency", "jp_earned", "jp_cap"])
    employees = employees[employees["employee"].isin(frame["employee"])]
    return Problem(seats=frame, pools=pools, envelopes=envelopes, employees=employees,
                   notes={"courses": len(catalogue), "units": len(unit_ids), "agencies": agencies})


def _courses(rng, n):
    shares = np.array([f[1] for f in FORMATS])
    kinds = rng.choice(len(FORMATS), size=n, p=shares / shares.sum())
    rows = []
    for course, k in enumerate(kinds):
        name, _, account, jps, cost, fixed, min_size, max_size = FORMATS[k]
        rows.append({
            "course": course, "kind": name, "account": account, "jp": int(rng.choice(jps)),
            "cost": int(round(rng.uniform(*cost), 1) * MILLION), "fixed_cost": int(round(rng.uniform(*fixed)) * MILLION),
            "min_size": int(rng.integers(min_size[0], min_size[1] + 1)),
            "max_size": int(rng.integers(max_size[0], max_size[1] + 1)),
            "competency_a": int(rng.integers(COMPETENCIES)),
            "competency_b": int(rng.integers(COMPETENCIES)) if rng.random() < 0.5 else -1,
        })
    return pd.DataFrame(rows)


def _envelopes(rng, agencies, unit_ids, unit_agency, unit_share):
    rows = [(a, -1, account) for a in range(agencies)
            for account in (SHORT_COURSE, TECHNICAL_GUIDANCE, SOCIALISATION, LEADERSHIP)]
    own = unit_ids[rng.random(len(unit_ids)) < unit_share]
    rows += [(int(unit_agency[u]), int(u), TRAINING) for u in own]
    return pd.DataFrame(rows, columns=["agency", "unit", "account"])


def _pools(frame, catalogue):
    keys = frame["course"].astype(np.int64) * 100_000 + frame["envelope"].astype(np.int64)
    codes, uniques = pd.factorize(keys)
    course = (uniques // 100_000).astype(np.int64)
    pools = catalogue.set_index("course").loc[course, ["kind", "account", "fixed_cost", "min_size", "max_size"]]
    pools = pools.reset_index().assign(envelope=(uniques % 100_000).astype(np.int64))
    return pools, codes


def _amounts(frame, pools, catalogue, n, share):
    """``share`` of what the best course for every gap would cost, classes full, per envelope."""
    best = frame.sort_values("value", ascending=False).drop_duplicates(["employee", "group"])
    best = best[best["group"] >= 0]
    spread = (pools["fixed_cost"] / pools["max_size"]).to_numpy()[best["pool"].to_numpy()]
    full = np.bincount(best["envelope"].to_numpy(), weights=best["cost"].to_numpy() + spread, minlength=n)
    return (np.round(full * share / MILLION) * MILLION).astype(np.int64)
