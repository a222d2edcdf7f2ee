"""Rows given as tuples, inserted and updated in bulk: COPY on PostgreSQL, executemany elsewhere.

Why not ``bulk_create``/``bulk_update``: on SQLite Django batches them at 999 parameters (90 users
per INSERT) and spends about 10 µs preparing each value, ~90 s for a 100,000-person file;
``bulk_update`` builds a CASE per field. The callers have already validated and converted every
value, so they hand over tuples in database form and let the driver do the rest.
"""

from itertools import chain, islice

from django.db import connection
from django.db.models.constants import OnConflict
from django.utils import timezone

# Rows per executemany.
BATCH = 50_000


def db_now():
    """``timezone.now()`` as the database stores it (SQLite wants text, PostgreSQL a datetime)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def insert_rows(model, fields, rows, *, ignore_conflicts=False):
    """Insert ``rows`` (tuples in the order of ``fields``, model field names) into ``model``'s table.

    On PostgreSQL the rows go through one COPY, unless ``ignore_conflicts``: then, as elsewhere,
    through INSERTs that skip a row a unique constraint refuses. Values must be database-ready
    (ids for foreign keys, ``db_now()`` for datetimes). Returns the number of rows given.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = chain([first], rows)
    table, columns = _names(model, fields)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not ignore_conflicts:
            from psycopg import sql

            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
            )
            # Django's exceptions, as its own cursor would raise them (IntegrityError…).
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        qn = connection.ops.quote_name
        statement = "%s %s (%s) VALUES (%s)" % (
            connection.ops.insert_statement(on_conflict=on_conflict),
            qn(table), ", ".join(map(qn, columns)), ", ".join(["%s"] * len(columns)),
        )
        suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
        if suffix:
            statement += " " + suffix
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(statement, batch)
            written += len(batch)
    return written


def update_rows(model, fields, rows):
    """UPDATE ``model``'s rows by primary key: each row is ``(*values in fields order, pk)``."""
    rows = iter(rows)
    table, columns = _names(model, fields)
    qn = connection.ops.quote_name
    statement = "UPDATE %s SET %s WHERE %s = %%s" % (
        qn(table), ", ".join("%s = %%s" % qn(column) for column in columns), qn(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(statement, batch)


def max_pk(model):
    """The highest primary key now stored (0 if none): rows inserted after it have larger keys."""
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _names(model, fields):
    """``model``'s table and the columns of ``fields``, unquoted."""
    meta = model._meta
    return meta.db_table, [meta.get_field(name).column for name in fields]
