#!/usr/bin/env python3
"""Benchmark of the task queue: the database backend (PostgreSQL) against RQ on Redis, with 1 and 2 workers.

    .venv/bin/python bench/task_queue.py                    # 500 tasks of each kind, workers 1 and 2
    .venv/bin/python bench/task_queue.py --tasks 2000 --workers 1,2,4

(Not ``bench/queue.py``: run as a script, a file of that name would stand in for the standard
library's ``queue`` in every script of this folder, which all have it first on ``sys.path``.)

``DATABASE_URL`` names the PostgreSQL database (default ``latih_queue_bench`` on 127.0.0.1,
created and migrated when missing); ``--redis`` the Redis database RQ queues in (default
``redis://127.0.0.1:6379/11``, emptied first). For each backend a child process of this script
starts the workers as deploy/start-worker does (``manage.py db_worker``, or ``manage.py rqworker
--job-class django_tasks_rq.Job``, forking a process per task; ``rq-simple``: the same with
``--worker-class rq.worker.SimpleWorker``, no fork), warms them up, then measures:

- commit time: one committed one-row write, which every step of a database-queued task waits
  for (queue, claim, finish): the disk's flush sets the database backend's pace;
- enqueue rate: tasks queued per second by one process, one by one and in one transaction (as
  the fan-outs of tna.tasks and lms.tasks queue a whole cycle);
- drain rate: with the workers idle and waiting, ``--tasks`` tasks are queued at once and run;
  tasks per second from the first enqueue to the last finish, for no-op tasks (the queue's own
  cost) and short ones (10 ms of CPU and a query);
- latency: from enqueue to start of single tasks queued one at a time into idle workers (the
  database worker looks for work every second when it has none; RQ blocks on Redis).

Beside each drain rate, the CPU per task of the workers (with RQ's per-task processes) and of
the servers (this database's PostgreSQL processes; with RQ, Redis too): on a machine shared with
other work the clock says more about the neighbours than about the queue, CPU less so.

Targets (what a national run needs, docs/deploy.md §7): every task succeeds on every backend; the
database backend's own cost per task, in CPU of the worker and PostgreSQL, is at most 1 % of the
shortest task a national run queues (an agency's recommendations take a second or more), i.e.
10 ms; and it queues a national cycle (550 agencies × 3 kinds of work = 1,650 tasks, in one
transaction as the fan-outs do) in at most 10 s.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/latih_queue_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
NATIONAL_TASKS = 550 * 3
TARGETS = {"overhead_ms": 10.0, "national_enqueue_s": 10.0}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500, help="Tasks of each kind per measurement (default 500).")
    parser.add_argument("--workers", default="1,2", help="Worker counts to measure, comma-separated (default 1,2).")
    parser.add_argument("--latency", type=int, default=20, help="Single tasks timed for the latency (default 20).")
    parser.add_argument("--backends", default="database,rq,rq-simple",
                        help="Backends to measure (default database,rq,rq-simple: RQ without a process per task).")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis database for RQ (default %s)." % DEFAULT_REDIS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    return parser.parse_args()


def say(text):
    print(text, flush=True)


def environment(backend, redis_url):
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    # Database connections kept as production keeps them (docs/deploy.md §4), not one per task.
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.demo", LATIH_TASKS_BACKEND=backend.split("-")[0],
               LATIH_TASKS_REDIS_URL=redis_url, DB_CONN_MAX_AGE="60",
               PYTHONPATH=str(ROOT))
    return env


# The parent: one child per backend, then the comparison ---------------------------------------


def main():
    args = parse_args()
    if args.child:
        return child(args)
    workers = [int(w) for w in args.workers.split(",")]
    say("Latih task queue benchmark: %d tasks per measurement, workers %s; load average %s (2 cores, shared)."
        % (args.tasks, ", ".join(map(str, workers)), " ".join("%.2f" % x for x in os.getloadavg())))
    results = {}
    for backend in args.backends.split(","):
        say("== %s" % backend)
        command = [sys.executable, __file__, "--child", backend, "--tasks", str(args.tasks), "--workers", args.workers,
                   "--latency", str(args.latency), "--redis", args.redis]
        process = subprocess.Popen(command, env=environment(backend, args.redis), stdout=subprocess.PIPE, text=True,
                                   cwd=ROOT)
        for line in process.stdout:
            if line.startswith("RESULT "):
                results[backend] = json.loads(line[7:])
            else:
                say("  " + line.rstrip())
        if process.wait() != 0:
            sys.exit("The %s measurement failed (exit %d)." % (backend, process.returncode))
    report(results, workers, args.tasks)


def report(results, workers, tasks):
    say("")
    for backend, result in results.items():
        say("%-9s enqueue: %5.0f tasks/s one by one, %5.0f tasks/s in one transaction" % (
            backend, result["enqueue_rate"], result["together_rate"]))
    say("")
    say("%-9s %-6s %7s %10s %12s %18s %18s" % ("backend", "kind", "workers", "drain/s", "ms per task",
                                              "worker CPU ms/task", "server CPU ms/task"))
    for backend, result in results.items():
        for kind in ("noop", "short"):
            for w in workers:
                row = result["drain"][kind][str(w)]
                say("%-9s %-6s %7d %10.1f %12.1f %18.1f %18.1f" % (
                    backend, kind, w, row["rate"], 1000 / row["rate"], row["worker_ms"], row["server_ms"]))
    say("")
    for backend, result in results.items():
        lat = result["latency"]
        say("%-9s latency enqueue → start, idle workers: median %.3f s, 95th percentile %.3f s, max %.3f s" % (
            backend, lat["median"], lat["p95"], lat["max"]))
    for backend, result in results.items():
        noop = result["drain"]["noop"]
        if len(workers) > 1:
            say("%-9s speed-up of %d workers over %d on short tasks: %.2f x; on no-op tasks %.2f x" % (
                backend, workers[-1], workers[0],
                result["drain"]["short"][str(workers[-1])]["rate"] / result["drain"]["short"][str(workers[0])]["rate"],
                noop[str(workers[-1])]["rate"] / noop[str(workers[0])]["rate"]))
    say("")
    failed = sum(result["failed"] for result in results.values())
    say("%s every task succeeded on %s (%d failed)" % ("ok  " if not failed else "MISS", ", ".join(results), failed))
    if "database" in results:
        db = results["database"]
        noop = db["drain"]["noop"][str(workers[0])]
        overhead = noop["worker_ms"] + noop["server_ms"]
        say("%s database backend: its own cost per task %.1f ms of CPU (worker and PostgreSQL; target <= %.0f ms: "
            "1 %% of a 1-s task); %.1f ms of the clock with %d worker on this shared machine" % (
                "ok  " if overhead <= TARGETS["overhead_ms"] else "MISS", overhead, TARGETS["overhead_ms"],
                1000 / noop["rate"], workers[0]))
        national = NATIONAL_TASKS / db["together_rate"]
        say("%s database backend: a national cycle's %d tasks queued in %.1f s (target <= %.0f s)" % (
            "ok  " if national <= TARGETS["national_enqueue_s"] else "MISS", NATIONAL_TASKS, national,
            TARGETS["national_enqueue_s"]))


# The child: one backend ------------------------------------------------------------------------


def child(args):
    backend = args.child
    workers = [int(w) for w in args.workers.split(",")]
    os.environ.update(environment(backend, args.redis))
    prepare_database(os.environ["DATABASE_URL"])
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import transaction

    from bench.queue_tasks import noop_task, short_task

    queue = Queue(backend)
    queue.clear()
    commit = commit_seconds()
    say("the database commits a one-row write in %.1f ms (each enqueue, claim and finish of a task is one)"
        % (1000 * commit))
    # Enqueue rates on their own, with no worker competing; the tasks are then thrown away. One
    # transaction around many enqueues is how the fan-outs queue (tna.tasks, lms.tasks).
    started = time.perf_counter()
    ids = [noop_task.enqueue(i).id for i in range(args.tasks)]
    enqueue_rate = args.tasks / (time.perf_counter() - started)
    queue.clear()
    started = time.perf_counter()
    with transaction.atomic():
        ids = [noop_task.enqueue(i).id for i in range(args.tasks)]
    together_rate = args.tasks / (time.perf_counter() - started)
    queue.clear()
    say("enqueue: %.0f tasks/s one by one, %.0f tasks/s in one transaction" % (enqueue_rate, together_rate))

    drain, failed, latency = {"noop": {}, "short": {}}, 0, None
    for w in workers:
        pool = Workers(backend, w)
        try:
            pool.start()
            ids = [noop_task.enqueue(i).id for i in range(2 * w)]  # warm-up: every worker has loaded the site
            queue.wait(ids, pool)
            for kind, task in (("noop", noop_task), ("short", short_task)):
                cpu = pool.cpu(), server_cpu(backend)
                started = time.time()
                ids = [task.enqueue(i).id for i in range(args.tasks)]
                results = queue.wait(ids, pool)
                finished = max(r["finished"] for r in results)
                rate = args.tasks / (finished - started)
                failed += sum(not r["ok"] for r in results)
                worker_ms = 1000 * (pool.cpu() - cpu[0]) / args.tasks
                server_ms = 1000 * (server_cpu(backend) - cpu[1]) / args.tasks
                drain[kind][str(w)] = {"rate": rate, "seconds": finished - started, "worker_ms": worker_ms,
                                       "server_ms": server_ms}
                say("drain: %-5s %d worker(s): %d tasks in %.2f s, %.1f tasks/s; CPU per task: workers %.1f ms, "
                    "%s %.1f ms" % (kind, w, args.tasks, finished - started, rate, worker_ms, server_name(backend),
                                    server_ms))
            if latency is None:
                latency = measure_latency(queue, pool, noop_task, args.latency)
                say("latency: median %.3f s, max %.3f s over %d single tasks" % (
                    latency["median"], latency["max"], args.latency))
        finally:
            pool.stop()
        queue.clear()
    say("RESULT " + json.dumps({"enqueue_rate": enqueue_rate, "together_rate": together_rate, "commit": commit,
                                "drain": drain, "latency": latency, "failed": failed}))


def commit_seconds(count=100):
    """Seconds per committed one-row write: the disk's flush, which every step of a database-queued task waits for."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_queue_commit (n integer)")
        started = time.perf_counter()
        for n in range(count):
            cursor.execute("INSERT INTO bench_queue_commit VALUES (%s)", [n])
        seconds = (time.perf_counter() - started) / count
        cursor.execute("DROP TABLE bench_queue_commit")
    return seconds


