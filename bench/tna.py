#!/usr/bin/env python3
"""Benchmark of the TNA run: generate a workforce, time run_tna end to end, its compute stage, and a NumPy floor.

    .venv/bin/python bench/tna.py                      # 100,000 employees, fresh SQLite under var/
    .venv/bin/python bench/tna.py --employees 20000    # smaller
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/latih_bench .venv/bin/python bench/tna.py --employees 1000000

Without ``DATABASE_URL`` a fresh SQLite file ``var/bench-tna-<N>.sqlite3`` is created (and kept,
so ``--reuse`` can time again without regenerating). With ``DATABASE_URL`` the database must be
empty of employees unless ``--reuse`` is given. The workforce spreads over the five seed agencies
with the full competency dictionary; the evidence generator gives each person about five raters.

Figures: ``run_tna`` end to end (first run into an empty result table, then a re-run that
replaces the results), the compute stage alone (``tna.analysis.analyse`` on evidence already in
memory) and the floor: a bare NumPy pass over the same arrays computing the same numbers with
no validation, no DataFrames and no reasons. The targets are printed next to the figures.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from database import generate_seed_workforce, setup_django

ROOT = Path(__file__).resolve().parent.parent
CYCLE = 2026
SEED = 2026

TARGETS = {
    "sqlite_100k_end_to_end": 60.0,
    "postgresql_1m_end_to_end": 90.0,
    "compute_over_floor": 3.0,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000, help="Workforce size (default 100,000).")
    parser.add_argument("--runs", type=int, default=2, help="run_tna executions to time (default 2: fresh, re-run).")
    parser.add_argument("--repeat", type=int, default=3, help="Repetitions of compute and floor; best is kept.")
    parser.add_argument("--reuse", action="store_true", help="Use the workforce already in the database.")
    return parser.parse_args()


def say(text):
    print(text, flush=True)


def load_workload(employees, reuse):
    """Migrate, load the dictionary and seed agencies, generate workforce and evidence; returns counts."""
    from django.core.management import call_command

    from tna.generate.evidence import generate_evidence
    from tna.models import Employee, Rating

    call_command("migrate", verbosity=0)
    existing = Employee.objects.count()
    if existing and reuse:
        say("Reusing %s employees and %s ratings already in the database." % (existing, Rating.objects.count()))
        return
    if existing:
        sys.exit("The database already holds %d employees: use an empty database or --reuse." % existing)
    started = time.perf_counter()
    generate_seed_workforce(employees, seed=SEED, say=say)
    counts = generate_evidence(cycle_year=CYCLE, seed=SEED)
    say("  evidence: %(ratings)d ratings, %(raters_per_person).2f raters per person, %(appraisals)d appraisals, "
        "%(survey_responses)d survey answers, %(unit_scores)d unit IKM scores" % counts)
    say("Generated in %.0f s." % (time.perf_counter() - started))


def time_run_tna(runs):
    """Seconds per ``run_tna`` execution through the management command, and the last run."""
    from io import StringIO

    from django.core.management import call_command

    from tna.models import TnaRun

    seconds = []
    for _ in range(runs):
        started, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
        call_command("run_tna", cycle=CYCLE, stdout=StringIO())
        seconds.append((time.perf_counter() - started, time.process_time() - cpu, server_cpu() - server))
    return seconds, TnaRun.objects.filter(status=TnaRun.Status.SUCCEEDED).order_by("-pk").first()


def server_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend when it runs on this
    machine (0 elsewhere): with the machine shared, CPU is the steadier measure of work."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def best_of(repeat, function):
    """(best wall seconds, best CPU seconds, value) over ``repeat`` calls."""
    best, best_cpu, value = float("inf"), float("inf"), None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        value = function()
        best, best_cpu = min(best, time.perf_counter() - started), min(best_cpu, time.process_time() - cpu)
    return best, best_cpu, value


def floor_arrays(evidence):
    """The evidence columns the floor computes on, as plain NumPy arrays (already in memory)."""
    from tna.analysis.inputs import role_codes

    def ints(frame, column):
        return frame[column].to_numpy(dtype=np.int64)

    return {
        "ratee": ints(evidence.ratings, "ratee"), "rater": ints(evidence.ratings, "rater"),
        "role": role_codes(evidence.ratings).astype(np.int64), "rating_competency": ints(evidence.ratings, "competency"),
        "level": ints(evidence.ratings, "level"),
        "employee": ints(evidence.required, "employee"), "competency": ints(evidence.required, "competency"),
        "required_level": ints(evidence.required, "required_level"),
        "weight": evidence.required["weight"].to_numpy(dtype=float),
        "survey_employee": ints(evidence.survey, "employee"), "survey_competency": ints(evidence.survey, "competency"),
        "survey_priority": ints(evidence.survey, "priority"),
        "appraisal_employee": ints(evidence.appraisals, "employee"),
        "behaviour": ints(evidence.appraisals, "behaviour"), "results": ints(evidence.appraisals, "results"),
        "discipline": ints(evidence.appraisals, "discipline"), "quality": ints(evidence.appraisals, "quality"),
        "innovation": ints(evidence.appraisals, "innovation"),
        "person_employee": ints(evidence.people, "employee"), "person_unit": ints(evidence.people, "unit"),
        "ikm_unit": ints(evidence.ikm, "unit"), "ikm_score": evidence.ikm["score"].to_numpy(dtype=float),
        "service": ints(evidence.competencies, "competency")[evidence.competencies["is_service"].to_numpy(bool)],
    }


def numpy_floor(a, params):
    """The same numbers as ``analyse`` (leniency, observed level, confidence, gap, priority) with
    bare NumPy: ids taken as compact, required rows left in their given order, nothing checked,
    IKM of the unit itself only (no walk up the unit tree). Returns (observed, confidence, priority).
    """
    low = min(a["ratee"].min(), a["rater"].min(), a["employee"].min())
    high = max(a["ratee"].max(), a["rater"].max(), a["employee"].max())
    people = int(high - low + 1)
    n_comp = int(max(a["rating_competency"].max(), a["competency"].max())) + 1
    # Anonymity, as tna.analysis.anonymity: peer and subordinate groups under the minimum are
    # pooled when the pool reaches it and left out otherwise; two to ``minimum`` supervisors too.
    minimum = params.anonymity_minimum
    cell = (a["ratee"] - low) * n_comp + a["rating_competency"]
    counts = np.bincount(cell * 4 + a["role"], minlength=people * n_comp * 4).reshape(-1, 4)
    small = (counts > 0) & (counts < minimum) & np.array([False, True, True, False])
    pooled = small & ((counts * small).sum(axis=1) >= minimum)[:, None]
    left_out = small & ~pooled
    left_out[:, 0] = (counts[:, 0] >= 2) & (counts[:, 0] <= minimum)
    kept = ~left_out[cell, a["role"]]
    cell, role = cell[kept], a["role"][kept]
    # Leniency, as tna.analysis.leniency.
    key = (a["rater"][kept] - low) * 2 + (role == 3)
    y = a["level"][kept].astype(float)
    n_cell = np.bincount(cell, minlength=people * n_comp)
    others = n_cell[cell] - 1
    has_peer = others > 0
    others = np.maximum(others, 1)
    compared = np.bincount(key, weights=has_peer, minlength=people * 2)
    by_others = compared.copy()  # the zero: median of raters of others, weighted by compared ratings
    by_others[1::2] = 0
    leniency = np.zeros(people * 2)
    for i in range(params.leniency_iterations):
        corrected = y - leniency[key] if i else y
        cell_sum = np.bincount(cell, weights=corrected, minlength=people * n_comp)
        difference = np.where(has_peer, y - (cell_sum[cell] - corrected) / others, 0.0)
        leniency = np.bincount(key, weights=difference, minlength=people * 2) / np.maximum(compared + params.leniency_shrinkage, 1e-12)
        anchors = np.flatnonzero(by_others)
        order = np.argsort(leniency[anchors])
        cumulative = np.cumsum(by_others[anchors][order])
        leniency -= leniency[anchors][order][np.searchsorted(cumulative, cumulative[-1] / 2)]
    corrected = np.clip(y - leniency[key], 1, 5)
    # Observed level, as tna.analysis.observed: sums per (role, row), then 4 x R arrays.
    rows = len(a["employee"])
    row_of_cell = np.full(people * n_comp, -1)
    row_of_cell[(a["employee"] - low) * n_comp + a["competency"]] = np.arange(rows)
    row = row_of_cell[cell]
    bin_ = np.where(row >= 0, role * rows + row, rows * 4)
    role_n = np.bincount(bin_, minlength=rows * 4 + 1)[:-1].reshape(4, rows)
    role_sum = np.bincount(bin_, weights=corrected, minlength=rows * 4 + 1)[:-1].reshape(4, rows)
    role_squares = np.bincount(bin_, weights=corrected * corrected, minlength=rows * 4 + 1)[:-1].reshape(4, rows)
    count = np.maximum(role_n, 1)
    w = (role_n > 0) * np.asarray(params.role_weights())[:, None]
    # Small anonymous groups share their pool's weight by rater count.
    small = (role_n > 0) & (role_n < minimum) & np.array([False, True, True, False])[:, None]
    pool_n, pool_w = (role_n * small).sum(axis=0), (w * small).sum(axis=0)
    w = np.where(small, pool_w * role_n / np.maximum(pool_n, 1), w)
    total = w.sum(axis=0)
    safe = np.where(total > 0, total, 1.0)
    observed = (w * role_sum / count).sum(axis=0) / safe
    spread = np.sqrt(np.maximum((w * role_squares / count).sum(axis=0) / safe - observed * observed, 0))
    n_eff = total * total / np.maximum((w * w / count).sum(axis=0), 1e-12)
    supervisor = np.where(role_n[0] > 0, 1.0, params.confidence_no_supervisor)
    confidence = n_eff / (n_eff + params.confidence_raters) * (1 - np.minimum(spread / 2, 1)) * supervisor
    observed = np.where(total > 0, np.round(observed, 2), np.nan)
    gap = np.maximum(a["required_level"] - np.nan_to_num(observed, nan=99.0), 0)
    # Priority, as tna.analysis.priority.
    person_of = np.full(people, -1)
    person_of[a["person_employee"] - low] = np.arange(len(a["person_employee"]))
    person = person_of[a["employee"] - low]
    survey = np.zeros(people * n_comp)
    survey[(a["survey_employee"] - low) * n_comp + a["survey_competency"]] = a["survey_priority"]
    survey = survey[(a["employee"] - low) * n_comp + a["competency"]]
    share = np.zeros(len(a["person_employee"]))
    appraised = person_of[a["appraisal_employee"] - low]
    share[appraised] = (0.4 * (a["behaviour"] == 2) + 0.3 * (a["results"] == 2) + 0.1 * (a["discipline"] == 1)
                        + 0.1 * (a["discipline"] == 2) + 0.1 * ((a["quality"] > 0) & (a["quality"] <= 2))
                        + 0.1 * ((a["innovation"] > 0) & (a["innovation"] <= 2)))
    unit_score = np.full(int(max(a["person_unit"].max(), a["ikm_unit"].max(initial=0))) + 1, np.nan)
    unit_score[a["ikm_unit"]] = a["ikm_score"]
    ikm = unit_score[a["person_unit"]][person]
    is_service = np.isin(a["competency"], a["service"])
    presence = np.minimum(gap / params.gap_presence, 1)
    low_ikm = is_service & (np.nan_to_num(ikm, nan=101) < params.ikm_threshold)
    depth = (params.ikm_threshold - np.clip(np.nan_to_num(ikm), 25, params.ikm_threshold)) / (params.ikm_threshold - 25)
    priority = (
        params.points("gap") * np.minimum(gap / params.gap_saturation, 1)
        + presence * (params.points("weight") * np.minimum(a["weight"] / 3, 1) + params.points("appraisal") * share[person]
                      + params.points("survey") * survey / 3 + np.where(low_ikm, params.points("ikm") * (0.5 + depth / 2), 0))
    )
    return observed, confidence, priority


def main():
    args = parse_args()
    setup_django('tna', args.employees, args.reuse)
    from django.db import connection

    from tna.analysis import analyse
    from tna.models import CompetencyGap, Cycle
    from tna.services.tna_run import analysis_parameters, read_evidence

    vendor = connection.vendor
    say("Latih TNA benchmark: %d employees on %s (%s); load average %s." % (
        args.employees, vendor, connection.settings_dict["NAME"], " ".join("%.2f" % x for x in os.getloadavg())))
    load_workload(args.employees, args.reuse)

    load_before = os.getloadavg()[0]
    seconds, run = time_run_tna(args.runs)
    gaps = CompetencyGap.objects.filter(cycle__year=CYCLE).count()
    for i, (wall, cpu, server) in enumerate(seconds):
        say("run_tna %-8s  %7.1f s  (CPU: this process %.1f s%s)" % (
            "first" if i == 0 else "re-run", wall, cpu, ", PostgreSQL backend %.1f s" % server if server else ""))
    say("  stages of the last run: %s" % ", ".join("%s %.1f s" % kv for kv in run.timings.items()))
    say("  %d employees, %d result rows, %d gaps > 0" % (run.employees, gaps, run.gaps))

    cycle = Cycle.objects.get(year=CYCLE)
    params = analysis_parameters()
    read_seconds, read_cpu, evidence = best_of(1, lambda: read_evidence(cycle=cycle))
    compute, compute_cpu, result = best_of(args.repeat, lambda: analyse(evidence, params))
    arrays = floor_arrays(evidence)
    floor, floor_cpu, (observed, confidence, priority) = best_of(args.repeat, lambda: numpy_floor(arrays, params))
    # The floor keeps the required rows in their given order; the analysis sorts them.
    order = np.lexsort((evidence.required["competency"].to_numpy(), evidence.required["employee"].to_numpy()))
    same = np.allclose(result.gaps["observed_level"].to_numpy(), observed[order], equal_nan=True, atol=0.011)
    say("read_evidence     %7.2f s  CPU %6.2f s  (%d ratings, %d required rows)" % (
        read_seconds, read_cpu, len(evidence.ratings), len(evidence.required)))
    say("compute (analyse) %7.2f s  CPU %6.2f s  best of %d" % (compute, compute_cpu, args.repeat))
    say("NumPy floor       %7.2f s  CPU %6.2f s  best of %d; same observed levels as the analysis: %s" % (
        floor, floor_cpu, args.repeat, same))
    say("")
    say("compute / floor   %7.2f x  (CPU %.2f x; target <= %.0f x)" % (
        compute / floor, compute_cpu / floor_cpu, TARGETS["compute_over_floor"]))
    end_to_end = max(wall for wall, _, _ in seconds)
    results = [("compute_over_floor", compute / floor <= TARGETS["compute_over_floor"]),
               ("same_numbers_as_floor", bool(same))]
    name, base = ("sqlite_100k_end_to_end", 100_000) if vendor == "sqlite" else ("postgresql_1m_end_to_end", 1_000_000)
    target = TARGETS[name] * args.employees / base
    say("end to end        %7.1f s  (slowest run; target <= %.0f s for %d on %s, pro rata)" % (
        end_to_end, target, args.employees, "SQLite" if vendor == "sqlite" else "PostgreSQL"))
    results.append((name, end_to_end <= target))
    say("load average at the start of the runs %.2f, now %.2f (%d cores, shared with other work)." % (
        load_before, os.getloadavg()[0], os.cpu_count()))
    say("")
    for name, met in results:
        say("%s %s" % ("ok  " if met else "MISS", name))


if __name__ == "__main__":
    main()
