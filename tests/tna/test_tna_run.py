"""run_tna through the ORM: known answers, idempotent re-runs, atomic replacement, agency scope, training hook."""

from io import StringIO

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.core.management.base import OutputWrapper
from django.db import connection
from django.test import override_settings
from django.utils import translation

from tests.conftest import TRANSACTIONAL
from tna import hooks
from tna.analysis.pipeline import Result
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
)
from tna.infra.bulk import reading
from tna.management.commands.run_tna import Progress
from tna.models import CompetencyGap, Rating, TnaRun
from tna.services import tna_run
from tna.services.tna_run import run_tna

pytestmark = pytest.mark.django_db

GROUP = 12  # ratees per group
COMPETENCIES = 6  # a position usually requires a dozen; six keep the test fast


def true_level(i, competency):
    """Everyone's real level: 2 or 3, alternating, the other way round on the second competency."""
    return 2 + (i + competency) % 2


def build_agency(code, *, cycle, lenient=True):
    """An agency whose 36 staff need level 3 of six competencies, rated by 3 peers each and
    (first 12) a supervisor who rates everyone a level higher than the peers do, (next 12) an
    honest supervisor, (last 12) no supervisor at all.

    Returns a dict: agency, staff (list of Employee), lenient and honest supervisors, competencies.
    """
    agency = AgencyFactory(code=code)
    unit = UnitFactory(agency=agency)
    position = PositionFactory(agency=agency)
    competencies = [CompetencyFactory(code="%s-C%d" % (code.upper()[:4], k)) for k in range(COMPETENCIES)]
    for competency in competencies:
        RequiredLevelFactory(position=position, competency=competency, level=3)
    boss_position = PositionFactory(agency=agency)
    lenient_boss = EmployeeFactory(agency=agency, unit=unit, position=boss_position)
    honest_boss = EmployeeFactory(agency=agency, unit=unit, position=boss_position)
    staff = [EmployeeFactory(agency=agency, unit=unit, position=position) for _ in range(3 * GROUP)]
    ratings = []
    for i, ratee in enumerate(staff):
        for k, competency in enumerate(competencies):
            level = true_level(i, k)
            # Peers drawn from across the unit, not a chain of neighbours.
            for step in (1, 7, 17):
                rater = staff[(i + step) % len(staff)]
                ratings.append(Rating(cycle=cycle, ratee=ratee, rater=rater, rater_role="peer", competency=competency, level=level))
            if i < GROUP:
                boss, boss_level = lenient_boss, level + (1 if lenient else 0)
            elif i < 2 * GROUP:
                boss, boss_level = honest_boss, level
            else:
                continue
            ratings.append(Rating(cycle=cycle, ratee=ratee, rater=boss, rater_role="supervisor",
                                  competency=competency, level=min(boss_level, 5)))
    Rating.objects.bulk_create(ratings)
    return {"agency": agency, "staff": staff, "lenient": lenient_boss, "honest": honest_boss, "competencies": competencies}


@pytest.fixture
def cycle():
    return CycleFactory(year=2026)


@pytest.fixture
def org(cycle):
    return build_agency("kab-satu", cycle=cycle)


def gap_of(employee, competency):
    return CompetencyGap.objects.get(employee=employee, competency=competency)


def snapshot(**filters):
    """Every stored result as comparable tuples (ids of rows and runs left out)."""
    rows = CompetencyGap.objects.filter(**filters).order_by("employee_id", "competency_id")
    return [
        (g.employee_id, g.competency_id, g.agency_id, g.unit_id, g.required_level, g.observed_level, g.confidence,
         g.gap, g.priority, g.reason)
        for g in rows
    ]


def test_a_supervisor_who_rates_everyone_a_level_higher_is_corrected(cycle, org):
    run = run_tna(cycle=cycle)
    assert run.status == TnaRun.Status.SUCCEEDED
    for i in range(GROUP):
        for k, competency in enumerate(org["competencies"]):
            gap = gap_of(org["staff"][i], competency)
            assert gap.observed_level == pytest.approx(true_level(i, k), abs=0.15)
            assert gap.gap == pytest.approx(3 - true_level(i, k), abs=0.15)
            assert gap.reason["leniency_correction"] < -0.2
            assert gap.reason["raters"]["supervisor"]["n"] == 1
    # The honest supervisor's people are left as they are.
    honest = gap_of(org["staff"][GROUP], org["competencies"][0])
    assert honest.observed_level == pytest.approx(true_level(GROUP, 0), abs=0.03)
    assert abs(honest.reason["leniency_correction"]) < 0.05


