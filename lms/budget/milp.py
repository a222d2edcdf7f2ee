"""The exact plan: a mixed-integer programme over seats and classes, solved by HiGHS.

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
(``Params.floor_weight``) the cost of falling short of one. Amounts enter in millions of rupiah to keep the numbers well scaled. Pools
without a fixed cost and with a minimum of one need no class variable.

The model falls apart into independent parts (an agency's envelopes share no person with
another agency's); each part is solved on its own with a share of the time, and the bounds
add up. HiGHS is called through ``highspy``: OR-Tools 9.15's HiGHS wrapper reports no
solution when the time limit is reached, no dual bound, and crashes on a starting solution;
OR-Tools' SCIP is available as ``Params(solver="SCIP")``.
"""

import math
import time

import numpy as np
import pandas as pd

from .evaluate import Plan, evaluate, pool_sizes
from .floors import floor_targets
from .greedy import _fill, greedy, ratio
from .problem import Params, Problem

MILLION = 1_000_000.0
INF = math.inf
SAFETY = 1.0  # seconds kept back for reading the results
MIN_PART_SECONDS = 0.3
NEIGHBOURHOOD_SHARE = 0.3  # of a part's time, for the neighbourhood search


def optimise(problem: Problem, params: Params | None = None, *, hint: Plan | None = None, workers=1) -> Plan:
    """The best plan found within ``params.time_limit`` seconds, with its proven bound, gap and LP bound.

    ``Plan.bound`` is what HiGHS proved (its LP bound after cuts and branching; the plain LP
    relaxation for a part it had no time to prove anything on), ``Plan.lp_bound`` the plain LP
    relaxation of the formulation. ``hint``: a plan to start from, by default the greedy plan;
    each part starts from the better of it and the LP-guided plan, and should the solver find
    nothing better in time, that start stands (``status`` "start"). ``workers``: processes
    solving independent parts at once.
    """
    params = params or Params()
    started = time.perf_counter()
    if hint is None:
        hint = greedy(problem, params)
    parts = components(problem)
    jobs = []
    for part in parts:
        sub, pools = problem.subset(part)
        jobs.append((sub, pools, (hint.chosen[part], hint.classes[pools])))
    total = max(len(problem.seats), 1)
    results = [None] * len(parts)
    if workers > 1 and len(parts) > 1:
        import concurrent.futures
        import multiprocessing

        available = params.time_limit - (time.perf_counter() - started) - SAFETY
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
            futures = {}
            for i in sorted(range(len(parts)), key=lambda i: -len(parts[i])):  # longest first
                seconds = min(available, available * workers * len(parts[i]) / total)
                futures[pool.submit(solve_part, jobs[i][0], params, jobs[i][2], seconds)] = i
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()
    else:
        left = total
        for i, part in enumerate(parts):  # smallest first: they finish early and leave their time
            available = params.time_limit - (time.perf_counter() - started) - SAFETY
            seconds = max(MIN_PART_SECONDS, available * len(part) / max(left, 1))
            left -= len(part)
            results[i] = solve_part(jobs[i][0], params, jobs[i][2], seconds)

    chosen = np.zeros(len(problem.seats), dtype=bool)
    classes = np.zeros(len(problem.pools), dtype=np.int64)
    details = {"parts": len(parts), "workers": workers, "solver": params.solver, "parts_log": []}
    for part, (_, pools, _), result in zip(parts, jobs, results, strict=True):
        chosen[part] = result.chosen
        classes[pools] = result.classes
        details["parts_log"].append(result.log)
    for key in ("variables", "constraints", "build_seconds", "lp_seconds", "solve_seconds"):
        details[key] = round(sum(r.log[key] for r in results), 3)
    statuses = {r.status for r in results}
    status = "optimal" if statuses <= {"optimal"} else ("start" if statuses == {"start"} else "feasible")
    return evaluate(problem, params, chosen, classes, method="milp", seconds=time.perf_counter() - started,
                    status=status, bound=sum(r.bound for r in results), lp_bound=sum(r.lp_bound for r in results),
                    details=details)


def solve_part(problem, params, hint, seconds):
    """Build, relax, start and solve one independent part within ``seconds``; returns a ``Result``."""
    started = time.perf_counter()
    model = Model(problem, params)
    built = time.perf_counter()
    # The LP relaxation gives the bound to report and, rounded by the greedy rules, a start far
    # better than the ratio list's: HiGHS then has to improve on it and prove it.
    relaxed, seat_values = model.relaxation()
    guided = lp_guided(problem, params, seat_values)
    if guided.objective > evaluate(problem, params, *hint, method="hint").objective:
        hint = (guided.chosen, guided.classes)
    relaxed_at = time.perf_counter()
    left = seconds - (relaxed_at - started)
    if params.solver.upper() == "HIGHS" and left > 2 * MIN_PART_SECONDS:
        # Neighbourhood search first (RINS): seats on which the LP and the start agree stay as
        # they are, and HiGHS settles the rest — a small MIP that finds in seconds what the
        # full one reaches only after its cut rounds. The full solve then starts from it.
        agree = np.isclose(seat_values, hint[0]) & problem.runnable
        local = model.solve(NEIGHBOURHOOD_SHARE * left, hint, fixed=np.flatnonzero(agree))
        if local.status != "start":
            hint = (local.chosen, local.classes)
    result = model.solve(max(MIN_PART_SECONDS, seconds - (time.perf_counter() - started)), hint)
    result.bound = min(result.bound, relaxed) if math.isfinite(result.bound) else relaxed
    result.lp_bound = relaxed
    result.log = {"seats": len(problem.seats), "status": result.status, "seconds_given": round(seconds, 2),
                  "variables": model.n_cols, "constraints": model.n_rows, "build_seconds": built - started,
                  "lp_seconds": relaxed_at - built, "solve_seconds": time.perf_counter() - relaxed_at,
                  "start": round(float(evaluate(problem, params, *hint, method="start").objective), 3),
                  "bound": round(float(result.bound), 3), "lp_bound": round(float(relaxed), 3)}
    return result


