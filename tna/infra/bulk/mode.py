"""SQLite settings for the length of a bulk write: a large page cache, CHECK constraints if the caller asks."""

from contextlib import contextmanager

from django.db import connection

CACHE_SIZE = -262_144  # negative: KiB, so 256 MiB


@contextmanager
def bulk_write_mode(*, ignore_check_constraints=False):
    """On SQLite, a large page cache while bulk writing (fewer spills to the WAL); elsewhere nothing.

    With ``ignore_check_constraints`` SQLite also leaves the tables' CHECK constraints unevaluated
    row by row: the caller has verified the values at once. Both are restored on leaving.
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = %d" % CACHE_SIZE)
        if ignore_check_constraints:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if ignore_check_constraints:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
            cursor.execute("PRAGMA cache_size = %d" % previous)
