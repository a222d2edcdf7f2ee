"""XLSX export of tables (lists of rows), safe against spreadsheet formula injection.

Amounts stay numbers and dates stay dates, each shown through a number format (``RUPIAH``,
``WHOLE``, ``DATE`` …) so the spreadsheet program writes them the reader's way and can still sum
and sort them: never text such as ``"Rp 250.000.000"`` or ``"04-12-2026"``.
"""

import datetime
import numbers
from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# Number formats: Excel and LibreOffice show the separators of the reader's own locale.
RUPIAH = '"Rp" #,##0'
WHOLE = "#,##0"
DECIMAL_1 = "#,##0.0"
DECIMAL_2 = "#,##0.00"
DECIMAL_3 = "#,##0.000"
SHARE = "0.0%"  # a 0–1 share shown as 12.5%
DATE = "d mmm yyyy"
DATETIME = "d mmm yyyy hh:mm"


@dataclass(frozen=True)
class Formatted:
    """One cell's value with its own number format, for columns that mix kinds (a summary sheet)."""

    value: object
    number_format: str


def safe_cell(value):
    """``value`` as a cell: numbers and dates stay so; text that could start a formula gets a leading '.

    An aware datetime becomes the current zone's wall time (a spreadsheet has no zones); a
    ``Formatted`` cell gives its value (CSV writers use this too).
    """
    if isinstance(value, Formatted):
        value = value.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)  # NumPy's integers are not ``int``; a cell wants a plain number
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, numbers.Number):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _width(value, number_format):
    if isinstance(value, Formatted):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 17
    if isinstance(value, datetime.date):
        return 11
    if isinstance(value, numbers.Number) and not isinstance(value, bool) and number_format:
        # The digits, their separators and a prefix such as "Rp ".
        digits = len(str(int(abs(value))))
        return digits + digits // 3 + len(number_format.split("#")[0].replace('"', "")) + 3
    return len(str(value))


def workbook_bytes(sheets):
    """An .xlsx file as bytes from ``sheets``: [(title, header_rows, body_rows[, column_formats])].

    Every row is a list of cell values (str, int, float, date, datetime, ``Formatted`` or None); text is passed
    through ``safe_cell``; header rows are bold and frozen with the first column. The optional
    ``column_formats`` maps a 0-based column to a number format (``RUPIAH``, ``WHOLE`` …) for the
    body's numbers; dates and datetimes get ``DATE`` and ``DATETIME`` unless a column says otherwise.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header_rows, body_rows, *rest in sheets:
        formats = rest[0] if rest else {}
        sheet = workbook.create_sheet(title=str(title)[:31])
        bold = Font(bold=True)
        widths = {}
        for index, row in enumerate([*header_rows, *body_rows]):
            sheet.append([safe_cell(value) for value in row])
            header = index < len(header_rows)
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=index + 1, column=column)
                number_format = None if header else _format(value, formats.get(column - 1))
                if number_format:
                    cell.number_format = number_format
                widths[column] = max(widths.get(column, 0), _width(value, number_format))
                if header:
                    cell.font = bold
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = sheet.cell(row=len(header_rows) + 1, column=2)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _format(value, column_format):
    if isinstance(value, Formatted):
        return value.number_format if value.value is not None else None
    if isinstance(value, datetime.datetime):
        return column_format or DATETIME
    if isinstance(value, datetime.date):
        return column_format or DATE
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return column_format
    return None
