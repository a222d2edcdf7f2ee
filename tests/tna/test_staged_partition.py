"""On PostgreSQL, outside a transaction, a whole-cycle run loads its partition over several connections first."""

import threading

import pytest
from django.db import connection

from tests.conftest import TRANSACTIONAL
from tests.tna.test_tna_run import COMPETENCIES, build_agency, snapshot
from tna.factories import CycleFactory
from tna.infra.bulk import columns, partitions
from tna.models import CompetencyGap, TnaRun
from tna.services import tna_run
from tna.services.tna_run import run_tna

pytestmark = [
    TRANSACTIONAL,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="staged partitions are PostgreSQL's (set DATABASE_URL)"),
]
TABLE = CompetencyGap._meta.db_table
PREFIX = TABLE + "_r"


def tables_named(prefix, *, cycle=None):
    """Tables named ``prefix`` + a number that are no partition, or (``cycle``) the cycle's partition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_class c "
            "LEFT JOIN pg_inherits i ON i.inhrelid = c.oid WHERE c.relkind = 'r' AND c.relname LIKE %s "
            "ORDER BY c.relname", [prefix + "%"],
        )
        rows = [(name, bound) for name, bound in cursor.fetchall() if name[len(prefix):].isdigit()]
    if cycle is None:
        return [name for name, bound in rows if bound is None]
    return [name for name, bound in rows if bound == "FOR VALUES IN ('%d')" % cycle.pk]


def staging_locks_held():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [partitions.STAGING_LOCK],
        )
        return cursor.fetchone()[0]


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 50 rows, so each of the two connections loads several."""
    monkeypatch.setattr(tna_run, "WRITE_CHUNK", 50)


def test_a_staged_run_writes_what_a_run_inside_a_transaction_writes(small_chunks, monkeypatch):
    cycle = CycleFactory(year=2026)
    build_agency("kab-satu", cycle=cycle)
    build_agency("kab-dua", cycle=cycle, lenient=False)
    loads = []
    original = columns.copy_in_parallel

    def spy(*args, **kwargs):
        loads.append(kwargs["workers"])
        return original(*args, **kwargs)

    monkeypatch.setattr(tna_run, "copy_in_parallel", spy)
    monkeypatch.setattr(tna_run, "WRITE_WORKERS", 1)  # first the single connection, in the transaction
    single = run_tna(cycle=cycle)
    expected = snapshot(cycle=cycle)
    monkeypatch.setattr(tna_run, "WRITE_WORKERS", 2)
    staged = run_tna(cycle=cycle)

    assert loads == [2] and staged.status == TnaRun.Status.SUCCEEDED
    assert snapshot(cycle=cycle) == expected and len(expected) == 72 * COMPETENCIES
    with connection.cursor() as cursor:
        assert partitions.partition_of(cursor, TABLE, cycle.pk) == "%s%d" % (PREFIX, staged.pk)
    assert tables_named(PREFIX, cycle=cycle) == ["%s%d" % (PREFIX, staged.pk)]  # the first run's went
    assert tables_named(PREFIX) == []  # nothing staged is left
    assert single.pk != staged.pk and staging_locks_held() == 0


def test_a_run_that_fails_while_loading_drops_its_staged_table_and_keeps_the_results(small_chunks, monkeypatch):
    cycle = CycleFactory(year=2026)
    build_agency("kab-satu", cycle=cycle)
    first = run_tna(cycle=cycle)
    before = snapshot(cycle=cycle)
    calls = []
    original = tna_run._ResultRows.chunk

    def failing(self, start, stop):
        calls.append(start)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(self, start, stop)

    monkeypatch.setattr(tna_run._ResultRows, "chunk", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        run_tna(cycle=cycle)
    failed = TnaRun.objects.latest("pk")
    assert failed.status == TnaRun.Status.FAILED and "disk full" in failed.error
    assert snapshot(cycle=cycle) == before
    assert tables_named(PREFIX, cycle=cycle) == ["%s%d" % (PREFIX, first.pk)]
    assert tables_named(PREFIX) == [] and staging_locks_held() == 0


def test_a_table_left_by_a_dead_loader_is_dropped_but_one_being_loaded_is_not():
    import psycopg

    settings = connection.settings_dict
    with connection.cursor() as cursor:
        partitions.fresh(cursor, TABLE, PREFIX + "900001", key="cycle_id", value=1)  # its loader died: nobody holds its lock
    dsn = "host=%s port=%s dbname=%s user=%s" % (settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432,
                                                  settings["NAME"], settings["USER"])
    with psycopg.connect(dsn, autocommit=True, password=settings["PASSWORD"] or None) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [partitions.STAGING_LOCK, 900002])
        other.execute("CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS)" % (PREFIX + "900002", TABLE))
        assert partitions.drop_abandoned(TABLE, PREFIX) == [PREFIX + "900001"]
        assert tables_named(PREFIX) == [PREFIX + "900002"]
        other.execute("SELECT pg_advisory_unlock(%s, %s)", [partitions.STAGING_LOCK, 900002])
    assert partitions.drop_abandoned(TABLE, PREFIX) == [PREFIX + "900002"]
    assert tables_named(PREFIX) == []


def test_agency_runs_side_by_side_create_their_cycle_one_partition():
    cycle = CycleFactory(year=2026)
    agencies = [build_agency(code, cycle=cycle)["agency"] for code in ("kab-satu", "kab-dua", "kab-tiga")]
    barrier, names, errors = threading.Barrier(len(agencies)), [], []

    def ensure():
        try:
            barrier.wait()
            names.append(partitions.ensure(TABLE, key="cycle_id", value=cycle.pk))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ensure) for _ in agencies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and names == ["%s_c%d" % (TABLE, cycle.pk)] * len(agencies)
    for agency in agencies:
        assert run_tna(cycle=cycle, agency=agency).status == TnaRun.Status.SUCCEEDED
    assert CompetencyGap.objects.filter(cycle=cycle).count() == 3 * 36 * COMPETENCIES
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM %s" % connection.ops.quote_name(TABLE + partitions.DEFAULT_SUFFIX))
        assert cursor.fetchone()[0] == 0
