"""The error type of the imports: every problem as row + column + value + reason."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class RowError:
    """One problem in an import file; ``row`` counts like the spreadsheet does (header = 1)."""

    row: int
    column: str
    value: str
    message: str

    def __str__(self):
        where = _("row %(row)s") % {"row": self.row}
        if self.column:
            where += ", %s" % self.column
        value = " %r" % self.value if self.value else ""
        return "%s%s: %s" % (where, value, self.message)


class ImportRejected(Exception):
    """The file was rejected and nothing was written; ``errors`` lists the problems found.

    A file can hold hundreds of thousands of bad rows, so ``errors`` may keep only the first of
    them: ``total`` counts every problem and ``row_count`` the rows that have one.
    """

    def __init__(self, errors, *, total=None, bad_rows=None):
        self.errors = sorted(errors, key=lambda e: (e.row, e.column))
        self.total = len(self.errors) if total is None else total
        self._bad_rows = bad_rows
        super().__init__(ngettext(
            "%(count)d problem in the file; nothing was imported.",
            "%(count)d problems in the file; nothing was imported.",
            self.total,
        ) % {"count": self.total})

    @property
    def row_count(self):
        """How many distinct rows have at least one problem."""
        return len({e.row for e in self.errors}) if self._bad_rows is None else self._bad_rows

    @property
    def hidden(self):
        """How many problems were counted but not kept in ``errors``."""
        return self.total - len(self.errors)


class ErrorList:
    """Collects the errors of one validation pass; ``add`` takes the row being read.

    Only the first ``limit`` errors are kept (all when None); ``len()`` counts every one.
    """

    def __init__(self, limit=None):
        self.errors = []
        self.bad_rows = set()
        self.limit = limit
        self.total = 0

    def add(self, row, column, message, value=None):
        """Record a problem with ``column`` of ``row``; the value defaults to the cell's text."""
        number = row if isinstance(row, int) else row.number
        self.total += 1
        self.bad_rows.add(number)
        if self.limit is not None and len(self.errors) >= self.limit:
            return
        if value is None:
            value = "" if isinstance(row, int) else row.get(column)
        self.errors.append(RowError(number, column, str(value), str(message)))

    def __bool__(self):
        return bool(self.total)

    def __len__(self):
        return self.total

    def rejected(self, transform=None):
        """The ``ImportRejected`` these errors make, each error passed through ``transform`` first."""
        errors = self.errors if transform is None else [transform(e) for e in self.errors]
        return ImportRejected(errors, total=self.total, bad_rows=len(self.bad_rows))

    def raise_if_any(self):
        if self.total:
            raise self.rejected()
