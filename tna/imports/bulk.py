"""Bulk INSERT and UPDATE of validated rows with one ``executemany`` per chunk.

Why not ``bulk_create``/``bulk_update``: on SQLite Django batches them at 999 parameters (90 users
per INSERT) and spends about 10 µs preparing each value, ~90 s for a 100,000-person file;
``bulk_update`` builds a CASE per field. The imports have already validated and converted every
value, so they hand over tuples in database form and let the driver do the rest. Table and column
names come from the model's ``_meta`` and are quoted by the backend; values are always parameters.
"""

from django.db import connection
from django.db.models.constants import OnConflict
from django.utils import timezone

from ..infra.cells import chunked

CHUNK = 10_000


def db_now():
    """``timezone.now()`` as the database stores it (SQLite wants text, PostgreSQL a datetime)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def _columns(model, fields):
    quote = connection.ops.quote_name
    return [quote(model._meta.get_field(f).column) for f in fields]


def insert_rows(model, fields, rows, *, ignore_conflicts=False):
    """INSERT ``rows`` (tuples ordered like ``fields``); conflicting rows are skipped if asked."""
    if not rows:
        return
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    sql = "%s %s (%s) VALUES (%s)" % (
        connection.ops.insert_statement(on_conflict=on_conflict),
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(_columns(model, fields)),
        ", ".join(["%s"] * len(fields)),
    )
    suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    if suffix:
        sql += " " + suffix
    with connection.cursor() as cursor:
        for chunk in chunked(rows, CHUNK):
            cursor.executemany(sql, chunk)


def update_rows(model, fields, rows):
    """UPDATE by primary key: each row is ``(*values in fields order, pk)``."""
    if not rows:
        return
    sql = "UPDATE %s SET %s WHERE %s = %%s" % (
        connection.ops.quote_name(model._meta.db_table),
        ", ".join("%s = %%s" % column for column in _columns(model, fields)),
        connection.ops.quote_name(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        for chunk in chunked(rows, CHUNK):
            cursor.executemany(sql, chunk)


def max_pk(model):
    """The highest primary key now stored (0 if none): rows inserted after it have larger keys."""
    last = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def delete_rows(model, pks):
    for chunk in chunked(pks):
        model._default_manager.filter(pk__in=chunk).delete()
