"""Read a CSV (UTF-8, ``,`` or ``;``) or XLSX upload into a header and rows of text cells."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .row_errors import ImportRejected, RowError

XLSX_MAGIC = b"PK\x03\x04"
_SPACES = re.compile(r"[\s\-]+")


def fold(text):
    """Text compared leniently: lower case, runs of spaces, hyphens and underscores as one space."""
    return " ".join(re.sub(r"[\s_\-]+", " ", text.lower()).split())


def normalise_header(name):
    """``" Supervisor NIP "`` → ``"supervisor_nip"``: case, spaces and hyphens do not matter."""
    return _SPACES.sub("_", str(name or "").strip().lower())


@dataclass
class Row:
    """One data row: its number as the spreadsheet shows it (header = 1) and its cells as text.

    ``numeric`` names the columns whose XLSX cell held a number rather than text; that matters
    for NIPs, which Excel silently rounds when stored as numbers.
    """

    number: int
    cells: dict
    numeric: frozenset = frozenset()

    def get(self, column):
        return self.cells.get(column, "")


@dataclass
class Table:
    """A file's normalised header names (in file order), as written (``labels``), and its data rows."""

    columns: list
    labels: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)

    def label(self, column):
        """The header as the file spells it, for messages; the column name itself if absent."""
        return self.labels.get(column, column)


def read_table(data, *, filename=""):
    """Parse ``data`` (bytes) as XLSX when it is a zip or named ``.xlsx``, else as CSV.

    Rows whose cells are all empty are skipped (Excel leaves many). Raises ``ImportRejected``
    when the file cannot be read at all or its header repeats a column.
    """
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        header, rows = _read_xlsx(data)
    else:
        header, rows = _read_csv(data)
    columns = [normalise_header(h) for h in header]
    seen, errors = set(), []
    for column in columns:
        if column and column in seen:
            errors.append(RowError(1, column, column, _("This column appears more than once in the header.")))
        seen.add(column)
    if not any(columns):
        errors.append(RowError(1, "", "", _("The first row must be the header with the column names.")))
    if errors:
        raise ImportRejected(errors)
    table = Table(columns=columns, labels={c: str(h).strip() for c, h in zip(columns, header, strict=True) if c})
    for number, values, numeric in rows:
        cells = {c: v for c, v in zip(columns, values, strict=False) if c}
        if any(cells.values()):
            numeric_cols = frozenset(columns[i] for i in numeric if i < len(columns) and columns[i])
            table.rows.append(Row(number, cells, numeric_cols))
    return table


def _decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([RowError(
            line, "", "", _("The file is not UTF-8 text (nor an XLSX workbook). Save it as "
                            "\"CSV UTF-8\" or as an Excel workbook (.xlsx)."),
        )]) from None


def _sniff_delimiter(first_line):
    # Indonesian-locale Excel saves "CSV" with semicolons; header names never contain either.
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _read_csv(data):
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    try:
        header = next(reader, [])
        rows = [(i, [v.strip() for v in values], ()) for i, values in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise ImportRejected([RowError(reader.line_num, "", "", _("Unreadable CSV: %s") % exc)]) from None
    return header, rows


def cell_text(value):
    """An XLSX cell value as the text a person typed: ``3.0`` → ``"3"``, dates as ``YYYY-MM-DD``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise ImportRejected([RowError(1, "", "", _("Unreadable XLSX workbook: %s") % exc)]) from None
    try:
        sheet = workbook.worksheets[0]
        header, rows = [], []
        for i, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if i == 1:
                header = [cell_text(v) for v in values]
                continue
            numeric = tuple(j for j, v in enumerate(values) if isinstance(v, (int, float)) and not isinstance(v, bool))
            rows.append((i, [cell_text(v) for v in values], numeric))
    finally:
        workbook.close()
    return header, rows
