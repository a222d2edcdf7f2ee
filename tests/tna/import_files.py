"""Small import files for the import tests: built in memory as CSV or XLSX, plus a tiny organisation."""

import csv
import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from tna.factories import CompetencyFactory
from tna.imports import import_file
from tna.nip import format_nip


@pytest.fixture(autouse=True)
def in_english():
    """Messages in English (the site's default is Indonesian); import it into a test module to use it."""
    with translation.override("en"):
        yield


EMPLOYEE_HEADER = ["nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor_nip", "email"]


def csv_bytes(header, rows, *, delimiter=",", bom=False):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def xlsx_bytes(header, rows):
    """A workbook with the cells as given: str stays text, int/float become number cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def nip(n, *, sex=1, birth=None):
    """A valid PNS NIP, distinct for each ``n``."""
    birth = birth or datetime.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    return format_nip(birth_date=birth, start_year=birth.year + 23, start_month=1 + n % 12, sex=sex, serial=1 + n)


def competencies(*codes):
    """The dictionary entries the tests use; managerial ones apply to every position."""
    codes = codes or ("M.01", "M.02", "M.05", "SK.01", "TK.01")
    return {
        code: CompetencyFactory(
            code=code, group="technical" if code.startswith("TK") else "managerial",
            applies_to_all=not code.startswith("TK"),
        )
        for code in codes
    }


ORG = [
    ["kab-a", "Kabupaten Alfa", "bkpsdm", "Badan Kepegawaian", ""],
    ["kab-a", "Kabupaten Alfa", "dinkes", "Dinas Kesehatan", ""],
    ["kota-b", "Kota Beta", "bkpsdm", "Badan Kepegawaian", ""],
]
POSITIONS = [
    ["kab-a", "kepala", "Kepala Badan", "jpt_pratama"],
    ["kab-a", "analis", "Analis SDM", "ahli_pertama"],
    ["kab-a", "staf", "Pengadministrasi", "pelaksana"],
    ["kota-b", "kepala", "Kepala Badan", "jpt_pratama"],
    ["kota-b", "staf", "Pengadministrasi", "pelaksana"],
]


def organisation():
    """Agencies kab-a (units bkpsdm, dinkes) and kota-b (bkpsdm), each with positions, via the imports."""
    import_file(kind="org", file=csv_bytes(["agency", "agency_name", "unit", "unit_name", "parent_unit"], ORG))
    import_file(kind="positions", file=csv_bytes(["agency", "position", "position_name", "job_type"], POSITIONS))


def staff_rows():
    """A head, an analyst and a clerk in kab-a (chain head ← analyst ← clerk), one head in kota-b."""
    return [
        [nip(1), "Kepala Alfa", "kab-a", "bkpsdm", "kepala", "IV/c", "PNS", "", "kepala@alfa.go.id"],
        [nip(2, sex=2), "Analis Alfa", "kab-a", "bkpsdm", "analis", "III/a", "PNS", nip(1), "analis@alfa.go.id"],
        [nip(3), "Staf Alfa", "kab-a", "dinkes", "staf", "II/c", "PNS", nip(2, sex=2), ""],
        [nip(4), "Kepala Beta", "kota-b", "bkpsdm", "kepala", "IV/b", "PNS", "", "kepala@beta.go.id"],
    ]
