"""Backups as docs/deploy.md §13 takes them: deploy/backup, then deploy/restore into a fresh database,
and every cycle's TNA results, the enrollments, certificates and JP credits come back as they were.

The scene is built through the project's services and committed (transactional tests), so the
scripts see it as they would see a site's database: pg_dump reads the test database itself. On
SQLite the test database lives in memory, so SQLite's backup API first writes it to a file, which
plays the site's database: deploy/backup copies it while the last commit of a connection still
open sits in its -wal file only, where a plain cp would lose it.
"""

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from courses.factories import CourseFactory, session_for
from courses.models import Course, Session
from lms.factories import EnrollmentFactory, attend, held_session
from lms.models import Enrollment, EnrollmentStatus
from lms.models.ledger import Certificate, CreditedCompetency, JpCredit
from lms.services.certificates import certificate_revoke
from lms.services.completion import enrollment_complete
from tests.conftest import TRANSACTIONAL
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RatingFactory,
    RequiredLevelFactory,
    UnitFactory,
)
from tna.models import Competency, CompetencyGap, Cycle, Employee, Rating
from tna.services.tna_run import run_tna

ROOT = Path(__file__).resolve().parents[2]
BACKUP, RESTORE = ROOT / "deploy" / "backup", ROOT / "deploy" / "restore"
S = EnrollmentStatus
STAFF, COMPETENCIES, YEARS = 6, 3, (2025, 2026)

POSTGRES = connection.vendor == "postgresql"
PG_TOOLS = all(shutil.which(tool) for tool in ("pg_dump", "pg_restore"))


# --- the scene -------------------------------------------------------------------------------

def build_scene():
    """An agency whose six staff were rated in two cycles and analysed by the real TNA run, a
    course held two weeks ago (two completed with certificates, one of them revoked since, one who
    did not finish) and a session ahead with a seat taken, a place on the waitlist, a request
    waiting and a cancellation."""
    agency = AgencyFactory(code="kab-cadangan", name="Kabupaten Cadangan", time_zone="Asia/Jakarta")
    unit = UnitFactory(agency=agency)
    position = PositionFactory(agency=agency)
    competencies = [CompetencyFactory(code="TK.9%d" % k) for k in range(COMPETENCIES)]
    for competency in competencies:
        RequiredLevelFactory(position=position, competency=competency, level=3)
    staff = [EmployeeFactory(agency=agency, unit=unit, position=position) for _ in range(STAFF)]
    admin = EmployeeFactory(agency=agency, unit=unit, position=PositionFactory(agency=agency), roles=["training_admin"])

    for year in YEARS:
        cycle = CycleFactory(year=year)
        Rating.objects.bulk_create(
            RatingFactory.build(cycle=cycle, ratee=ratee, rater=staff[(i + step) % STAFF], competency=competency,
                                level=1 + (i + k + year) % 4)
            for i, ratee in enumerate(staff) for k, competency in enumerate(competencies) for step in (1, 2, 3)
        )
        run_tna(cycle=cycle)

    course = CourseFactory(agency=agency, jp=24, min_participants=1, competencies=[(competencies[0], 3)])
    held = held_session(course, days=5, label="Angkatan I")
    meetings = list(held.meetings.order_by("number"))
    done, revoked, unfinished = (EnrollmentFactory(employee=person, session=held) for person in staff[:3])
    for enrollment in (done, revoked):
        attend(enrollment, meetings)
        enrollment_complete(enrollment=enrollment, user=admin.user)
    attend(unfinished, meetings[:2])
    Enrollment.objects.filter(pk=unfinished.pk).update(status=S.NOT_COMPLETED)
    certificate_revoke(certificate=Certificate.objects.get(enrollment=revoked), user=admin.user)

    ahead = session_for(course, days=3, capacity=1, label="Angkatan II")
    EnrollmentFactory(employee=staff[3], session=ahead, status=S.ENROLLED)
    EnrollmentFactory(employee=staff[4], session=ahead, status=S.WAITLISTED)
    EnrollmentFactory(employee=staff[5], session=ahead, status=S.REQUESTED)
    EnrollmentFactory(employee=staff[0], session=ahead, status=S.CANCELLED, reason="Tugas luar kota")


# --- what must come back ---------------------------------------------------------------------

