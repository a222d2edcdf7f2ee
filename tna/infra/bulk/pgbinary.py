"""PostgreSQL's binary formats for bulk reads and writes, built and parsed with NumPy.

Millions of result rows go in through ``COPY ... FROM STDIN (FORMAT BINARY)`` and millions of
ratings come out as one ``bytea`` per column of concatenated ``int8send`` values: both are
fixed-width big-endian fields that NumPy writes and reads without a Python object per value.
Plain functions on bytes and arrays; the cursor work is in ``columns`` and ``reading``.
"""

import numpy as np

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"  # signature, flags, extension
TRAILER = b"\xff\xff"

# Column types a COPY may carry, as PostgreSQL names them, and their wire format.
WIRE = {
    "smallint": ">i2",
    "integer": ">i4",
    "bigint": ">i8",
    "real": ">f4",
    "double precision": ">f8",
}


def copy_tuples(columns):
    """The tuples of a binary COPY (without signature and trailer) for equal-length ``columns``.

    ``columns`` is a list of ``(values, sql_type, null)``: an array, a key of ``WIRE`` and a
    boolean array marking NULLs (or None when the column has none). Rows are grouped by their
    pattern of NULLs, each group one fixed-width NumPy record array, so the output holds the
    rows in a different order than given (a table has no order).
    """
    if not columns:
        return b""
    n = len(columns[0][0])
    pattern = np.zeros(n, dtype=np.int64)
    nullable = [i for i, (_, _, null) in enumerate(columns) if null is not None and null.any()]
    if len(nullable) > 62:
        raise ValueError("Too many columns with NULLs for one COPY pattern.")
    for bit, i in enumerate(nullable):
        pattern |= columns[i][2].astype(np.int64) << bit
    order = np.argsort(pattern, kind="stable")
    sorted_patterns = pattern[order]
    bounds = np.flatnonzero(np.diff(sorted_patterns)) + 1
    pieces = []
    for rows in np.split(order, bounds):
        if not len(rows):
            continue
        nulls = {i for bit, i in enumerate(nullable) if pattern[rows[0]] >> bit & 1}
        fields = [("count", ">i2")]
        for i, (_, sql_type, _) in enumerate(columns):
            fields.append(("length%d" % i, ">i4"))
            if i not in nulls:
                fields.append(("value%d" % i, WIRE[sql_type]))
        records = np.empty(len(rows), dtype=np.dtype(fields))
        records["count"] = len(columns)
        for i, (values, sql_type, _) in enumerate(columns):
            if i in nulls:
                records["length%d" % i] = -1
            else:
                records["length%d" % i] = np.dtype(WIRE[sql_type]).itemsize
                records["value%d" % i] = values[rows]
        pieces.append(records.tobytes())
    return b"".join(pieces)


def int8_wire(data):
    """The values of ``string_agg(int8send(x), '')`` as they came: a big-endian int64 view of ``data``."""
    if len(data) % 8:
        raise ValueError("Not a whole number of int8 values.")
    return np.frombuffer(data, dtype=">i8")


def int8_values(data):
    """The native int64 values of ``string_agg(int8send(x), '')``."""
    return int8_wire(data).astype(np.int64)
