"""What deploy/backup and deploy/restore ask Python: a DATABASE_URL read as Django reads it, SQLite's
online backup, and whether a database already holds tables.

    database.py engine URL              "postgresql NAME" or "sqlite3 PATH"
    database.py tables URL              how many tables the database holds (0: empty or missing)
    database.py sqlite-copy FROM TO     copy one SQLite database onto another and check the copy

A SQLite file must never be copied with cp while the site may write: a copy can catch a page half
written, and misses what still sits in the -wal file. SQLite's backup API copies a consistent
snapshot page by page while the site reads and writes on (it is what the sqlite3 shell's
``.backup`` does).
"""

import argparse
import sqlite3
import sys
from pathlib import Path

import dj_database_url

ENGINES = {"django.db.backends.postgresql": "postgresql", "django.db.backends.sqlite3": "sqlite3"}


class Refused(Exception):
    pass


def engine(url):
    """``(engine, name)`` of ``url``: ``postgresql`` and the database's name, or ``sqlite3`` and its file."""
    config = dj_database_url.parse(url)
    kind = ENGINES.get(config["ENGINE"])
    if kind is None:
        raise Refused("%s: only PostgreSQL (postgres://…) and SQLite (sqlite:///…) databases are backed up" % url)
    if kind == "sqlite3" and config["NAME"] in ("", ":memory:"):
        raise Refused("%s: an in-memory database has nothing to back up" % url)
    return kind, config["NAME"]


def table_count(url):
    """The tables in ``url``'s database outside PostgreSQL's own schemas; 0 for a missing SQLite file."""
    kind, name = engine(url)
    if kind == "sqlite3":
        if not Path(name).exists() or Path(name).stat().st_size == 0:
            return 0
        with _sqlite(name) as db:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    import psycopg

    try:
        # libpq reads the URL as pg_dump and pg_restore do.
        db = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as error:
        raise Refused("cannot connect to PostgreSQL database %s (create it first: createdb --owner latih %s): %s"
                      % (name, name, str(error).strip())) from error
    with db:
        return db.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%'"
        ).fetchone()[0]


def sqlite_copy(source, target, *, journal_mode):
    """Copy the SQLite database ``source`` onto ``target`` (replacing all of it) with the backup API,
    leave ``target`` in ``journal_mode`` and check it; returns the number of tables copied."""
    if not Path(source).is_file():
        raise Refused("%s: no such SQLite database" % source)
    with _sqlite(source) as src, _sqlite(target) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=%s" % {"delete": "DELETE", "wal": "WAL"}[journal_mode])
        problems = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise Refused("%s: the copy fails SQLite's integrity check: %s" % (target, "; ".join(problems[:5])))
        return dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


class _sqlite:
    """A connection closed on leaving (sqlite3's own context manager only commits)."""

    def __init__(self, path):
        self.db = sqlite3.connect(path)
        # The functions Django gives its own connections: the site's CHECK constraints call REGEXP,
        # and integrity_check evaluates them.
        from django.db.backends.sqlite3._functions import register

        register(self.db)
        # The site may hold the write lock for a while (a TNA run); wait as the site itself does.
        self.db.execute("PRAGMA busy_timeout = 20000")

    def __enter__(self):
        return self.db

    def __exit__(self, *exc):
        self.db.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("engine").add_argument("url")
    commands.add_parser("tables").add_argument("url")
    copy = commands.add_parser("sqlite-copy")
    copy.add_argument("source")
    copy.add_argument("target")
    copy.add_argument("--journal-mode", choices=["delete", "wal"], default="delete")
    args = parser.parse_args(argv)
    try:
        if args.command == "engine":
            print(*engine(args.url))
        elif args.command == "tables":
            print(table_count(args.url))
        else:
            print(sqlite_copy(args.source, args.target, journal_mode=args.journal_mode))
    except Refused as refused:
        print("latih: %s" % refused, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
