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
    """The file was rejected and nothing was written; ``errors`` lists every problem found."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: (e.row, e.column))
        super().__init__(ngettext(
            "%(count)d problem in the file; nothing was imported.",
            "%(count)d problems in the file; nothing was imported.",
            len(self.errors),
        ) % {"count": len(self.errors)})

    @property
    def row_count(self):
        """How many distinct rows have at least one problem."""
        return len({e.row for e in self.errors})


class ErrorList:
    """Collects the errors of one validation pass; ``add`` takes the row being read."""

    def __init__(self):
        self.errors = []
        self.bad_rows = set()

    def add(self, row, column, message, value=None):
        """Record a problem with ``column`` of ``row``; the value defaults to the cell's text."""
        number = row if isinstance(row, int) else row.number
        if value is None:
            value = "" if isinstance(row, int) else row.get(column)
        self.errors.append(RowError(number, column, str(value), str(message)))
        self.bad_rows.add(number)

    def __bool__(self):
        return bool(self.errors)

    def __len__(self):
        return len(self.errors)

    def raise_if_any(self):
        if self.errors:
            raise ImportRejected(self.errors)
