#!/usr/bin/env python3
"""National-scale run: a workforce spread over many agencies, the whole cycle through the task queue with 1 and 2 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/latih_national .venv/bin/python bench/national.py
    .venv/bin/python bench/national.py --employees 20000 --agencies 20       # a small try
    .venv/bin/python bench/national.py --reuse --workers 1,2,4               # again, on the same workforce

``DATABASE_URL`` must name a PostgreSQL database (default ``latih_national`` on 127.0.0.1, created
when missing); it must hold no employees unless ``--reuse``. The five seed regions' organisations
are copied into ``--agencies`` agencies (units, positions, job standards), ``--employees`` people
are generated and spread evenly over them, each with about five raters' evidence, and every
agency gets the demo catalogue of 45 courses.

Then, for each worker count: the whole cycle is queued as the admin's "all agencies" does
(``tna.tasks.tna_cycle_start``: one TNA run per agency, largest first), that many ``manage.py
db_worker`` processes start (the database backend, as deploy/start-worker runs them), and each
agency's finished run queues its recommendations (``lms.signals``). Measured from the first
enqueue to the last task's end: wall time, employees and tasks per second, and the spread of
the tasks' own times, and the CPU the workers used (steadier than the clock on a shared
machine: the rest of a task's time is PostgreSQL's work and waiting for a core); then the speed-up of the largest
worker count over the first, and an estimate for the nation: 4.3 million staff in 550 agencies
with N workers.

The estimate assumes the work grows with the number of employees (agencies' fixed costs are
small beside it), one worker's rate as measured, and each further worker adding the measured
per-worker efficiency (speed-up / workers) on as many cores as workers plus the database's;
the largest agency's own chain (its TNA run, then its recommendations) is the floor no number of
workers goes below.

Targets (the last lines, ``ok`` or ``MISS``): every agency's TNA run succeeded and its
recommendations were written, for every worker count; the results hold as many rows as a
whole-cycle run writes (one per employee and required competency); and 2 workers are at least
1.3 times as fast as 1. Why 1.3 and not nearly 2: this machine has 2 cores, and PostgreSQL runs
on the same 2 cores. With one worker, the database already works on the second core while the
worker waits on its writes and reads, so two workers gain only what the second core had left;
on a server with a core per worker plus the database's, the same fan-out should come near 2.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CYCLE = 2026
SEED = 2026
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/latih_national"
NATION = {"employees": 4_300_000, "agencies": 550}
TARGET_SPEEDUP = 1.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=1_000_000, help="Workforce size (default 1,000,000).")
    parser.add_argument("--agencies", type=int, default=200, help="Agencies to spread it over (default 200).")
    parser.add_argument("--workers", default="1,2", help="Worker counts to measure, comma-separated (default 1,2).")
    parser.add_argument("--reuse", action="store_true", help="Use the workforce already in the database.")
    return parser.parse_args()


def say(text):
    print(text, flush=True)


def main():
    args = parse_args()
    workers = [int(w) for w in args.workers.split(",")]
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    os.environ.update(DJANGO_SETTINGS_MODULE="cms.settings.demo", LATIH_TASKS_BACKEND="database")
    os.environ.setdefault("LATIH_LOG_LEVEL", "WARNING")  # not a line per catalogue session made
    prepare_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    say("Latih national run: %d employees over %d agencies, workers %s, on PostgreSQL %s; load average %s "
        "(2 cores, shared)." % (args.employees, args.agencies, args.workers, connection.settings_dict["NAME"],
                               " ".join("%.2f" % x for x in os.getloadavg())))
    call_command("migrate", verbosity=0)
    load_workload(args)

    from tna.models import Cycle

    cycle = Cycle.objects.get(year=CYCLE)
    measurements = {}
    for count in workers:
        measurements[count] = measure(cycle, count)
    report(cycle, measurements)


# The workload ----------------------------------------------------------------------------------


def prepare_database(url):
    """Create the PostgreSQL database when it is missing; refuse anything else."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("DATABASE_URL must name a PostgreSQL database: the national run is measured on it.")
    server = psycopg.connect(host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
                             password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def load_workload(args):
    """Agencies, workforce, evidence and catalogues, unless the database has them (``--reuse``)."""
    from tna.models import Employee

    existing = Employee.objects.count()
    if existing:
        if not args.reuse:
            sys.exit("The database already holds %d employees: use an empty database or --reuse." % existing)
        say("Reusing %d employees in %d agencies." % (existing, Employee.objects.values("agency").distinct().count()))
        return
    from django.core.management import call_command

    from courses.demo import generate_catalogue
    from tna.generate.evidence import generate_evidence
    from tna.services.positions import required_levels_apply_defaults

    started = time.perf_counter()
    call_command("loaddata", "competencies", "seed_regions", verbosity=0)
    required_levels_apply_defaults()
    agencies = copy_agencies(args.agencies)
    say("  %d agencies with the seed regions' organisations (%.0f s)" % (len(agencies), time.perf_counter() - started))
    generate_workforce(agencies, args.employees, started)
    counts = generate_evidence(cycle_year=CYCLE, seed=SEED)
    say("  evidence: %(ratings)d ratings, %(appraisals)d appraisals, %(survey_responses)d survey answers "
        "(%(elapsed).0f s)" % {**counts, "elapsed": time.perf_counter() - started})
    generate_catalogue(agencies=agencies)
    say("  catalogues of %d agencies (%.0f s)" % (len(agencies), time.perf_counter() - started))
    # Freshly loaded tables: statistics and the visibility map now, not by autovacuum during the first measurement.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    say("  vacuumed and analysed (%.0f s)" % (time.perf_counter() - started))


def copy_agencies(count):
    """``count`` agencies, each a copy of one of the seed regions' organisation (units, positions, standards)."""
    from django.db import transaction

    from tna.models import Agency, Position, RequiredLevel, Unit

    templates = list(Agency.objects.order_by("code"))
    units = {a.pk: list(Unit.objects.filter(agency=a).order_by("pk")) for a in templates}
    positions = {a.pk: list(Position.objects.filter(agency=a).order_by("pk")) for a in templates}
    levels = {a.pk: list(RequiredLevel.objects.filter(position__agency=a)) for a in templates}
    created = []
    with transaction.atomic():
        agencies = Agency.objects.bulk_create([
            Agency(code="%s-%03d" % (t.code, i), name="%s %d" % (t.name, i), kind=t.kind, seat=t.seat,
                   time_zone=t.time_zone)
            for i, t in ((i, templates[i % len(templates)]) for i in range(count))
        ])
        for i, agency in enumerate(agencies):
            template = templates[i % len(templates)]
            unit_copies = Unit.objects.bulk_create([
                Unit(agency=agency, code=u.code, name=u.name, min_on_duty_share=u.min_on_duty_share)
                for u in units[template.pk]])
            new_id = {old.pk: new.pk for old, new in zip(units[template.pk], unit_copies, strict=True)}
            for old, new in zip(units[template.pk], unit_copies, strict=True):
                new.parent_id = new_id.get(old.parent_id)
            Unit.objects.bulk_update(unit_copies, ["parent"])
            position_copies = Position.objects.bulk_create([
                Position(agency=agency, code=p.code, name=p.name, job_type=p.job_type, is_key=p.is_key)
                for p in positions[template.pk]])
            new_position = {old.pk: new.pk for old, new in zip(positions[template.pk], position_copies, strict=True)}
            RequiredLevel.objects.bulk_create([
                RequiredLevel(position_id=new_position[r.position_id], competency_id=r.competency_id, level=r.level,
                              weight=r.weight, is_default=r.is_default)
                for r in levels[template.pk]])
            created.append(agency)
    return created


def generate_workforce(agencies, employees, started):
    """Spread ``employees`` evenly over ``agencies``: planned per agency, NIPs kept unique across all, written in bulk.

    ``tna.generate.workforce.generate_workforce`` reads every NIP already stored to avoid them;
    over hundreds of agencies that read grows with the workforce, so here the NIPs are kept in
    one set and a clash moves to the next free serial of its NIP's prefix.
    """
    from tna.generate.workforce import PositionSpec, UnitSpec, plan_workforce, write_workforce
    from tna.models import Position, Unit

    taken = set()
    share, extra = divmod(employees, len(agencies))
    for i, agency in enumerate(agencies):
        units = [UnitSpec(*row) for row in Unit.objects.filter(agency=agency).values_list("id", "name", "parent_id")]
        positions = [PositionSpec(*row) for row in
                     Position.objects.filter(agency=agency).values_list("id", "code", "job_type")]
        records = plan_workforce(agency_code=agency.code, agency_kind=agency.kind, units=units, positions=positions,
                                 employees=share + (i < extra), seed=SEED)
        for record in records:
            if record.nip in taken:
                record.nip = free_nip(record.nip, taken)
            taken.add(record.nip)
        write_workforce(agency=agency, records=records)
        if (i + 1) % max(1, len(agencies) // 10) == 0 or i + 1 == len(agencies):
            say("  workforce: %d agencies, %d employees (%.0f s)" % (i + 1, len(taken), time.perf_counter() - started))


def free_nip(nip, taken):
    """The next NIP of ``nip``'s prefix (birth date, start, sex) whose serial is free."""
    prefix = nip[:15]
    for serial in range(int(nip[15:]) + 1, 1000):
        candidate = "%s%03d" % (prefix, serial)
        if candidate not in taken:
            return candidate
    raise ValueError("Every serial of the NIP prefix %s is taken." % prefix)


# One measurement -------------------------------------------------------------------------------


def measure(cycle, count):
    """Queue the whole cycle, run it with ``count`` workers; the figures of the measurement."""
    from django_tasks_db.models import DBTaskResult

    from bench.queue_tasks import noop_task
    from tna.models import TnaRun
    from tna.tasks import tna_cycle_start

    say("== %d worker%s" % (count, "" if count == 1 else "s"))
    DBTaskResult.objects.all().delete()
    # A measurement stopped midway leaves runs waiting whose tasks are gone; they would keep their
    # agencies out of this one (a waiting run is not queued twice).
    TnaRun.objects.filter(cycle=cycle, status__in=[TnaRun.Status.QUEUED, TnaRun.Status.RUNNING]).delete()
    empty_results()
    pool = Workers(count)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        pool.start()
        # Warm-up: every worker has loaded the site and is polling before the clock starts.
        wait([noop_task.enqueue(i).id for i in range(2 * count)], pool)
        DBTaskResult.objects.all().delete()
        started = time.time()
        runs = tna_cycle_start(cycle=cycle)
        enqueued = time.time() - started
        agencies = len(runs)
        say("  %d agency runs queued in %.2f s" % (agencies, enqueued))
        tasks = wait_for_cycle(runs, pool)
    finally:
        pool.stop()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The workers' own CPU, start-up included: steadier than the wall clock on a shared machine.
    worker_cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    finished = max(t["finished"] for t in tasks)
    wall = finished - started
    employees = sum(run.employees for run in refreshed(runs))
    busy = sum(t["finished"] - t["started"] for t in tasks)
    figures = {
        "workers": count, "wall": wall, "employees": employees, "agencies": agencies, "tasks": len(tasks),
        "employees_per_s": employees / wall, "tasks_per_s": len(tasks) / wall, "utilisation": busy / (wall * count),
        "tna": spread([t for t in tasks if t["kind"] == "tna"]),
        "recommend": spread([t for t in tasks if t["kind"] == "recommend"]),
        "chain": longest_chain(tasks), "checks": verify(cycle, runs, tasks), "worker_cpu": worker_cpu,
        "load": os.getloadavg()[0],
    }
    say("  wall %.1f s: %.0f employees/s, %.2f tasks/s; workers busy %.0f %% of the time, their CPU %.1f s; "
        "load average now %.2f" % (wall, figures["employees_per_s"], figures["tasks_per_s"],
                                   100 * figures["utilisation"], worker_cpu, figures["load"]))
    for kind in ("tna", "recommend"):
        s = figures[kind]
        say("  %-9s tasks: %d, own time min %.2f s, median %.2f s, max %.2f s, total %.1f s" % (
            kind, s["n"], s["min"], s["median"], s["max"], s["total"]))
    return figures


def empty_results():
    """Every measurement runs into an empty cycle, as a new year's first run does: the results and
    recommendations of the one before are dropped (TRUNCATE: the benchmark's own database)."""
    from django.db import connection

    from lms.models import Recommendation
    from tna.models import CompetencyGap

    with connection.cursor() as cursor:
        for model in (CompetencyGap, Recommendation):
            cursor.execute("TRUNCATE %s CASCADE" % connection.ops.quote_name(model._meta.db_table))
        cursor.execute("ANALYZE")


def refreshed(runs):
    from tna.models import TnaRun

    return list(TnaRun.objects.filter(pk__in=[run.pk for run in runs]).select_related("agency"))


def wait_for_cycle(runs, pool, timeout=6 * 3600):
    """Wait until every run is over and every agency's recommendations task has finished; the tasks' times."""
    from django_tasks_db.models import DBTaskResult

    from tna.models import TnaRun

    deadline = time.monotonic() + timeout
    ids = [run.pk for run in runs]
    while True:
        over = TnaRun.objects.filter(pk__in=ids, status__in=[TnaRun.Status.SUCCEEDED, TnaRun.Status.FAILED]).count()
        succeeded = TnaRun.objects.filter(pk__in=ids, status=TnaRun.Status.SUCCEEDED).count()
        recommend = DBTaskResult.objects.filter(task_path="lms.tasks.recommend_task")
        if over == len(ids) and recommend.count() >= succeeded and not recommend.filter(finished_at__isnull=True).exists():
            break
        if time.monotonic() > deadline or not pool.alive():
            raise SystemExit("The cycle is not done after %d s, or a worker stopped (see "
                             "var/bench-national-worker-*.log)." % timeout)
        time.sleep(1)
    rows = DBTaskResult.objects.filter(task_path__in=["tna.tasks.tna_run_task", "lms.tasks.recommend_task"])
    return [{"kind": "tna" if path.startswith("tna.") else "recommend", "args": args["args"], "ok": status == "SUCCESSFUL",
             "started": started.timestamp(), "finished": finished.timestamp()}
            for path, args, status, started, finished in rows.values_list(
                "task_path", "args_kwargs", "status", "started_at", "finished_at")]


def wait(ids, pool, timeout=300):
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.filter(id__in=ids, finished_at__isnull=True).exists():
        if time.monotonic() > deadline or not pool.alive():
            raise SystemExit("The workers did not start in %d s, or one stopped (see var/bench-national-worker-*.log)."
                             % timeout)
        time.sleep(0.2)


def spread(tasks):
    seconds = sorted(t["finished"] - t["started"] for t in tasks)
    if not seconds:
        return {"n": 0, "min": 0, "median": 0, "max": 0, "total": 0}
    return {"n": len(seconds), "min": seconds[0], "median": statistics.median(seconds), "max": seconds[-1],
            "total": sum(seconds)}


def longest_chain(tasks):
    """The largest own time of one agency's TNA run plus its recommendations: no worker count goes below it."""
    from tna.models import TnaRun

    per_agency = {}
    runs = dict(TnaRun.objects.filter(pk__in=[t["args"][0] for t in tasks if t["kind"] == "tna"])
                .values_list("pk", "agency__code"))
    for t in tasks:
        code = runs.get(t["args"][0]) if t["kind"] == "tna" else t["args"][1]
        per_agency[code] = per_agency.get(code, 0) + t["finished"] - t["started"]
    return max(per_agency.values(), default=0)


def verify(cycle, runs, tasks):
    """Every agency's run succeeded and its recommendations were written; the results are complete."""
    from django.db.models import Count

    from lms.models import Recommendation
    from tna.models import CompetencyGap, Employee, RequiredLevel, TnaRun

    runs = refreshed(runs)
    failed = [run.agency.code for run in runs if run.status != TnaRun.Status.SUCCEEDED]
    recommended = {t["args"][1] for t in tasks if t["kind"] == "recommend" and t["ok"]}
    with_rows = set(Recommendation.objects.filter(cycle=cycle).values_list("employee__agency__code").annotate(
        n=Count("pk")).values_list("employee__agency__code", flat=True))
    missing = [run.agency.code for run in runs if run.agency.code not in recommended or run.agency.code not in with_rows]
    # What a whole-cycle run writes: one row per active employee and competency of their position's standard.
    expected = RequiredLevel.objects.filter(
        competency__active=True, position__employees__active=True).count()
    stored = CompetencyGap.objects.filter(cycle=cycle).count()
    staff = Employee.objects.filter(active=True).values("agency").distinct().count()
    checks = {"runs": len(runs), "agencies_with_staff": staff, "failed": failed, "missing_recommendations": missing,
              "result_rows": stored, "expected_rows": expected}
    say("  checks: %d runs for %d agencies with staff, %d failed, %d without recommendations; %d result rows, "
        "a whole-cycle run writes %d" % (len(runs), staff, len(failed), len(missing), stored, expected))
    return checks


class Workers:
    """``count`` ``manage.py db_worker`` processes as deploy/start-worker starts them; SIGTERM stops them."""

    def __init__(self, count):
        self.count, self.processes = count, []

    def start(self):
        for i in range(self.count):
            # What a worker says goes to var/bench-national-worker-<i>.log, to see why one stopped.
            log = open(ROOT / "var" / ("bench-national-worker-%d.log" % i), "w")
            self.processes.append(subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload", "--verbosity", "1",
                 "--worker-id", "bench-national-%d-%d" % (os.getpid(), i)],
                # Connections kept as production keeps them (docs/deploy.md §4), not one per task.
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "DB_CONN_MAX_AGE": "60"}, stdout=log,
                stderr=subprocess.STDOUT))
            log.close()

    def alive(self):
        return all(process.poll() is None for process in self.processes)

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=900)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


