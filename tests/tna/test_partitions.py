"""On PostgreSQL a whole-cycle run swaps in a fresh partition of results for its cycle."""

import pytest
from django.db import connection

from tests.tna.test_tna_run import COMPETENCIES, build_agency, snapshot
from tna.factories import CycleFactory
from tna.infra.bulk import partitions
from tna.models import CompetencyGap
from tna.services.tna_run import run_tna

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions are PostgreSQL's (set DATABASE_URL)"),
]
TABLE = CompetencyGap._meta.db_table


def partition(cycle):
    with connection.cursor() as cursor:
        return partitions.partition_of(cursor, TABLE, cycle.pk)


def rows_in(table):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM %s" % connection.ops.quote_name(table))
        return cursor.fetchone()[0]


def test_each_run_of_a_cycle_replaces_its_partition_and_leaves_other_cycles_alone():
    assert partitions.is_partitioned(TABLE)
    last_year, this_year = CycleFactory(year=2025), CycleFactory(year=2026)
    org = build_agency("kab-satu", cycle=this_year)
    build_agency("kab-dua", cycle=last_year)
    run_tna(cycle=last_year)
    first = run_tna(cycle=this_year)
    assert partition(this_year) == "%s_r%d" % (TABLE, first.pk)
    kept = snapshot(cycle=last_year)
    before = snapshot(cycle=this_year)

    second = run_tna(cycle=this_year)
    assert partition(this_year) == "%s_r%d" % (TABLE, second.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", ["%s_r%d" % (TABLE, first.pk)])
        assert cursor.fetchone()[0] is None  # the previous partition is gone
    assert snapshot(cycle=this_year) == before and snapshot(cycle=last_year) == kept
    assert rows_in("%s_r%d" % (TABLE, second.pk)) == 72 * COMPETENCIES  # both agencies, analysed every cycle

    # Everything Django does with the table still works across partitions.
    gap = CompetencyGap.objects.get(cycle=this_year, employee=org["staff"][0], competency=org["competencies"][0])
    assert gap.reason["required"] == 3
    org["staff"][0].delete()
    assert not CompetencyGap.objects.filter(employee=org["staff"][0].pk).exists()


def written_by_the_orm(org, cycle):
    """One result row of ``org``'s first person, written through the ORM (priority 50); returns
    that person and competency."""
    staff, competency = org["staff"][0], org["competencies"][0]
    CompetencyGap.objects.create(cycle=cycle, employee=staff, agency_id=staff.agency_id, unit_id=staff.unit_id,
                                 competency=competency, required_level=3, observed_level=1.0, gap=2.0, priority=50)
    return staff, competency


def test_rows_written_by_other_means_go_to_the_default_partition_until_the_next_run():
    cycle = CycleFactory(year=2026)
    org = build_agency("kab-satu", cycle=cycle)
    staff, competency = written_by_the_orm(org, cycle)
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 1
    run_tna(cycle=cycle)
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 0
    assert CompetencyGap.objects.get(employee=staff, competency=competency).priority != 50
    # An agency run writes into the cycle's partition.
    run_tna(cycle=cycle, agency=org["agency"])
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 0
    assert CompetencyGap.objects.filter(cycle=cycle).count() == 36 * COMPETENCIES


def test_an_agency_run_gives_its_cycle_a_partition_that_the_next_whole_cycle_run_replaces():
    cycle = CycleFactory(year=2026)
    satu, dua = build_agency("kab-satu", cycle=cycle), build_agency("kab-dua", cycle=cycle)
    run_tna(cycle=cycle, agency=satu["agency"])
    assert partition(cycle) == "%s_c%d" % (TABLE, cycle.pk)  # created empty, then written into
    run_tna(cycle=cycle, agency=dua["agency"])
    assert partition(cycle) == "%s_c%d" % (TABLE, cycle.pk)  # the second agency finds it
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 0
    assert rows_in("%s_c%d" % (TABLE, cycle.pk)) == 72 * COMPETENCIES
    by_agency = snapshot(cycle=cycle)

    whole = run_tna(cycle=cycle)
    assert partition(cycle) == "%s_r%d" % (TABLE, whole.pk)
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 0
    assert snapshot(cycle=cycle) == by_agency and len(by_agency) == 72 * COMPETENCIES  # raters rate in their agency
    run_tna(cycle=cycle, agency=satu["agency"])  # and agency runs then write into the whole run's partition
    assert partition(cycle) == "%s_r%d" % (TABLE, whole.pk)
    assert CompetencyGap.objects.filter(cycle=cycle).count() == 72 * COMPETENCIES


def test_rows_already_in_the_default_partition_keep_an_agency_run_there_until_a_whole_cycle_run():
    cycle = CycleFactory(year=2026)
    org = build_agency("kab-satu", cycle=cycle)
    staff, competency = written_by_the_orm(org, cycle)
    run = run_tna(cycle=cycle, agency=org["agency"])
    # A partition for the cycle cannot be attached while the default partition holds its rows.
    assert partition(cycle) is None and run.status == "succeeded"
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 36 * COMPETENCIES
    assert CompetencyGap.objects.get(employee=staff, competency=competency).priority != 50
    run_tna(cycle=cycle)
    assert rows_in(TABLE + partitions.DEFAULT_SUFFIX) == 0


def test_a_run_that_fails_while_swapping_keeps_the_previous_partition(monkeypatch):
    cycle = CycleFactory(year=2026)
    build_agency("kab-satu", cycle=cycle)
    first = run_tna(cycle=cycle)
    before = snapshot()

    def failing(cursor, table, name, **kwargs):
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(partitions, "swap_in", failing)
    with pytest.raises(RuntimeError, match="lock timeout"):
        run_tna(cycle=cycle)
    assert partition(cycle) == "%s_r%d" % (TABLE, first.pk)
    assert snapshot() == before
