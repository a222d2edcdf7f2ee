#!/usr/bin/env python3
"""Benchmark of mentor matching: the min-cost flow against the greedy baseline, same instance, same run.

    .venv/bin/python bench/mentoring.py                   # 20,000 mentees, 4,000 mentors, 10 competencies
    .venv/bin/python bench/mentoring.py --mentors 10000 --candidates 0

The instance is synthetic (``lms.mentoring.synthetic``): mentees with one to three needs
(gap 1–3.2, priority 0–100), mentors offering one to three competencies at level 3–5 with
capacity 1–5, units in locations, direct supervisors (often mentors themselves), a few dozen
HR locks (some breaking a rule, to be reported) and vetoes. No database: the computation only.

Figures per method: priority-weighted gap covered (as the method reports it and as the
independent checker recomputes it), soft points, pairs, locks honoured, checker violations,
runtime. ``--candidates 0`` keeps every eligible mentor per need (no pruning).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lms.mentoring import Params, check, coverage, greedy, match  # noqa: E402
from lms.mentoring.synthetic import synthetic_problem  # noqa: E402

TARGET_SECONDS = 30.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=20_000)
    parser.add_argument("--mentors", type=int, default=4_000)
    parser.add_argument("--competencies", type=int, default=10)
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--locations", type=int, default=20)
    parser.add_argument("--locks", type=int, default=40)
    parser.add_argument("--vetoes", type=int, default=200)
    parser.add_argument("--candidates", type=int, default=40,
                        help="Best eligible mentors kept per need (default 40; 0 keeps all).")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def main():
    args = parse_args()
    started = time.perf_counter()
    problem = synthetic_problem(mentees=args.mentees, mentors=args.mentors, competencies=args.competencies,
                                units=args.units, locations=args.locations, locks=args.locks, vetoes=args.vetoes,
                                seed=args.seed)
    capacity = int(problem.mentors["capacity"].sum())
    print("Instance: %d mentees with %d needs, %d mentors (%d places) with %d offers, %d competencies, "
          "%d units in %d locations, %d locks, %d vetoes; generated in %.1fs" % (
              len(problem.mentees), len(problem.needs), len(problem.mentors), capacity, len(problem.offers),
              args.competencies, args.units, args.locations, len(problem.locks), len(problem.vetoes),
              time.perf_counter() - started))
    params = Params(candidates_per_need=args.candidates or None)

    optimum = match(problem, params)
    base = greedy(problem, params)
    results = []
    print()
    print("%-14s %10s %10s %8s %7s %6s %11s %6s %8s" % (
        "method", "covered", "checked", "soft", "pairs", "locks", "infeasible", "viol.", "seconds"))
    for result in (optimum, base):
        violations = check(problem, params, result.pairs)
        results.append((result, violations))
        print("%-14s %10.2f %10.2f %8.1f %7d %6d %11d %6d %8.2f" % (
            result.method, result.covered, coverage(problem, result.pairs), result.soft, len(result.pairs),
            int(result.pairs["locked"].sum()), len(result.infeasible_locks), len(violations), result.seconds))
    for violation in [v for _r, vs in results for v in vs][:10]:
        print("  " + violation)

    d = optimum.details
    ratio = optimum.covered / base.covered if base.covered else float("inf")
    print()
    print("covered %.2f, greedy_covered %.2f, ratio %.5f (%+.3f%%); soft %.1f vs %.1f" % (
        optimum.covered, base.covered, ratio, 100 * (ratio - 1), optimum.soft, base.soft))
    print("flow: %d eligible pairs kept of %d (%d pruned), %d arcs, %d nodes (%d pair nodes), weights in "
          "1/%d; candidates %.1fs, flow %.1fs; load average %.1f" % (
              d["candidates"], d["candidates"] + d["pruned"], d["pruned"], d["arcs"], d["nodes"], d["pair_nodes"],
              d["weight_steps"], d["build_seconds"], d["flow_seconds"], os.getloadavg()[0]))

    verdicts = [
        ("matching <= %.0f s" % TARGET_SECONDS, optimum.seconds <= TARGET_SECONDS),
        ("coverage >= greedy", optimum.covered >= base.covered - 1e-9),
        ("0 violations", not any(vs for _r, vs in results)),
    ]
    print()
    for text, ok in verdicts:
        print("%-4s %s" % ("ok" if ok else "MISS", text))
    return 0 if all(ok for _t, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
