"""XLSX export of tables (lists of rows), safe against spreadsheet formula injection."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A text cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a cell: numbers stay numbers; text that could start a formula gets a leading '."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def workbook_bytes(sheets):
    """An .xlsx file as bytes from ``sheets``: [(title, header_rows, body_rows)], header rows bold.

    Every row is a list of cell values (str, int, float or None); text is passed through
    ``safe_cell`` and the first column and header rows are frozen.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header_rows, body_rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        bold = Font(bold=True)
        widths = {}
        for index, row in enumerate([*header_rows, *body_rows]):
            sheet.append([safe_cell(value) for value in row])
            for column, value in enumerate(row, start=1):
                widths[column] = max(widths.get(column, 0), len(str(value)) if value is not None else 0)
                if index < len(header_rows):
                    sheet.cell(row=index + 1, column=column).font = bold
        for column, width in widths.items():
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = sheet.cell(row=len(header_rows) + 1, column=2)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
