"""A whole cycle spread over the workers: one queued TNA run per agency (``tna.tasks.tna_cycle_start``), and the
row locks that let agencies' runs of one cycle write side by side on PostgreSQL."""

import threading
import time
from io import StringIO

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import close_old_connections, connection
from django.test import override_settings

from tests.conftest import TRANSACTIONAL
from tna.factories import CycleFactory, EmployeeFactory
from tna.models import CompetencyGap, TnaRun
from tna.services.tna_run import run_tna, tna_run_queue
from tna.tasks import tna_cycle_start

from .test_tna_run import build_agency

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def cycle():
    return CycleFactory(year=2026)


@pytest.fixture
def agencies(cycle):
    """Two agencies of 38 staff, the second with two more; a third whose only employee has left."""
    small = build_agency("kab-satu", cycle=cycle)
    large = build_agency("kota-dua", cycle=cycle, lenient=False)
    for _ in range(2):
        EmployeeFactory(agency=large["agency"], unit=large["staff"][0].unit, position=large["staff"][0].position)
    gone = EmployeeFactory(active=False)
    return small["agency"], large["agency"], gone.agency


def test_a_whole_cycle_is_one_run_per_agency_with_staff_largest_first(cycle, agencies, enqueued):
    small, large, nobody = agencies
    runs = tna_cycle_start(cycle=cycle)
    assert [run.agency for run in runs] == [large, small]  # no run for the agency without active staff
    assert all(run.status == TnaRun.Status.SUCCEEDED for run in runs)
    assert [args for name, args in enqueued if name == "tna_run_task"] == [(runs[0].pk,), (runs[1].pk,)]
    spread = set(CompetencyGap.objects.filter(cycle=cycle).values_list("employee", "competency"))

    # The same rows as one whole-cycle run writes.
    whole = run_tna(cycle=cycle)
    assert whole.agency is None and whole.status == TnaRun.Status.SUCCEEDED
    assert set(CompetencyGap.objects.filter(cycle=cycle).values_list("employee", "competency")) == spread
    assert len(spread) == (36 + 2 + 36) * 6  # staff with a standard of six competencies


def test_an_agency_whose_run_waits_keeps_it_and_everyone_waiting_is_refused(cycle, agencies):
    small, large, _ = agencies
    waiting = tna_run_queue(cycle=cycle, agency=small)
    runs = tna_cycle_start(cycle=cycle)
    assert [run.agency for run in runs] == [large]
    assert TnaRun.objects.get(pk=waiting.pk).status == TnaRun.Status.QUEUED

    tna_run_queue(cycle=cycle, agency=large)
    with pytest.raises(ValidationError, match="already waiting to start for every agency"):
        tna_cycle_start(cycle=cycle)


@override_settings(TASKS=DATABASE_TASKS)
@TRANSACTIONAL
def test_with_the_database_backend_the_runs_wait_for_a_worker_which_runs_them(cycle, agencies):
    """Real commits: the worker claims tasks in transactions of its own, and results_published waits for a commit."""
    from django_tasks_db.models import DBTaskResult

    runs = tna_cycle_start(cycle=cycle)
    assert {run.status for run in runs} == {TnaRun.Status.QUEUED}
    assert sorted(row.args_kwargs["args"] for row in DBTaskResult.objects.all()) == sorted([r.pk] for r in runs)

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0, stdout=StringIO())
    assert {run.status for run in TnaRun.objects.filter(agency__isnull=False)} == {TnaRun.Status.SUCCEEDED}
    # Each finished agency run queued that agency's recommendations, run by the same worker.
    recommended = DBTaskResult.objects.filter(task_path="lms.tasks.recommend_task")
    assert sorted(row.args_kwargs["args"] for row in recommended) == [[2026, "kab-satu"], [2026, "kota-dua"]]
    assert {row.status for row in DBTaskResult.objects.all()} == {"SUCCESSFUL"}


def test_run_tna_queue_spreads_the_cycle_and_without_it_runs_the_whole_cycle_here(cycle, agencies):
    out = StringIO()
    call_command("run_tna", cycle=2026, queue=True, stdout=out)
    assert "TNA 2026: 2 agency runs queued (2 already done, 0 failed)" in out.getvalue()
    assert TnaRun.objects.filter(agency__isnull=False).count() == 2

    call_command("run_tna", cycle=2026, agency="kab-satu", queue=True, stdout=out)
    assert "TNA 2026: 1 agency run queued (1 already done, 0 failed)" in out.getvalue()

    call_command("run_tna", cycle=2026, stdout=out)
    assert TnaRun.objects.filter(agency__isnull=True).get().status == TnaRun.Status.SUCCEEDED


# PostgreSQL: agencies' runs write side by side --------------------------------------------------


def in_thread(function):
    """Run ``function`` in a thread with its own database connection; the thread and its outcome."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function()
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["error"] = exc
        finally:
            close_old_connections()
            connection.close()

    thread = threading.Thread(target=target)
    thread.start()
    return thread, outcome


def hold_agency(cycle, agency):
    """Another connection holding what an agency's run holds while it writes: the cycle for share,
    the agency for update. Roll it back to let go."""
    settings = connection.settings_dict
    holder = psycopg.connect(host=settings["HOST"] or None, port=settings["PORT"] or None,
                             user=settings["USER"] or None, password=settings["PASSWORD"] or None,
                             dbname=settings["NAME"])
    holder.execute("SELECT 1 FROM tna_cycle WHERE id = %s FOR SHARE", [cycle.pk])
    holder.execute("SELECT 1 FROM tna_agency WHERE id = %s FOR UPDATE", [agency.pk])
    return holder


def waiting_on_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0]


def wait_until(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.postgres
@TRANSACTIONAL
def test_agencies_runs_of_one_cycle_write_side_by_side_and_a_second_run_of_one_agency_waits():
    cycle = CycleFactory(year=2026)
    first = build_agency("kab-satu", cycle=cycle)["agency"]
    second = build_agency("kota-dua", cycle=cycle)["agency"]
    holder = hold_agency(cycle, first)  # the first agency's run, writing
    try:
        other, outcome = in_thread(lambda: run_tna(cycle=cycle, agency=second))
        other.join(timeout=60)
        assert not other.is_alive(), "the other agency's run waited for the first agency's"
        assert outcome["value"].status == TnaRun.Status.SUCCEEDED

        again, again_outcome = in_thread(lambda: run_tna(cycle=cycle, agency=first))
        whole, whole_outcome = in_thread(lambda: run_tna(cycle=cycle))
        assert wait_until(lambda: waiting_on_a_lock() == 2), "a second run of the agency, or the whole cycle, went on"
        assert again.is_alive() and whole.is_alive()
    finally:
        holder.rollback()
        holder.close()
    again.join(timeout=60)
    whole.join(timeout=60)
    assert again_outcome["value"].status == TnaRun.Status.SUCCEEDED
    assert whole_outcome["value"].status == TnaRun.Status.SUCCEEDED
    assert CompetencyGap.objects.filter(cycle=cycle).count() == 2 * 36 * 6
