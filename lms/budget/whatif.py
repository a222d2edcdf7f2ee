"""What-if questions on a problem: envelopes changed, and the value of the next rupiah."""

from dataclasses import dataclass, replace

import numpy as np

from .evaluate import Plan
from .floors import floor_targets
from .milp import optimise
from .problem import Params, Problem

NEXT_MONEY = 10_000_000


def with_amounts(problem: Problem, amounts, *, keep_floors=False) -> Problem:
    """The same candidates with other envelope amounts (rupiah, one per envelope row).

    ``keep_floors``: share ``problem``'s fairness floors (its ``floor_cache``) rather than work
    them out anew from the new amounts.
    """
    envelopes = problem.envelopes.assign(amount=np.asarray(amounts, dtype=np.int64))
    return Problem(seats=problem.seats, pools=problem.pools, envelopes=envelopes, employees=problem.employees,
                   notes=problem.notes, floor_cache=problem.floor_cache if keep_floors else {})


def scaled(problem: Problem, factor: float) -> Problem:
    """Every envelope times ``factor`` (0.8: the budget cut by 20%), in whole rupiah."""
    return with_amounts(problem, np.floor(problem.envelopes["amount"].to_numpy(float) * factor))


@dataclass
class NextMoney:
    """What ``amount`` more on one envelope buys: gap closure, objective and JP added."""

    envelope: int
    amount: int
    value: float
    objective: float
    jp: float
    plan: Plan


def value_of_next_money(problem: Problem, params: Params, base: Plan, *, envelopes=None, amount=NEXT_MONEY):
    """For each envelope (all, or ``envelopes``), re-plan with ``amount`` more on it alone.

    Re-plans start from ``base``, so each takes seconds. Returns a list of ``NextMoney``.
    The floors stay those of the original envelopes, so the comparison is like for like.
    """
    results = []
    floor_targets(problem, params)  # the original floors, for every re-plan to keep
    amounts = problem.envelopes["amount"].to_numpy(np.int64)
    rows = range(len(amounts)) if envelopes is None else envelopes
    for e in rows:
        more = amounts.copy()
        more[e] += amount
        richer = with_amounts(problem, more, keep_floors=True)
        plan = optimise(richer, replace(params, time_limit=max(1.0, params.time_limit / max(len(rows), 1))),
                        hint=base)
        results.append(NextMoney(envelope=int(e), amount=amount, value=plan.value - base.value,
                                 objective=plan.objective - base.objective,
                                 jp=plan.jp_towards_minimum - base.jp_towards_minimum, plan=plan))
    return results
