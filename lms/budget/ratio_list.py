"""Going down the value-per-rupiah list by the greedy rules: shared by the baseline, the floors and the MILP's start.

Seats are ranked by value (gap closure plus the JP they add towards the person's minimum,
weighted as in the optimiser) per rupiah, the class's fixed cost spread over a full class.
Going down the list a seat is taken when its envelope still has the money — its own cost, plus
the fixed cost when it opens a new class — unless an alternative for the same gap or the
person's JP cap is already taken. Classes left under their minimum size are then cancelled,
and the money freed goes down the list once more (cancelled pools stay closed).
"""

import numpy as np

from .problem import Params, Problem

PASSES = 2


def ratio(problem: Problem, params: Params):
    """Value per rupiah of each seat, the fixed cost of a class spread over a full class."""
    seats, pools = problem.seats, problem.pools
    pool = seats["pool"].to_numpy(np.int64)
    need = problem.need(params)[problem.seat_employee]
    worth = seats["value"].to_numpy(float) + params.jp_weight * np.minimum(seats["jp"].to_numpy(float), need)
    spread = (pools["fixed_cost"].to_numpy(float) / pools["max_size"].to_numpy(float))[pool]
    cost = seats["cost"].to_numpy(float) + spread
    return np.where(cost > 0, worth / np.maximum(cost, 1e-9), np.inf)


def ranked(problem, params):
    """Runnable seats, best value per rupiah first."""
    order = np.argsort(-ratio(problem, params), kind="stable")
    return order[problem.runnable[order]]


def plain_chosen(problem, params):
    """Seats the plain list (no floors) takes: the estimate the floors start from."""
    return fill(problem, ranked(problem, params), targets=None).chosen


def fill(problem, order, targets, floor_order=None):
    """Go down ``order`` — first ``floor_order`` for units under their ``targets`` (envelope, unit, target), then for all.

    Returns the ``Draft``; its ``chosen`` and ``classes`` are the plan.
    """
    draft = Draft(problem)
    if targets is not None:
        draft.take(floor_order, targets)
    for _ in range(PASSES):
        draft.take(order)
        if not draft.trim(order):
            break
    return draft


class Draft:
    """The plan as it is drawn: seats taken, classes per pool, money and JP room left."""

    def __init__(self, problem):
        seats, pools = problem.seats, problem.pools
        self.problem = problem
        self.pool = seats["pool"].to_numpy(np.int64)
        self.group = problem.group_key
        self.emp = problem.seat_employee
        self.jp = seats["jp"].to_numpy(float)
        self.cost = seats["cost"].to_numpy(float)
        self.value = seats["value"].to_numpy(float)
        self.env = problem.seat_envelope
        self.unit = seats["unit"].to_numpy()
        self.fixed = pools["fixed_cost"].to_numpy(float)
        self.min_size = pools["min_size"].to_numpy(np.int64)
        self.max_size = pools["max_size"].to_numpy(np.int64)
        self.pool_env = pools["envelope"].to_numpy(np.int64)
        self.remaining = problem.envelopes["amount"].to_numpy(float).copy()
        self.room = problem.jp_room().copy()
        self.chosen = np.zeros(len(seats), dtype=bool)
        self.size = np.zeros(len(pools), dtype=np.int64)
        self.classes = np.zeros(len(pools), dtype=np.int64)
        self.group_taken = np.zeros(self.group.max(initial=-1) + 1, dtype=bool)
        self.closed = np.zeros(len(pools), dtype=bool)

    def take(self, order, targets=None):
        """Take seats down ``order`` while the money lasts; with ``targets``, only for units under theirs."""
        if targets is not None:
            keys = list(zip(targets["envelope"].tolist(), targets["unit"].tolist(), strict=True))
            need = dict(zip(keys, targets["target"].tolist(), strict=True))
            order = order[[(e, u) in need for e, u in zip(self.env[order].tolist(), self.unit[order].tolist(), strict=True)]]
        # Plain lists and scalars: the quickest way through a sequential loop in Python.
        pool, env, group, emp = self.pool, self.env, self.group, self.emp
        jp, cost, value, unit = self.jp, self.cost, self.value, self.unit
        fixed, max_size = self.fixed, self.max_size
        for s in order.tolist():
            if self.chosen[s]:
                continue
            if targets is not None:
                key = (int(env[s]), int(unit[s]))
                if need[key] <= 0:
                    continue
            g = pool[s]
            if self.closed[g] or self.group_taken[group[s]] or jp[s] > self.room[emp[s]]:
                continue
            opens = self.size[g] >= self.classes[g] * max_size[g]
            price = cost[s] + (fixed[g] if opens else 0.0)
            e = env[s]
            if price > self.remaining[e]:
                continue
            self.remaining[e] -= price
            self.chosen[s] = True
            self.group_taken[group[s]] = True
            self.room[emp[s]] -= jp[s]
            self.size[g] += 1
            self.classes[g] += opens
            if targets is not None:
                need[key] -= value[s]

    def trim(self, order):
        """Cancel the last class of every pool under its minimum; True when any was cancelled.

        Classes fill one after the other, so only a pool's last class can be short; its
        participants lowest in ``order`` leave and the money goes back to the envelope.
        """
        short = np.flatnonzero((self.classes > 0) & (self.size < self.classes * self.min_size))
        if not len(short):
            return False
        rank = np.empty(len(self.chosen), dtype=np.int64)
        rank[order] = np.arange(len(order))
        for g in short.tolist():
            members = np.flatnonzero(self.chosen & (self.pool == g))
            members = members[np.argsort(rank[members])]
            keep = (self.classes[g] - 1) * self.max_size[g]
            dropped = members[keep:]
            self.chosen[dropped] = False
            self.group_taken[self.group[dropped]] = False
            np.add.at(self.room, self.emp[dropped], self.jp[dropped])
            self.remaining[self.pool_env[g]] += self.fixed[g] + self.cost[dropped].sum()
            self.size[g] = keep
            self.classes[g] -= 1
            self.closed[g] = True
        return True
