#!/usr/bin/env python3
"""Benchmark of the journey pages: each role's pages timed in a big agency, their queries counted in a small one too.

    .venv/bin/python bench/pages.py                                           # 20,000 staff beside 500
    .venv/bin/python bench/pages.py --employees 2000 --small 200 --repeat 3   # quicker
    .venv/bin/python bench/pages.py --reuse                                   # time again, no regenerating
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/latih_bench .venv/bin/python bench/pages.py

Without ``DATABASE_URL`` a fresh SQLite file ``latih-bench-pages-<N>-<small>.sqlite3`` is created
in the temp directory (and kept, so ``--reuse`` can time again). With ``DATABASE_URL`` the database
must be empty of employees unless ``--reuse`` is given.

Two seed agencies with 24 units each get a generated workforce: ``--small`` staff (Kota Medan) and
``--employees`` (Lampung Selatan); then, for both, what ``manage.py demo`` builds for its home agency:
the open cycle's evidence and TNA, the demo catalogue and its pages, three months of training with
today's requests, courses in review, recommendations, envelopes, two plans and a scheduling run.

The people of each agency: the supervisor with the most direct reports, the ASN of that team with
the most open gaps, a training admin and a planner without reports (picked as the demo picks them,
given the group). Their pages: the role home (/beranda/) and the links of their role's group in the
site menu (``cms.templatetags.site_nav``), with the catalogue for the ASN and the Wagtail admin for
the training admin and planner. Each is requested with ``django.test.Client`` in the default
language: once to warm, once counting queries, then ``--repeat`` times for the median. Targets:
200, at most 300 ms in the big agency, at most two queries more there than in the small one. For a
page that misses: its slowest and most repeated queries, and a profile of one request.
"""

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path

from database import ROOT, setup_django

SEED = 2026
SMALL, BIG = "medan", "lampung-selatan"  # 24 units each
TARGET_MS = 300
FLAT_SLACK = 2
# site_nav's group of each role; the pages every role has besides its group's.
GROUPS = {"asn": "me", "supervisor": "team", "training_admin": "delivery", "planner": "planning"}
# When the menu cannot be built: the URL names of each role's pages.
FALLBACK = {"asn": ["lms:dashboard", "lms:enrollment-list", "lms:my-training", "tna:profile", "tna:evidence"],
            "supervisor": ["lms:enrollment-approvals", "tna:team"],
            "training_admin": ["lms:delivery-sessions", "lms:enrollment-approvals", "lms:schedule-runs",
                               "wagtailsnippets_courses_course:list", "lms:national-export", "wagtailadmin_home"],
            "planner": ["tna:planner", "tna_runs", "lms:schedule-runs", "lms_budget", "wagtailadmin_home"]}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=20_000, help="Staff of the big agency (default 20,000).")
    parser.add_argument("--small", type=int, default=500, help="Staff of the small agency (default 500).")
    parser.add_argument("--repeat", type=int, default=5, help="Timed requests per page; the median is kept.")
    parser.add_argument("--reuse", action="store_true", help="Use the agencies already in the database.")
    return parser.parse_args()


def say(text):
    print(text, flush=True)


def use_database(args):
    """``DATABASE_URL``, else a SQLite file in the temp directory (fresh unless ``--reuse``)."""
    if not os.environ.get("DATABASE_URL"):
        path = Path(tempfile.gettempdir()) / ("latih-bench-pages-%d-%d.sqlite3" % (args.employees, args.small))
        if not args.reuse:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = "sqlite:///%s" % path
    setup_django("pages", args.employees, args.reuse)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def build(args, cycle):
    """Workforces, evidence, TNA, catalogue, training, recommendations and plans of both agencies."""
    from courses.demo import generate_catalogue, review_states
    from courses.signals import catalogue_generated
    from lms.demo.planning import demo_planning
    from lms.demo.training import demo_training
    from lms.services.recommendations import recommend_cycle
    from tna.generate.evidence import generate_evidence
    from tna.generate.workforce import generate_workforce
    from tna.models import Agency
    from tna.services.tna_run import run_tna

    started = time.perf_counter()

    def done(what):
        say("  %-40s (%.0f s)" % (what, time.perf_counter() - started))

    agencies = [Agency.objects.get(code=SMALL), Agency.objects.get(code=BIG)]
    for agency, staff in zip(agencies, (args.small, args.employees), strict=True):
        generate_workforce(agency=agency, employees=staff, seed=SEED)
        counts = generate_evidence(cycle_year=cycle.year, agency=agency, seed=SEED)
        done("%s: %d staff, %d ratings" % (agency.code, staff, counts["ratings"]))
    run = run_tna(cycle=cycle)
    done("TNA: %d employees, %d gaps" % (run.employees, run.gaps))
    generate_catalogue(agencies=agencies)
    catalogue_generated.send(sender=None, agencies=agencies)
    done("catalogue and its pages")
    casts = [cast_of(cycle, agency) for agency in agencies]
    for agency, cast in zip(agencies, casts, strict=True):
        demo_training(agency=agency, cycle=cycle, cast=cast)
        review_states(agency=agency, submitted_by=cast.training_admin.user)
    done("training history and requests")
    logging.getLogger("latih.lms").setLevel(logging.WARNING)  # the summary line below says it
    summary = recommend_cycle(cycle=cycle)
    done("%d recommendations" % summary.recommendations)
    for agency, cast in zip(agencies, casts, strict=True):
        demo_planning(agency=agency, cycle=cycle, planner=cast.planner)
    done("envelopes, plans, scheduling runs")


