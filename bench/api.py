#!/usr/bin/env python3
"""Load benchmark of the hot read paths and an enrolment burst, through gunicorn on PostgreSQL, against a floor.

    .venv/bin/python bench/api.py                       # build latih_api_bench afresh, then measure
    .venv/bin/python bench/api.py --reuse               # measure again on the data already built
    .venv/bin/python bench/api.py --reuse --duration 8 --users 20 --paths courses --no-burst  # a quick look
    .venv/bin/python bench/api.py --reuse --profile     # no load: CPU ms and queries of one request of each
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/other .venv/bin/python bench/api.py

The database (``latih_api_bench`` on 127.0.0.1:5432 unless ``DATABASE_URL`` names another) gets the
demo (``manage.py demo``) whose home agency, Lampung Selatan, has a workforce of ``--employees``
(20,000) generated first: so the demo's ASN and planner, whose stories (enrollments, training
history, recommendations, the TNA) the demo writes, work in the big agency. The other seed agencies
keep the demo's size.

gunicorn then serves the site as ``deploy/start-web`` starts it (``deploy/gunicorn.conf.py``,
production settings, Redis cache, ``--workers`` processes, a free port), with the settings of
``bench/api_settings.py``: production's, plus the floor views of ``bench/floor_urls.py`` (a minimal
view per path returning the same rows through ``.values()`` and ``JsonResponse``) and no mail
leaving the machine. For each path and each ``--users`` count, one headless ``locust`` process
(``bench/api_locust.py``, FastHttpUser, no wait between requests) drives the real path and its floor
in turns of ``--switch`` seconds, ``--duration`` seconds each after ``--warmup``; requests/s, p50,
p99 and failures are kept per side. Then the enrolment burst: 500 seat requests of 500 people, through
``POST /api/v1/enrollments/``, spread over 50 new sessions of 3 to 8 seats, at 50 connections; the
database is then asked whether any session holds more seats than its capacity.

Targets: every read path at least 50 % of its floor's requests/s and p99 at most 150 ms at 20
connections, with no failed request; the burst without a 5xx and without an overbooked seat.
The machine's cores are shared by PostgreSQL, gunicorn and locust (and whatever else runs): the
output says how many there are and the load average before and after.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, bench/ would come first on the path, where a benchmark's module may share a name with
# one of the standard library's; the repository's root instead, with bench/ as a namespace package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/latih_api_bench"
HOME_AGENCY = "lampung-selatan"  # the demo's home agency: its people get the demo's stories
CACHE_URL = "redis://127.0.0.1:6379/9"  # the shared cache of the gunicorn under load (and of --profile)
SEED = 1
TARGET_SHARE = 0.5  # of the floor's requests/s
TARGET_P99_MS = 150  # at the first --users count
BURST_REQUESTS, BURST_SESSIONS, BURST_USERS = 500, 50, 50
BURST_COURSE = "BENCH-BURST"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=20_000, help="Staff of the big agency (default 20,000).")
    parser.add_argument("--reuse", action="store_true", help="Use the data already in the database.")
    parser.add_argument("--build-only", action="store_true", help="Build the data and stop.")
    parser.add_argument("--users", default="20,50", help="Connections (locust users), comma-separated (20,50).")
    parser.add_argument("--duration", type=int, default=16,
                        help="Seconds measured per path, and as many for its floor, at each count (16).")
    parser.add_argument("--switch", type=float, default=2,
                        help="Seconds of each turn of the path and its floor within a measure (2).")
    parser.add_argument("--warmup", type=int, default=3, help="Seconds of warm-up before each measure (3).")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (3).")
    parser.add_argument("--paths", default="", help="Only these paths (names, comma-separated).")
    parser.add_argument("--no-burst", action="store_true", help="Leave out the enrolment burst.")
    parser.add_argument("--profile", action="store_true",
                        help="No load: time one request of each path and floor in this process (CPU ms, queries), "
                             "with a profile of the real path's request.")
    return parser.parse_args()


def say(text=""):
    print(text, flush=True)


# The database ----------------------------------------------------------------------------------

def prepare_database(args):
    """``DATABASE_URL`` (default latih_api_bench), created when missing; dropped first unless ``--reuse``
    when it is the default one. Another database named by ``DATABASE_URL`` must hold no employees."""
    import psycopg

    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    os.environ["DATABASE_URL"] = url
    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not args.reuse and url == DEFAULT_DATABASE:
            conn.execute('DROP DATABASE "%s" WITH (FORCE)' % name.replace('"', ""))
            exists = None
        if not exists:
            conn.execute('CREATE DATABASE "%s"' % name.replace('"', ""))
    return url


def setup_django():
    """Django in this process: the development settings (the demo refuses others) on the bench database."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def build(args):
    """The big agency's workforce, then the demo around it (evidence, TNA, catalogue, stories,
    recommendations …)."""
    from django.core.management import call_command

    from tna.generate.workforce import generate_workforce
    from tna.models import Agency, Employee
    from tna.services.positions import required_levels_apply_defaults

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if Employee.objects.exists():
        if not args.reuse:
            sys.exit("The database already holds employees: use an empty database or --reuse.")
        say("Reusing %d employees." % Employee.objects.count())
        return
    call_command("loaddata", "competencies", "seed_regions", verbosity=0)
    required_levels_apply_defaults()
    generate_workforce(agency=Agency.objects.get(code=HOME_AGENCY), employees=args.employees, seed=SEED)
    say("  %s: %d staff (%.0f s)" % (HOME_AGENCY, args.employees, time.perf_counter() - started))
    call_command("demo", force=True, seed=SEED, verbosity=1)
    say("  demo built (%.0f s)" % (time.perf_counter() - started))


