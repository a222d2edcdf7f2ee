"""A synthetic agency for the mentoring benchmark and tests: people in units and locations, needs, mentors, HR's choices.

Reproducible by seed. Mentors and mentees are drawn from one workforce (ids from 1; a share of
the mentors are mentees in other competencies). Each unit sits in one location and leans towards
a few competencies, both in what its staff lack and in what its experts offer. Mentors are more
senior than most mentees; each mentee's direct supervisor is a more senior colleague in the
unit — often a mentor — or a head outside both lists (ids from 900,000), or nobody.
"""

import numpy as np
import pandas as pd

from .problem import Problem

HEADS = 900_000


def synthetic_problem(*, mentees=20_000, mentors=4_000, competencies=10, units=200, locations=20,
                      overlap=0.25, locks=40, vetoes=200, seed=1) -> Problem:
    """A problem with ``mentees`` mentees (1–3 needs each) and ``mentors`` mentors over ``competencies``.

    Mentors offer 1–3 competencies at observed level 3–5 with a capacity of 1–5 mentees;
    ``locks`` random locks (a need with a mentor who offers it: some break a rule, and are
    reported) and ``vetoes`` random vetoes of colleagues in one unit.
    """
    rng = np.random.default_rng(seed)
    shared = int(overlap * mentors)
    people = mentors + mentees - shared
    ids = np.arange(1, people + 1)
    mentor_ids = ids[:mentors]
    mentee_ids = ids[mentors - shared:]

    unit_location = rng.permutation(np.arange(units) % locations)
    unit_size = rng.lognormal(0, 0.7, size=units)
    unit_taste = rng.dirichlet(np.full(competencies, 0.6), size=units)
    unit = rng.choice(units, size=people, p=unit_size / unit_size.sum())
    rank = rng.choice(np.arange(1, 9), size=people, p=[0.12, 0.18, 0.2, 0.18, 0.14, 0.1, 0.05, 0.03])
    senior = rng.choice(np.arange(3, 10), size=mentors, p=[0.08, 0.14, 0.2, 0.22, 0.18, 0.12, 0.06])
    rank[:mentors] = np.maximum(rank[:mentors], senior)
    supervisor = _supervisors(rng, ids, unit, rank)

    mentee_rows = slice(mentors - shared, people)
    mentee_frame = pd.DataFrame({
        "mentee_id": mentee_ids, "job_rank": rank[mentee_rows], "unit_id": unit[mentee_rows],
        "location": unit_location[unit[mentee_rows]], "supervisor_id": supervisor[mentee_rows],
    })
    mentor_frame = pd.DataFrame({
        "mentor_id": mentor_ids, "job_rank": rank[:mentors], "unit_id": unit[:mentors],
        "location": unit_location[unit[:mentors]],
        "capacity": rng.choice(np.arange(1, 6), size=mentors, p=[0.3, 0.25, 0.2, 0.15, 0.1]),
    })
    needs = _picks(rng, mentee_ids, unit[mentee_rows], unit_taste, (0.45, 0.35, 0.2), "mentee_id")
    needs["gap"] = np.round(rng.uniform(1, 3.2, size=len(needs)), 1)
    needs["priority"] = np.round(rng.beta(2, 2, size=len(needs)) * 100, 1)
    offers = _picks(rng, mentor_ids, unit[:mentors], unit_taste, (0.4, 0.4, 0.2), "mentor_id")
    offers["level"] = rng.choice([3, 4, 5], size=len(offers), p=[0.25, 0.45, 0.3])

    chosen = needs.iloc[rng.choice(len(needs), size=min(locks, len(needs)), replace=False)]
    lock_rows = []
    for mentee, competency in zip(chosen["mentee_id"], chosen["competency_id"], strict=True):
        offering = offers.loc[offers["competency_id"] == competency, "mentor_id"].to_numpy()
        if len(offering):
            lock_rows.append((int(rng.choice(offering)), int(mentee), int(competency)))
    lock_frame = pd.DataFrame(lock_rows, columns=["mentor_id", "mentee_id", "competency_id"])
    veto_rows = []
    by_unit = pd.Series(mentor_ids).groupby(unit[:mentors]).apply(list).to_dict()
    for i in rng.choice(len(mentee_ids), size=min(vetoes, len(mentee_ids)), replace=False):
        colleagues = by_unit.get(int(unit[mentee_rows][i]))
        if colleagues:
            veto_rows.append((int(rng.choice(colleagues)), int(mentee_ids[i])))
    veto_frame = pd.DataFrame(veto_rows, columns=["mentor_id", "mentee_id"]).drop_duplicates()
    return Problem(needs=needs, mentees=mentee_frame, mentors=mentor_frame, offers=offers, locks=lock_frame,
                   vetoes=veto_frame)


def _supervisors(rng, ids, unit, rank):
    """Each person's direct supervisor: a random colleague of higher rank among the unit's senior
    staff (rank 6 and above), else the unit's head (an id from ``HEADS``); one in twenty has none."""
    supervisor = np.full(len(ids), np.nan)
    for u in np.unique(unit):
        members = np.flatnonzero(unit == u)
        bosses = members[rank[members] >= 6]
        for i in members:
            above = bosses[rank[bosses] > rank[i]]
            supervisor[i] = ids[rng.choice(above)] if len(above) else HEADS + u
    supervisor[rng.random(len(ids)) < 0.05] = np.nan
    return pd.array(supervisor, dtype="Int64")


def _picks(rng, who, unit, taste, counts, column):
    """1–3 distinct competencies per person, drawn from the unit's taste: ``column``, competency_id."""
    rows = []
    k = rng.choice(np.arange(1, len(counts) + 1), size=len(who), p=counts)
    for person, u, n in zip(who.tolist(), unit.tolist(), k.tolist(), strict=True):
        for c in rng.choice(taste.shape[1], size=min(n, taste.shape[1]), replace=False, p=taste[u]):
            rows.append((person, int(c) + 1))
    return pd.DataFrame(rows, columns=[column, "competency_id"])
