"""Workbooks keep amounts as numbers and dates as dates, each shown through a number format, never as text."""

import datetime
import io

import numpy as np
from openpyxl import load_workbook

from tna.infra.xlsx import DATE, DATETIME, RUPIAH, WHOLE, Formatted, safe_cell, workbook_bytes


def sheet_of(*sheets):
    return load_workbook(io.BytesIO(workbook_bytes(sheets))).worksheets[0]


def test_amounts_are_numbers_with_the_rupiah_format_and_dates_are_dates():
    moment = datetime.datetime(2026, 12, 4, 9, 15, tzinfo=datetime.UTC)
    sheet = sheet_of(("Plan", [["Course", "Budget (Rp)", "Seats", "Starts", "Made"]],
                      [["Excel", 250_000_000, np.int64(2986), datetime.date(2026, 12, 4), moment]],
                      {1: RUPIAH, 2: WHOLE}))
    budget, seats, day, made = (sheet.cell(row=2, column=n) for n in (2, 3, 4, 5))
    assert budget.value == 250_000_000 and budget.number_format == RUPIAH
    assert seats.value == 2986 and isinstance(seats.value, int) and seats.number_format == WHOLE
    assert day.value == datetime.datetime(2026, 12, 4) and day.number_format == DATE
    # Spreadsheets have no zones: the wall time in the site's zone (Asia/Jakarta), 16.15.
    assert made.value == datetime.datetime(2026, 12, 4, 16, 15) and made.number_format == DATETIME
    assert sheet.cell(row=1, column=2).number_format == "General"  # the header stays text


def test_a_summary_column_mixes_formats_cell_by_cell():
    sheet = sheet_of(("Summary", [["Figure", "Value"]], [["Budget", Formatted(5_000_000, RUPIAH)],
                                                         ["Staff", Formatted(300, WHOLE)], ["Method", "greedy"]]))
    assert [(c.value, c.number_format) for c in sheet["B"][1:]] == [
        (5_000_000, RUPIAH), (300, WHOLE), ("greedy", "General")]


def test_text_that_would_run_as_a_formula_is_neutralised():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell(Formatted(-5, RUPIAH)) == -5  # a negative number is a number, not a formula
    assert safe_cell("198901232013122001") == "198901232013122001"  # NIPs stay text
