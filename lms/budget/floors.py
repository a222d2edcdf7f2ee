"""Fairness floors: what each unit should close at least, from its share of the demand on an envelope.

For envelope *E* and unit *u* with demand ``d_{E,u}`` (the best value per group of alternatives
of its runnable seats), the floor is ``F_{E,u} = φ × d_{E,u} / D_E × V̂_E``: a share ``φ``
(``Params.fairness``) of the unit's proportional part of ``V̂_E``, what the plain value-per-rupiah
list (no floors) closes with the envelope. A fixed number rather than a share of whatever the
plan closes, so one unit that cannot be served (its courses never fill a class) does not hold
the others back. Floors are soft: each value-unit a unit falls short costs ``Params.floor_weight``
in the objective, far more than what the money could close elsewhere, so they are met wherever
the candidate seats allow, and the plan reports any that cannot be.
"""

import numpy as np

from .problem import Params, Problem
from .ratio_list import plain_chosen


def floor_targets(problem: Problem, params: Params, *, plain=None):
    """Floors per (envelope, unit): envelope, unit, demand, floor.

    Only envelopes shared by more than one unit with demand get floors (a unit's own envelope
    needs none). ``plain``: the seats the plain list takes, where already known. Worked out
    once per problem and parameters, and kept in ``problem.floor_cache``.
    """
    key = (params.fairness, params.jp_weight, params.jp_minimum)  # all the floors depend on beyond the problem
    if key in problem.floor_cache:
        return problem.floor_cache[key]
    demand = problem.demand()
    if plain is None:
        plain = plain_chosen(problem, params)
    closed = np.bincount(problem.seat_envelope, weights=problem.seats["value"].to_numpy(float) * plain,
                         minlength=len(problem.envelopes))
    units = demand.groupby("envelope")["unit"].transform("size")
    share = demand["demand"] / demand.groupby("envelope")["demand"].transform("sum")
    floor = params.fairness * share * closed[demand["envelope"].to_numpy(np.int64)]
    table = demand.assign(floor=np.where(units > 1, floor, 0.0))
    problem.floor_cache[key] = table
    return table

