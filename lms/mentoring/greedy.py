"""The baseline an HR officer would follow: heaviest need first, each to the best free mentor for it.

After HR's locks are pinned, needs are taken in order of weight (gap × priority), heaviest
first; each goes to the eligible mentor with a place left and no other competency with this
mentee, of most soft points (same location, another unit), then most places left. The hard
rules are the optimiser's (``problem.Rules``); every eligible mentor is considered, unpruned.
"""

import time

import numpy as np

from .problem import Matching, Params, Problem, Rules, assemble, pin_locks


def greedy(problem: Problem, params: Params | None = None) -> Matching:
    """The greedy matching of ``problem``, locks honoured as in ``optimise.match``."""
    params = params or Params()
    started = time.perf_counter()
    rules = Rules(problem, params)
    pinned_need, pinned_mentor, infeasible = pin_locks(rules)
    spare = rules.capacity - np.bincount(pinned_mentor, minlength=len(rules.capacity))
    taken = np.zeros(len(rules.weight), dtype=bool)
    taken[pinned_need] = True
    partners = {}  # mentee (person code) → mentor positions already paired with them
    for n, m in zip(pinned_need.tolist(), pinned_mentor.tolist(), strict=True):
        partners.setdefault(int(rules.need_person[n]), set()).add(m)

    chosen_need, chosen_mentor = [], []
    for n in np.lexsort((np.arange(len(rules.weight)), -rules.weight)).tolist():
        mentors = rules.teachers.get(int(rules.need_competency[n]))
        if taken[n] or mentors is None:
            continue
        ok = rules.allowed(np.array([n]), mentors)[0] & (spare[mentors] > 0)
        paired = partners.get(int(rules.need_person[n]))
        if paired:
            ok &= ~np.isin(mentors, list(paired))
        if not ok.any():
            continue
        score = rules.soft(np.array([n]), mentors)[0] * (1 << 20) + spare[mentors]
        best = int(mentors[np.flatnonzero(ok)[np.argmax(score[ok])]])
        chosen_need.append(n)
        chosen_mentor.append(best)
        spare[best] -= 1
        partners.setdefault(int(rules.need_person[n]), set()).add(best)

    locked = np.r_[np.ones(len(pinned_need), bool), np.zeros(len(chosen_need), bool)]
    return assemble(rules, np.r_[pinned_need, chosen_need], np.r_[pinned_mentor, chosen_mentor], locked,
                    method="greedy", seconds=time.perf_counter() - started, infeasible=infeasible)