def test_without_the_correction_the_lenient_supervisor_would_hide_the_gaps(cycle, org):
    with override_settings(LATIH_LENIENCY_SHRINKAGE=1e12):
        run_tna(cycle=cycle)
    gap = gap_of(org["staff"][0], org["competencies"][0])
    # Supervisor 3, peers 2: (0.4 x 3 + 0.25 x 2) / 0.65.
    assert gap.observed_level == round((0.4 * 3 + 0.25 * 2) / 0.65, 2)
    assert gap.gap < 0.5


def test_an_employee_without_a_supervisor_rating_gets_a_result_with_lower_confidence(cycle, org):
    run_tna(cycle=cycle)
    with_boss = gap_of(org["staff"][GROUP], org["competencies"][0])
    without = gap_of(org["staff"][2 * GROUP], org["competencies"][0])
    assert true_level(GROUP, 0) == true_level(2 * GROUP, 0)
    assert without.observed_level == pytest.approx(true_level(2 * GROUP, 0), abs=0.03)
    assert without.gap == pytest.approx(with_boss.gap, abs=0.02)
    assert "supervisor" not in without.reason["raters"]
    assert 0 < without.confidence < with_boss.confidence


def test_running_again_changes_nothing(cycle, org):
    first = run_tna(cycle=cycle)
    before = snapshot()
    second = run_tna(cycle=cycle)
    assert snapshot() == before
    # The two supervisors' position requires nothing: 36 people x 6 competencies.
    assert len(before) == 36 * COMPETENCIES and second.pk != first.pk
    assert set(CompetencyGap.objects.values_list("run", flat=True)) == {second.pk}
    assert (first.employees, first.gaps) == (second.employees, second.gaps)
    assert first.employees == 38 and first.gaps == CompetencyGap.objects.filter(gap__gt=0).count() >= 36 * 3


def test_a_run_that_fails_midway_leaves_the_last_results(cycle, org, monkeypatch):
    run_tna(cycle=cycle)
    before = snapshot()
    before_runs = set(CompetencyGap.objects.values_list("run", flat=True))
    # Make the next run write some rows and then fail.
    Rating.objects.filter(rater=org["lenient"]).update(level=1)
    monkeypatch.setattr(tna_run, "WRITE_CHUNK", 10)
    original = Result.reason_columns
    calls = []

    def failing(self, start=0, stop=None):
        calls.append(start)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, start, stop)

    monkeypatch.setattr(Result, "reason_columns", failing)
    with pytest.raises(CommandError, match="earlier results are unchanged: disk full"), translation.override("en"):
        call_command("run_tna", cycle=2026, stdout=StringIO())
    assert len(calls) == 3  # two chunks were written before the failure
    assert snapshot() == before
    assert set(CompetencyGap.objects.values_list("run", flat=True)) == before_runs
    failed = TnaRun.objects.order_by("-pk").first()
    assert failed.status == TnaRun.Status.FAILED
    assert "RuntimeError: disk full" in failed.error
    assert failed.finished_at is not None


def test_the_stored_reasons_are_the_analysis_reasons(cycle, org):
    """Every row's reason read back from its columns is what the analysis explained, including
    the optional parts (appraisal, unit IKM on a service competency, no evidence at all)."""
    from tna.analysis import analyse
    from tna.factories import AppraisalFactory
    from tna.models import UnitSatisfaction

    staff, competencies = org["staff"], org["competencies"]
    AppraisalFactory(cycle=cycle, employee=staff[0], results="below", behaviour="meets", discipline=2, quality=None)
    service = competencies[-1]
    service.is_service = True
    service.save(update_fields=["is_service"])
    UnitSatisfaction.objects.create(cycle=cycle, unit=staff[0].unit, score=61.5)
    Rating.objects.filter(ratee=staff[1], competency=competencies[0]).delete()
    run_tna(cycle=cycle)

    result = analyse(tna_run.read_evidence(cycle=cycle), tna_run.analysis_parameters())
    expected = {(row.employee, row.competency): result.reason(i) for i, row in enumerate(result.gaps.itertuples())}
    stored = {(g.employee_id, g.competency_id): g.reason for g in CompetencyGap.objects.all()}
    assert stored == expected
    first = stored[(staff[0].pk, service.pk)]
    assert first["appraisal"] == {"results": "below", "behaviour": "meets", "predikat": "Butuh Perbaikan", "discipline": 2}
    assert first["ikm"] == 61.5 and "low_ikm" in first["signals"]
    assert stored[(staff[1].pk, competencies[0].pk)]["no_evidence"] is True


