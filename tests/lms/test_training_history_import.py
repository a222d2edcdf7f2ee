"""The training-history import: catalogue and free-text rows become JP credits that count in the ledger,
the national export and the next TNA run; re-import updates, a dry run writes nothing, a bad row
rejects the file, agencies stay apart, and Latih's own completions stand."""

# The delivery scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import csv
import datetime
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from courses.factories import CourseFactory
from lms.models.ledger import CreditedCompetency, CreditSource, JpCredit
from lms.national import credits_for_export
from lms.selectors.learning import jp_total
from lms.services.completion import enrollment_complete
from lms.services.training_history import training_history_import
from lms.training_evidence import learning_record, training_evidence
from tna.factories import AgencyFactory, CompetencyFactory, EmployeeFactory, RequiredLevelFactory, UserFactory
from tna.infra.cells import parse_date
from tna.infra.row_errors import ImportRejected

from .delivery_scene import attended, held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["nip", "course", "title", "competency", "jp", "start", "end", "provider", "route", "certificate"]


def csv_bytes(rows, header=HEADER):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def digital(db):
    return CompetencyFactory(code="TK.01", name="Literasi Digital", group="technical")


@pytest.fixture
def service(db):
    return CompetencyFactory(code="M.05", name="Pelayanan Publik", group="managerial")


@pytest.fixture
def excel(agency, digital, service):
    """A catalogue course of the agency: 16 JP, bimtek, TK.01 to level 3 and M.05 to level 2."""
    return CourseFactory(agency=agency, code="excel-data", title="Excel untuk Analisis Data", jp=16, route="KL10",
                         competencies=[(digital, 3), (service, 2)])


@pytest.fixture
def budi(make_employee, position, digital):
    """Budi's position requires TK.01 at level 4 (and nothing of M.05)."""
    RequiredLevelFactory(position=position, competency=digital, level=4)
    return make_employee("Budi Pegawai")


@pytest.fixture
def outsider(db):
    return EmployeeFactory(name="Orang Lain", agency=AgencyFactory(code="kab-lain", name="Kabupaten Lain"))


def history_rows(budi):
    """A catalogue row (everything from the course) and a free-text row with two competencies."""
    return [
        [budi.nip, "excel-data", "", "", "", "2025-03-04", "06/03/2025", "", "", "SERT/2025/001"],
        [budi.nip, "", "Pelatihan Pelayanan Prima", "TK.01; M.05", "8", "4 Maret 2024", "5 Mar 2024",
         "BPSDM Provinsi", "KL03", ""],
    ]


def levels(credit):
    return sorted(CreditedCompetency.objects.filter(credit=credit).values_list("competency__code", "level"))


def test_catalogue_and_free_text_rows_become_credits_in_the_ledger_record_and_evidence(excel, budi, agency):
    result = training_history_import(file=csv_bytes(history_rows(budi)))

    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    from_course = JpCredit.objects.get(employee=budi, course=excel)
    assert (from_course.source, from_course.title, from_course.jp, from_course.year, from_course.route) == (
        CreditSource.IMPORT, "Excel untuk Analisis Data", 16, 2025, "KL10")
    assert (from_course.start_date, from_course.end_date) == (datetime.date(2025, 3, 4), datetime.date(2025, 3, 6))
    assert (from_course.provider, from_course.competency_type, from_course.certificate_number) == (
        excel.provider.name, "technical", "SERT/2025/001")
    # The course's own levels.
    assert levels(from_course) == [("M.05", 2), ("TK.01", 3)]
    free = JpCredit.objects.get(employee=budi, course=None)
    assert (free.title, free.jp, free.year, free.route, free.provider, free.competency_type) == (
        "Pelatihan Pelayanan Prima", 8, 2024, "KL03", "BPSDM Provinsi", "technical")
    # TK.01 at the level Budi's position requires; M.05, which it does not require, at the default 1.
    assert levels(free) == [("M.05", 1), ("TK.01", 4)]

    # The JP ledger of each year, the learning record and the national export.
    assert (jp_total(budi, 2025), jp_total(budi, 2024), jp_total(budi, 2023)) == (16, 8, 0)
    record = learning_record(budi)
    assert [t.title for t in record.trainings] == ["Excel untuk Analisis Data", "Pelatihan Pelayanan Prima"]
    assert [(c["employee__nip"], c["jp"]) for c in credits_for_export(agency=agency)] == [(budi.nip, 8), (budi.nip, 16)]

    # Evidence for the TNA of 2025: both trainings (the window reaches back three years).
    evidence = training_evidence(cycle=2025)
    assert sorted(map(tuple, evidence.values.tolist())) == sorted([
        (budi.pk, excel.competency_targets.get(competency__code="TK.01").competency_id, 3),
        (budi.pk, excel.competency_targets.get(competency__code="M.05").competency_id, 2),
        (budi.pk, free.competency_levels.get(competency__code="TK.01").competency_id, 4),
        (budi.pk, free.competency_levels.get(competency__code="M.05").competency_id, 1),
    ])
    assert training_evidence(cycle=2023).empty


