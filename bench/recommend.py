#!/usr/bin/env python3
"""Benchmark of the recommender: the pure ranking on frames in memory, and the full service on a database.

    .venv/bin/python bench/recommend.py                          # 100,000 employees, frames in memory only
    .venv/bin/python bench/recommend.py --db                     # also the full service on a fresh SQLite
    .venv/bin/python bench/recommend.py --db --employees 20000   # smaller
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/latih_bench .venv/bin/python bench/recommend.py --db

In memory: a synthetic workforce of ``--employees`` people in ten agencies, each with a job
standard of 11–13 competencies (the nine national ones and two to four technical), observed
levels scattered around the required level (8 % without ratings), priorities shaped like the
TNA's; a catalogue of 45 courses per agency (half of the online and self-paced ones by shared
providers, open to every agency) with the demo catalogue's spread of JP, cost, mode and times; survey preferences,
completed courses and JP already earned for part of the workforce. Timed: ``lms.recommend``
(ranking and plan) and building the reason payloads, best of ``--repeat``.

With ``--db``: a fresh SQLite file ``var/bench-recommend-<N>.sqlite3`` (kept; ``--reuse`` times
again without regenerating) gets the seed agencies, a generated workforce with evidence, a TNA
run and the demo catalogue; then ``recommend_cycle`` (the service behind ``manage.py
recommend``) is timed end to end, fresh and as a re-run replacing the cycle's set.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from database import generate_seed_workforce, setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CYCLE = 2026
SEED = 2026
AGENCIES = 10
COURSES_PER_AGENCY = 45
NATIONAL = list(range(1, 10))  # M.01–M.08, SK.01
TECHNICAL = list(range(10, 18))  # TK.01–TK.08
JP_CHOICES = np.array([4, 6, 8, 12, 16, 24, 32, 40])
JP_WEIGHTS = np.array([0.06, 0.08, 0.18, 0.14, 0.24, 0.16, 0.09, 0.05])
# (mode, share, time mask): the demo catalogue's patterns.
MODES = [("classroom", 0.45, 4), ("classroom", 0.15, 10), ("online", 0.2, 1), ("blended", 0.1, 4), ("self_paced", 0.1, 15)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000, help="Workforce size (default 100,000).")
    parser.add_argument("--repeat", type=int, default=3, help="Repetitions of the in-memory timing; best is kept.")
    parser.add_argument("--db", action="store_true", help="Also time the full service on a database.")
    parser.add_argument("--reuse", action="store_true", help="With --db: use the database already generated.")
    return parser.parse_args()


def say(text):
    print(text, flush=True)


# Frames in memory ------------------------------------------------------------------------------


def synthetic_frames(employees, seed=SEED):
    """(gaps, courses, preferences, exclusions, earned, offers) frames as the service would read them."""
    rng = np.random.default_rng(seed)
    # Catalogue: 45 courses per agency, one or two targets each.
    n_courses = AGENCIES * COURSES_PER_AGENCY
    course_ids = np.arange(1, n_courses + 1)
    owner = np.repeat(np.arange(1, AGENCIES + 1), COURSES_PER_AGENCY)
    pattern = rng.choice(len(MODES), n_courses, p=[m[1] for m in MODES])
    # Shared providers' remote courses are open to every agency (lms.services.recommendations).
    remote = np.isin(np.array([MODES[p][0] for p in pattern]), ["online", "self_paced"])
    shared = (rng.random(n_courses) < 0.5) & remote
    jp = rng.choice(JP_CHOICES, n_courses, p=JP_WEIGHTS / JP_WEIGHTS.sum())
    rate = rng.uniform(40_000, 110_000, n_courses)  # rupiah per JP per participant
    rate[np.array([MODES[p][0] for p in pattern]) == "self_paced"] /= 4
    cost = np.round(jp * rate / 50_000) * 50_000
    first = rng.choice(NATIONAL + TECHNICAL, n_courses)
    second = rng.choice(NATIONAL + TECHNICAL, n_courses)
    two = (rng.random(n_courses) < 0.6) & (second != first)
    targets = pd.DataFrame({
        "course_id": np.r_[course_ids, course_ids[two]],
        "competency_id": np.r_[first, second[two]],
        "level": np.r_[rng.choice([2, 3, 4], n_courses, p=[0.35, 0.45, 0.2]), rng.choice([2, 3], two.sum())],
    })
    attributes = pd.DataFrame({
        "course_id": course_ids, "jp": jp, "cost": cost,
        "mode": [MODES[p][0] for p in pattern], "times": [MODES[p][2] for p in pattern],
    })
    courses = targets.merge(attributes, on="course_id")
    offers = pd.concat([
        pd.DataFrame({"agency_id": owner, "course_id": course_ids}),
        pd.DataFrame({
            "agency_id": np.repeat(np.arange(1, AGENCIES + 1), shared.sum()),
            "course_id": np.tile(course_ids[shared], AGENCIES),
        }),
    ]).drop_duplicates()

    # Workforce: job standards and gaps.
    people = np.arange(1, employees + 1)
    agency = rng.integers(1, AGENCIES + 1, employees)
    required_base = rng.choice([1, 2, 3, 4], employees, p=[0.45, 0.3, 0.2, 0.05])
    n_tech = rng.integers(2, 5, employees)
    tech = np.argsort(rng.random((employees, len(TECHNICAL))), axis=1)
    rows_employee = np.r_[np.repeat(people, len(NATIONAL)), np.repeat(people, n_tech)]
    rows_competency = np.r_[
        np.tile(NATIONAL, employees),
        np.array(TECHNICAL)[tech[np.arange(len(TECHNICAL)) < n_tech[:, None]]],
    ]
    order = np.lexsort((rows_competency, rows_employee))
    rows_employee, rows_competency = rows_employee[order], rows_competency[order]
    n = len(rows_employee)
    required = np.clip(required_base[rows_employee - 1] + rng.integers(-1, 2, n), 1, 5)
    observed = np.round(np.clip(required + rng.normal(-0.35, 0.8, n), 1, 5), 2)
    observed[rng.random(n) < 0.08] = np.nan
    gap = np.where(np.isnan(observed), 0.0, np.maximum(required - np.nan_to_num(observed), 0))
    presence = np.minimum(gap / 0.5, 1)
    priority = np.round(50 * np.minimum(gap / 2, 1) + presence * rng.uniform(0, 40, n), 1)
    gaps = pd.DataFrame({
        "employee_id": rows_employee, "agency_id": agency[rows_employee - 1], "competency_id": rows_competency,
        "required": required, "observed": observed, "gap": gap, "priority": priority,
    })

    surveyed = rng.random(employees) < 0.6
    preferences = pd.DataFrame({
        "employee_id": people[surveyed],
        "mode": rng.choice(["classroom", "online", "blended", "self_paced", ""], surveyed.sum(), p=[0.35, 0.3, 0.15, 0.1, 0.1]),
        "time": rng.choice(["", "morning", "afternoon", "full_day", "short_blocks"], surveyed.sum(), p=[0.5, 0.2, 0.1, 0.1, 0.1]),
    })
    done = rng.random(employees) < 0.05
    # Completed courses: own-agency courses, so they would otherwise be candidates.
    exclusions = pd.DataFrame({
        "employee_id": people[done],
        "course_id": (agency[done] - 1) * COURSES_PER_AGENCY + rng.integers(1, COURSES_PER_AGENCY + 1, done.sum()),
    })
    credited = rng.random(employees) < 0.3
    earned = pd.DataFrame({"employee_id": people[credited], "jp": rng.choice([4, 8, 12, 16, 24], credited.sum())})
    return gaps, courses, preferences, exclusions, earned, offers


def time_in_memory(employees, repeat):
    from lms.recommend import Params, reason_payloads, recommend

    started = time.perf_counter()
    gaps, courses, preferences, exclusions, earned, offers = synthetic_frames(employees)
    say("Frames generated in %.1f s: %d gap rows (%d with gap > 0), %d courses (%d targets), %d offers." % (
        time.perf_counter() - started, len(gaps), int((gaps["gap"] > 0).sum()), courses["course_id"].nunique(),
        len(courses), len(offers)))
    params = Params()
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = recommend(gaps, courses, preferences=preferences, exclusions=exclusions, earned=earned,
                           offers=offers, params=params)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    started, cpu = time.perf_counter(), time.process_time()
    texts = reason_payloads(result)
    payload_seconds, payload_cpu = time.perf_counter() - started, time.process_time() - cpu
    ranked, plan = result.ranked, result.plan
    reached = ((plan["jp_earned"] + plan["jp_planned"]) >= plan["jp_minimum"]).mean()
    # CPU seconds next to wall-clock ones: on a shared machine the wall clock includes waiting.
    say("recommend (ranking + plan)   %7.2f s wall  %7.2f s CPU   best of %d" % (best, best_cpu, repeat))
    say("reason payloads (JSON)       %7.2f s wall  %7.2f s CPU   %d texts, %.0f bytes each on average" % (
        payload_seconds, payload_cpu, len(texts), np.mean([len(t) for t in texts[:10000]]) if texts else 0))
    say("  %d recommendations for %d of %d employees (%.1f per person); kinds: %s" % (
        len(ranked), ranked["employee_id"].nunique(), employees, len(ranked) / max(ranked["employee_id"].nunique(), 1),
        ", ".join("%s %d" % (k, c) for k, c in zip(("gap", "alternative", "top_up"),
                                                     np.bincount(ranked["kind"].astype(int), minlength=3), strict=True))))
    say("  plan reaches the %d-JP minimum for %.1f %% of employees; median planned %d JP" % (
        params.jp_minimum, 100 * reached, int(plan["jp_planned"].median())))
    return best, payload_seconds


# The full service on a database ----------------------------------------------------------------


def load_workload(employees, reuse):
    """Seed agencies, workforce, evidence, a TNA run and the demo catalogue (skipped with --reuse)."""
    from io import StringIO

    from django.core.management import call_command

    from courses.demo import generate_catalogue
    from tna.generate.evidence import generate_evidence
    from tna.models import Agency, CompetencyGap, Employee

    call_command("migrate", verbosity=0)
    if Employee.objects.exists():
        if not reuse:
            sys.exit("The database already holds employees: use an empty database or --reuse.")
        say("Reusing %d employees and %d gap rows." % (Employee.objects.count(), CompetencyGap.objects.count()))
        return
    started = time.perf_counter()
    generate_seed_workforce(employees, seed=SEED, say=say)
    generate_evidence(cycle_year=CYCLE, seed=SEED)
    say("  evidence generated (%.0f s)" % (time.perf_counter() - started))
    call_command("run_tna", cycle=CYCLE, stdout=StringIO())
    say("  TNA run (%.0f s)" % (time.perf_counter() - started))
    generate_catalogue(agencies=list(Agency.objects.order_by("code")))
    say("  catalogue generated (%.0f s)" % (time.perf_counter() - started))


def time_service():
    from lms.models import Recommendation
    from lms.services.recommendations import recommend_cycle
    from tna.models import Cycle

    cycle = Cycle.objects.get(year=CYCLE)
    figures = []
    # Without --reuse the first run writes into an empty table; the second replaces its set.
    for label in ("first", "re-run"):
        started, cpu = time.perf_counter(), time.process_time()
        summary = recommend_cycle(cycle=cycle)
        seconds = time.perf_counter() - started
        figures.append(seconds)
        say("recommend_cycle %-8s %7.1f s wall  %7.1f s CPU (this process)   stages: %s" % (
            label, seconds, time.process_time() - cpu, ", ".join("%s %.1f s" % kv for kv in summary.timings.items())))
    say("  %d recommendations stored for %d employees" % (
        Recommendation.objects.filter(cycle=cycle).count(), summary.employees))
    return figures


def main():
    args = parse_args()
    say("Latih recommender benchmark: %d employees; load average %s." % (
        args.employees, " ".join("%.2f" % x for x in os.getloadavg())))
    time_in_memory(args.employees, args.repeat)
    if args.db:
        setup_django('recommend', args.employees, args.reuse)
        from django.db import connection

        say("Database: %s (%s)" % (connection.vendor, connection.settings_dict["NAME"]))
        load_workload(args.employees, args.reuse)
        time_service()


if __name__ == "__main__":
    main()
