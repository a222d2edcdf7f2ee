"""lms work through the task queue: recommendations one task per agency, side by side on PostgreSQL; scheduling
runs and training evaluation as tasks; the RQ backend on Redis."""

import datetime
import io
import os
import socket
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from lms.models import Recommendation, ScheduleRun
from lms.services.recommendations import recommend_cycle
from lms.tasks import evaluate_training_task, evaluation_reminders_task, recommend_start, schedule_run_task
from tests.conftest import TRANSACTIONAL
from tests.lms.scheduling.conftest import scene, school, teachers  # noqa: F401 - fixtures
from tests.lms.scheduling.test_views import demand, planner  # noqa: F401 - fixtures
from tests.tna.test_tasks_spread import in_thread, wait_until, waiting_on_a_lock
from tests.tna.test_tna_run import build_agency
from tna.factories import CycleFactory
from tna.models import TnaRun
from tna.services.tna_run import run_tna
from tna.tasks import tna_cycle_start

from .recommend_scene import course_with_session

pytestmark = pytest.mark.django_db

ROOT = settings.BASE_DIR
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def cycle(db):
    """The cycle of 2026 (also the scheduling fixtures')."""
    return CycleFactory(year=2026)


def two_agencies(cycle):
    """Two agencies whose staff lack level 3 of six competencies, each with a course for the first one."""
    agencies = []
    for code in ("kab-satu", "kota-dua"):
        org = build_agency(code, cycle=cycle)
        course_with_session(org["agency"], "%s-kursus" % code, [(org["competencies"][0], 3)])
        agencies.append(org["agency"])
    return agencies


def recommended_agencies(cycle):
    return set(Recommendation.objects.filter(cycle=cycle).values_list("employee__agency__code", flat=True))


# Recommendations: one task per agency -----------------------------------------------------------


