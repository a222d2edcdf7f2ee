"""The MILP of one problem as arrays: column bounds, costs and a row-wise sparse matrix, built vectorised.

For seat *s* (person *e*, unit *u*, pool *g*, envelope *E*), class pool *g* and employee *e*:

    maximise    Σ_s v_s x_s + λ Σ_e t_e − ρ Σ short
    subject to  m_g z_g ≤ Σ_{s∈g} x_s ≤ M_g z_g            classes run at or above minimum size
                x_s ≤ z_g                                  a seat needs a class (tightens the LP)
                Σ_{s∈G} x_s ≤ 1                            one of each group of alternatives
                t_e ≤ Σ_{s∋e} min(jp_s, need_e) x_s      JP towards the yearly minimum (soft),
                0 ≤ t_e ≤ need_e                           counted up to what the person lacks
                Σ_{s∋e} jp_s x_s ≤ room_e                  JP cap (PPPK), with the cut
                Σ_{s∋e, jp_s > room_e/2} x_s ≤ 1
                Σ_{s∈E} c_s x_s + Σ_{g∈E} f_g z_g ≤ B_E    every envelope
                Σ_{s∈E,u} v_s x_s + short_{E,u} ≥ F_{E,u}  fairness floor per unit (soft)
                x_s ∈ {0, 1},  z_g ∈ {0, …, ⌊n_g / m_g⌋}

``v`` is the priority-weighted expected gap closure, ``need_e`` the JP the person lacks, ``λ``
(``Params.jp_weight``) the worth of one such JP, ``F`` the floors of ``floors.py`` and ``ρ``
(``Params.floor_weight``) the cost of falling short of one. Amounts enter in millions of rupiah
to keep the numbers well scaled. Pools without a fixed cost and with a minimum of one need no
class variable. ``highs.py`` and ``scip.py`` solve it; ``milp.py`` splits the problem into parts.
"""

import math

import numpy as np
import pandas as pd

from .evaluate import pool_sizes
from .floors import floor_targets

MILLION = 1_000_000.0
INF = math.inf


class Result:
    """One part's plan: seats and classes, status, proven bound (and, set by ``solve_part``, LP bound and log)."""

    def __init__(self, chosen, classes, status, bound):
        self.chosen, self.classes, self.status, self.bound = chosen, classes, status, bound
        self.lp_bound, self.log = math.nan, {}


