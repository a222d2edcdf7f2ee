"""What the mentor matcher is given and returns, and the hard rules on which mentor may take which need."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NEED_COLUMNS = ("mentee_id", "competency_id", "gap", "priority")
MENTEE_COLUMNS = ("mentee_id", "job_rank", "unit_id", "location", "supervisor_id")
MENTOR_COLUMNS = ("mentor_id", "job_rank", "unit_id", "location", "capacity")
OFFER_COLUMNS = ("mentor_id", "competency_id", "level")
LOCK_COLUMNS = ("mentor_id", "mentee_id", "competency_id")
VETO_COLUMNS = ("mentor_id", "mentee_id")
PAIR_COLUMNS = ("mentor_id", "mentee_id", "competency_id", "weight", "same_location", "cross_unit", "locked")
SOFT_STEPS = 10  # integer soft points per unit of bonus


@dataclass(frozen=True)
class Params:
    """The matcher's knobs.

    ``min_level``: the lowest observed level at which a mentor may teach a competency.
    ``prefer_cross_unit``: give ``cross_unit_bonus`` to a mentor from another unit (a fresh eye,
    no reporting line); ``same_location_bonus`` goes to a mentor in the mentee's location. Both
    only break ties: no amount of them outweighs any difference in covered weight.
    ``candidates_per_need``: the optimiser keeps, per need, only the best this many eligible
    mentors by soft score (``None``: all of them); locks are pinned before and never pruned.
    """

    min_level: float = 4
    prefer_cross_unit: bool = True
    same_location_bonus: float = 1.0
    cross_unit_bonus: float = 0.5
    candidates_per_need: int | None = 40

    def __post_init__(self):
        if self.same_location_bonus < 0 or self.cross_unit_bonus < 0:
            raise ValueError("Soft bonuses must not be negative.")
        if self.candidates_per_need is not None and self.candidates_per_need < 1:
            raise ValueError("candidates_per_need must be at least 1 (or None for all).")


def _frame(frame, columns):
    return pd.DataFrame(columns=list(columns)) if frame is None else frame


@dataclass
class Problem:
    """One matching problem, as frames.

    ``needs``: mentee_id, competency_id, gap (required − observed level; rows below 1 are not
    needs and are dropped), priority (0–100). ``mentees``: mentee_id, job_rank (int, higher is
    more senior), unit_id, location, supervisor_id (the direct supervisor's id, nullable).
    ``mentors``: mentor_id, job_rank, unit_id, location, capacity (mentees at once, ≥ 0).
    ``offers``: mentor_id, competency_id, level (the mentor's observed level in it).
    ``locks``: mentor_id, mentee_id, competency_id — pairs HR fixed, honoured in the order given
    when they keep the hard rules. ``vetoes``: mentor_id, mentee_id — pairs HR forbade.
    Mentor, mentee and supervisor ids share one id space (employees): a mentor may be a mentee too.
    """

    needs: pd.DataFrame
    mentees: pd.DataFrame
    mentors: pd.DataFrame
    offers: pd.DataFrame
    locks: pd.DataFrame | None = None
    vetoes: pd.DataFrame | None = None

    def __post_init__(self):
        self.locks = _frame(self.locks, LOCK_COLUMNS)
        self.vetoes = _frame(self.vetoes, VETO_COLUMNS)
        for name, columns in (("needs", NEED_COLUMNS), ("mentees", MENTEE_COLUMNS), ("mentors", MENTOR_COLUMNS),
                              ("offers", OFFER_COLUMNS), ("locks", LOCK_COLUMNS), ("vetoes", VETO_COLUMNS)):
            missing = [c for c in columns if c not in getattr(self, name).columns]
            if missing:
                raise ValueError("{} lacks columns: {}".format(name, ", ".join(missing)))
        self.needs = self.needs[self.needs["gap"] >= 1].reset_index(drop=True)
        for name in ("mentees", "mentors", "offers", "locks", "vetoes"):
            setattr(self, name, getattr(self, name).reset_index(drop=True))
        for name, key in (("needs", ["mentee_id", "competency_id"]), ("mentees", ["mentee_id"]),
                          ("mentors", ["mentor_id"]), ("offers", ["mentor_id", "competency_id"])):
            if getattr(self, name).duplicated(key).any():
                raise ValueError("{} repeats a {}.".format(name, " × ".join(key)))
        if (~self.needs["mentee_id"].isin(self.mentees["mentee_id"])).any():
            raise ValueError("needs name mentees not in mentees.")
        if (~self.offers["mentor_id"].isin(self.mentors["mentor_id"])).any():
            raise ValueError("offers name mentors not in mentors.")
        if (self.mentors["capacity"] < 0).any():
            raise ValueError("A mentor's capacity must not be negative.")

    def weights(self):
        """Weight of each need (row order of ``needs``): gap × max(priority, 1) / 100."""
        return self.needs["gap"].to_numpy(float) * np.maximum(self.needs["priority"].to_numpy(float), 1) / 100


@dataclass
class Matching:
    """A matching and what it achieves.

    ``pairs``: mentor_id, mentee_id, competency_id, weight (of the need covered), same_location,
    cross_unit (bools), locked (pinned by HR). ``covered``: Σ weight; ``soft``: Σ soft bonus;
    ``infeasible_locks``: mentor_id, mentee_id, competency_id, reason — the locks that could not
    be honoured; ``details``: figures of the method (arcs, pruned candidates, status…).
    """

    method: str
    pairs: pd.DataFrame
    covered: float
    soft: float
    seconds: float
    infeasible_locks: pd.DataFrame
    details: dict = field(default_factory=dict)


class Rules:
    """The hard rules and soft scores, vectorised over needs (rows of ``needs``) × mentors (rows of ``mentors``)."""

    def __init__(self, problem: Problem, params: Params):
        self.problem, self.params = problem, params
        needs, mentees, mentors = problem.needs, problem.mentees, problem.mentors
        people = pd.concat([mentees["mentee_id"], mentors["mentor_id"], mentees["supervisor_id"].dropna()],
                           ignore_index=True)
        self.people = pd.Index(pd.unique(people))
        who = pd.Index(mentees["mentee_id"]).get_indexer(needs["mentee_id"])
        places = pd.Index(pd.unique(pd.concat([mentees["location"], mentors["location"]], ignore_index=True)))
        units = pd.Index(pd.unique(pd.concat([mentees["unit_id"], mentors["unit_id"]], ignore_index=True)))
        self.need_person = self.people.get_indexer(mentees["mentee_id"])[who]
        self.need_rank = mentees["job_rank"].to_numpy(float)[who]
        self.need_boss = self.people.get_indexer(mentees["supervisor_id"])[who]
        self.need_unit = units.get_indexer(mentees["unit_id"])[who]
        self.need_place = places.get_indexer(mentees["location"])[who]
        self.mentor_person = self.people.get_indexer(mentors["mentor_id"])
        self.mentor_rank = mentors["job_rank"].to_numpy(float)
        self.mentor_unit = units.get_indexer(mentors["unit_id"])
        self.mentor_place = places.get_indexer(mentors["location"])
        self.capacity = mentors["capacity"].to_numpy(np.int64)
        self.weight = problem.weights()
        self.same_points = int(round(params.same_location_bonus * SOFT_STEPS))
        self.cross_points = int(round(params.cross_unit_bonus * SOFT_STEPS)) if params.prefer_cross_unit else 0
        vetoes = problem.vetoes
        veto_mentor = pd.Index(mentors["mentor_id"]).get_indexer(vetoes["mentor_id"])
        veto_person = self.people.get_indexer(vetoes["mentee_id"])
        known = (veto_mentor >= 0) & (veto_person >= 0)
        self.vetoed = {int(p): np.unique(m.to_numpy(np.int64))
                       for p, m in pd.Series(veto_mentor[known]).groupby(veto_person[known])}
        offers = problem.offers
        competencies = pd.Index(pd.unique(pd.concat([needs["competency_id"], offers["competency_id"]])))
        self.need_competency = competencies.get_indexer(needs["competency_id"])
        offer_mentor = pd.Index(mentors["mentor_id"]).get_indexer(offers["mentor_id"])
        offer_competency = competencies.get_indexer(offers["competency_id"])
        offer_level = offers["level"].to_numpy(float)
        self.level = dict(zip(zip(offer_mentor.tolist(), offer_competency.tolist(), strict=True),
                              offer_level.tolist(), strict=True))
        good = (offer_level >= params.min_level) & (self.capacity[offer_mentor] > 0)
        by = pd.Series(offer_mentor[good]).groupby(offer_competency[good])
        self.teachers = {int(c): np.sort(m.to_numpy(np.int64)) for c, m in by}
        self.n_competencies = len(competencies)

    def needs_of(self, competency):
        """Need positions in ``competency`` (a code)."""
        return np.flatnonzero(self.need_competency == competency)

    def allowed(self, needs, mentors):
        """Bool matrix: rank, not oneself, not the direct supervisor, not vetoed (level is the caller's)."""
        n, m = needs[:, None], mentors[None, :]
        ok = self.mentor_rank[m] >= self.need_rank[n]
        ok &= self.mentor_person[m] != self.need_person[n]
        ok &= self.mentor_person[m] != self.need_boss[n]
        persons = self.need_person[needs]
        for i in np.flatnonzero(np.isin(persons, list(self.vetoed))):
            ok[i] &= ~np.isin(mentors, self.vetoed[int(persons[i])])
        return ok

    def soft(self, needs, mentors):
        """Integer soft points of each need × mentor: same location, another unit (when preferred)."""
        n, m = needs[:, None], mentors[None, :]
        return (self.same_points * (self.mentor_place[m] == self.need_place[n])
                + self.cross_points * (self.mentor_unit[m] != self.need_unit[n])).astype(np.int64)

    def why_not(self, need, mentor):
        """Why ``mentor`` may not take ``need`` (positions), or None when the rules allow it."""
        level = self.level.get((mentor, int(self.need_competency[need])))
        if level is None or level < self.params.min_level:
            return "mentor's level %s is below %s" % ("none" if level is None else level, self.params.min_level)
        if self.capacity[mentor] < 1:
            return "mentor has no capacity"
        if self.mentor_person[mentor] == self.need_person[need]:
            return "mentor is the mentee"
        if self.mentor_person[mentor] == self.need_boss[need]:
            return "mentor is the mentee's direct supervisor"
        if self.mentor_rank[mentor] < self.need_rank[need]:
            return "mentor's job rank is below the mentee's"
        if not self.allowed(np.array([need]), np.array([mentor]))[0, 0]:
            return "pair vetoed by HR"
        return None


def pin_locks(rules: Rules):
    """The locks honoured, in the order given: (need positions, mentor positions, infeasible frame).

    A lock is infeasible when its mentee has no need in the competency, the pair breaks a hard
    rule, or an earlier lock took the need, the pair or the mentor's last place.
    """
    problem = rules.problem
    need_at = {key: i for i, key in enumerate(zip(problem.needs["mentee_id"], problem.needs["competency_id"],
                                                  strict=True))}
    mentor_at = {m: i for i, m in enumerate(problem.mentors["mentor_id"])}
    needs, mentors, bad, pairs, taken = [], [], [], set(), set()
    used = np.zeros(len(problem.mentors), dtype=np.int64)
    for mentor_id, mentee_id, competency_id in problem.locks[list(LOCK_COLUMNS)].itertuples(index=False):
        need, mentor = need_at.get((mentee_id, competency_id)), mentor_at.get(mentor_id)
        if mentor is None:
            reason = "unknown mentor"
        elif need is None:
            reason = "mentee has no gap of 1 or more in the competency"
        else:
            reason = rules.why_not(need, mentor)
        if reason is None:
            if need in taken:
                reason = "the need is locked to another mentor already"
            elif (mentor, mentee_id) in pairs:
                reason = "the pair is locked for another competency already"
            elif used[mentor] >= rules.capacity[mentor]:
                reason = "the mentor's capacity is taken by earlier locks"
        if reason is None:
            needs.append(need)
            mentors.append(mentor)
            taken.add(need)
            pairs.add((mentor, mentee_id))
            used[mentor] += 1
        else:
            bad.append((mentor_id, mentee_id, competency_id, reason))
    infeasible = pd.DataFrame(bad, columns=[*LOCK_COLUMNS, "reason"])
    return np.array(needs, dtype=np.int64), np.array(mentors, dtype=np.int64), infeasible


def assemble(rules: Rules, needs, mentors, locked, *, method, seconds, infeasible, details=None) -> Matching:
    """A ``Matching`` from chosen need and mentor positions (``locked``: bool per choice)."""
    problem = rules.problem
    needs, mentors = np.asarray(needs, dtype=np.int64), np.asarray(mentors, dtype=np.int64)
    order = np.lexsort((mentors, needs))
    needs, mentors, locked = needs[order], mentors[order], np.asarray(locked, dtype=bool)[order]
    weight = rules.weight[needs]
    same = rules.mentor_place[mentors] == rules.need_place[needs]
    cross = rules.mentor_unit[mentors] != rules.need_unit[needs]
    pairs = pd.DataFrame({
        "mentor_id": problem.mentors["mentor_id"].to_numpy()[mentors],
        "mentee_id": problem.needs["mentee_id"].to_numpy()[needs],
        "competency_id": problem.needs["competency_id"].to_numpy()[needs],
        "weight": weight, "same_location": same, "cross_unit": cross, "locked": locked,
    }, columns=list(PAIR_COLUMNS))
    soft = (rules.same_points * same + rules.cross_points * cross).sum() / SOFT_STEPS
    return Matching(method=method, pairs=pairs, covered=float(weight.sum()), soft=float(soft), seconds=seconds,
                    infeasible_locks=infeasible, details=details or {})
