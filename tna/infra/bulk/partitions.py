"""A fresh table loaded in bulk and swapped in as one list partition of a PostgreSQL table.

``fresh`` creates an empty table shaped like the partitioned one; the caller copies its rows into
it; ``swap_in`` gives it the parent's keys and indexes (built once over the loaded rows, far
cheaper than maintaining them row by row) and puts it in place of the key value's previous
partition. Everything happens inside the caller's transaction: until it commits, readers see the
previous rows, and a failure anywhere leaves them as they were. Readers wait only for the
detach-and-attach at the very end. The result table is partitioned so by migration tna 0009.
"""

from django.db import connection, transaction

DEFAULT_SUFFIX = "_default"


def is_partitioned(table):
    """Whether ``table`` is a partitioned table (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def fresh(cursor, table, name, *, key, value):
    """Create ``name``: the columns, defaults, NOT NULLs and CHECKs of ``table``, nothing else,
    and a CHECK that its integer ``key`` column is ``value``.

    That CHECK proves the partition bound, so ATTACH needs no scan of ``name`` while it holds
    its lock; made with the empty table, it is checked as rows arrive instead of by a scan of
    millions of rows at the end.
    """
    cursor.execute("CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)" % (_q(name), _q(table)))
    cursor.execute("ALTER TABLE %s ADD CONSTRAINT %s CHECK (%s IS NOT NULL AND %s = %d)"
                   % (_q(name), _q(name + "_" + key.removesuffix("_id")), _q(key), _q(key), int(value)))


# Advisory lock class of staged tables: (STAGING_LOCK, run id) is held by the session staging it.
STAGING_LOCK = 0x4C54_4E41


def stage(table, name, owner, *, key, value):
    """Create ``name`` like ``fresh`` but committed, for loading over several connections.

    Readers never see it: it is no partition until ``swap_in`` attaches it, inside the caller's
    final transaction. The caller's session holds the advisory lock (``STAGING_LOCK``, ``owner``)
    until ``unstage``, so ``drop_abandoned`` can tell a table still being loaded from one a
    crashed process left behind. Must run outside a transaction.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [STAGING_LOCK, int(owner)])
        fresh(cursor, table, name, key=key, value=value)


def unstage(name, owner, *, drop):
    """Release the staging lock of ``owner``; drop ``name`` too (a failed run) if ``drop``."""
    with connection.cursor() as cursor:
        if drop:
            cursor.execute("DROP TABLE IF EXISTS %s" % _q(name))
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [STAGING_LOCK, int(owner)])


def drop_abandoned(table, prefix):
    """Drop the tables named ``prefix`` + a number that are no partition of ``table`` and whose
    staging lock no session holds (left by a process that died while loading). Returns their names."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' AND c.relname ~ %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid AND i.inhparent = %s::regclass)",
            ["^%s[0-9]+$" % prefix, table],
        )
        dropped = []
        for (name,) in cursor.fetchall():
            owner = int(name[len(prefix):])
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [STAGING_LOCK, owner])
            if cursor.fetchone()[0]:
                cursor.execute("DROP TABLE IF EXISTS %s" % _q(name))
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [STAGING_LOCK, owner])
                dropped.append(name)
    return dropped


def swap_in(cursor, table, name, *, key, value):
    """Make ``name`` (made by ``fresh`` or ``stage`` for ``key`` and ``value``, then loaded) the
    partition of ``table`` for ``value``.

    Drops the previous partition for ``value`` and deletes its rows from the default partition
    (rows written by other means). Returns the name of the dropped partition, or None.

    The index builds use the server's maintenance_work_mem: measured over 11.7 million result
    rows, the default 64 MB (one parallel worker) built the unique index in 4.5 s, 256 MB in
    5.0 s, and without the worker 6.9–7.5 s.
    """
    _prepare(cursor, table, name)
    cursor.execute("ANALYZE %s" % _q(name))
    _lock_parent(cursor, table)
    previous = partition_of(cursor, table, value)
    if previous:
        # Rows written into it earlier in this transaction still owe their deferred key checks, and
        # a table with checks pending cannot be dropped: run them now, as Django's own
        # check_constraints does (it leaves every deferrable constraint deferred again).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("ALTER TABLE %s DETACH PARTITION %s" % (_q(table), _q(previous)))
        cursor.execute("DROP TABLE %s" % _q(previous))
    cursor.execute("DELETE FROM %s WHERE %s = %%s" % (_q(table + DEFAULT_SUFFIX), _q(key)), [value])
    cursor.execute("ALTER TABLE %s ATTACH PARTITION %s FOR VALUES IN (%d)" % (_q(table), _q(name), int(value)))
    return previous


# Advisory lock class of a key value whose partition is being created by ``ensure``.
PARTITION_LOCK = 0x4C54_4E42


def ensure(table, *, key, value):
    """Give ``value`` an empty partition of ``table`` of its own, unless it has one already.

    For rows written row by row (one agency's TNA run): without it they would land in the default
    partition, which a later ``swap_in`` would have to delete them from one by one, and whose
    dead rows its ATTACH would then scan. Called before the writer's own transaction, so the
    brief lock on the default partition that attaching takes ends at once. Two writers of one
    value wait for each other on an advisory lock, and the second finds the first's partition.

    Returns the partition's name, or None when the default partition already holds rows for
    ``value`` (written before partitions were made this way): those stay there until the next
    ``swap_in`` of ``value``.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        existing = partition_of(cursor, table, value)
        if existing:
            return existing
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [PARTITION_LOCK, int(value)])
        existing = partition_of(cursor, table, value)  # a statement of its own sees what committed meanwhile
        if existing:
            return existing
        _lock_parent(cursor, table)
        cursor.execute("SELECT EXISTS (SELECT 1 FROM %s WHERE %s = %%s)" % (_q(table + DEFAULT_SUFFIX), _q(key)),
                       [value])
        if cursor.fetchone()[0]:
            return None
        name = "%s_c%d" % (table, int(value))
        fresh(cursor, table, name, key=key, value=value)
        _prepare(cursor, table, name)
        cursor.execute("ALTER TABLE %s ATTACH PARTITION %s FOR VALUES IN (%d)" % (_q(table), _q(name), int(value)))
        return name


def _prepare(cursor, table, name):
    """Give ``name`` the keys and indexes of ``table``."""
    for i, (kind, definition) in enumerate(_keys_and_indexes(cursor, table)):
        label = _q("%s_%d" % (name, i))
        if kind == "i":
            cursor.execute("CREATE INDEX %s ON %s USING %s" % (label, _q(name), definition))
        else:
            cursor.execute("ALTER TABLE %s ADD CONSTRAINT %s %s" % (_q(name), label, definition))


def _lock_parent(cursor, table):
    """Take the partitioned table's lock that ATTACH takes, before touching the default partition.

    Attaching locks the parent, then the default partition. A writer that touched the default
    partition first (a DELETE) and then attached would deadlock with another attaching in the
    usual order. The lock admits readers and row writers, not another attach or detach.
    """
    cursor.execute("LOCK TABLE ONLY %s IN SHARE UPDATE EXCLUSIVE MODE" % _q(table))


def partition_of(cursor, table, value):
    """The name of ``table``'s partition for ``value`` (not the default one), or None."""
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass AND pg_get_expr(c.relpartbound, c.oid) = %s",
        [table, "FOR VALUES IN ('%d')" % int(value)],
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