def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def snapshot(db):
    """Everything the test compares, read with plain SQL from a DB-API connection ``db`` (psycopg or
    sqlite3), keyed by natural keys (NIP, competency code, year) as well as the ids a restore keeps."""

    def rows(sql):
        cursor = db.cursor()
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]

    gaps = rows(
        f"SELECT c.year, e.nip, k.code, g.required_level, g.observed_level, g.confidence, g.gap, g.priority, "
        f"g.signals, g.leniency_correction, g.raters_peer, g.mean_peer FROM {table(CompetencyGap)} g JOIN {table(Cycle)} c ON c.id = g.cycle_id "
        f"JOIN {table(Employee)} e ON e.id = g.employee_id JOIN {table(Competency)} k ON k.id = g.competency_id "
        f"ORDER BY c.year, e.nip, k.code"
    )
    by_cycle = {}
    for year, _nip, _code, _required, _observed, _confidence, gap, priority, *_rest in gaps:
        count, checksum = by_cycle.get(year, (0, 0.0))
        by_cycle[year] = (count + 1, checksum + 100 * gap + priority)
    return {
        "results by cycle": {year: (count, round(checksum, 6)) for year, (count, checksum) in by_cycle.items()},
        "results": gaps,
        "enrollments": rows(
            f"SELECT e.nip, c.code, s.id, n.status, n.completed_at FROM {table(Enrollment)} n "
            f"JOIN {table(Employee)} e ON e.id = n.employee_id JOIN {table(Session)} s ON s.id = n.session_id "
            f"JOIN {table(Course)} c ON c.id = s.course_id ORDER BY n.id"
        ),
        "certificates": rows(
            f"SELECT t.code, t.number, t.enrollment_id, e.nip, t.revoked, t.issued_at FROM {table(Certificate)} t "
            f"JOIN {table(Enrollment)} n ON n.id = t.enrollment_id JOIN {table(Employee)} e ON e.id = n.employee_id "
            f"ORDER BY t.code"
        ),
        "jp credits": rows(
            f"SELECT e.nip, j.enrollment_id, j.year, j.jp, j.title, j.certificate_number, j.start_date, j.end_date, "
            f"(SELECT count(*) FROM {table(CreditedCompetency)} x WHERE x.credit_id = j.id) "
            f"FROM {table(JpCredit)} j JOIN {table(Employee)} e ON e.id = j.employee_id ORDER BY j.id"
        ),
    }


def assert_the_scene(before):
    """The scene is all there in the source database, so comparing with it proves something."""
    assert before["results by cycle"].keys() == set(YEARS)
    assert all(count == STAFF * COMPETENCIES for count, _ in before["results by cycle"].values())
    assert before["results by cycle"][YEARS[0]] != before["results by cycle"][YEARS[1]]
    assert sorted(status for *_, status, _completed in before["enrollments"]) == sorted(
        [S.COMPLETED, S.COMPLETED, S.NOT_COMPLETED, S.ENROLLED, S.WAITLISTED, S.REQUESTED, S.CANCELLED])
    assert sorted(revoked for *_, revoked, _issued in before["certificates"]) == [False, True]
    assert [(jp, competencies) for _, _, _, jp, _, _, _, _, competencies in before["jp credits"]] == [(24, 1)] * 2


# --- running the scripts ---------------------------------------------------------------------