def process_cpu(pid):
    """CPU seconds of process ``pid`` and of its children it has waited for (RQ's per-task processes)."""
    try:
        fields = Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def server_name(backend):
    return "PostgreSQL" if backend == "database" else "PostgreSQL and Redis"


def server_cpu(backend):
    """CPU seconds so far of this database's PostgreSQL processes (the benchmark's own polling included) and,
    for RQ, of Redis: the work a task costs beyond the worker, steadier than the clock on a shared machine."""
    from django.db import connection

    name = connection.settings_dict["NAME"].encode()
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if (command.startswith(b"postgres: ") and b" %s " % name in command) or (
                backend != "database" and command.split(b" ", 1)[0].endswith(b"redis-server")):
            total += process_cpu(int(entry.name))
    return total


def measure_latency(queue, pool, task, count):
    """Seconds from enqueue to start of single tasks, each queued into idle workers at a random moment."""
    delays = []
    for i in range(count):
        time.sleep(random.uniform(0.3, 1.3))  # noqa: S311 - not at the workers' polling rhythm
        result = queue.wait([task.enqueue(i).id], pool)[0]
        delays.append(result["started"] - result["enqueued"])
    delays.sort()
    return {"median": statistics.median(delays), "p95": delays[int(0.95 * (len(delays) - 1))], "max": delays[-1]}