def lp_guided(problem, params, seat_values):
    """The greedy rules applied down the seats in order of their LP value (then value per rupiah)."""
    order = np.lexsort((-ratio(problem, params), -np.round(seat_values, 3)))
    state = _fill(problem, order[problem.runnable[order]], targets=None)
    return evaluate(problem, params, state.chosen, state.classes, method="lp-guided")


def components(problem):
    """Seat positions of each independent part: seats linked through a shared person or envelope."""
    emp = problem.seat_employee
    env = problem.seat_envelope
    n_emp = len(problem.employees)
    parent = list(range(n_emp + len(problem.envelopes)))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for e, v in set(zip(emp.tolist(), (env + n_emp).tolist(), strict=True)):
        ra, rb = find(e), find(v)
        if ra != rb:
            parent[ra] = rb
    root = np.array([find(e) for e in emp.tolist()], dtype=np.int64)
    order = np.argsort(root, kind="stable")
    cuts = np.flatnonzero(np.diff(root[order])) + 1
    # Small parts first: they finish early and leave their time to the large ones.
    return sorted(np.split(order, cuts), key=len) if len(order) else []


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
        cat = lambda parts: np.concatenate(parts) if parts else np.zeros(0)  # noqa: E731
        return (cat(self.col_lower), cat(self.col_upper), cat(self.cost), cat(self.integer).astype(bool),
                cat(self.row_lower), cat(self.row_upper))

    # Solving ---------------------------------------------------------------------------------

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

    def relaxation(self):
        """Optimum of the LP relaxation (every variable continuous), and each seat's value in it."""
        highs = self._highs(integer=False)
        highs.run()
        seat_values = np.zeros(len(self.problem.seats))
        seat_values[self.seat_ids] = np.asarray(highs.getSolution().col_value)[: len(self.seat_ids)]
        return highs.getInfo().objective_function_value, seat_values

    def solve(self, seconds, hint, *, fixed=None):
        """The plan HiGHS (or SCIP) finds in ``seconds``, starting from ``hint`` = (chosen, classes).

        ``fixed``: seat positions (in the problem) whose choice the hint fixes — a neighbourhood
        search; the bound it reports is then not a bound of the whole problem.
        """
        if self.params.solver.upper() == "SCIP" and fixed is None:
            from .scip import solve_scip

            return solve_scip(self, seconds, hint)
        import highspy

        highs = self._highs(integer=True)
        if fixed is not None and len(fixed):
            columns = np.flatnonzero(np.isin(self.seat_ids, fixed))
            at = hint[0][self.seat_ids[columns]].astype(float)
            highs.changeColsBounds(len(columns), columns.astype(np.int32), at, at)
        highs.setOptionValue("time_limit", float(seconds))
        highs.setOptionValue("mip_rel_gap", float(self.params.relative_gap))
        start = self.start(hint) if hint is not None else np.zeros(self.n_cols)
        if not self.feasible(start):
            start = np.zeros(self.n_cols)  # the empty plan is always valid
        solution = highspy.HighsSolution()
        solution.col_value = start.tolist()
        solution.value_valid = True
        highs.setSolution(solution)
        highs.run()
        info = highs.getInfo()
        feasible = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else math.nan
        start_value = float(start @ np.concatenate(self.cost)) if self.cost else 0.0
        if not feasible or info.objective_function_value < start_value - 1e-9:
            return self.result(start, "start", bound)
        values = np.asarray(highs.getSolution().col_value)
        optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
        return self.result(values, "optimal" if optimal else "feasible", bound)

    def result(self, values, status, bound):
        problem = self.problem
        chosen = np.zeros(len(problem.seats), dtype=bool)
        chosen[self.seat_ids] = values[: len(self.seat_ids)] > 0.5
        sizes = pool_sizes(problem, chosen)
        max_size = problem.pools["max_size"].to_numpy(np.int64)
        classes = -(-sizes // max_size)  # pools without a class variable: as few classes as fit
        classes[self.class_pools] = np.rint(values[self.z0:self.z0 + len(self.class_pools)]).astype(np.int64)
        classes[sizes == 0] = 0
        return Result(chosen, classes, status, bound)

    def _highs(self, *, integer):
        import highspy

        col_lower, col_upper, cost, is_int, row_lower, row_upper = self.arrays()
        start, index, value = self.matrix()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.n_cols, self.n_rows
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, np.where(np.isinf(col_upper), highspy.kHighsInf, col_upper)
        lp.row_lower_ = np.where(np.isinf(row_lower), -highspy.kHighsInf, row_lower)
        lp.row_upper_ = np.where(np.isinf(row_upper), highspy.kHighsInf, row_upper)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = self.n_cols, self.n_rows
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
        if integer:
            lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                               for i in is_int.tolist()]
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("threads", int(self.params.threads))
        highs.passModel(lp)
        return highs
