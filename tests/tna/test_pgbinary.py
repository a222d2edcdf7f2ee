"""The binary COPY and array formats the TNA run uses on PostgreSQL, checked against a plain
reading of PostgreSQL's documented layout and, when PostgreSQL is reachable, against the server."""

import struct

import numpy as np
import pytest
from django.db import connection

from tna.infra.bulk.pgbinary import SIGNATURE, TRAILER, copy_tuples, int8_values

FORMATS = {"smallint": ">h", "integer": ">i", "bigint": ">q", "real": ">f", "double precision": ">d"}


def parse_tuples(data, types):
    """Tuples of a binary COPY body, read field by field with struct (independent of NumPy)."""
    rows, at = [], 0
    while at < len(data):
        (count,) = struct.unpack_from(">h", data, at)
        at += 2
        assert count == len(types)
        row = []
        for sql_type in types:
            (length,) = struct.unpack_from(">i", data, at)
            at += 4
            if length == -1:
                row.append(None)
                continue
            (value,) = struct.unpack_from(FORMATS[sql_type], data, at)
            assert length == struct.calcsize(FORMATS[sql_type])
            at += length
            row.append(value)
        rows.append(tuple(row))
    return rows


def columns_with_nulls():
    ids = np.arange(1, 8, dtype=np.int64)
    observed = np.array([2.5, np.nan, 3.0, np.nan, 1.25, 4.0, np.nan])
    level = np.array([1, -1, 3, -1, -1, 2, 5])
    small = np.array([0, 1, 2, 3, 4, 5, 32767])
    columns = [
        (ids, "bigint", None),
        (np.where(np.isnan(observed), 0, observed), "double precision", np.isnan(observed)),
        (np.where(level < 0, 0, level), "smallint", level < 0),
        (small, "smallint", None),
        (observed.astype(np.float32), "real", np.zeros(7, dtype=bool)),
    ]
    expected = {
        (int(i), None if np.isnan(o) else float(o), None if lv < 0 else int(lv), int(s), None if np.isnan(o) else float(o))
        for i, o, lv, s in zip(ids, observed, level, small, strict=True)
    }
    # A NaN in a real column without a NULL mark stays NaN; compare it apart.
    expected = {row[:4] for row in expected}
    return columns, expected


def test_rows_with_different_nulls_are_all_written_with_their_values():
    columns, expected = columns_with_nulls()
    rows = parse_tuples(copy_tuples(columns), [sql_type for _, sql_type, _ in columns])
    assert len(rows) == 7
    assert {row[:4] for row in rows} == expected
    for row in rows:
        assert (row[1] is None) == np.isnan(row[4])


def test_no_columns_no_rows():
    assert copy_tuples([]) == b""
    assert copy_tuples([(np.zeros(0, dtype=np.int64), "bigint", None)]) == b""


def test_concatenated_int8_values_are_read_and_a_torn_one_is_refused():
    assert int8_values(struct.pack(">qqq", 7, -3, 2**40)).tolist() == [7, -3, 2**40]
    assert int8_values(b"").tolist() == []
    with pytest.raises(ValueError):
        int8_values(struct.pack(">q", 7)[:5])


postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)")


@postgresql
@pytest.mark.django_db
def test_postgresql_reads_the_copy_and_sends_values_as_parsed_here():
    columns, expected = columns_with_nulls()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE latih_copy (id bigint, observed double precision, level smallint, "
                       "small smallint, value real)")
        with cursor.cursor.copy("COPY latih_copy FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(SIGNATURE)
            copy.write(copy_tuples(columns))
            copy.write(TRAILER)
        cursor.execute("SELECT id, observed, level, small FROM latih_copy")
        assert set(cursor.fetchall()) == expected
        cursor.execute("SELECT string_agg(int8send(id), '' ORDER BY id) FROM latih_copy")
        assert int8_values(cursor.fetchone()[0]).tolist() == list(range(1, 8))