def cast_of(cycle, agency):
    """The agency's people (a ``Cast``): the supervisor with the most direct reports, an ASN of that team
    with the most open gaps, a training admin and a planner without reports; groups given."""
    from django.contrib.auth.models import Group
    from django.db.models import Count, Q

    from cms.management.commands.demo import pick_staff
    from lms.demo.stories import Cast
    from tna.models import Employee

    staff = Employee.objects.filter(agency=agency, active=True).select_related("user", "unit", "position")
    supervisor = staff.annotate(team=Count("reports")).order_by("-team", "nip")[0]
    learner = (staff.filter(supervisor=supervisor, reports=None)
               .annotate(open=Count("gaps", filter=Q(gaps__cycle=cycle, gaps__gap__gt=0)))
               .order_by("-open", "nip")[0])
    leads = set(staff.filter(reports__isnull=False).values_list("pk", flat=True))
    admin = pick_staff(agency, leads | {learner.pk}, units=[r"pengembangan kompetensi", r"kepegawaian|BKPSDM|BKD"],
                       positions=("analis-sdm", "pengelola-kepegawaian"))
    planner = pick_staff(agency, leads | {learner.pk, admin.pk}, units=[r"perencanaan|bappeda"], positions=("perencana",))
    for employee, role in ((supervisor, "supervisor"), (admin, "training_admin"), (planner, "planner")):
        employee.user.groups.add(Group.objects.get_or_create(name=role)[0])
    return Cast(learner=learner, supervisor=supervisor, training_admin=admin, planner=planner)


def journeys(cast):
    """[(role, user, [(page name, url)])]: each person's role home and the pages of their role's menu group."""
    from django.test import RequestFactory
    from django.urls import reverse

    people = {"asn": cast.learner, "supervisor": cast.supervisor, "training_admin": cast.training_admin,
              "planner": cast.planner}
    found = []
    for role, employee in people.items():
        user = employee.user
        try:
            from cms.templatetags.site_nav import site_menu

            request = RequestFactory().get("/beranda/")
            request.user = user
            menu = site_menu({"request": request})
            group = next(g for g in menu.groups if g.key == GROUPS[role])
            pages = [(link.name, link.url) for link in group.links]
            if role == "asn":
                pages.append(("catalogue", menu.catalogue.url))
            elif menu.admin:
                pages.append((menu.admin.name, menu.admin.url))
        except (ImportError, StopIteration):
            pages = [(name, reverse(name)) for name in FALLBACK[role]]
        found.append((role, user, [("home", reverse("home")), *pages]))
    return found


def measure(cast, repeat):
    """{(role, page name): figures} of each page: url, status, queries (captured), median wall and CPU ms
    (CPU: this process's, SQLite included; on a shared machine the steadier measure of the work)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for role, user, pages in journeys(cast):
        client = Client()
        client.force_login(user)
        for name, url in pages:
            status = client.get(url).status_code  # warm: templates, translations, caches
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries = list(captured.captured_queries)  # now: the next request starts a fresh log
            wall, cpu = [], []
            for _ in range(repeat):
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(url)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
            figures[role, name] = {"url": url, "status": status, "queries": queries, "user": user,
                                   "ms": statistics.median(wall or [0]), "cpu": statistics.median(cpu or [0])}
    return figures


def shape(sql):
    """A query with its literals taken out, so repeats of one query with other values count together."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"\((?:\?, )+\?\)", "(…)", sql)