def test_an_xlsx_file_with_date_cells_imports_the_same(excel, budi):
    rows = [[budi.nip, "EXCEL-DATA", "", "", "", datetime.datetime(2025, 3, 4), datetime.datetime(2025, 3, 6),
             "", "", ""]]
    result = training_history_import(file=xlsx_bytes(rows), filename="riwayat.xlsx")

    assert result.created == 1
    credit = JpCredit.objects.get(employee=budi)
    assert (credit.course, credit.start_date, credit.jp) == (excel, datetime.date(2025, 3, 4), 16)


def test_the_row_may_override_what_the_course_says(excel, budi, service):
    rows = [[budi.nip, "excel-data", "Excel Lanjutan (angkatan khusus)", "M.05", "24", "2025-05-05", "2025-05-08",
             "Pusdiklat", "nkl3", ""]]
    training_history_import(file=csv_bytes(rows))

    credit = JpCredit.objects.get(employee=budi)
    assert (credit.title, credit.jp, credit.route, credit.provider, credit.competency_type) == (
        "Excel Lanjutan (angkatan khusus)", 24, "NKL03", "Pusdiklat", "managerial")
    assert levels(credit) == [("M.05", 2)]


def test_reimporting_updates_and_leaves_the_same_rows_unchanged(excel, budi):
    training_history_import(file=csv_bytes(history_rows(budi)))
    first_ids = set(JpCredit.objects.values_list("pk", flat=True))

    again = training_history_import(file=csv_bytes(history_rows(budi)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    changed = history_rows(budi)
    changed[1][2] = "PELATIHAN pelayanan prima"  # the key ignores case: the same training, retitled
    changed[1][3] = "TK.01"
    changed[1][4] = "12"
    result = training_history_import(file=csv_bytes(changed))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert set(JpCredit.objects.values_list("pk", flat=True)) == first_ids
    free = JpCredit.objects.get(employee=budi, course=None)
    assert (free.title, free.jp) == ("PELATIHAN pelayanan prima", 12)
    assert levels(free) == [("TK.01", 4)]
    assert jp_total(budi, 2024) == 12


def test_a_dry_run_reports_and_writes_nothing(excel, budi):
    result = training_history_import(file=csv_bytes(history_rows(budi)), dry_run=True)

    assert (result.dry_run, result.created, result.updated, result.unchanged) == (True, 2, 0, 0)
    assert result.actions == {2: "create", 3: "create"}
    assert not JpCredit.objects.exists()


BAD_ROWS = {
    "unknown nip": (["198001012005011999", "excel-data", "", "", "", "2025-03-04", "2025-03-06", "", "", ""],
                    "nip", "No employee has this NIP"),
    "unknown course": (["{nip}", "tidak-ada", "", "", "", "2025-03-04", "2025-03-06", "", "", ""],
                       "course", "has no course with the code tidak-ada"),
    "unknown competency": (["{nip}", "", "Bimtek", "TK.01;XX.99", "8", "2025-03-04", "2025-03-06", "", "KL10", ""],
                           "competency", "No competency has the code xx.99"),
    "end before start": (["{nip}", "excel-data", "", "", "", "2025-03-06", "2025-03-04", "", "", ""],
                         "end", "ends before it starts"),
    "jp 0": (["{nip}", "", "Bimtek", "TK.01", "0", "2025-03-04", "2025-03-06", "", "KL10", ""],
             "jp", "Must be a whole number from 1 to 1000"),
    "no title without a course": (["{nip}", "", "", "TK.01", "8", "2025-03-04", "2025-03-06", "", "KL10", ""],
                                  "title", "Without a catalogue course, give the training's title"),
    "bad route": (["{nip}", "", "Bimtek", "TK.01", "8", "2025-03-04", "2025-03-06", "", "KL99", ""],
                  "route", "Not a development route"),
    "bad date": (["{nip}", "excel-data", "", "", "", "2025-02-30", "2025-03-06", "", "", ""],
                 "start", "Not a date"),
    "still to come": (["{nip}", "excel-data", "", "", "", "2025-03-04", "2100-01-01", "", "", ""],
                      "end", "still to come"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_rejects_the_whole_file_naming_row_and_column(case, excel, budi):
    bad, column, message = BAD_ROWS[case]
    rows = [*history_rows(budi), [cell.replace("{nip}", budi.nip) for cell in bad]]

    with pytest.raises(ImportRejected) as rejected:
        training_history_import(file=csv_bytes(rows))

    [error] = rejected.value.errors
    assert (error.row, error.column) == (4, column)
    assert message in error.message
    assert not JpCredit.objects.exists()


def test_every_problem_of_a_file_is_listed_at_once(excel, budi):
    rows = [[budi.nip, "", "", "", "", "04/03/2025", "03/03/2025", "", "KL77", ""],
            [budi.nip, "excel-data", "", "", "", "2025-03-04", "2025-03-06", "", "", ""],
            [budi.nip, "excel-data", "", "", "", "4 Mar 2025", "2025-03-07", "", "", ""]]

    with pytest.raises(ImportRejected) as rejected:
        training_history_import(file=csv_bytes(rows))

    assert [(e.row, e.column) for e in rejected.value.errors] == [
        (2, "competency"), (2, "end"), (2, "jp"), (2, "route"), (2, "title"), (4, "start")]
    assert "already appears in row 3" in rejected.value.errors[-1].message


def test_a_header_without_course_or_free_text_columns_is_refused(budi):
    with pytest.raises(ImportRejected) as rejected:
        training_history_import(file=csv_bytes([[budi.nip, "2025-03-04"]], header=["nip", "start"]))
    assert {(e.row, e.column) for e in rejected.value.errors} == {
        (1, "end"), (1, "title"), (1, "competency"), (1, "jp")}


def test_a_training_admin_may_import_only_staff_of_their_agency(excel, budi, admin, outsider):
    rows = [*history_rows(budi), [outsider.nip, "", "Bimtek", "TK.01", "8", "2025-03-04", "2025-03-06", "", "KL10", ""]]

    with pytest.raises(ImportRejected) as rejected:
        training_history_import(file=csv_bytes(rows), user=admin.user)
    [error] = rejected.value.errors
    assert (error.row, error.column, error.value) == (4, "nip", outsider.nip)
    assert "kota-contoh" in error.message
    assert not JpCredit.objects.exists()

    assert training_history_import(file=csv_bytes(history_rows(budi)), user=admin.user).created == 2
    with pytest.raises(PermissionDenied):
        training_history_import(file=csv_bytes(history_rows(budi)), user=admin.user, agency=outsider.agency)
    with pytest.raises(PermissionDenied):
        training_history_import(file=csv_bytes(history_rows(budi)), user=budi.user)
    # Superusers (and the command) import for every agency.
    superuser = UserFactory(username="root", is_superuser=True)
    assert training_history_import(file=csv_bytes(rows[2:]), user=superuser).created == 1


def test_a_training_completed_in_latih_stands_and_is_not_duplicated(attended, admin, taught_course):
    ani = attended[0]
    enrollment_complete(enrollment=ani, user=admin.user)
    latih = JpCredit.objects.get(enrollment=ani)
    assert (latih.source, latih.course) == (CreditSource.LATIH, taught_course)

    rows = [
        # The same course starting the same day, with another JP: Latih's record is kept.
        [ani.employee.nip, taught_course.code, "", "", "40", latih.start_date.isoformat(),
         latih.end_date.isoformat(), "", "", ""],
        # Same certificate number under another title.
        [ani.employee.nip, "", "Pelayanan Prima", "M.05", "16", "2020-01-06", "2020-01-08", "", "KL03",
         latih.certificate_number],
    ]
    result = training_history_import(file=csv_bytes(rows))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert [(w.row, w.column) for w in result.warnings] == [(2, "course"), (3, "title")]
    assert "completed in Latih" in result.warnings[0].message
    assert list(JpCredit.objects.filter(employee=ani.employee).values_list("pk", "jp")) == [(latih.pk, 16)]


def test_the_default_level_is_a_setting(settings, budi):
    CompetencyFactory(code="SK.01", group="socio_cultural")
    settings.LATIH_TRAINING_HISTORY_LEVEL = 2
    rows = [[budi.nip, "", "Wawasan Kebangsaan", "SK.01", "8", "2025-03-04", "2025-03-06", "", "KL05", ""]]
    training_history_import(file=csv_bytes(rows))
    assert levels(JpCredit.objects.get()) == [("SK.01", 2)]


@pytest.mark.parametrize("text", ["2026-03-04", "04/03/2026", "4-3-2026", "04.03.2026", "4 Mar 2026",
                                  "4 Maret 2026", "4 march 2026", "4 MRT 2026"])
def test_dates_are_read_as_indonesian_records_write_them(text):
    assert parse_date(text) == datetime.date(2026, 3, 4)


@pytest.mark.parametrize("text", ["2026-02-30", "03/04/26", "4 Marc 2026", "4/3/1900", "46085"])
def test_what_is_not_clearly_a_date_is_refused(text):
    assert parse_date(text) is None


def test_the_command_prints_a_summary_and_writes(excel, budi, tmp_path):
    path = tmp_path / "riwayat.csv"
    path.write_bytes(csv_bytes(history_rows(budi)))
    out = StringIO()

    call_command("import_training_history", str(path), "--dry-run", stdout=out)
    assert "training history: 2 rows checked — would create 2, update 0, leave 0 unchanged; dry run" in out.getvalue()
    assert not JpCredit.objects.exists()

    out = StringIO()
    call_command("import_training_history", str(path), "--agency", "KOTA-CONTOH", stdout=out)
    assert "training history: 2 rows checked — 2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert JpCredit.objects.count() == 2



def test_the_command_writes_numbers_the_indonesian_way(budi, digital, tmp_path):
    path = tmp_path / "riwayat.csv"
    path.write_bytes(csv_bytes([
        [budi.nip, "", "Bimtek ke-%d" % n, "TK.01", "2", "2025-03-04", "2025-03-04", "", "KL10", ""]
        for n in range(1000)
    ]))
    out = StringIO()
    with translation.override("id"):
        call_command("import_training_history", str(path), "--dry-run", stdout=out)
    assert "1.000" in out.getvalue()
    assert "1,000" not in out.getvalue()


def test_the_command_lists_the_problems_and_refuses_other_agencies(excel, budi, outsider, tmp_path):
    path = tmp_path / "riwayat.csv"
    path.write_bytes(csv_bytes([*history_rows(budi), [budi.nip, "", "Bimtek", "TK.01", "0", "2025-03-04",
                                                      "2025-03-06", "", "KL10", ""]]))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_training_history", str(path), stderr=err)
    assert "row 4, jp '0': Must be a whole number from 1 to 1000." in err.getvalue()

    path.write_bytes(csv_bytes(history_rows(budi)))
    with pytest.raises(CommandError):
        call_command("import_training_history", str(path), "--agency", outsider.agency.code, stderr=StringIO())
    with pytest.raises(CommandError, match="no agency"):
        call_command("import_training_history", str(path), "--agency", "tidak-ada")
    assert not JpCredit.objects.exists()


def test_the_sample_file_imports_cleanly_after_the_sample_workforce(national_dictionary):
    from tna.imports import import_file
    from tna.models import Employee

    samples = ROOT / "docs" / "samples"
    for kind in ("org", "positions", "employees"):
        import_file(kind=kind, file=samples / ("%s.csv" % kind))

    result = training_history_import(file=samples / "training_history.csv")

    assert (result.created, result.updated, result.unchanged, result.warnings) == (7, 0, 0, [])
    joko = Employee.objects.get(name="Joko Prasetyo")
    assert (jp_total(joko, 2022), jp_total(joko, 2025)) == (24, 16)
    assert training_history_import(file=samples / "training_history.csv").unchanged == 7
