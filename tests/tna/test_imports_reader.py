"""Reading import files: delimiters, BOM, header spelling, XLSX cell types, unreadable files."""

import pytest

from tna.infra.row_errors import ImportRejected
from tna.infra.spreadsheets import read_table

from .import_files import csv_bytes, in_english, xlsx_bytes  # noqa: F401


def test_semicolon_csv_with_bom_and_spelled_headers():
    data = csv_bytes(["NIP", " Supervisor NIP ", "blocked-days"], [["1", "2", "tue;thu"], ["", "", ""]],
                     delimiter=";", bom=True)

    table = read_table(data)

    assert table.columns == ["nip", "supervisor_nip", "blocked_days"]
    assert table.label("supervisor_nip") == "Supervisor NIP"
    assert len(table.rows) == 1  # the empty row is skipped
    assert table.rows[0].number == 2 and table.rows[0].get("blocked_days") == "tue;thu"


def test_xlsx_numbers_are_text_but_remembered_as_numbers():
    table = read_table(xlsx_bytes(["nip", "level", "name"], [[198501012010011001, 3.0, "Ani"]]))

    row = table.rows[0]
    assert row.get("level") == "3"
    # An 18-digit number does not survive a spreadsheet's floating point: the digits are gone,
    # which is why the column is remembered as numeric and the importer refuses such a NIP.
    assert row.get("nip") != "198501012010011001"
    assert row.numeric == {"nip", "level"}


def test_a_repeated_column_and_a_file_that_is_not_utf8_are_refused():
    with pytest.raises(ImportRejected) as caught:
        read_table(csv_bytes(["nip", "NIP"], [["1", "2"]]))
    assert caught.value.errors[0].column == "nip"

    # The rows stream from the file: a bad byte is found, at its row, when the rows are read.
    table = read_table("nip,name\n1,Dédé\n".encode("latin-1"))
    with pytest.raises(ImportRejected) as caught:
        list(table.rows)
    assert "UTF-8" in caught.value.errors[0].message and caught.value.errors[0].row == 2