# The people, the paths and the burst ---------------------------------------------------------------

def cast():
    """The demo's people of the big agency: the ASN (``me/…``) and the planner (``gaps/summary/``)."""
    from cms.management.commands.demo import cast_before
    from tna.models import Agency

    found = cast_before(Agency.objects.get(code=HOME_AGENCY))
    if found is None:
        sys.exit("The demo's people of %s are not there: build again without --reuse." % HOME_AGENCY)
    return found


def token(user):
    from rest_framework.authtoken.models import Token

    return {"Authorization": "Token %s" % Token.objects.get_or_create(user=user)[0].key}


def session_cookie(user):
    """A signed-in session of ``user`` (as after the login form), for the pages."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {"Cookie": "%s=%s" % (settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)}


def read_paths(people):
    """[(name, real path, floor path, headers)] of the hot read paths."""
    from cms.models import CataloguePage

    page = CataloguePage.objects.live().get(agency__code=HOME_AGENCY)
    asn, hr = token(people.learner.user), token(people.planner.user)
    return [
        ("catalogue page", page.url, "/bench-floor/catalogue/%s/" % page.slug, session_cookie(people.learner.user)),
        ("courses/", "/api/v1/courses/", "/bench-floor/courses/", asn),
        ("sessions/", "/api/v1/sessions/", "/bench-floor/sessions/", asn),
        ("me/learning/", "/api/v1/me/learning/", "/bench-floor/me/learning/", asn),
        ("me/recommendations/", "/api/v1/me/recommendations/", "/bench-floor/me/recommendations/", asn),
        ("gaps/summary/", "/api/v1/gaps/summary/", "/bench-floor/gaps/summary/", hr),
    ]


def burst_plan():
    """A fresh course of 50 sessions with 3–8 seats each, open for enrolment, and 500 seat requests of 500
    people of the big agency who hold no enrollment (so no clash refuses them), ten per session."""
    import datetime
    import random

    from django.utils import timezone

    from courses.models import Course
    from courses.recurrence import Slot
    from courses.services import session_create
    from lms.models import Enrollment
    from tna.models import Employee

    drop_burst_course()
    model = Course.objects.filter(agency__code=HOME_AGENCY, live=True).order_by("code").first()
    course = Course.objects.get(pk=model.pk)
    course.pk = course.id = None
    course.code, course.title, course.requires_approval = BURST_COURSE, "Bench burst", False
    course.mode, course.max_participants = "classroom", max(course.max_participants, 8)
    course.save()
    rng = random.Random(SEED)
    start = (timezone.now() + datetime.timedelta(days=60)).replace(minute=0, second=0, microsecond=0)
    sessions = []
    for n in range(BURST_SESSIONS):
        begins = start + datetime.timedelta(days=n)
        sessions.append(session_create(course=course, capacity=rng.randint(3, 8), label="Burst %d" % (n + 1),
                                       place="Aula", meetings=[Slot(begins, begins + datetime.timedelta(hours=3))]))
    people = list(
        Employee.objects.filter(agency__code=HOME_AGENCY, active=True, user__isnull=False)
        .exclude(pk__in=Enrollment.objects.values("employee_id")).select_related("user").order_by("nip")
        [:BURST_REQUESTS]
    )
    requests = [{"path": "/api/v1/enrollments/", "headers": {**HTTPS, **token(person.user)},
                 "body": {"session": sessions[i % BURST_SESSIONS].pk}} for i, person in enumerate(people)]
    rng.shuffle(requests)
    return course, requests


def drop_burst_course():
    """Remove an earlier run's burst course with its sessions and enrollments (bench data only)."""
    from courses.models import Course, Meeting, Session, SessionChange
    from lms.models import Enrollment, EnrollmentEvent

    for course in Course.objects.filter(code=BURST_COURSE):
        sessions = Session.objects.filter(course=course)
        EnrollmentEvent.objects.filter(enrollment__session__in=sessions).delete()
        Enrollment.objects.filter(session__in=sessions).delete()
        SessionChange.objects.filter(session__in=sessions).delete()
        Meeting.objects.filter(session__in=sessions).delete()
        sessions.delete()
        course.delete()