def test_an_agency_run_leaves_other_agencies_results_alone(cycle, org):
    other = build_agency("kota-dua", cycle=cycle, lenient=False)
    run_tna(cycle=cycle)
    theirs = snapshot(agency=other["agency"])
    their_ids = set(CompetencyGap.objects.filter(agency=other["agency"]).values_list("pk", flat=True))
    # New evidence in both agencies, but only the first is re-run.
    Rating.objects.filter(cycle=cycle, rater_role="peer").update(level=5)
    call_command("run_tna", cycle=2026, agency="kab-satu", stdout=StringIO())
    assert snapshot(agency=other["agency"]) == theirs
    assert set(CompetencyGap.objects.filter(agency=other["agency"]).values_list("pk", flat=True)) == their_ids
    mine = gap_of(org["staff"][2 * GROUP], org["competencies"][0])
    assert mine.observed_level == pytest.approx(5, abs=0.05) and mine.gap == 0
    run = TnaRun.objects.order_by("-pk").first()
    assert run.agency == org["agency"] and run.employees == 38


def test_training_from_a_registered_provider_counts_as_evidence(cycle, org):
    staff, competency = org["staff"], org["competencies"][0]
    employee = staff[2 * GROUP]  # true level 2, three peers, no supervisor
    seen = []

    def completed_training(cycle, agency):
        seen.append((cycle.year, agency))
        return pd.DataFrame({"employee_id": [employee.pk, employee.pk], "competency_id": [competency.pk] * 2,
                             "level": [3, 4]})

    run_tna(cycle=cycle)
    before = gap_of(employee, competency)
    registered = hooks.training_evidence_providers()  # lms registers its own (no training here)
    hooks.register_training_evidence(completed_training)
    try:
        run_tna(cycle=cycle)
        after = gap_of(employee, competency)
        with override_settings(LATIH_TRAINING_EVIDENCE_WEIGHT=3.0):
            run_tna(cycle=cycle)
        heavier = gap_of(employee, competency)
    finally:
        hooks.unregister_training_evidence(completed_training)
    assert seen == [(2026, None), (2026, None)]
    # Two courses at half a rating each next to three peer ratings of 2: (3 x 2 + 1 x 4) / 4.
    assert after.observed_level == 2.5 and after.gap == 0.5 < before.gap
    assert after.reason["training"] == {"n": 2, "level": 4, "weight": 0.25}
    assert after.confidence > before.confidence
    assert heavier.observed_level > after.observed_level
    assert heavier.reason["training"]["weight"] == 0.67
    # Others are untouched by that person's training.
    assert "training" not in gap_of(staff[2 * GROUP + 1], competency).reason
    assert hooks.training_evidence_providers() == registered


def test_a_provider_that_returns_the_wrong_columns_fails_the_run_clearly(cycle, org):
    def broken(cycle, agency):
        return pd.DataFrame({"nip": ["1"], "competency_id": [1], "level": [3]})

    hooks.register_training_evidence(broken)
    try:
        with pytest.raises(ValueError, match="broken returned no employee_id"):
            run_tna(cycle=cycle)
    finally:
        hooks.unregister_training_evidence(broken)
    assert TnaRun.objects.get().status == TnaRun.Status.FAILED
    assert not CompetencyGap.objects.exists()


@translation.override("en")
def test_the_command_reports_what_it_did_and_refuses_unknown_cycles_and_agencies(cycle, org):
    out = StringIO()
    call_command("run_tna", cycle=2026, agency="kab-satu", stdout=out)
    text = out.getvalue()
    assert "[1/5] reading" in text and "[5/5] writing" in text
    gaps = CompetencyGap.objects.filter(gap__gt=0).count()
    assert "TNA 2026 kab-satu: 38 employees, %d gaps > 0" % gaps in text
    with pytest.raises(CommandError, match="no cycle 1999"):
        call_command("run_tna", cycle=1999, stdout=StringIO())
    with pytest.raises(CommandError, match="no agency with code nowhere"):
        call_command("run_tna", cycle=2026, agency="nowhere", stdout=StringIO())


