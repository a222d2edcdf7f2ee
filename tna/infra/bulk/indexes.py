"""A table's plain indexes (and foreign keys on PostgreSQL) dropped for a large load and built again after."""

from contextlib import contextmanager

from django.db import connection

# Below this many rows, keeping indexes and keys up to date row by row costs less than rebuilding.
DEFER_INDEXES_FROM = 100_000


def _rebuildable(cursor, table):
    """(drop, create) statements for ``table``'s plain indexes and, on PostgreSQL, foreign keys.

    Indexes that back a primary key or unique constraint are left out: they keep the data
    sound during the load.
    """
    qn = connection.ops.quote_name
    if connection.vendor == "sqlite":
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL"
            " AND upper(sql) NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
        return [("DROP INDEX %s" % qn(name), sql) for name, sql in cursor.fetchall()]
    if connection.vendor != "postgresql":
        return []
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
        " WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
        [table],
    )
    statements = [("DROP INDEX %s" % qn(name), sql) for name, sql in cursor.fetchall()]
    # A foreign key checks each new row with its own lookup (22 million for 100,000 people's
    # ratings); added back, it checks the whole table in one join.
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    for name, definition in cursor.fetchall():
        statements.append((
            "ALTER TABLE %s DROP CONSTRAINT %s" % (qn(table), qn(name)),
            "ALTER TABLE %s ADD CONSTRAINT %s %s" % (qn(table), qn(name), definition),
        ))
    return statements


@contextmanager
def indexes_deferred(model, *, rows):
    """Drop ``model``'s plain indexes (and foreign keys on PostgreSQL) while ``rows`` rows go in.

    They are built afresh after: once over all the data beats row by row, but only when the new
    rows outnumber those already there; otherwise this does nothing. Unique and primary-key
    indexes stay, so duplicates are still refused during the load, and re-adding a foreign key
    validates every row. Use inside the transaction that writes the rows: a failure rolls the
    drop back with them.
    """
    table = model._meta.db_table
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM %s" % connection.ops.quote_name(table))
        existing = cursor.fetchone()[0]
        statements = _rebuildable(cursor, table) if rows >= DEFER_INDEXES_FROM and rows > existing else []
        if statements and postgres:
            # ALTER TABLE and CREATE INDEX refuse to run while deferred checks on the table are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for drop, _create in statements:
            cursor.execute(drop)
        if statements and postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield
    if not statements:
        return
    with connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _drop, create in statements:
            cursor.execute(create)
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
