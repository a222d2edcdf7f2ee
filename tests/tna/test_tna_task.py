"""TNA runs as background tasks (immediate backend in tests) and the admin page that starts and lists them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tna.analysis.pipeline import Result
from tna.factories import CycleFactory, EmployeeFactory, UserFactory
from tna.models import CompetencyGap, TnaRun
from tna.services.tna_run import tna_run_queue
from tna.tasks import tna_run_start, tna_run_task

from .test_tna_run import build_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return CycleFactory(year=2026)


@pytest.fixture
def agencies(cycle):
    return build_agency("kab-satu", cycle=cycle), build_agency("kota-dua", cycle=cycle, lenient=False)


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def planner(agencies):
    org = agencies[0]
    return EmployeeFactory(agency=org["agency"], unit=org["staff"][0].unit, position=org["staff"][0].position,
                           roles=["planner"]).user


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_a_started_run_is_executed_by_the_task_and_writes_results(cycle, agencies, superuser):
    run = tna_run_start(cycle=cycle, requested_by=superuser)
    assert run.status == TnaRun.Status.SUCCEEDED
    assert run.requested_by == superuser and run.started_at <= run.finished_at
    assert run.employees == 2 * 38
    assert CompetencyGap.objects.filter(run=run).count() == 2 * 36 * 6
    assert set(run.timings) >= {"reading", "leniency", "observed", "priority", "writing"}


def test_a_failing_task_marks_the_run_failed_and_keeps_the_last_results(cycle, agencies, monkeypatch):
    first = tna_run_start(cycle=cycle)
    before = set(CompetencyGap.objects.values_list("pk", "observed_level"))

    def broken(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(Result, "reason_columns", broken)
    run = tna_run_queue(cycle=cycle)
    outcome = tna_run_task.enqueue(run.pk)
    assert outcome.status == "FAILED"
    assert "RuntimeError" in outcome.errors[0].exception_class_path
    run.refresh_from_db()
    assert run.status == TnaRun.Status.FAILED and "out of memory" in run.error
    assert set(CompetencyGap.objects.values_list("pk", "observed_level")) == before
    assert set(CompetencyGap.objects.values_list("run", flat=True)) == {first.pk}


def test_the_task_does_not_run_a_run_twice(cycle, agencies):
    run = tna_run_start(cycle=cycle)
    outcome = tna_run_task.enqueue(run.pk)
    assert outcome.return_value == {"run": run.pk, "status": "succeeded", "skipped": True}
    assert TnaRun.objects.count() == 1


def test_a_second_run_of_the_same_scope_cannot_be_queued_while_one_waits(cycle, agencies):
    tna_run_queue(cycle=cycle, agency=agencies[0]["agency"])
    with pytest.raises(ValidationError):
        tna_run_start(cycle=cycle, agency=agencies[0]["agency"])
    # Another scope is fine.
    assert tna_run_start(cycle=cycle, agency=agencies[1]["agency"]).status == TnaRun.Status.SUCCEEDED


def test_a_superuser_starts_a_run_for_every_agency_and_sees_it_listed(english, cycle, agencies, superuser):
    english.force_login(superuser)
    page = english.get(reverse("tna_runs"))
    assert page.status_code == 200
    assert {a.code for a in page.context["form"].fields["agency"].queryset} == {"kab-satu", "kota-dua"}
    response = english.post(reverse("tna_runs"), {"cycle": cycle.pk, "agency": ""}, follow=True)
    # All agencies is one run per agency, each executed by its own task.
    runs = list(TnaRun.objects.order_by("agency__code"))
    assert [run.agency.code for run in runs] == ["kab-satu", "kota-dua"]
    assert all(run.status == TnaRun.Status.SUCCEEDED and run.requested_by == superuser for run in runs)
    text = response.content.decode()
    assert "TNA 2026 (all agencies) done in 2 agency runs: 76 employees" in text
    assert all('data-run="%d" data-status="succeeded"' % run.pk in text for run in runs)
    assert not response.context["active"]


def test_a_planner_runs_only_their_own_agency_and_sees_only_its_runs(english, cycle, agencies, planner):
    mine, theirs = agencies[0]["agency"], agencies[1]["agency"]
    other_run = tna_run_start(cycle=cycle, agency=theirs)
    english.force_login(planner)
    page = english.get(reverse("tna_runs"))
    assert list(page.context["form"].fields["agency"].queryset) == [mine]
    assert other_run not in page.context["runs"]

    refused = english.post(reverse("tna_runs"), {"cycle": cycle.pk, "agency": theirs.pk})
    assert refused.status_code == 200 and refused.context["form"].errors["agency"]
    everyone = english.post(reverse("tna_runs"), {"cycle": cycle.pk, "agency": ""})
    assert everyone.status_code == 200 and everyone.context["form"].errors["agency"]
    assert TnaRun.objects.count() == 1

    english.post(reverse("tna_runs"), {"cycle": cycle.pk, "agency": mine.pk})
    run = TnaRun.objects.get(agency=mine)
    assert run.status == TnaRun.Status.SUCCEEDED and run.requested_by == planner
    assert [r.pk for r in english.get(reverse("tna_runs")).context["runs"]] == [run.pk]


def test_failed_and_waiting_runs_show_their_state_and_the_page_refreshes(english, cycle, agencies, superuser, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Result, "reason_columns", broken)
    english.force_login(superuser)
    response = english.post(reverse("tna_runs"), {"cycle": cycle.pk, "agency": ""}, follow=True)
    assert set(TnaRun.objects.values_list("status", flat=True)) == {TnaRun.Status.FAILED}
    text = response.content.decode()
    assert "TNA 2026: 2 of 2 agency runs failed; see the errors below" in text
    assert "RuntimeError: disk full" in text
    assert 'http-equiv="refresh"' not in text

    waiting = tna_run_queue(cycle=cycle, agency=agencies[0]["agency"])
    page = english.get(reverse("tna_runs"))
    assert page.context["active"] and (page.context["queued"], page.context["running"]) == (1, 0)
    assert 'data-run="%d" data-status="queued"' % waiting.pk in page.content.decode()
    assert "Waiting for a worker: 1 · running: 0" in page.content.decode()
    assert 'http-equiv="refresh"' in page.content.decode()


def test_people_without_the_planner_role_cannot_start_runs(english, cycle, agencies):
    org = agencies[0]
    admin = EmployeeFactory(agency=org["agency"], unit=org["staff"][0].unit, position=org["staff"][0].position,
                            roles=["training_admin"]).user
    english.force_login(admin)
    assert english.get(reverse("tna_runs")).status_code == 302
    assert english.post(reverse("tna_runs"), {"cycle": cycle.pk, "agency": org["agency"].pk}).status_code == 302
    assert not TnaRun.objects.exists()


def test_the_admin_menu_shows_the_tna_runs_to_planners_only(english, agencies, planner, superuser):
    english.force_login(planner)
    assert reverse("tna_runs") in english.get(reverse("wagtailadmin_home")).content.decode()
    org = agencies[0]
    admin = EmployeeFactory(agency=org["agency"], unit=org["staff"][0].unit, position=org["staff"][0].position,
                            roles=["training_admin"]).user
    english.force_login(admin)
    assert reverse("tna_runs") not in english.get(reverse("wagtailadmin_home")).content.decode()