def test_the_progress_bar_fills_as_rows_are_written():
    out = StringIO()
    progress = Progress(OutputWrapper(out), bar=True)
    progress("reading")
    progress("writing", 0, 200)
    progress("writing", 100, 200)
    progress("writing", 200, 200)
    progress.finish_line()
    text = out.getvalue()
    assert "[5/5] writing [###############...............] 100/200" in text
    assert "[5/5] writing [##############################] 200  " in text  # done: the total alone


@TRANSACTIONAL
def test_outside_any_transaction_the_bulk_write_is_still_all_or_nothing(monkeypatch):
    """The command's real path (no test transaction around it), where SQLite's bulk settings apply."""
    from django.db import IntegrityError

    cycle = CycleFactory(year=2026)
    org = build_agency("kab-satu", cycle=cycle)
    run_tna(cycle=cycle)
    before = snapshot()
    monkeypatch.setattr(tna_run, "WRITE_CHUNK", 50)
    original, calls = Result.reason_columns, []

    def failing(self, start=0, stop=None):
        calls.append(start)
        if len(calls) == 4:
            raise RuntimeError("power cut")
        return original(self, start, stop)

    monkeypatch.setattr(Result, "reason_columns", failing)
    with pytest.raises(RuntimeError, match="power cut"):
        run_tna(cycle=cycle)
    assert snapshot() == before
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints")
            assert cursor.fetchone()[0] == 0
    # The table's checks apply again to anyone else writing.
    with pytest.raises(IntegrityError):
        CompetencyGap.objects.filter(employee=org["staff"][0]).update(priority=101)


def test_results_for_a_unit_deleted_during_the_run_are_refused(cycle, org, monkeypatch):
    read = tna_run.read_evidence

    def stale(**kwargs):
        evidence = read(**kwargs)
        evidence.people["unit"] = 999_999  # as if the unit vanished after the read
        return evidence

    monkeypatch.setattr(tna_run, "read_evidence", stale)
    with pytest.raises(ValueError, match="999999 was deleted"):
        run_tna(cycle=cycle)
    assert not CompetencyGap.objects.exists()


def test_a_provider_is_registered_once_and_must_be_callable():
    def provider(cycle, agency):
        return None

    before = hooks.training_evidence_providers()
    assert hooks.register_training_evidence(provider) is provider
    hooks.register_training_evidence(provider)
    try:
        assert hooks.training_evidence_providers() == (*before, provider)
    finally:
        hooks.unregister_training_evidence(provider)
    assert hooks.training_evidence_providers() == before
    with pytest.raises(TypeError):
        hooks.register_training_evidence("lms.training")


def test_published_results_are_announced_after_commit_and_failures_are_not(
    cycle, org, monkeypatch, django_capture_on_commit_callbacks
):
    from tna.signals import results_published

    heard = []

    def listener(sender, run, **kwargs):
        heard.append((run.pk, run.status, CompetencyGap.objects.filter(run=run).count()))

    results_published.connect(listener, sender=TnaRun)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run = run_tna(cycle=cycle, agency=org["agency"])
        assert heard == []  # nothing is announced before the results are committed
        for callback in callbacks:
            callback()
        assert heard == [(run.pk, TnaRun.Status.SUCCEEDED, 36 * COMPETENCIES)]

        monkeypatch.setattr(Result, "reason_columns", lambda self, start=0, stop=None: 1 / 0)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ZeroDivisionError):
            run_tna(cycle=cycle)
        assert len(heard) == 1
    finally:
        results_published.disconnect(listener, sender=TnaRun)


@TRANSACTIONAL
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel chunk reads are PostgreSQL's (set DATABASE_URL)")
def test_evidence_read_in_parallel_chunks_is_the_evidence_read_in_one_go(monkeypatch):
    cycle = CycleFactory(year=2026)
    build_agency("kab-satu", cycle=cycle)
    whole = tna_run.read_evidence(cycle=cycle)
    used = []
    original = reading._read_on_own_connection

    def spy(statement, parse):
        used.append(statement)
        return original(statement, parse)

    monkeypatch.setattr(reading, "READ_CHUNK", 50)
    monkeypatch.setattr(reading, "_read_on_own_connection", spy)
    chunked = tna_run.read_evidence(cycle=cycle)
    assert len(used) > 10  # the ratings came in many chunks, on the worker connections
    for name in ("people", "ratings", "appraisals", "survey"):
        pd.testing.assert_frame_equal(getattr(chunked, name), getattr(whole, name))