def prepare_database(url):
    """Create the benchmark's PostgreSQL database when it is missing."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        sys.exit("DATABASE_URL must name a PostgreSQL database (the database backend is measured on it).")
    server = psycopg.connect(host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
                             password=config["PASSWORD"] or None, dbname="postgres", autocommit=True)
    with server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone():
            server.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(config["NAME"])))


class Workers:
    """``count`` worker processes as deploy/start-worker starts them, stopped by SIGTERM (each finishes its task)."""

    def __init__(self, backend, count):
        self.backend, self.count, self.processes = backend, count, []

    def command(self, i):
        python = [sys.executable, str(ROOT / "manage.py")]
        if self.backend == "database":
            return [*python, "db_worker", "--no-reload", "--worker-id", "bench-queue-%d-%d" % (os.getpid(), i),
                    "--verbosity", "0"]
        # rq forks a process per task, as deploy/start-worker runs it; rq-simple runs tasks in the worker itself.
        simple = ["--worker-class", "rq.worker.SimpleWorker"] if self.backend == "rq-simple" else []
        return [*python, "rqworker", "--job-class", "django_tasks_rq.Job", *simple, "--name",
                "bench-queue-%d-%d" % (os.getpid(), i), "--verbosity", "0", "default"]

    def start(self):
        for i in range(self.count):
            self.processes.append(subprocess.Popen(self.command(i), cwd=ROOT, stdout=subprocess.DEVNULL,
                                                   stderr=subprocess.DEVNULL))

    def alive(self):
        return all(process.poll() is None for process in self.processes)

    def cpu(self):
        return sum(process_cpu(process.pid) for process in self.processes)

    def stop(self):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []


class Queue:
    """What the benchmark needs to know of a backend: wait for tasks and read their times; empty it."""

    def __init__(self, backend):
        self.backend = backend

    def clear(self):
        if self.backend == "database":
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.all().delete()
        else:
            import django_rq

            django_rq.get_connection("default").flushdb()

    def wait(self, ids, pool, timeout=600):
        """Wait until every task of ``ids`` has finished; their enqueue, start and finish times (epoch seconds).

        Polled five times a second: the times come from the backend, so polling less often only
        costs the benchmark time, not accuracy, and leaves the cores to the workers.
        """
        deadline = time.monotonic() + timeout
        while True:
            results = self.finished(ids)
            if results is not None:
                return results
            if time.monotonic() > deadline or not pool.alive():
                raise SystemExit("Tasks still unfinished after %d s, or a worker died." % timeout)
            time.sleep(0.2)

    def finished(self, ids):
        if self.backend == "database":
            from django_tasks_db.models import DBTaskResult

            rows = list(DBTaskResult.objects.filter(id__in=ids, finished_at__isnull=False)
                        .values_list("status", "enqueued_at", "started_at", "finished_at"))
            if len(rows) < len(ids):
                return None
            return [{"ok": status == "SUCCESSFUL", "enqueued": enqueued.timestamp(), "started": started.timestamp(),
                     "finished": finished.timestamp()} for status, enqueued, started, finished in rows]
        import django_rq
        from rq.job import Job

        connection = django_rq.get_connection("default")
        jobs = Job.fetch_many(ids, connection=connection)
        if any(job is None or job.get_status(refresh=False) not in ("finished", "failed") for job in jobs):
            return None
        return [{"ok": job.get_status(refresh=False) == "finished", "enqueued": _epoch(job.enqueued_at),
                 "started": _epoch(job.started_at), "finished": _epoch(job.ended_at)} for job in jobs]


def _epoch(moment):
    """RQ keeps naive UTC datetimes."""
    import datetime

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp()


if __name__ == "__main__":
    main()