def overbooked(course):
    """[(session, capacity, seats held)] of the course's sessions holding more seats than their capacity."""
    from django.db.models import Count, Q

    from courses.models import Session
    from lms.selectors.enrollments import SEAT_STATUSES

    rows = (Session.objects.filter(course=course)
            .annotate(held=Count("enrollments", filter=Q(enrollments__status__in=SEAT_STATUSES))))
    return [(s.label, s.capacity, s.held) for s in rows if s.held > s.capacity], sum(s.held for s in rows)


# gunicorn and locust -------------------------------------------------------------------------------

HTTPS = {"X-Forwarded-Proto": "https"}  # as nginx says it (production redirects plain HTTP)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(args, work):
    """``deploy/start-web`` with the bench's settings on a free port; returns (process, base URL)."""
    import urllib.request

    port = free_port()
    env = {
        **os.environ,
        "LATIH_ENV_FILE": str(work / "none.env"),  # the variables below, not a machine's /etc/latih
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "LATIH_BASE_URL": "http://127.0.0.1:%d" % port,
        "EMAIL_HOST": "127.0.0.1", "DEFAULT_FROM_EMAIL": "bench@example.go.id",
        "LATIH_CACHE_URL": CACHE_URL,
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "PORT": str(port), "WEB_CONCURRENCY": str(args.workers),
        # One user at a hundred requests a second: the per-user API rate of production (600/min) would
        # refuse most of it. A one-second window keeps the throttle's history short, as in production.
        "LATIH_API_RATE_USER": "100000/s",
    }
    subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                   env=env, check=True, stdout=subprocess.DEVNULL)
    log = open(work / "gunicorn.log", "w")
    process = subprocess.Popen([str(ROOT / "deploy/start-web")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = "http://127.0.0.1:%d" % port
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/healthz/", timeout=2)
            return process, base
        except OSError:
            if process.poll() is not None:
                sys.exit("gunicorn exited:\n" + (work / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.5)
    sys.exit("gunicorn did not answer /healthz/ within 2 minutes.")


def stop_gunicorn(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(base, path, headers):
    """(status, JSON or None) of one GET, as locust sends it."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(base + path, headers={**HTTPS, **headers})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            kind = response.headers.get("Content-Type", "")
            return response.status, (json.loads(body) if "json" in kind else body.decode())
    except urllib.error.HTTPError as error:
        return error.code, None


def rows_of(answer):
    """How many rows a JSON answer (or a catalogue page) holds, to see that a floor has the real path's rows."""
    if isinstance(answer, str):
        return answer.count('class="card course-card"')
    if isinstance(answer, dict):
        for key in ("results", "courses"):
            if key in answer:
                return len(answer[key])
        return len(answer.get("credits", [])) + len(answer.get("enrollments", []))
    return 0


def locust(base, plan, users, seconds, work, name):
    """One headless locust process running ``plan`` with ``users`` for ``seconds``; its figures."""
    plan_file, out = work / ("%s.plan.json" % name), work / ("%s.out.json" % name)
    plan_file.write_text(json.dumps(plan))
    out.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_PLAN": str(plan_file), "BENCH_OUT": str(out)}
    command = [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/api_locust.py"), "--headless",
               "--host", base, "-u", str(users), "-r", str(users), "-t", "%ds" % seconds, "--stop-timeout", "10",
               "--only-summary", "--loglevel", "WARNING"]
    with open(work / ("%s.locust.log" % name), "w") as log:
        subprocess.run(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if not out.exists():
        sys.exit("locust wrote no figures; see %s" % (work / ("%s.locust.log" % name)))
    return json.loads(out.read_text())


def measure(args, base, paths, work):
    """{(name, users): {"real": figures, "floor": figures}}: each path and its floor at each count, in one
    locust process whose users all call the path, then all the floor, taking turns every ``--switch``
    seconds, so that a change in the machine's load weighs on both alike."""
    counts = [int(n) for n in args.users.split(",")]
    results = {}
    for users in counts:
        for name, real, floor, headers in paths:
            plan = {"kind": "get", "sides": {"real": real, "floor": floor}, "headers": {**HTTPS, **headers},
                    "warmup": args.warmup, "switch": args.switch}
            slug = "%s-%d" % (name.strip("/").replace("/", "-").replace(" ", "-"), users)
            pair = locust(base, plan, users, args.warmup + 2 * args.duration, work, slug)
            results[name, users] = pair
            say("  %-20s %3d users: %7.1f req/s p50 %5s p99 %5s  | floor %7.1f req/s p50 %5s p99 %5s" % (
                name, users, pair["real"]["rps"], pair["real"]["p50"], pair["real"]["p99"],
                pair["floor"]["rps"], pair["floor"]["p50"], pair["floor"]["p99"]))
    return counts, results


def report(counts, results, burst):
    """The table and one ok/MISS line per target."""
    say("")
    say("%-20s %5s | %8s %6s %6s %5s | %8s %6s %6s %5s | %6s" % (
        "path", "users", "req/s", "p50 ms", "p99 ms", "fail", "floor/s", "p50 ms", "p99 ms", "fail", "ratio"))
    for (name, users), pair in results.items():
        real, floor = pair["real"], pair["floor"]
        say("%-20s %5d | %8.1f %6s %6s %5d | %8.1f %6s %6s %5d | %5.0f%%" % (
            name, users, real["rps"], real["p50"], real["p99"], real["failures"], floor["rps"], floor["p50"],
            floor["p99"], floor["failures"], 100 * real["rps"] / max(floor["rps"], 1e-9)))
    say("")
    for (name, users), pair in results.items():
        real, floor = pair["real"], pair["floor"]
        ratio = real["rps"] / max(floor["rps"], 1e-9)
        say("%s %s at %d users: %.0f %% of its floor (target ≥ %.0f %%)" % (
            "ok  " if ratio >= TARGET_SHARE else "MISS", name, users, 100 * ratio, 100 * TARGET_SHARE))
        if users == counts[0]:
            say("%s %s at %d users: p99 %s ms (target ≤ %d ms)" % (
                "ok  " if real["p99"] is not None and real["p99"] <= TARGET_P99_MS else "MISS", name, users,
                real["p99"], TARGET_P99_MS))
        errors = real["failures"] + sum(n for code, n in real["statuses"].items() if code != "200")
        say("%s %s at %d users: %d errors of %d requests (target 0)%s" % (
            "ok  " if not errors else "MISS", name, users, errors, real["requests"],
            "" if not errors else " %s %s" % (real["statuses"], real["errors"])))
    if burst is not None:
        figures, over, held = burst
        server_errors = sum(n for code, n in figures["statuses"].items() if not code.isdigit() or int(code) >= 500)
        say("enrolment burst: %d seat requests of %d people for %d sessions at %d connections: %.1f req/s, "
            "p50 %s ms, p99 %s ms" % (figures["requests"], BURST_REQUESTS, BURST_SESSIONS, BURST_USERS,
                                      figures["rps"], figures["p50"], figures["p99"]))
        say("%s enrolment burst: %d requests, no 5xx (%s)" % (
            "ok  " if not server_errors and figures["requests"] == BURST_REQUESTS else "MISS", figures["requests"],
            ", ".join("%s: %d" % item for item in sorted(figures["statuses"].items()))))
        say("%s enrolment burst: no session over capacity (%d seats held in %d sessions%s)" % (
            "ok  " if not over else "MISS", held, BURST_SESSIONS, "" if not over else "; over: %s" % over))


def profile(paths, repeat=20):
    """Each path and its floor requested in this process: median CPU ms and queries of one request, and
    the functions taking most of the real path's time (cProfile). Steady on a loaded machine."""
    import cProfile
    import pstats
    import statistics

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    say("%-20s %9s %8s | %9s %8s" % ("path", "CPU ms", "queries", "floor ms", "queries"))
    # The cache, sessions and access cache as gunicorn runs them (production settings, LATIH_CACHE_URL).
    served_as = {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                               "KEY_PREFIX": "latih-profile"}},
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db", "LATIH_ACCESS_CACHE": True,
    }
    with override_settings(ROOT_URLCONF="bench.floor_urls", ALLOWED_HOSTS=["*"], **served_as):
        for name, real, floor, headers in paths:
            extra = {"HTTP_" + key.upper().replace("-", "_"): value for key, value in headers.items()}
            cookie = extra.pop("HTTP_COOKIE", None)
            client = Client()
            if cookie:
                key, value = cookie.split("=", 1)
                client.cookies[key] = value
            figures = []
            for path in (real, floor):
                assert client.get(path, **extra).status_code == 200, path
                with CaptureQueriesContext(connection) as captured:
                    client.get(path, **extra)
                queries = len(captured)  # before the next request clears the log
                cpu = []
                for _ in range(repeat):
                    started = time.process_time()
                    client.get(path, **extra)
                    cpu.append((time.process_time() - started) * 1000)
                figures += [statistics.median(cpu), queries]
            say("%-20s %9.1f %8d | %9.1f %8d" % (name, *figures))
            profiler = cProfile.Profile()
            profiler.runcall(client.get, real, **extra)
            stats = pstats.Stats(profiler).stats
            total = max(row[3] for row in stats.values())
            for (file, line, function), row in sorted(stats.items(), key=lambda item: -item[1][2])[:8]:
                say("      %3.0f%% own  %6d calls  %s:%d %s" % (
                    100 * row[2] / total, row[1], "/".join(Path(file).parts[-2:]), line, function))


def service_times(work, paths):
    """[(name, real p50, real p90, floor p50, floor p90)] of the time gunicorn spent on each request
    (its access log's ``duration_ms``, queueing before a worker took the request left out)."""
    durations = {}
    for line in (work / "gunicorn.log").read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if "duration_ms" in entry and entry.get("status") == "200":
            durations.setdefault(entry["path"], []).append(float(entry["duration_ms"]))

    def quantiles(path):
        found = sorted(durations.get(path.split("?")[0], []))
        return (found[len(found) // 2], found[int(len(found) * 0.9)]) if found else (None, None)

    return [(name, *quantiles(real), *quantiles(floor)) for name, real, floor, _headers in paths]


def main():
    args = parse_args()
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))  # sessions made here are read there
    prepare_database(args)
    setup_django()
    build(args)
    if args.build_only:
        return
    from django.db import connection

    people = cast()
    drop_burst_course()  # one an interrupted run left would show in the catalogue
    paths = read_paths(people)
    if args.paths:
        wanted = {name.strip() for name in args.paths.split(",")}
        paths = [p for p in paths if p[0] in wanted or p[0].rstrip("/") in wanted]
    if args.profile:
        profile(paths)
        return
    connection.close()
    cores = os.cpu_count()
    say("Latih API under load: gunicorn (%d workers, production settings, Redis cache), PostgreSQL %s and locust "
        "share this machine's %d cores; load average %s." % (
            args.workers, connection.settings_dict["NAME"], cores, " ".join("%.2f" % x for x in os.getloadavg())))
    say("People of %s: ASN %s, planner %s." % (HOME_AGENCY, people.learner.nip, people.planner.nip))
    work = Path(tempfile.mkdtemp(prefix="latih-bench-api-"))
    process = None
    try:
        process, base = start_gunicorn(args, work)
        for name, real, floor, headers in paths:  # each once: both answer 200 with the same rows
            (code, answer), (floor_code, floor_answer) = fetch(base, real, headers), fetch(base, floor, headers)
            say("  %-20s %s: %d, %d rows; floor %s: %d, %d rows" % (
                name, real, code, rows_of(answer), floor, floor_code, rows_of(floor_answer)))
        counts, results = measure(args, base, paths, work)
        figures = None
        if not args.no_burst:
            try:
                course, requests = burst_plan()
                figures = locust(base, {"kind": "burst", "requests": requests, "warmup": 0}, BURST_USERS, 120,
                                 work, "burst")["burst"]
                over, held = overbooked(course)
                figures = (figures, over, held)
            finally:
                drop_burst_course()
        report(counts, results, figures)
        say("")
        say("Time in gunicorn per request, all counts (access log; queueing for a worker left out):")
        for name, real50, real90, floor50, floor90 in service_times(work, paths):
            say("  %-20s p50 %5s ms, p90 %5s ms | floor p50 %5s ms, p90 %5s ms" % (
                name, real50, real90, floor50, floor90))
    finally:
        if process is not None:
            stop_gunicorn(process)
        say("load average now %s (%d cores, shared); logs in %s." % (
            " ".join("%.2f" % x for x in os.getloadavg()), cores, work))


if __name__ == "__main__":
    main()
