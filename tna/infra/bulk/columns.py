"""Rows given as NumPy column arrays, written in bulk: one binary COPY on PostgreSQL, executemany elsewhere."""

import numpy as np
from django.db import connection

from .pgbinary import SIGNATURE, TRAILER, WIRE, copy_tuples


def column_writer(cursor, model, fields, *, constants=None, table=None):
    """A context manager whose ``write(chunk)`` inserts a chunk of rows into ``model``'s table.

    ``fields`` are model field names in writing order; ``constants`` maps some of them to one
    value for every row; ``chunk`` maps each of the others to an equal-length array. A nullable
    field is NULL where its array holds NaN (floats) or a negative number (integers). Values
    must be database-ready (ids for foreign keys). ``table`` is another table shaped like the
    model's (a partition being loaded).

    On PostgreSQL all chunks go through one ``COPY ... FROM STDIN``: binary, laid out by NumPy
    (``pgbinary``), when every column is an integer or a float; as text otherwise. Elsewhere
    each chunk is one ``executemany``. Leaving the block on an exception abandons the COPY.
    """
    layout = _Layout(model, fields, constants or {})
    table = table or model._meta.db_table
    if connection.vendor == "postgresql":
        return _CopyWriter(cursor, layout, table)
    return _InsertWriter(cursor, layout, table)


class _Layout:
    """The columns in writing order: each field, its name and column, and what a chunk gives for it."""

    def __init__(self, model, fields, constants):
        meta = model._meta
        self.names = list(fields)
        self.fields = [meta.get_field(name) for name in self.names]
        self.columns = [field.column for field in self.fields]
        self.constants = constants

    def size(self, chunk):
        return len(next(iter(chunk.values())))

    def nulls(self, chunk):
        """Per field: a boolean array marking NULLs, or None when the field has none."""
        masks = []
        for field, name in zip(self.fields, self.names, strict=True):
            values = None if name in self.constants or not field.null else np.asarray(chunk[name])
            if values is None or values.dtype.kind not in "fiu":
                masks.append(None)  # constant, NOT NULL, or already holding None
            else:
                masks.append(np.isnan(values) if values.dtype.kind == "f" else values < 0)
        return masks

    def rows(self, chunk):
        """The chunk as tuples of Python values, None for NULL."""
        n = self.size(chunk)
        values = []
        for name, null in zip(self.names, self.nulls(chunk), strict=True):
            if name in self.constants:
                values.append([self.constants[name]] * n)
                continue
            column = np.asarray(chunk[name])
            if null is not None and null.any():
                column = column.astype(object)
                column[null] = None
            values.append(column.tolist())
        return zip(*values, strict=True)


class _InsertWriter:
    """One ``executemany`` of INSERTs per chunk."""

    def __init__(self, cursor, layout, table):
        qn = connection.ops.quote_name
        self.cursor, self.layout = cursor, layout
        self.statement = "INSERT INTO %s (%s) VALUES (%s)" % (
            qn(table), ", ".join(map(qn, layout.columns)), ", ".join(["%s"] * len(layout.columns)),
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, chunk):
        self.cursor.executemany(self.statement, self.layout.rows(chunk))


class _CopyWriter:
    """One ``COPY ... FROM STDIN`` (psycopg 3) for every chunk, binary when the column types allow."""

    def __init__(self, cursor, layout, table):
        from psycopg import sql

        self.cursor, self.layout = cursor, layout
        self.types = [field.db_type(connection) for field in layout.fields]
        self.binary = all(sql_type in WIRE for sql_type in self.types)
        self.statement = sql.SQL("COPY {} ({}) FROM STDIN" + (" (FORMAT BINARY)" if self.binary else "")).format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, layout.columns))
        )

    def __enter__(self):
        self.context = self.cursor.cursor.copy(self.statement)
        self.copy = self.context.__enter__()
        if self.binary:
            self.copy.write(SIGNATURE)
        return self

    def __exit__(self, *exc):
        # Django's exceptions, as its own cursor would raise them (IntegrityError…).
        with connection.wrap_database_errors:
            if exc[0] is None and self.binary:
                self.copy.write(TRAILER)
            return self.context.__exit__(*exc)

    def write(self, chunk):
        with connection.wrap_database_errors:
            self._write(chunk)

    def _write(self, chunk):
        if not self.binary:
            for row in self.layout.rows(chunk):
                self.copy.write_row(row)
            return
        n, constants = self.layout.size(chunk), self.layout.constants
        columns = []
        for name, sql_type, null in zip(self.layout.names, self.types, self.layout.nulls(chunk), strict=True):
            values = np.full(n, constants[name]) if name in constants else chunk[name]
            if null is not None:
                values = np.where(null, 0, values)
            columns.append((values, sql_type, null))
        self.copy.write(copy_tuples(columns))


def copy_in_parallel(model, fields, ranges, build, *, table, constants=None, workers=2, progress=None):
    """Load rows into ``table`` over ``workers`` connections of their own, each one COPY (PostgreSQL).

    ``ranges`` are (start, stop) pairs; ``build(start, stop)`` returns that chunk as
    ``column_writer`` takes it. Worker k builds and sends ranges k, k + workers, … so building
    overlaps sending and the server parses on as many cores. Each COPY commits on its own: the
    table must not be visible to readers yet (a staged partition, ``partitions.stage``) and the
    caller must be outside a transaction. ``progress(rows)`` is called after each chunk, from the
    workers' threads. The first worker's error is raised once all have stopped.
    """
    from concurrent.futures import ThreadPoolExecutor
    from threading import Lock

    lock = Lock()

    def load(share):
        try:
            with connection.cursor() as cursor, \
                    column_writer(cursor, model, fields, constants=constants, table=table) as writer:
                for start, stop in share:
                    writer.write(build(start, stop))
                    if progress:
                        with lock:
                            progress(stop - start)
        finally:
            connection.close()

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(load, ranges[k::workers]) for k in range(workers)]
    for future in futures:
        future.result()