def script_environment(tmp_path, database_url, **more):
    """The production environment the deploy/ scripts run with, from variables (no environment file)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "LATIH_"))}
    environment.update({
        "LATIH_ENV_FILE": str(tmp_path / "no-such.env"),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "backup-restore-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "latih.example.go.id",
        "LATIH_BASE_URL": "https://latih.example.go.id",
        "EMAIL_HOST": "smtp.example.go.id",
        "DEFAULT_FROM_EMAIL": "latih@example.go.id",
        "DATABASE_URL": database_url,
        "LATIH_BACKUP_DIR": str(tmp_path / "backups"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        **more,
    })
    return environment


def run(script, *args, env, expect=0):
    done = subprocess.run([str(script), *map(str, args)], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == expect, "%s exited %d\n%s%s" % (script.name, done.returncode, done.stdout, done.stderr)
    return done.stdout + done.stderr


def with_uploads(tmp_path):
    """A document in MEDIA_ROOT for the backup to carry."""
    document = tmp_path / "media" / "documents" / "surat-tugas.pdf"
    document.parent.mkdir(parents=True)
    document.write_bytes(b"%PDF-1.4 surat tugas")
    (tmp_path / "backups").mkdir()
    return document


def backed_up(tmp_path, suffix):
    [database] = (tmp_path / "backups").glob("latih-*" + suffix)
    [media] = (tmp_path / "backups").glob("latih-*-media.tar.gz")
    return database, media


def assert_restored(output, restored_media):
    assert "system checks passed on the restored database" in output
    assert "every migration of this release is applied" in output
    assert "TNA results by cycle: %d: %d, %d: %d; 7 enrollments, 2 certificates, 2 JP credits" % (
        YEARS[0], STAFF * COMPETENCIES, YEARS[1], STAFF * COMPETENCIES) in output
    assert (restored_media / "documents" / "surat-tugas.pdf").read_bytes() == b"%PDF-1.4 surat tugas"


# --- PostgreSQL ------------------------------------------------------------------------------

def postgres_url(name):
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="") + (":" + quote(s["PASSWORD"], safe="") if s["PASSWORD"] else "")
    where = (credentials + "@" if credentials else "") + (s["HOST"] or "") + (":%s" % s["PORT"] if s["PORT"] else "")
    return "postgres://%s/%s" % (where, name)


@TRANSACTIONAL
@pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL round trip needs the suite on PostgreSQL: set "
                    "DATABASE_URL=postgres://postgres@127.0.0.1:5432/latih_backup_t")
@pytest.mark.skipif(not PG_TOOLS, reason="needs pg_dump and pg_restore on PATH (Debian: postgresql-client)")
def test_a_postgresql_backup_restores_into_a_fresh_database_with_everything_intact(tmp_path):
    import psycopg

    build_scene()
    with_uploads(tmp_path)
    source = postgres_url(connection.settings_dict["NAME"])
    restored_name = "latih_backup_restore_%d" % os.getpid()
    restored = postgres_url(restored_name)
    maintenance = psycopg.connect(postgres_url("postgres"), autocommit=True)
    try:
        maintenance.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % restored_name)
        output = run(BACKUP, env=script_environment(tmp_path, source))
        dump, media = backed_up(tmp_path, ".dump")
        assert "backup: %s" % dump in output and "with 1 files" in output
        maintenance.execute("CREATE DATABASE %s" % restored_name)

        restore_environment = script_environment(tmp_path, source, DJANGO_MEDIA_ROOT=str(tmp_path / "restored-media"))
        output = run(RESTORE, "--media", media, dump, restored, env=restore_environment)
        assert "restored into PostgreSQL database %s" % restored_name in output
        assert_restored(output, tmp_path / "restored-media")

        with psycopg.connect(source) as before_db, psycopg.connect(restored) as after_db:
            before, after = snapshot(before_db), snapshot(after_db)
            assert_the_scene(before)
            assert after["results by cycle"] == before["results by cycle"]
            assert after == before
            # The results stay partitioned by cycle (a default partition and one per cycle).
            partitions = ("SELECT pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c "
                          "ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY 1")
            [after_partitions, before_partitions] = [
                db.execute(partitions, [CompetencyGap._meta.db_table]).fetchall() for db in (after_db, before_db)]
            assert after_partitions == before_partitions and len(after_partitions) == 1 + len(YEARS)
            # New rows go on from each table's last id, not into a primary key already taken.
            sequences = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
            assert after_db.execute(sequences).fetchall() == before_db.execute(sequences).fetchall()

        # Restoring again over what is now there is refused, and done with --force (pg_restore
        # --clean alone cannot: it fails on the result partitions' keys).
        with psycopg.connect(restored) as after_db:
            after_db.execute(f"UPDATE {table(Certificate)} SET revoked = NOT revoked")
            after_db.execute(f"DELETE FROM {table(CompetencyGap)} WHERE gap > 0")
        refused = run(RESTORE, dump, restored, env=restore_environment, expect=1)
        assert "already holds" in refused and "--force" in refused
        output = run(RESTORE, "--force", dump, restored, env=restore_environment)
        assert "restoring over %s" % restored_name in output and "every migration" in output
        with psycopg.connect(source) as before_db, psycopg.connect(restored) as after_db:
            assert snapshot(after_db) == snapshot(before_db)
    finally:
        maintenance.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % restored_name)
        maintenance.close()


# --- SQLite ----------------------------------------------------------------------------------

def sqlite_connect(path):
    """A plain sqlite3 connection with the functions Django adds (the site's CHECKs call REGEXP)."""
    from django.db.backends.sqlite3._functions import register

    db = sqlite3.connect(path)
    register(db)
    return db


@TRANSACTIONAL
@pytest.mark.skipif(POSTGRES, reason="the SQLite round trip runs when the suite runs on SQLite (without DATABASE_URL)")
def test_a_sqlite_backup_taken_while_the_site_writes_restores_with_everything_intact(tmp_path):
    build_scene()
    with_uploads(tmp_path)
    site = tmp_path / "latih.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(site)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    with closing(sqlite_connect(site)) as db:
        assert_the_scene(snapshot(db))
    # The site is writing: its last commit sits in the -wal file, not yet in the database file.
    writer = sqlite_connect(site)
    try:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        with writer:
            writer.execute(f"UPDATE {table(Certificate)} SET revoked = 1")
        shutil.copy(site, tmp_path / "copied-with-cp.sqlite3")
        with closing(sqlite_connect(site)) as live, closing(sqlite_connect(tmp_path / "copied-with-cp.sqlite3")) as copied:
            before = snapshot(live)
            assert snapshot(copied)["certificates"] != before["certificates"], "cp would have lost the last commit"

        output = run(BACKUP, env=script_environment(tmp_path, "sqlite:///%s" % site))
        backup, media = backed_up(tmp_path, ".sqlite3")
        assert "backup: %s" % backup in output and "integrity ok" in output
        restored = tmp_path / "restored" / "latih.sqlite3"
        restored.parent.mkdir()
        restore_environment = script_environment(tmp_path, "sqlite:///%s" % site,
                                                 DJANGO_MEDIA_ROOT=str(tmp_path / "restored-media"))
        output = run(RESTORE, "--media", media, backup, "sqlite:///%s" % restored, env=restore_environment)
        assert "restored into SQLite database %s" % restored in output
        assert_restored(output, tmp_path / "restored-media")
    finally:
        writer.close()

    with closing(sqlite_connect(restored)) as db:
        after = snapshot(db)
    assert sorted(revoked for *_, revoked, _issued in after["certificates"]) == [1, 1]
    assert after["results by cycle"] == before["results by cycle"]
    assert after == before


# --- the scripts' own rules (quick, on any engine) -----------------------------------------

def tiny_sqlite(path):
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE t (x integer)")
    return path


def test_restore_refuses_a_database_that_already_holds_tables_or_a_backup_of_the_other_engine(tmp_path):
    target = tiny_sqlite(tmp_path / "site.sqlite3")
    backup = tiny_sqlite(tmp_path / "latih-20260101-0100.sqlite3")
    environment = script_environment(tmp_path, "sqlite:///%s" % target)
    output = run(RESTORE, backup, env=environment, expect=1)
    assert "already holds 1 tables" in output and "--force" in output
    dump = tmp_path / "latih-20260101-0100.dump"
    dump.write_bytes(b"PGDMP")
    assert "PostgreSQL takes a .dump, SQLite a .sqlite3" in run(RESTORE, dump, env=environment, expect=1)
    assert "usage: deploy/restore" in run(RESTORE, env=environment, expect=2)


def test_backup_keeps_fourteen_days_of_backups_and_nothing_else_is_touched(tmp_path):
    site = tiny_sqlite(tmp_path / "site.sqlite3")
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent, unrelated = ([backups / "latih-20260101-0100.dump", backups / "latih-20260101-0100-media.tar.gz"],
                              [backups / "latih-20260110-0100.sqlite3"], [backups / "notes.txt"])
    for path, days in [*((p, 15) for p in old), *((p, 13) for p in recent), *((p, 400) for p in unrelated)]:
        path.write_bytes(b"x")
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime - days * 86400))

    output = run(BACKUP, env=script_environment(tmp_path, "sqlite:///%s" % site))

    assert [p.exists() for p in old + recent + unrelated] == [False, False, True, True]
    assert output.count("older than 14 days") == 2
    assert "no uploads to keep" in output
    [new] = [p for p in backups.glob("latih-*.sqlite3") if p not in recent]
    assert oct(new.stat().st_mode & 0o777) == "0o600"
    with closing(sqlite3.connect(new)) as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