def explain(name, role, page, width=150):
    """Where a missing page's time and queries go: SQL time, the slowest queries, repeated shapes, and a
    profile of one request (the functions with the most time of their own, and the project's own)."""
    import cProfile
    import pstats

    from django.test import Client

    queries = page["queries"]
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    say("  %s (%s): %d queries, %.0f ms in SQL of %.0f ms" % (name, role, len(queries), sql_ms, page["ms"]))
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
        say("    %6.1f ms  %s" % (float(q["time"]) * 1000, q["sql"][:width]))
    for sql, count in Counter(shape(q["sql"]) for q in queries).most_common(3):
        if count > 1:
            say("    %5d x    %s" % (count, sql[:width]))
    client = Client()
    client.force_login(page["user"])
    profiler = cProfile.Profile()
    profiler.runcall(client.get, page["url"])
    stats = pstats.Stats(profiler).stats  # {(file, line, function): (calls, _, own s, cumulative s, _)}
    total = max(row[3] for row in stats.values())
    # The project's own functions below the view's wrappers (middleware, dispatch: nearly all the time).
    ours = [item for item in stats.items() if item[0][0].startswith(str(ROOT)) and "/.venv/" not in item[0][0]
            and item[1][3] < 0.7 * total]
    for title, items, column in (("own time", stats.items(), 2), ("project code, cumulative", ours, 3)):
        top = sorted(items, key=lambda item: -item[1][column])[:5]
        say("    profile, %s:" % title)
        for (file, line, function), row in top:
            say("      %3.0f%%  %6d calls  %s:%d %s" % (
                100 * row[column] / total, row[1], "/".join(Path(file).parts[-2:]), line, function))


def main():
    args = parse_args()
    warnings.filterwarnings("ignore", message="No directory at")  # static files are not served here
    use_database(args)
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings
    from django.utils import timezone

    from tna.models import Agency, Cycle, Employee
    from tna.services.positions import required_levels_apply_defaults

    say("Latih page benchmark: %d staff beside %d on %s (%s); load average %s." % (
        args.employees, args.small, connection.vendor, connection.settings_dict["NAME"],
        " ".join("%.2f" % x for x in os.getloadavg())))
    call_command("migrate", verbosity=0)
    quiet = override_settings(LATIH_EMAIL_NOTIFICATIONS=False, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    with quiet:
        if Employee.objects.exists():
            if not args.reuse:
                sys.exit("The database already holds employees: use an empty database or --reuse.")
            cycle = Cycle.objects.get(year=timezone.localdate().year)
            say("Reusing %d employees." % Employee.objects.count())
        else:
            call_command("loaddata", "competencies", "seed_regions", verbosity=0)
            required_levels_apply_defaults()
            cycle, _ = Cycle.objects.update_or_create(year=timezone.localdate().year, defaults={"is_open": True})
            build(args, cycle)
        small = measure(cast_of(cycle, Agency.objects.get(code=SMALL)), repeat=0)
        big_cast = cast_of(cycle, Agency.objects.get(code=BIG))
        say("People in %s: ASN %s, supervisor %s (%d direct reports), training admin %s, planner %s." % (
            BIG, big_cast.learner.nip, big_cast.supervisor.nip, big_cast.supervisor.reports.count(),
            big_cast.training_admin.nip, big_cast.planner.nip))
        big = measure(big_cast, repeat=args.repeat)

    report(small, big)
    say("load average now %.2f (2 cores, shared with other work)." % os.getloadavg()[0])


def report(small, big):
    """The table, a line per target, and where the pages that miss one spend their time."""
    say("")
    say("%-40s %-15s %6s %9s %7s %8s %6s" % (
        "page (big agency's address)", "role", "status", "median ms", "CPU ms", "q small", "q big"))
    for (role, name), page in big.items():
        other = small.get((role, name))
        say("%-40s %-15s %6s %9.0f %7.0f %8s %6d" % (page["url"][:40], role, page["status"], page["ms"], page["cpu"],
                                                    len(other["queries"]) if other else "-", len(page["queries"])))
    say("")
    missing = []
    for (role, name), page in big.items():
        other = small.get((role, name))
        label = "%s (%s)" % (page["url"], role)
        statuses = {page["status"], other["status"] if other else page["status"]}
        fast = page["ms"] <= TARGET_MS and statuses == {200}
        few, many = (len(other["queries"]) if other else 0), len(page["queries"])
        flat = other is not None and many <= few + FLAT_SLACK
        answers = "" if statuses == {200} else " (answers %s)" % "/".join(map(str, sorted(statuses)))
        say("%s %s ≤ %d ms%s" % ("ok  " if fast else "MISS", label, TARGET_MS, answers))
        say("%s %s queries flat (small %d, big %d)" % ("ok  " if flat else "MISS", label, few, many))
        if not (fast and flat):
            missing.append((role, name, page))
    if missing:
        say("")
        say("Where the missing pages spend their time (big agency):")
        for role, name, page in missing:
            explain(name, role, page)

if __name__ == "__main__":
    main()
