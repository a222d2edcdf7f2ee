"""A cycle's results as one PostgreSQL partition, replaced whole by a run (migration tna 0009).

``fresh`` creates an empty table shaped like the result table; the run copies its rows into it;
``swap_in`` gives it the result table's keys and indexes (built once over the loaded rows, far
cheaper than maintaining five indexes row by row) and puts it in place of the cycle's previous
partition. Everything happens inside the run's transaction: until it commits, readers see the
previous results, and a failure anywhere leaves them as they were. Readers wait only for the
detach-and-attach at the very end.
"""

from django.db import connection

DEFAULT_SUFFIX = "_default"


def is_partitioned(table):
    """Whether ``table`` is a partitioned table (PostgreSQL after migration tna 0009)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def fresh(cursor, table, name):
    """Create ``name``: the columns, defaults, NOT NULLs and CHECKs of ``table``, nothing else."""
    cursor.execute("CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)" % (_q(name), _q(table)))


def swap_in(cursor, table, name, cycle_id):
    """Make ``name`` (loaded with rows of ``cycle_id`` only) the partition of ``table`` for that cycle.

    Drops the cycle's previous partition and deletes the cycle's rows from the default partition
    (rows the ORM put there). Returns the name of the dropped partition, or None.
    """
    for i, (kind, definition) in enumerate(_keys_and_indexes(cursor, table)):
        label = _q("%s_%d" % (name, i))
        if kind == "i":
            cursor.execute("CREATE INDEX %s ON %s USING %s" % (label, _q(name), definition))
        else:
            cursor.execute("ALTER TABLE %s ADD CONSTRAINT %s %s" % (_q(name), label, definition))
    # Proves the partition bound, so ATTACH needs no scan while it holds the lock.
    cursor.execute("ALTER TABLE %s ADD CONSTRAINT %s CHECK (cycle_id IS NOT NULL AND cycle_id = %d)"
                   % (_q(name), _q(name + "_cycle"), int(cycle_id)))
    cursor.execute("ANALYZE %s" % _q(name))
    previous = partition_of(cursor, table, cycle_id)
    if previous:
        cursor.execute("ALTER TABLE %s DETACH PARTITION %s" % (_q(table), _q(previous)))
        cursor.execute("DROP TABLE %s" % _q(previous))
    cursor.execute("DELETE FROM %s WHERE cycle_id = %%s" % _q(table + DEFAULT_SUFFIX), [cycle_id])
    cursor.execute("ALTER TABLE %s ATTACH PARTITION %s FOR VALUES IN (%d)" % (_q(table), _q(name), int(cycle_id)))
    return previous


def partition_of(cursor, table, cycle_id):
    """The name of ``table``'s partition for ``cycle_id`` (not the default one), or None."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass AND pg_get_expr(c.relpartbound, c.oid) = %s",
        [table, "FOR VALUES IN ('%d')" % int(cycle_id)],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _keys_and_indexes(cursor, table):
    """(kind, definition) of ``table``'s primary key, unique constraints, foreign keys and plain indexes."""
    cursor.execute(
        "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname", [table],
    )
    items = list(cursor.fetchall())
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
        "ORDER BY c.relname", [table],
    )
    items += [("i", definition.split(" USING ", 1)[1]) for (definition,) in cursor.fetchall()]
    return items


def _q(name):
    return connection.ops.quote_name(name)