class Model:
    """The MILP of one problem as column bounds, costs and a row-wise sparse matrix (built vectorised)."""

    def __init__(self, problem, params):
        self.problem, self.params = problem, params
        self.col_lower, self.col_upper, self.cost, self.integer = [], [], [], []
        self.n_cols = 0
        self.row_lower, self.row_upper = [], []
        self.n_rows = 0
        self.entries = []  # (rows, cols, values)
        self.floor_cols = (0, None)  # first column of the floors' shortfalls, and the floors
        self._build()

    # Building --------------------------------------------------------------------------------

    def _cols(self, lower, upper, cost, integer):
        n = len(lower)
        self.col_lower.append(np.asarray(lower, float))
        self.col_upper.append(np.asarray(upper, float))
        self.cost.append(np.asarray(cost, float))
        self.integer.append(np.full(n, integer))
        first = self.n_cols
        self.n_cols += n
        return first

    def _rows(self, lower, upper):
        lower, upper = np.asarray(lower, float), np.asarray(upper, float)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        first = self.n_rows
        self.n_rows += len(lower)
        return first

    def _entries(self, rows, cols, values):
        rows = np.asarray(rows, np.int64)
        self.entries.append((rows, np.asarray(cols, np.int64), np.broadcast_to(np.asarray(values, float), rows.shape)))

    def _build(self):
        problem, params = self.problem, self.params
        seats, pools = problem.seats, problem.pools
        self.seat_ids = np.flatnonzero(problem.runnable)
        n = len(self.seat_ids)
        x = np.arange(n)
        s_pool = seats["pool"].to_numpy(np.int64)[self.seat_ids]
        value = seats["value"].to_numpy(float)[self.seat_ids]
        jp = seats["jp"].to_numpy(float)[self.seat_ids]
        cost = seats["cost"].to_numpy(float)[self.seat_ids] / MILLION
        s_emp = problem.seat_employee[self.seat_ids]
        s_env = problem.seat_envelope[self.seat_ids]
        fits = jp <= problem.jp_room()[s_emp]  # a seat over the person's JP cap can never be taken
        self._cols(np.zeros(n), fits.astype(float), value, True)

        # Classes: a count per pool whose size rules bind; m z ≤ Σx ≤ M z, and x ≤ z.
        candidates = np.bincount(s_pool, minlength=len(pools))
        min_size = pools["min_size"].to_numpy(np.int64)
        max_size = pools["max_size"].to_numpy(np.int64)
        fixed = pools["fixed_cost"].to_numpy(float) / MILLION
        self.class_pools = np.flatnonzero((candidates > 0) & ((fixed > 0) | (min_size > 1)))
        k = len(self.class_pools)
        upper = np.minimum(candidates // min_size, -(-candidates // max_size))[self.class_pools]
        self.z0 = self._cols(np.zeros(k), upper, np.zeros(k), True)
        z_of_pool = np.full(len(pools), -1)
        z_of_pool[self.class_pools] = self.z0 + np.arange(k)
        k_of_pool = np.full(len(pools), -1)
        k_of_pool[self.class_pools] = np.arange(k)
        in_class = k_of_pool[s_pool] >= 0
        z_cols = self.z0 + np.arange(k)
        top = self._rows(np.full(k, -INF), np.zeros(k))
        self._entries(top + k_of_pool[s_pool[in_class]], x[in_class], 1.0)
        self._entries(top + np.arange(k), z_cols, -max_size[self.class_pools])
        bottom = self._rows(np.zeros(k), np.full(k, INF))
        self._entries(bottom + k_of_pool[s_pool[in_class]], x[in_class], 1.0)
        self._entries(bottom + np.arange(k), z_cols, -min_size[self.class_pools])
        linked = x[in_class]
        link = self._rows(np.full(len(linked), -INF), np.zeros(len(linked)))
        self._entries(link + np.arange(len(linked)), linked, 1.0)
        self._entries(link + np.arange(len(linked)), z_of_pool[s_pool[linked]], -1.0)

        # One of each group of alternatives.
        group = problem.group_key[self.seat_ids]
        size = np.bincount(group)
        multi = np.flatnonzero(size > 1)
        row_of = np.full(len(size), -1)
        row_of[multi] = self._rows(np.full(len(multi), -INF), np.ones(len(multi))) + np.arange(len(multi))
        members = row_of[group] >= 0
        self._entries(row_of[group[members]], x[members], 1.0)

        # JP towards the minimum (t_e ≤ Σ jp x, t_e ≤ need_e), and caps.
        need = problem.need(params)
        room = problem.jp_room()
        people = np.unique(s_emp)
        needy = people[need[people] > 0]
        self.t0 = self._cols(np.zeros(len(needy)), need[needy], np.full(len(needy), params.jp_weight), False)
        row_of = np.full(len(problem.employees), -1)
        row_of[needy] = self._rows(np.full(len(needy), -INF), np.zeros(len(needy))) + np.arange(len(needy))
        has = row_of[s_emp] >= 0
        # A seat adds at most what the person lacks: min(jp, need) keeps the LP from buying half a
        # 40-JP course to fill a 20-JP need.
        self._entries(row_of[s_emp[has]], x[has], -np.minimum(jp[has], need[s_emp[has]]))
        self._entries(row_of[needy], self.t0 + np.arange(len(needy)), 1.0)
        total_jp = np.bincount(s_emp, weights=jp, minlength=len(problem.employees))
        capped = people[np.isfinite(room[people]) & (total_jp[people] > room[people])]
        row_of = np.full(len(problem.employees), -1)
        row_of[capped] = self._rows(np.full(len(capped), -INF), room[capped]) + np.arange(len(capped))
        has = row_of[s_emp] >= 0
        self._entries(row_of[s_emp[has]], x[has], jp[has])
        # Of the seats over half the room, at most one fits: a cut that keeps the LP from taking
        # one and a half 16-JP courses under a 24-JP cap.
        big = np.isfinite(room[s_emp]) & (jp > room[s_emp] / 2)
        per_person = np.bincount(s_emp[big], minlength=len(problem.employees))
        crowded = np.flatnonzero(per_person > 1)
        row_of = np.full(len(problem.employees), -1)
        row_of[crowded] = self._rows(np.full(len(crowded), -INF), np.ones(len(crowded))) + np.arange(len(crowded))
        has = big & (row_of[s_emp] >= 0)
        self._entries(row_of[s_emp[has]], x[has], 1.0)

        # Envelopes.
        amounts = problem.envelopes["amount"].to_numpy(float) / MILLION
        used = np.unique(s_env)
        row_of = np.full(len(problem.envelopes), -1)
        row_of[used] = self._rows(np.full(len(used), -INF), amounts[used]) + np.arange(len(used))
        self._entries(row_of[s_env], x, cost)
        z_env = pools["envelope"].to_numpy(np.int64)[self.class_pools]
        self._entries(row_of[z_env], z_cols, fixed[self.class_pools])

        # Fairness floors (soft): Σ_{s∈E,u} v_s x_s + short_{E,u} ≥ F_{E,u}, short costing floor_weight.
        floors = floor_targets(problem, params)
        floors = floors[floors["floor"] > 0].reset_index(drop=True)
        if len(floors):
            k = len(floors)
            short = self._cols(np.zeros(k), floors["floor"].to_numpy(), np.full(k, -params.floor_weight), False)
            self.floor_cols = (short, floors)
            rows = self._rows(floors["floor"].to_numpy(), np.full(k, INF))
            self._entries(rows + np.arange(k), short + np.arange(k), 1.0)
            key = floors["envelope"].to_numpy(np.int64) * (1 << 32) + floors["unit"].to_numpy(np.int64)
            s_key = s_env * (1 << 32) + seats["unit"].to_numpy(np.int64)[self.seat_ids]
            order = np.argsort(key)
            position = np.clip(np.searchsorted(key[order], s_key), 0, k - 1)
            hit = key[order][position] == s_key
            self._entries(rows + order[position[hit]], x[hit], value[hit])

    def matrix(self):
        """The rows as CSR arrays (start, index, value)."""
        rows = np.concatenate([e[0] for e in self.entries]) if self.entries else np.zeros(0, np.int64)
        cols = np.concatenate([e[1] for e in self.entries]) if self.entries else np.zeros(0, np.int64)
        vals = np.concatenate([e[2] for e in self.entries]) if self.entries else np.zeros(0)
        order = np.lexsort((cols, rows))
        start = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=self.n_rows))])
        return start, cols[order], vals[order]

    def arrays(self):
        """Column lower and upper bounds, costs, integrality, and row lower and upper bounds, as arrays."""
        cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0)  # noqa: E731
        return (cat(self.col_lower), cat(self.col_upper), cat(self.cost), cat(self.integer).astype(bool),
                cat(self.row_lower), cat(self.row_upper))

    # Plans in and out -----------------------------------------------------------------------

    def start(self, hint):
        """A full starting point (every column) from a hint's seats and classes."""
        chosen, classes = hint
        problem = self.problem
        col = np.zeros(self.n_cols)
        x = chosen[self.seat_ids].astype(float)
        col[: len(x)] = x
        col[self.z0:self.z0 + len(self.class_pools)] = classes[self.class_pools]
        jp = problem.seats["jp"].to_numpy(float)[self.seat_ids] * x
        taken = np.bincount(problem.seat_employee[self.seat_ids], weights=jp, minlength=len(problem.employees))
        need = problem.need(self.params)
        people = np.unique(problem.seat_employee[self.seat_ids])
        needy = people[need[people] > 0]
        col[self.t0:self.t0 + len(needy)] = np.minimum(taken[needy], need[needy])
        first, floors = self.floor_cols
        if floors is not None:
            value = problem.seats["value"].to_numpy(float)[self.seat_ids] * x
            closed = pd.DataFrame({"envelope": problem.seat_envelope[self.seat_ids],
                                   "unit": problem.seats["unit"].to_numpy()[self.seat_ids], "value": value})
            closed = floors.merge(closed.groupby(["envelope", "unit"], as_index=False)["value"].sum(),
                                  on=["envelope", "unit"], how="left", suffixes=("_d", ""))["value"].fillna(0.0)
            col[first:first + len(floors)] = np.clip(floors["floor"].to_numpy() - closed.to_numpy(), 0, None)
        return col

    def feasible(self, col, tolerance=1e-6):
        """Whether a full assignment of the columns meets every row and bound."""
        col_lower, col_upper, _, _, row_lower, row_upper = self.arrays()
        start, index, value = self.matrix()
        products = value * col[index]
        activity = np.add.reduceat(products, start[:-1]) if len(products) else np.zeros(self.n_rows)
        activity[start[:-1] == start[1:]] = 0.0  # reduceat copies the next value into empty rows
        return bool(np.all(col >= col_lower - tolerance) and np.all(col <= col_upper + tolerance)
                    and np.all(activity >= row_lower - tolerance * (1 + np.abs(row_lower)))
                    and np.all(activity <= row_upper + tolerance * (1 + np.abs(row_upper))))

    def result(self, values, status, bound):
        """The ``Result`` read from a solver's column ``values``: seats over one half taken, classes rounded."""
        problem = self.problem
        chosen = np.zeros(len(problem.seats), dtype=bool)
        chosen[self.seat_ids] = values[: len(self.seat_ids)] > 0.5
        sizes = pool_sizes(problem, chosen)
        max_size = problem.pools["max_size"].to_numpy(np.int64)
        classes = -(-sizes // max_size)  # pools without a class variable: as few classes as fit
        classes[self.class_pools] = np.rint(values[self.z0:self.z0 + len(self.class_pools)]).astype(np.int64)
        classes[sizes == 0] = 0
        return Result(chosen, classes, status, bound)
