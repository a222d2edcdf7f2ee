"""Read a CSV (UTF-8, ``,`` or ``;``) or XLSX file as a header and a stream of rows of text cells.

The rows are read from the file each time they are iterated, one at a time: a 50 MB upload
is never decoded into one string nor held as a list of rows (docs/imports.md#limits).
"""

import codecs
import csv
import datetime
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.utils.translation import gettext as _

from .formats import integer
from .row_errors import ImportRejected, RowError

XLSX_MAGIC = b"PK\x03\x04"
_SPACES = re.compile(r"[\s\-]+")
# Rows read between two calls of a table's progress callback.
PROGRESS_EVERY = 5000


def fold(text):
    """Text compared leniently: lower case, runs of spaces, hyphens and underscores as one space."""
    return " ".join(re.sub(r"[\s_\-]+", " ", text.lower()).split())


def normalise_header(name):
    """``" Supervisor NIP "`` → ``"supervisor_nip"``: case, spaces and hyphens do not matter."""
    return _SPACES.sub("_", str(name or "").strip().lower())


@dataclass(slots=True)
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


class Rows:
    """The data rows of a file, read from the file again on every iteration.

    Rows whose cells are all empty are skipped (Excel leaves many). ``max_rows`` refuses a file
    with more data rows, as soon as the reader passes the limit. ``transform(row)`` tidies each
    row as it is read (``tna.infra.cells.normalise_nips``); ``too_many`` is the message (with
    ``%(limit)s``) for a file past the limit. ``progress(stage, done, total)``
    hears every ``PROGRESS_EVERY`` rows, with the total estimated until a first pass ends.
    """

    def __init__(self, source, *, xlsx, columns, max_rows=None, too_many=None):
        self.source, self.xlsx, self.columns, self.max_rows = source, xlsx, columns, max_rows
        self.too_many = too_many
        self.transforms = []
        self.progress = None
        self.stage = "read"
        self.count = None  # known once a pass has read the whole file

    def __iter__(self):
        columns, transforms, limit = self.columns, self.transforms, self.max_rows
        numeric_columns = {}
        done = 0
        with _open(self.source) as binary:
            reader = _xlsx_values(binary) if self.xlsx else _csv_values(binary)
            next(reader, None)  # the header, read by ``read_table``
            size = _size(binary)
            for number, values, numeric in reader:
                cells = {c: v for c, v in zip(columns, values, strict=False) if c}
                if not any(cells.values()):
                    continue
                done += 1
                if limit is not None and done > limit:
                    message = self.too_many or _(
                        "The file has more than %(limit)s data rows, the most one upload may hold. Split it "
                        "into smaller files, or ask an administrator to import it with the manage.py command."
                    )
                    raise ImportRejected([RowError(number, "", "", message % {"limit": integer(limit)})])
                if numeric:
                    key = tuple(numeric)
                    if key not in numeric_columns:
                        numeric_columns[key] = frozenset(
                            columns[i] for i in numeric if i < len(columns) and columns[i]
                        )
                    row = Row(number, cells, numeric_columns[key])
                else:
                    row = Row(number, cells)
                for transform in transforms:
                    transform(row)
                if self.progress is not None and done % PROGRESS_EVERY == 0:
                    self.progress(self.stage, done, self._estimate(done, binary, size))
                yield row
        self.count = done
        if self.progress is not None:
            self.progress(self.stage, done, done)

    def __len__(self):
        if self.count is None:
            for _row in self:
                pass
        return self.count

    def __getitem__(self, index):
        """``rows[0]`` or ``rows[:20]``: read from the start, only as far as needed."""
        if isinstance(index, slice):
            if index.start or index.step or index.stop is None:
                raise ValueError("Only rows[:n] slices are supported.")
            return list(islice(self, index.stop))
        for row in islice(self, index, None):
            return row
        raise IndexError(index)

    def _estimate(self, done, binary, size):
        if self.count is not None:
            return self.count
        if size and not self.xlsx:
            try:
                position = binary.tell()
            except (OSError, ValueError):
                position = 0
            if position:
                return max(done, round(done * size / position))
        return done


