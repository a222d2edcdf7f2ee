#!/usr/bin/env python3
"""Benchmark of the 9-box: talent_grid_run on one large agency, first run and re-run, against a read floor.

    .venv/bin/python bench/talent.py                      # 100,000 employees in one agency, fresh SQLite under var/
    .venv/bin/python bench/talent.py --employees 20000    # smaller
    .venv/bin/python bench/talent.py --reuse              # time again on the database already built

Without ``DATABASE_URL`` a fresh SQLite file ``var/bench-talent-<N>.sqlite3`` is created (and kept,
so ``--reuse`` can time again without regenerating). The workforce is one seed agency of
``--employees`` people (``tna.generate``) with the 2026 evidence and a TNA run for it, SKP
appraisals for 2025 as well (drawn around each person's 2026 one, a few people without), and
assessment-centre results for one person in twenty.

Figures: ``talent_grid_run`` into an empty placement table (every placement inserted), then a
re-run after calibration moves (every placement updated in place, the moves kept), each split
into reading, placing (``tna.talent.grid.place``) and writing, with people per second; the floor
is reading the TNA rows potential needs with ``values_list`` and nothing else. The last line
is ``ok   <target>`` or ``MISS <target>``: the slower run takes at most 10 s for 100,000
people (pro rata for other sizes).
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from database import setup_django

ROOT = Path(__file__).resolve().parent.parent
CYCLE = 2026
SEED = 2026
TARGET_SECONDS_PER_100K = 10.0
MOVES = 200
JPM_SHARE = 0.05


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000, help="Workforce size (default 100,000).")
    parser.add_argument("--reuse", action="store_true", help="Use the workforce already in the database.")
    parser.add_argument("--repeat", type=int, default=3, help="Repetitions of the read floor; best is kept.")
    return parser.parse_args()


def say(text):
    print(text, flush=True)


def load_workload(employees, reuse):
    """Migrate; unless reusing, build the agency, its evidence for two cycles and the TNA run. Returns the agency."""
    from django.core.management import call_command

    from tna.models import Agency, Employee

    call_command("migrate", verbosity=0)
    existing = Employee.objects.count()
    if existing and reuse:
        agency = Agency.objects.filter(employees__isnull=False).distinct().get()
        say("Reusing %s employees of %s already in the database." % (existing, agency.code))
        return agency
    if existing:
        sys.exit("The database already holds %d employees: use an empty database or --reuse." % existing)
    from tna.generate.evidence import generate_evidence
    from tna.generate.workforce import generate_workforce
    from tna.services.positions import required_levels_apply_defaults
    from tna.services.tna_run import run_tna

    started = time.perf_counter()
    call_command("loaddata", "competencies", "seed_regions", verbosity=0)
    required_levels_apply_defaults()
    agency = Agency.objects.order_by("code").first()
    generate_workforce(agency=agency, employees=employees, seed=SEED)
    say("  workforce %s: %d employees  (%.0f s)" % (agency.code, employees, time.perf_counter() - started))
    counts = generate_evidence(cycle_year=CYCLE, agency=agency, seed=SEED)
    say("  evidence %d: %d ratings, %d appraisals  (%.0f s)" % (
        CYCLE, counts["ratings"], counts["appraisals"], time.perf_counter() - started))
    previous_appraisals_and_assessments(agency)
    say("  appraisals %d and assessment-centre results  (%.0f s)" % (CYCLE - 1, time.perf_counter() - started))
    run = run_tna(cycle=cycle_of(CYCLE), agency=agency)
    say("  run_tna: %d employees, %d gaps > 0  (%.0f s)" % (run.employees, run.gaps, time.perf_counter() - started))
    say("Built in %.0f s." % (time.perf_counter() - started))
    return agency


def cycle_of(year):
    from tna.models import Cycle

    return Cycle.objects.get_or_create(year=year)[0]


def previous_appraisals_and_assessments(agency):
    """Appraisals of the cycle before: mostly the person's 2026 one, sometimes one step better or worse,
    3% of people without; assessment-centre results (JPM 55–100) for ``JPM_SHARE`` of the people."""
    from django.db import transaction

    from tna.infra.bulk.rows import db_now, insert_rows
    from tna.models import Appraisal, AssessmentResult

    rng = np.random.default_rng(SEED)
    current = list(Appraisal.objects.filter(cycle__year=CYCLE, employee__agency=agency)
                   .values_list("employee_id", "rated_by_id", "results", "behaviour"))
    steps = ["below", "meets", "above"]
    previous = cycle_of(CYCLE - 1)
    rows = []
    now = db_now()
    for (employee, rated_by, results, behaviour), draw, shift in zip(
            current, rng.random(len(current)), rng.choice([-1, 0, 0, 0, 1], len(current)), strict=True):
        if draw < 0.03:
            continue
        results = steps[min(max(steps.index(results) + int(shift), 0), 2)]
        rows.append((previous.pk, employee, rated_by, results, behaviour, now))
    people = [employee for employee, *_rest in current]
    assessed = rng.choice(people, int(len(people) * JPM_SHARE), replace=False).tolist()
    jpm = np.round(rng.uniform(55, 100, len(assessed)), 1).tolist()
    cycle = cycle_of(CYCLE)
    with transaction.atomic():
        insert_rows(Appraisal, ["cycle", "employee", "rated_by", "results", "behaviour", "updated_at"], rows)
        insert_rows(AssessmentResult, ["cycle", "employee", "jpm", "assessor"],
                    [(cycle.pk, person, value, "UPT Penilaian Kompetensi") for person, value in zip(assessed, jpm,
                                                                                                     strict=True)])


def read_floor(cycle, agency):
    """Only reading the TNA rows potential needs, as values_list tuples: the floor of a run."""
    from tna.models import CompetencyGap

    return len(list(CompetencyGap.objects.filter(cycle=cycle, agency=agency, observed_level__isnull=False)
                    .order_by().values_list("employee_id", "competency_id", "observed_level")))


def calibrate(cycle, agency):
    """``MOVES`` calibration moves through talent_move (a committee's afternoon), one box up or down."""
    from django.contrib.auth import get_user_model

    from tna.models import TalentPlacement
    from tna.services.talent import talent_move

    chair, _created = get_user_model().objects.get_or_create(username="bench-talent-committee")
    for placement in TalentPlacement.objects.filter(cycle=cycle, agency=agency).order_by("pk")[:MOVES]:
        box = placement.box + 1 if placement.box < 9 else 8
        talent_move(placement=placement, box=box, reason="Kalibrasi komite talenta (bench).", by=chair)


def timed(run):
    """The summary of ``run()`` with its CPU seconds (``cpu``), lms' ``talent_placed`` receiver
    (development plans, after the commit) disconnected, so the figures are the run's own."""
    from lms.signals import on_talent_placed
    from tna.models import TalentPlacement
    from tna.signals import talent_placed

    uid = "lms.talent_placed"
    talent_placed.disconnect(sender=TalentPlacement, dispatch_uid=uid)
    try:
        started = time.process_time()
        summary = run()
        summary.cpu = time.process_time() - started
    finally:
        talent_placed.connect(on_talent_placed, sender=TalentPlacement, dispatch_uid=uid)
    return summary


def receivers_seconds(cycle, agency):
    """Wall seconds of what follows a run's commit: the talent_placed receivers (lms' development plans)."""
    from tna.models import TalentPlacement
    from tna.signals import talent_placed

    started = time.perf_counter()
    talent_placed.send(sender=TalentPlacement, cycle=cycle, agency=agency)
    return time.perf_counter() - started


def report(label, summary, people):
    say("talent_grid_run %-7s %6.2f s  %8.0f people/s  CPU %.2f s  (%s)" % (
        label, summary.seconds, people / summary.seconds, summary.cpu,
        ", ".join("%s %.2f s" % item for item in summary.timings.items())))
    say("  %d placed, not placed %s, per box %s, calibration moves kept %d" % (
        summary.placed, summary.unplaced, " ".join("%d:%d" % item for item in summary.boxes.items()),
        summary.calibrated_kept))


def main():
    args = parse_args()
    setup_django("talent", args.employees, args.reuse)
    from django.db import connection

    from tna.models import Employee, TalentPlacement
    from tna.services.talent import talent_grid_run

    say("Latih 9-box benchmark: %d employees on %s (%s); load average %s." % (
        args.employees, connection.vendor, connection.settings_dict["NAME"],
        " ".join("%.2f" % x for x in os.getloadavg())))
    agency = load_workload(args.employees, args.reuse)
    cycle = cycle_of(CYCLE)
    people = Employee.objects.filter(agency=agency, active=True).count()

    floor, rows = float("inf"), 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        rows = read_floor(cycle, agency)
        floor = min(floor, time.perf_counter() - started)
    say("floor: values_list of %d TNA rows  %6.2f s  (best of %d)" % (rows, floor, args.repeat))

    TalentPlacement.objects.filter(cycle=cycle, agency=agency).delete()
    load_before = os.getloadavg()[0]
    first = timed(lambda: talent_grid_run(cycle=cycle, agency=agency))
    report("first", first, people)
    calibrate(cycle, agency)
    again = timed(lambda: talent_grid_run(cycle=cycle, agency=agency))
    report("re-run", again, people)
    say("talent_placed receivers after the commit (lms development plans, not in the run's figures) %.2f s" % (
        receivers_seconds(cycle, agency)))
    slowest = max(first.seconds, again.seconds)
    say("slowest run / floor %5.1f x" % (slowest / floor))
    say("load average at the start of the runs %.2f, now %.2f (2 cores, shared with other work)." % (
        load_before, os.getloadavg()[0]))
    target = TARGET_SECONDS_PER_100K * args.employees / 100_000
    size = "%dk" % (args.employees // 1000) if args.employees % 1000 == 0 else str(args.employees)
    ok = slowest <= target and again.calibrated_kept == MOVES
    say("")
    say("%s talent %s <= %.0f s" % ("ok  " if ok else "MISS", size, target))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
