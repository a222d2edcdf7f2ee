"""An independent checker of a matching: every hard rule and lock, judged from the input frames alone.

It shares nothing with the matchers but the ``Problem`` and ``Params`` dataclasses: plain
dictionaries over the frames' rows, no codes, no vectorised rules, so it also judges pairs made
by hand or by another program. ``pairs`` needs the columns mentor_id, mentee_id, competency_id
(and optionally locked); each violation is a sentence naming the ids involved.
"""

from collections import Counter, defaultdict

import pandas as pd


def _rows(frame, *columns):
    return zip(*(frame[c].tolist() for c in columns), strict=True)


class _Facts:
    """The input frames as dictionaries keyed by ids."""

    def __init__(self, problem):
        self.needs = {(m, c): (g, p) for m, c, g, p in _rows(problem.needs, "mentee_id", "competency_id", "gap",
                                                             "priority") if g >= 1}
        self.mentees = {m: (r, s) for m, r, s in _rows(problem.mentees, "mentee_id", "job_rank", "supervisor_id")}
        self.mentors = {m: (r, c) for m, r, c in _rows(problem.mentors, "mentor_id", "job_rank", "capacity")}
        self.levels = {(m, c): lv for m, c, lv in _rows(problem.offers, "mentor_id", "competency_id", "level")}
        self.vetoed = set(_rows(problem.vetoes, "mentor_id", "mentee_id"))


def _broken(facts, params, mentor, mentee, competency):
    """The rules one pair breaks on its own, as short phrases."""
    if mentor not in facts.mentors:
        return ["unknown mentor"]
    if mentee not in facts.mentees:
        return ["unknown mentee"]
    out = []
    if (mentee, competency) not in facts.needs:
        out.append("no gap of 1 or more in the competency")
    level = facts.levels.get((mentor, competency))
    if level is None or level < params.min_level:
        out.append("mentor's level %s below %s" % (level, params.min_level))
    mentor_rank, capacity = facts.mentors[mentor]
    mentee_rank, supervisor = facts.mentees[mentee]
    if capacity < 1:
        out.append("mentor has no capacity")
    if mentor_rank < mentee_rank:
        out.append("mentor's job rank %s below the mentee's %s" % (mentor_rank, mentee_rank))
    if mentor == mentee:
        out.append("mentor is the mentee")
    if not pd.isna(supervisor) and supervisor == mentor:
        out.append("mentor is the mentee's direct supervisor")
    if (mentor, mentee) in facts.vetoed:
        out.append("pair vetoed by HR")
    return out


def check(problem, params, pairs) -> list[str]:
    """Every rule ``pairs`` breaks against ``problem`` under ``params``; an empty list means none."""
    facts = _Facts(problem)
    out = []
    per_need, per_pair, mentees_of = Counter(), Counter(), defaultdict(set)
    chosen = set()
    for mentor, mentee, competency in _rows(pairs, "mentor_id", "mentee_id", "competency_id"):
        for phrase in _broken(facts, params, mentor, mentee, competency):
            out.append("mentor %s – mentee %s in %s: %s" % (mentor, mentee, competency, phrase))
        per_need[(mentee, competency)] += 1
        per_pair[(mentor, mentee)] += 1
        mentees_of[mentor].add(mentee)
        chosen.add((mentor, mentee, competency))
    for (mentee, competency), count in per_need.items():
        if count > 1:
            out.append("mentee %s in %s has %d mentors" % (mentee, competency, count))
    for (mentor, mentee), count in per_pair.items():
        if count > 1:
            out.append("mentor %s – mentee %s paired for %d competencies" % (mentor, mentee, count))
    for mentor, mentees in mentees_of.items():
        if mentor in facts.mentors and len(mentees) > facts.mentors[mentor][1]:
            out.append("mentor %s takes %d mentees, capacity %s" % (mentor, len(mentees), facts.mentors[mentor][1]))
    out += _locks(params, problem, pairs, chosen)
    return out


def feasible_locks(problem, params) -> list[tuple]:
    """The locks that must be honoured: in the order given, those that break no rule on their own and
    conflict with no earlier honoured lock (same need, same pair, or the mentor's last place)."""
    facts = _Facts(problem)
    out, needs, pairs, used = [], set(), set(), Counter()
    for mentor, mentee, competency in _rows(problem.locks, "mentor_id", "mentee_id", "competency_id"):
        if _broken(facts, params, mentor, mentee, competency):
            continue
        if (mentee, competency) in needs or (mentor, mentee) in pairs or used[mentor] >= facts.mentors[mentor][1]:
            continue
        needs.add((mentee, competency))
        pairs.add((mentor, mentee))
        used[mentor] += 1
        out.append((mentor, mentee, competency))
    return out


def _locks(params, problem, pairs, chosen):
    out = []
    must = feasible_locks(problem, params)
    for lock in must:
        if lock not in chosen:
            out.append("lock mentor %s – mentee %s in %s not honoured" % lock)
    if "locked" in pairs.columns:
        locks = set(_rows(problem.locks, "mentor_id", "mentee_id", "competency_id"))
        for mentor, mentee, competency, locked in _rows(pairs, "mentor_id", "mentee_id", "competency_id", "locked"):
            if locked and (mentor, mentee, competency) not in locks:
                out.append("mentor %s – mentee %s in %s marked locked but HR locked no such pair"
                           % (mentor, mentee, competency))
    return out


def coverage(problem, pairs) -> float:
    """Priority-weighted gap covered by ``pairs``: Σ gap × max(priority, 1) / 100 over the distinct needs met."""
    facts = _Facts(problem)
    met = {(mentee, competency) for mentee, competency in _rows(pairs, "mentee_id", "competency_id")}
    return float(sum(g * max(p, 1) / 100 for key, (g, p) in facts.needs.items() if key in met))


def allowed(problem, params) -> set[tuple]:
    """Every (mentor_id, mentee_id, competency_id) the rules allow on its own: a loop over needs × mentors,
    for small problems (tests, hand-made cases)."""
    facts = _Facts(problem)
    return {(mentor, mentee, competency) for (mentee, competency) in facts.needs for mentor in facts.mentors
            if not _broken(facts, params, mentor, mentee, competency)}