def test_each_agencys_finished_run_queues_that_agencys_recommendations(cycle, enqueued,
                                                                       django_capture_on_commit_callbacks):
    two_agencies(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        runs = tna_cycle_start(cycle=cycle)
    assert {run.status for run in runs} == {TnaRun.Status.SUCCEEDED}
    assert sorted(args for name, args in enqueued if name == "recommend_task") == [
        (2026, "kab-satu"), (2026, "kota-dua")]
    assert recommended_agencies(cycle) == {"kab-satu", "kota-dua"}


def test_a_whole_cycle_run_queues_the_recommendations_one_task_per_agency(cycle, enqueued,
                                                                         django_capture_on_commit_callbacks):
    two_agencies(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_tna(cycle=cycle)
    assert run.agency is None
    assert sorted(args for name, args in enqueued if name == "recommend_task") == [
        (2026, "kab-satu"), (2026, "kota-dua")]
    assert recommended_agencies(cycle) == {"kab-satu", "kota-dua"}


@override_settings(TASKS=DATABASE_TASKS)
def test_with_the_database_backend_a_cycles_recommendations_wait_as_one_task_per_agency(cycle):
    from django_tasks_db.models import DBTaskResult

    first, second = two_agencies(cycle)
    results = recommend_start(cycle=cycle)
    assert [r.args for r in results] == [[2026, "kab-satu"], [2026, "kota-dua"]]
    waiting = DBTaskResult.objects.filter(task_path="lms.tasks.recommend_task", status="READY")
    assert sorted(row.args_kwargs["args"] for row in waiting) == [[2026, "kab-satu"], [2026, "kota-dua"]]
    assert [r.args for r in recommend_start(cycle=cycle, agency=second)] == [[2026, "kota-dua"]]


# PostgreSQL: agencies' recommendations are written side by side -----------------------------------


@pytest.mark.postgres
@TRANSACTIONAL
def test_agencies_recommendations_are_written_side_by_side_and_a_second_write_of_one_agency_waits():
    cycle = CycleFactory(year=2026)
    first, second = two_agencies(cycle)
    run_tna(cycle=cycle)
    db = connection.settings_dict
    holder = psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
                             password=db["PASSWORD"] or None, dbname=db["NAME"])
    # What the first agency's write holds while it writes: the cycle for share, the agency for update.
    holder.execute("SELECT 1 FROM tna_cycle WHERE id = %s FOR SHARE", [cycle.pk])
    holder.execute("SELECT 1 FROM tna_agency WHERE id = %s FOR UPDATE", [first.pk])
    try:
        other, outcome = in_thread(lambda: recommend_cycle(cycle=cycle, agency=second))
        other.join(timeout=60)
        assert not other.is_alive(), "the other agency's recommendations waited for the first agency's"
        assert outcome["value"].recommendations > 0

        again, again_outcome = in_thread(lambda: recommend_cycle(cycle=cycle, agency=first))
        whole, whole_outcome = in_thread(lambda: recommend_cycle(cycle=cycle))
        wait_until(lambda: waiting_on_a_lock() >= 2)
        assert waiting_on_a_lock() == 2, "a second write of the agency, or of the whole cycle, went on"
    finally:
        holder.rollback()
        holder.close()
    again.join(timeout=60)
    whole.join(timeout=60)
    assert again_outcome["value"].recommendations > 0 and whole_outcome["value"].recommendations > 0
    assert recommended_agencies(cycle) == {"kab-satu", "kota-dua"}


@pytest.fixture(autouse=True)
def pages_in_english(client):
    """The pages' texts are asserted as their English msgids (Indonesian is the site's default)."""
    client.cookies["django_language"] = "en"


# Scheduling runs ---------------------------------------------------------------------------------


def start_run(client, planner, first_day):  # noqa: F811 - the fixture's value, passed on
    client.force_login(planner.user)
    return client.post(reverse("lms:schedule-runs"), {
        "first_day": first_day.isoformat(), "last_day": (first_day + datetime.timedelta(days=34)).isoformat(),
        "cycle": "2026", "method": "cp-sat", "time_limit": "5",
    })


@pytest.mark.urls("tests.lms.scheduling.urls")
@override_settings(TASKS=DATABASE_TASKS)
def test_a_scheduling_run_waits_for_a_worker_and_its_page_follows_it(client, planner, demand, first_day):  # noqa: F811
    response = start_run(client, planner, first_day)
    run = ScheduleRun.objects.get()
    assert run.state == ScheduleRun.State.QUEUED and not run.figures
    assert response.url == reverse("lms:schedule-run", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert 'data-state="queued"' in page and "Waiting for a worker" in page
    assert 'http-equiv="refresh"' in page and reverse("lms:schedule-run", args=[run.pk]) in page
    listing = client.get(reverse("lms:schedule-runs")).content.decode()
    assert "Waiting for a worker" in listing

    outcome = schedule_run_task.call(run.pk)  # what the worker does
    run.refresh_from_db()
    assert run.state == ScheduleRun.State.DONE and run.figures["placed"] == 3 and run.started_at <= run.finished_at
    assert outcome == {"run": run.pk, "state": "done", "placed": 3, "classes": run.figures["classes"]}
    page = client.get(response.url).content.decode()
    assert 'http-equiv="refresh"' not in page and "SD Negeri 1" in page
    # Delivered twice: nothing more happens.
    assert schedule_run_task.call(run.pk)["skipped"]


@pytest.mark.urls("tests.lms.scheduling.urls")
def test_a_failed_scheduling_run_shows_its_error(client, planner, demand, first_day, monkeypatch):  # noqa: F811
    from lms import scheduling

    def broken(problem, time_limit):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(scheduling, "schedule", broken)
    response = start_run(client, planner, first_day)  # the immediate backend runs the task at once
    run = ScheduleRun.objects.get()
    assert run.state == ScheduleRun.State.FAILED and "RuntimeError: solver crashed" in run.error
    page = client.get(response.url).content.decode()
    assert 'data-state="failed"' in page and "solver crashed" in page
    assert 'http-equiv="refresh"' not in page
    # Nothing to move, lock or publish in a run without a proposal.
    publish = client.post(reverse("lms:schedule-publish", args=[run.pk]), {"place": "Aula"}, follow=True)
    assert "This run has no proposal yet." in publish.content.decode()


# Training evaluation -----------------------------------------------------------------------------


def test_training_evaluation_runs_as_a_task_and_a_missing_cycle_fails_it():
    CycleFactory(year=2025)
    failed = evaluate_training_task.enqueue(2025)
    assert failed.status == "FAILED" and "ValidationError" in failed.errors[0].exception_class_path

    CycleFactory(year=2026)
    done = evaluate_training_task.enqueue(2025)
    assert done.status == "SUCCESSFUL"
    assert done.return_value == {"year": 2025, "agency": "", "courses": 0, "enough": 0, "near_zero": 0, "rows": 0,
                                 "trained": 0}
    out = io.StringIO()
    call_command("evaluate_training", year=2025, queue=True, stdout=out)
    assert "Training of 2025: measuring queued as task" in out.getvalue()


def test_a_training_admin_measures_a_year_again_from_the_report(client, make_employee):
    admin = make_employee("Dewi Admin", roles=["training_admin"])
    client.force_login(admin.user)
    report = reverse("lms:evaluation-report")
    missing = client.post(reverse("lms:evaluation-measure"), {"year": "2025"}, follow=True)
    assert "run the training-needs analysis of both first" in missing.content.decode()

    CycleFactory(year=2025)
    CycleFactory(year=2026)
    page = client.get(report + "?year=2025").content.decode()
    assert reverse("lms:evaluation-measure") in page
    done = client.post(reverse("lms:evaluation-measure"), {"year": "2025"}, follow=True)
    assert done.redirect_chain[-1][0] == report + "?year=2025"
    assert "Measured: 0 courses of 2025, 0 with enough evidence." in done.content.decode()

    with override_settings(TASKS=DATABASE_TASKS):
        queued = client.post(reverse("lms:evaluation-measure"), {"year": "2025"}, follow=True).content.decode()
        assert "is queued; the page shows the new figures once a background worker has done it" in queued
        assert 'id="measuring" data-status="READY"' in queued
        from django_tasks_db.models import DBTaskResult

        task = DBTaskResult.objects.get(task_path="lms.tasks.evaluate_training_task")
        assert task.args_kwargs["args"] == [2025, "kota-contoh"]
        task.set_failed(RuntimeError("disk full"))
        failed = client.get(report + "?year=2025").content.decode()
        assert "Measuring the training of 2025 failed: builtins.RuntimeError" in failed
        assert 'id="measuring"' not in failed


# The RQ backend on Redis -------------------------------------------------------------------------

REDIS = ("127.0.0.1", 6379)


def redis_reachable():
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_reachable(), reason="needs Redis at 127.0.0.1:6379 for the RQ backend")


@needs_redis
def test_a_task_goes_through_redis_and_an_rq_worker():
    pytest.importorskip("django_tasks_rq", reason="django-tasks-rq is not installed")
    import django_rq
    from django_tasks_rq import Job
    from rq.worker import SimpleWorker

    queues = {"default": {"URL": "redis://%s:%d/13" % REDIS, "DEFAULT_TIMEOUT": 60}}
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}},
                           RQ_QUEUES=queues):
        redis = django_rq.get_connection("default")
        redis.flushdb()
        try:
            result = evaluation_reminders_task.enqueue()
            assert result.status == "READY"
            # A worker in this process (SimpleWorker: no fork), so it sees the test's database.
            worker = django_rq.get_worker("default", job_class=Job, worker_class=SimpleWorker)
            worker.work(burst=True)
            result.refresh()
            assert result.status == "SUCCESSFUL", result.errors
            assert result.return_value["sent"] is True
        finally:
            redis.flushdb()


def settings_with(**environment):
    """``cms.settings.dev`` loaded in a fresh process with ``environment``: (exit code, its output)."""
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.TASKS['default']['BACKEND'], 'django_rq' in settings.INSTALLED_APPS, "
            "getattr(settings, 'RQ_QUEUES', {}).get('default', {}).get('URL'))")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.dev", **environment}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def test_the_task_backend_is_chosen_by_the_environment():
    assert settings_with(LATIH_TASKS_BACKEND="")[1].strip() == "django_tasks_db.DatabaseBackend False None"
    assert settings_with(LATIH_TASKS_BACKEND="rq", LATIH_TASKS_REDIS_URL="redis://queue.example:6379/4")[1].strip() \
        == "django_tasks_rq.RQBackend True redis://queue.example:6379/4"
    code, output = settings_with(LATIH_TASKS_BACKEND="celery")
    assert code != 0 and "LATIH_TASKS_BACKEND is 'celery': use database or rq" in output
