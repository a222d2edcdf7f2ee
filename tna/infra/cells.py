"""Cell parsers every import shares: each reads one cell of a ``Row``, returns the parsed value,
or records a ``RowError`` (row, column, reason) and returns None."""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spreadsheets import fold

CHUNK = 5000  # keeps ``__in`` lookups under every database's parameter limit
NIP_LIKE = re.compile(r"^\d{18}$")
# The printed form "19850101 201001 1 001" (SK and ID cards group the parts with spaces).
NIP_SPACED = re.compile(r"^\d+(?:\s+\d+)+$")
SCIENTIFIC = re.compile(r"^\d+([.,]\d+)?[eE]\+?\d+$")


def chunked(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def required_text(row, column, errors, *, max_length=200):
    value = row.get(column)
    if not value:
        errors.add(row, column, _("This cell must not be empty."))
        return None
    if len(value) > max_length:
        errors.add(row, column, _("At most %(n)d characters.") % {"n": max_length})
        return None
    return value


CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")


def code(row, column, errors, *, max_length=40, required=True):
    """A code (slug: letters, digits, ``-`` and ``_``), compared lower-case."""
    value = row.get(column)
    if not value:
        if required:
            errors.add(row, column, _("This cell must not be empty."))
        return None
    if not CODE_RE.match(value) or len(value) > max_length:
        errors.add(row, column, _(
            "A code may hold only letters, digits, \"-\" and \"_\" (at most %(n)d characters)."
        ) % {"n": max_length})
        return None
    return value.lower()


def integer(row, column, errors, *, low, high, required=True):
    value = row.get(column)
    if not value:
        if required:
            errors.add(row, column, _("This cell must not be empty: a whole number %(low)d–%(high)d.")
                       % {"low": low, "high": high})
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        errors.add(row, column, _("Must be a whole number from %(low)d to %(high)d.") % {"low": low, "high": high})
        return None
    return number


def choice(row, column, errors, mapping, *, allowed, required=True):
    """Look the folded cell up in ``mapping`` (folded text → stored value)."""
    value = row.get(column)
    if not value:
        if required:
            errors.add(row, column, _("This cell must not be empty; allowed: %(allowed)s.") % {"allowed": allowed})
        return None
    found = mapping.get(fold(value))
    if found is None:
        errors.add(row, column, _("Not an allowed value; allowed: %(allowed)s.") % {"allowed": allowed})
    return found


def normalise_nips(table, columns):
    """Read NIPs printed in groups ("19850101 201001 1 001") as their 18 digits.

    Only text cells whose digits are all there are touched; number cells stay as they are so that
    ``nip_text`` can refuse them. A streamed table tidies each row as it is read; a list of rows
    is tidied in place.
    """
    columns = tuple(columns)
    if not columns:
        return

    def tidy(row):
        for column in columns:
            value = row.cells.get(column)
            if value and column not in row.numeric and NIP_SPACED.match(value):
                digits = "".join(value.split())
                if len(digits) == 18:
                    row.cells[column] = digits

    if hasattr(table.rows, "transforms"):
        table.rows.transforms.append(tidy)
    else:
        for row in table.rows:
            tidy(row)


def nip_text(row, column, errors, *, required=True, known=()):
    """The NIP as 18-digit text; a number cell or an Excel-shortened value is refused, never guessed.

    ``known`` holds NIPs already stored, which are taken as they are.
    """
    value = row.get(column)
    if not value:
        if required:
            errors.add(row, column, _("This cell must not be empty: an 18-digit NIP."))
        return None
    if column in row.numeric:
        errors.add(row, column, NIP_NUMBER_MESSAGE)
        return None
    if SCIENTIFIC.match(value):
        errors.add(row, column, NIP_SHORTENED_MESSAGE)
        return None
    if not NIP_LIKE.match(value):
        errors.add(row, column, _("A NIP is exactly 18 digits."))
        return None
    if value.endswith("000") and value not in known:
        # No serial is 000; this is what a number column saved to CSV leaves of the last digits.
        errors.add(row, column, NIP_ZEROED_MESSAGE)
        return None
    return value


NIP_NUMBER_MESSAGE = gettext_lazy(
    "The NIP is stored as a number, so Excel has kept only its first 15 significant digits and the "
    "rest are already lost — format the column as text and type the NIPs again (never guessed)."
)
NIP_ZEROED_MESSAGE = gettext_lazy(
    "The NIP ends in 000, which no serial number does: a spreadsheet that stored the NIPs as numbers has "
    "replaced their last digits with zeros. Format the column as text and type the NIPs again."
)
NIP_SHORTENED_MESSAGE = gettext_lazy(
    "The NIP was shortened to scientific notation by a spreadsheet, so its digits are already lost — "
    "format the column as text and type the NIPs again."
)


def cycle_year(row, errors, column="cycle"):
    return integer(row, column, errors, low=2000, high=2100)


def duplicate(errors, seen, key, row, column, what):
    """Record ``row`` as a duplicate when ``key`` was already seen; remember it otherwise."""
    first = seen.get(key)
    if first is not None:
        errors.add(row, column, _("%(what)s already appears in row %(row)d.") % {"what": what, "row": first})
        return True
    seen[key] = row.number
    return False


# Month names as Indonesian and English records write them, in full or short ("Maret", "Agt", "Oct").
MONTHS = {
    name: number
    for number, names in enumerate((
        ("januari", "january", "jan"),
        ("februari", "pebruari", "february", "feb", "peb"),
        ("maret", "march", "mar", "mrt"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "june", "jun"),
        ("juli", "july", "jul"),
        ("agustus", "august", "agu", "agt", "ags", "agst", "aug"),
        ("september", "sep", "sept"),
        ("oktober", "october", "okt", "oct"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "december", "des", "dec"),
    ), start=1)
    for name in names
}
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
NAMED_DATE = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})$")
FIRST_YEAR, LAST_YEAR = 1950, 2100


def parse_date(text):
    """A date as Indonesian records write it, or None: ``2026-03-04``, ``04/03/2026`` (day first,
    also with ``-`` or ``.``), ``4 Maret 2026``, ``4 Mar 2026`` or ``4 March 2026``.

    Day-first only: an Indonesian ``04/03/2026`` is 4 March. Years outside 1950–2100 are refused.
    """
    text = " ".join(text.strip().lower().split())
    if match := ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := NUMERIC_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif (match := NAMED_DATE.match(text)) and match.group(2) in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2)], int(match.group(3))
    else:
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def calendar_date(row, column, errors, *, required=True):
    """The cell as a ``datetime.date`` (``parse_date``); an XLSX date cell arrives as ``YYYY-MM-DD``."""
    value = row.get(column)
    if not value:
        if required:
            errors.add(row, column, _("This cell must not be empty: a date such as 2026-03-04 or 04/03/2026."))
        return None
    found = parse_date(value)
    if found is None:
        errors.add(row, column, _("Not a date; write it as 2026-03-04, 04/03/2026 or 4 Maret 2026 (day before month)."))
    return found
