#!/usr/bin/env python3
"""Benchmark of budget planning: the MILP against the greedy ratio plan, same candidates, same run.

    .venv/bin/python bench/budget.py                      # 50,000 candidate seats, 5 agencies × 20 units
    .venv/bin/python bench/budget.py --seats 10000 --time-limit 10

The candidates are synthetic (``lms.budget.synthetic``): about 12,500 people, each with one to
four priority gaps and one or two courses for each (alternatives: at most one is taken), some
top-ups; 160 courses in five formats (e-learning without classes; classroom courses, technical
guidance, socialisation and leadership training with a fixed cost per class and a minimum
class size), each booked on its account; envelopes per agency and account plus a unit's own
for one unit in five, each holding 35% of what meeting all demand in it would cost; one
person in five is PPPK (24-JP cap). No database: the computation only.

A candidate item is one seat (a person in a course); seats of a course paid from the same
envelope share classes (a pool), and the optimiser decides seats and classes together.

Figures per method: objective (gap closure + JP towards the minimum − floor shortfall),
priority-weighted gap closure, staff reaching 20 JP, seats, classes, spending, units short of
their fairness floor, violations found by the checker, runtime. For the MILP also the proven
bound and gap, and the plain LP relaxation's optimum and the gap to it.
"""

import argparse
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lms.budget import Params, check, greedy, optimise  # noqa: E402
from lms.budget.evaluate import floor_shortfalls  # noqa: E402
from lms.budget.synthetic import synthetic_problem  # noqa: E402

TARGETS = {"seconds": 30.0, "gap": 0.01}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=50_000, help="Candidate seats (default 50,000).")
    parser.add_argument("--agencies", type=int, default=5)
    parser.add_argument("--units", type=int, default=20, help="Units per agency (default 20).")
    parser.add_argument("--budget-share", type=float, default=0.35,
                        help="Share of the full demand's cost each envelope holds (default 0.35).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=28.0,
                        help="Optimiser's wall-clock budget, start plan included (default 28 s).")
    parser.add_argument("--gap", type=float, default=0.009, help="Relative gap at which HiGHS stops (default 0.9%%).")
    parser.add_argument("--workers", type=int, default=2, help="Processes solving independent parts at once (default 2).")
    parser.add_argument("--solver", default="HIGHS", choices=["HIGHS", "SCIP"])
    parser.add_argument("--log", action="store_true", help="Let the solver print its log (silent by default).")
    return parser.parse_args()


def _cpu():
    """CPU seconds of this process and its finished children (the worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    args = parse_args()
    started = time.perf_counter()
    problem = synthetic_problem(seats=args.seats, agencies=args.agencies, units=args.units,
                                budget_share=args.budget_share, seed=args.seed)
    print("Candidates: %d seats, %d people, %d units in %d agencies, %d course pools, %d envelopes "
          "(Rp %.1f bn in all); generated in %.1fs" % (
              len(problem.seats), len(problem.employees), problem.notes["units"], args.agencies, len(problem.pools),
              len(problem.envelopes), problem.envelopes["amount"].sum() / 1e9, time.perf_counter() - started))
    params = Params(time_limit=args.time_limit, relative_gap=args.gap, solver=args.solver)

    base = greedy(problem, params)
    total, cpu = time.perf_counter(), _cpu()
    plan = optimise(problem, params, hint=base, workers=args.workers, log=args.log)
    total = time.perf_counter() - total + base.seconds  # the optimiser's run includes drawing its start
    cpu = _cpu() - cpu

    print()
    print("%-7s %11s %11s %9s %8s %8s %11s %6s %6s %9s" % (
        "method", "objective", "gap closed", "≥20 JP", "seats", "classes", "spent (Rp)", "short", "viol.", "seconds"))
    for plan_, seconds in ((base, base.seconds), (plan, total)):
        print("%-7s %11.1f %11.1f %8.1f%% %8d %8d %11.3e %6d %6d %9.1f" % (
            plan_.method, plan_.objective, plan_.value, 100 * plan_.reaching_share, plan_.seats_chosen,
            int(plan_.classes.sum()), plan_.total_spent, len(floor_shortfalls(problem, params, plan_.chosen)),
            len(check(problem, params, plan_, floors=False)), seconds))
    print()
    print("MILP: status %s, %d parts, %d variables, %d constraints; proven bound %.1f (gap %.2f%%); "
          "LP relaxation %.1f (gap %.2f%%)" % (
              plan.status, plan.details["parts"], plan.details["variables"], plan.details["constraints"], plan.bound,
              100 * plan.gap, plan.lp_bound, 100 * plan.lp_gap))
    print("MILP time (summed over parts): build {:.1f}s, LP relaxations {:.1f}s, search {:.1f}s; CPU {:.1f}s in "
          "{:.1f}s wall with {} worker(s), load average {:.1f}".format(
              plan.details["build_seconds"], plan.details["lp_seconds"], plan.details["solve_seconds"], cpu, total,
              args.workers, os.getloadavg()[0]))
    print(f"Optimiser vs greedy: gap closure {100 * (plan.value / base.value - 1):+.1f}% ({plan.value:.1f} vs {base.value:.1f}), objective {100 * (plan.objective / base.objective - 1):+.1f}%, staff reaching 20 JP "
          f"{100 * plan.reaching_share:.1f}% vs {100 * base.reaching_share:.1f}%")

    verdicts = [
        ("runtime ≤ {:.0f} s".format(TARGETS["seconds"]), total <= TARGETS["seconds"]),
        ("within %.0f%% of the proven (LP-based) bound" % (100 * TARGETS["gap"]), plan.gap <= TARGETS["gap"]),
        ("within %.0f%% of the plain LP relaxation" % (100 * TARGETS["gap"]), plan.lp_gap <= TARGETS["gap"]),
        ("0 violations (envelopes, class sizes, alternatives, JP caps)",
         not check(problem, params, plan, floors=False) and not check(problem, params, base, floors=False)),
        ("more gap closure than greedy", plan.value > base.value),
    ]
    print()
    for text, ok in verdicts:
        print("%-4s %s" % ("ok" if ok else "MISS", text))
    return 0 if all(ok for _t, ok in verdicts[:2]) and verdicts[3][1] else 1


if __name__ == "__main__":
    sys.exit(main())