# The report ------------------------------------------------------------------------------------


def report(cycle, measurements):
    counts = sorted(measurements)
    base = measurements[counts[0]]
    say("")
    say("%7s %9s %13s %10s %9s %13s %15s" % ("workers", "wall (s)", "employees/s", "tasks/s", "speed-up",
                                             "workers busy", "worker CPU (s)"))
    for count in counts:
        m = measurements[count]
        say("%7d %9.1f %13.0f %10.2f %8.2fx %12.0f %% %15.1f" % (
            count, m["wall"], m["employees_per_s"], m["tasks_per_s"], base["wall"] / m["wall"], 100 * m["utilisation"],
            m["worker_cpu"]))
    top = measurements[counts[-1]]
    speedup = base["wall"] / top["wall"]
    # Each worker beyond the first adds ``efficiency`` of one worker's rate: fitted so the model
    # gives the measured speed-up between the first and the last worker count.
    a, b = counts[0], counts[-1]
    efficiency = (speedup - 1) / ((b - 1) - speedup * (a - 1)) if b > a else 1.0
    efficiency = min(max(efficiency, 0.0), 1.0)
    rate_one = base["employees_per_s"] / (1 + (a - 1) * efficiency)
    nation_agency = NATION["employees"] / NATION["agencies"]
    floor = top["chain"] * nation_agency / (base["employees"] / base["agencies"])
    say("")
    say("The nation, %s staff in %d agencies, from the measured rate (%.0f employees/s for one worker; each "
        "further worker adds %.0f %% of one, as measured; work grows with the staff; the largest agency's own "
        "TNA and recommendations, scaled to %d staff, %.0f s, is the floor):" % (
            f"{NATION['employees']:,}", NATION["agencies"], rate_one, 100 * efficiency, nation_agency, floor))
    for n in (1, 2, 4, 8):
        seconds = max(NATION["employees"] / (rate_one * (1 + (n - 1) * efficiency)), floor)
        say("  %d worker%-2s %7.0f s  (%.1f min)" % (n, "" if n == 1 else "s", seconds, seconds / 60))
    say("")
    all_ok = all(not m["checks"]["failed"] and not m["checks"]["missing_recommendations"]
                 and m["checks"]["runs"] == m["checks"]["agencies_with_staff"] for m in measurements.values())
    say("%s every agency's TNA run succeeded and its recommendations were written, with %s workers" % (
        "ok  " if all_ok else "MISS", " and ".join(map(str, counts))))
    rows_ok = all(m["checks"]["result_rows"] == m["checks"]["expected_rows"] for m in measurements.values())
    say("%s result rows equal a whole-cycle run's (%d)" % ("ok  " if rows_ok else "MISS", base["checks"]["expected_rows"]))
    if len(counts) > 1:
        say("%s %d workers %.2f x as fast as %d (target >= %.1f x on 2 cores shared with PostgreSQL)" % (
            "ok  " if speedup >= TARGET_SPEEDUP else "MISS", counts[-1], speedup, counts[0], TARGET_SPEEDUP))


if __name__ == "__main__":
    main()