@dataclass
class Table:
    """A file's normalised header names (in file order), as written (``labels``), and its data rows."""

    columns: list
    labels: dict = field(default_factory=dict)
    rows: Rows | list = field(default_factory=list)

    def label(self, column):
        """The header as the file spells it, for messages; the column name itself if absent."""
        return self.labels.get(column, column)


def is_xlsx(head, filename=""):
    """Whether a file starting with the bytes ``head`` (or named ``filename``) is an XLSX workbook."""
    return head.startswith(XLSX_MAGIC) or str(filename).lower().endswith((".xlsx", ".xlsm"))


def read_table(source, *, filename="", max_rows=None, too_many=None):
    """The header of ``source`` and a stream of its rows (XLSX when a zip or named ``.xlsx``, else CSV).

    ``source`` is bytes, a path, or a binary file object that can seek (an upload, a storage
    file); the rows are read from it whenever ``table.rows`` is iterated. Raises
    ``ImportRejected`` when the file cannot be read at all, its header repeats a column, or
    (while iterating) a row cannot be read or the rows pass ``max_rows``.
    """
    if isinstance(source, str):
        source = Path(source)
    with _open(source) as binary:
        head = binary.read(4)
        binary.seek(0)
        xlsx = is_xlsx(head, filename or getattr(source, "name", ""))
        header = next(_xlsx_values(binary) if xlsx else _csv_values(binary), (1, [], ()))[1]
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
    return Table(
        columns=columns,
        labels={c: str(h).strip() for c, h in zip(columns, header, strict=True) if c},
        rows=Rows(source, xlsx=xlsx, columns=columns, max_rows=max_rows, too_many=too_many),
    )


@contextmanager
def _open(source):
    """A binary file at its start; a file object given by the caller is left open."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield io.BytesIO(source)
    elif isinstance(source, Path):
        with source.open("rb") as binary:
            yield binary
    else:
        source.seek(0)
        yield source


def _size(binary):
    try:
        position = binary.tell()
        size = binary.seek(0, io.SEEK_END)
        binary.seek(position)
        return size
    except (OSError, ValueError, AttributeError):
        return 0


def _sniff_delimiter(first_line):
    # Indonesian-locale Excel saves "CSV" with semicolons; header names never contain either.
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _lines(binary, position):
    """The file's text lines, each decoded on its own so that a bad byte is reported at its line.

    ``position[0]`` is the number of the line last read. A UTF-8 sequence never contains a
    ``\\n`` byte, so splitting the bytes at newlines first is safe. Old Mac files that end lines
    with a bare ``\\r`` are split at it too.
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    for number, raw in enumerate(iter(binary.readline, b""), start=1):
        position[0] = number
        try:
            line = decoder.decode(raw)
        except UnicodeDecodeError:
            raise ImportRejected([RowError(number, "", "", _(
                "The file is not UTF-8 text (nor an XLSX workbook). Save it as \"CSV UTF-8\" or as an "
                "Excel workbook (.xlsx)."
            ))]) from None
        if "\r" in line[:-2]:
            yield from line.replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)
        else:
            yield line


def _csv_values(binary):
    """``(row number, [cell texts], ())`` for every record, the header as row 1.

    Records are numbered as a spreadsheet shows them: a quoted cell holding line breaks does
    not push the following rows down.
    """
    position = [0]
    lines = _lines(binary, position)
    first = next(lines, "")
    reader = csv.reader(_chain_first(first, lines), delimiter=_sniff_delimiter(first))
    try:
        for number, values in enumerate(reader, start=1):
            yield number, [v.strip() for v in values], ()
    except csv.Error as exc:
        raise ImportRejected([RowError(position[0], "", "", _("Unreadable CSV: %s") % exc)]) from None


def _chain_first(first, rest):
    if first:
        yield first
    yield from rest


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


def _xlsx_values(binary):
    """``(row number, [cell texts], numeric column indexes)`` of the first sheet, in read-only mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(binary, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise ImportRejected([RowError(1, "", "", _("Unreadable XLSX workbook: %s") % exc)]) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            numeric = tuple(
                j for j, v in enumerate(values) if isinstance(v, (int, float)) and not isinstance(v, bool)
            )
            yield number, [cell_text(v) for v in values], numeric
    finally:
        workbook.close()
