"""The exact plan: the MILP of ``model.py`` solved part by part, by HiGHS or SCIP, from the best start at hand.

The model falls apart into independent parts (an agency's envelopes share no person with
another agency's); each part is solved on its own with a share of the time, and the bounds
add up. HiGHS is called through ``highspy`` (``highs.py``): OR-Tools 9.15's HiGHS wrapper
reports no solution when the time limit is reached, no dual bound, and crashes on a starting
solution; OR-Tools' SCIP is available as ``Params(solver="SCIP")`` (``scip.py``). Neither
prints anything unless ``optimise`` is given ``log=True``.
"""

import math
import time

import numpy as np

from .evaluate import Plan, evaluate
from .greedy import greedy
from .model import Model
from .problem import Params, Problem
from .ratio_list import fill, ratio

SAFETY = 1.0  # seconds kept back for reading the results
MIN_PART_SECONDS = 0.3
NEIGHBOURHOOD_SHARE = 0.3  # of a part's time, for the neighbourhood search


def optimise(problem: Problem, params: Params | None = None, *, hint: Plan | None = None, workers=1,
             log=False) -> Plan:
    """The best plan found within ``params.time_limit`` seconds, with its proven bound, gap and LP bound.

    ``Plan.bound`` is what HiGHS proved (its LP bound after cuts and branching; the plain LP
    relaxation for a part it had no time to prove anything on), ``Plan.lp_bound`` the plain LP
    relaxation of the formulation. ``hint``: a plan to start from, by default the greedy plan;
    each part starts from the better of it and the LP-guided plan, and should the solver find
    nothing better in time, that start stands (``status`` "start"). ``workers``: processes
    solving independent parts at once. ``log``: let the solver print its log.
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
                futures[pool.submit(solve_part, jobs[i][0], params, jobs[i][2], seconds, log=log)] = i
            for future in concurrent.futures.as_completed(futures):
                results[futures[future]] = future.result()
    else:
        left = total
        for i, part in enumerate(parts):  # smallest first: they finish early and leave their time
            available = params.time_limit - (time.perf_counter() - started) - SAFETY
            seconds = max(MIN_PART_SECONDS, available * len(part) / max(left, 1))
            left -= len(part)
            results[i] = solve_part(jobs[i][0], params, jobs[i][2], seconds, log=log)

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


def solve_part(problem, params, hint, seconds, *, log=False):
    """Build, relax, start and solve one independent part within ``seconds``; returns a ``model.Result``."""
    from .highs import relaxation, solve_highs  # highspy loads only when a plan is optimised

    started = time.perf_counter()
    model = Model(problem, params)
    built = time.perf_counter()
    # The LP relaxation gives the bound to report and, rounded by the greedy rules, a start far
    # better than the ratio list's: HiGHS then has to improve on it and prove it.
    relaxed, seat_values = relaxation(model, log=log)
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
        local = solve_highs(model, NEIGHBOURHOOD_SHARE * left, hint, fixed=np.flatnonzero(agree), log=log)
        if local.status != "start":
            hint = (local.chosen, local.classes)
    seconds_left = max(MIN_PART_SECONDS, seconds - (time.perf_counter() - started))
    if params.solver.upper() == "SCIP":
        from .scip import solve_scip  # OR-Tools loads only when SCIP is asked for

        result = solve_scip(model, seconds_left, hint, log=log)
    else:
        result = solve_highs(model, seconds_left, hint, log=log)
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
    draft = fill(problem, order[problem.runnable[order]], targets=None)
    return evaluate(problem, params, draft.chosen, draft.classes, method="lp-guided")


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
