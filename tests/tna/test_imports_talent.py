"""The talent imports: project assignments, assessment-centre results, and the optional grade date
and key-position columns of the employees and positions files."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from tna.factories import CycleFactory
from tna.imports import FORMATS, ImportRejected, import_file
from tna.models import AssessmentResult, Assignment, Cycle, Employee, Position

from .import_files import (  # noqa: F401
    EMPLOYEE_HEADER,
    POSITIONS,
    competencies,
    csv_bytes,
    in_english,
    nip,
    organisation,
    staff_rows,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HEAD, ANALYST, CLERK, OTHER = nip(1), nip(2, sex=2), nip(3), nip(4)
ASSIGNMENT_HEADER = ["nip", "cycle", "title", "role", "start", "end", "competencies"]
ASSESSMENT_HEADER = ["cycle", "nip", "jpm", "assessed_on", "assessor"]
POSITION_HEADER = ["agency", "position", "position_name", "job_type"]


@pytest.fixture
def staff(db):
    competencies()
    organisation()
    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))
    CycleFactory(year=2026, is_open=True)


def rejected(kind, data, **kwargs):
    with pytest.raises(ImportRejected) as caught:
        import_file(kind=kind, file=data, **kwargs)
    return {(e.row, e.column): e.message for e in caught.value.errors}


def assignment_rows():
    return [
        [ANALYST, 2026, "Satgas Percepatan Penurunan Stunting", "Sekretaris", "2026-02-01", "2026-11-30",
         "M.02; TK.01"],
        [CLERK, 2026, "Tim SPBE", "anggota", "2026-03-01", "", ""],
        [CLERK, 2026, "Tim Reformasi Birokrasi", "LEAD", "2026-01-15", "", "m.05"],
    ]


# -- assignments ---------------------------------------------------------------------------------

def test_both_formats_are_offered_wherever_files_are_imported():
    assert {"assignments", "assessments"} <= set(FORMATS)
    assert FORMATS["assignments"].required == ("nip", "cycle", "title", "role", "start", "end", "competencies")


def test_assignments_land_with_roles_dates_and_competencies(staff):
    result = import_file(kind="assignments", file=csv_bytes(ASSIGNMENT_HEADER, assignment_rows()))

    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    stunting = Assignment.objects.get(title__startswith="Satgas")
    assert (stunting.employee.nip, stunting.role, stunting.start, stunting.end) == (
        ANALYST, "secretary", datetime.date(2026, 2, 1), datetime.date(2026, 11, 30))
    assert sorted(stunting.competencies.values_list("code", flat=True)) == ["M.02", "TK.01"]
    assert stunting.entered_by is None
    spbe = Assignment.objects.get(title="Tim SPBE")
    assert (spbe.role, spbe.end, spbe.competencies.count()) == ("member", None, 0)
    assert Assignment.objects.get(title="Tim Reformasi Birokrasi").role == "lead"


def test_a_reimport_updates_role_end_and_competencies_and_matches_the_title_in_any_case(staff):
    rows = assignment_rows()
    import_file(kind="assignments", file=csv_bytes(ASSIGNMENT_HEADER, rows))
    rows[0][2] = "SATGAS percepatan penurunan stunting"
    rows[0][3], rows[0][5], rows[0][6] = "ketua", "2026-12-31", "TK.01"
    rows[1][3] = "pengarah"

    result = import_file(kind="assignments", file=csv_bytes(ASSIGNMENT_HEADER, rows))

    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert Assignment.objects.count() == 3
    stunting = Assignment.objects.get(employee__nip=ANALYST)
    assert (stunting.title, stunting.role, stunting.end) == (
        "SATGAS percepatan penurunan stunting", "lead", datetime.date(2026, 12, 31))
    assert list(stunting.competencies.values_list("code", flat=True)) == ["TK.01"]
    assert Assignment.objects.get(title="Tim SPBE").role == "adviser"


def test_bad_assignment_rows_are_named_by_row_and_column_and_nothing_is_written(staff):
    CycleFactory(year=2025, is_open=False)
    rows = [
        [nip(77), 2026, "Tim A", "member", "2026-01-01", "", ""],  # nobody has this NIP
        [CLERK, 2026, "Tim B", "boss", "2026-01-01", "", ""],
        [CLERK, 2026, "Tim C", "member", "2026-05-01", "2026-04-30", ""],
        [CLERK, 2026, "Tim D", "member", "2026-01-01", "", "M.01;XX.99"],
        [CLERK, 2025, "Tim E", "member", "2025-01-01", "", ""],
        [CLERK, 2024, "Tim F", "member", "2024-01-01", "", ""],  # no such cycle
        [CLERK, 2026, "", "member", "1 Juni 2026", "kemarin", ""],
        [CLERK, 2026, "Tim G", "member", "2026-05-01", "", ""],
        [CLERK, 2026, "tim  g", "adviser", "2026-05-01", "", ""],  # the key of row 9 again
    ]

    errors = rejected("assignments", csv_bytes(ASSIGNMENT_HEADER, rows))

    assert "employees file" in errors[(2, "nip")]
    assert "lead, secretary, member, adviser" in errors[(3, "role")]
    assert "ends before it starts" in errors[(4, "end")]
    assert "XX.99" in errors[(5, "competencies")] and "M.01" not in errors[(5, "competencies")]
    assert "closed" in errors[(6, "cycle")]
    assert "no cycle 2024" in errors[(7, "cycle")]
    assert {(8, "title"), (8, "end")} <= set(errors) and (8, "start") not in errors
    assert (9, "title") not in errors and "row 9" in errors[(10, "title")]
    assert not Assignment.objects.exists()


def test_assignment_nips_must_be_text(staff):
    rows = [[int(CLERK), 2026, "Tim SPBE", "member", "2026-03-01", "", ""]]

    errors = rejected("assignments", xlsx_bytes(ASSIGNMENT_HEADER, rows))

    assert "as text" in errors[(2, "nip")]
    assert not Assignment.objects.exists()


def test_an_assignments_dry_run_writes_nothing(staff):
    result = import_file(kind="assignments", file=csv_bytes(ASSIGNMENT_HEADER, assignment_rows()), dry_run=True)

    assert result.created == 3 and result.dry_run
    assert [action for _row, action, _cells in result.preview] == ["create"] * 3
    assert not Assignment.objects.exists()


def test_the_header_must_name_every_column(staff):
    header = ASSIGNMENT_HEADER[:-1]

    errors = rejected("assignments", csv_bytes(header, [row[:-1] for row in assignment_rows()]))

    assert (1, "competencies") in errors


def test_an_agency_limits_the_people_a_file_may_name(staff):
    from tna.models import Agency

    rows = [[OTHER, 2026, "Tim Kota", "member", "2026-03-01", "", ""]]  # OTHER works in kota-b

    errors = rejected("assignments", csv_bytes(ASSIGNMENT_HEADER, rows), agency=Agency.objects.get(code="kab-a"))

    assert "kab-a" in errors[(2, "nip")]


# -- assessments ---------------------------------------------------------------------------------

def test_assessment_results_read_decimal_commas_and_percent_signs_and_update(staff):
    rows = [
        [2026, ANALYST, "85,5", "2026-03-10", "UPT Penilaian Kompetensi BKN"],
        [2026, CLERK, "72 %", "", ""],
        [2027, HEAD, "91.25%", "", ""],
    ]

    result = import_file(kind="assessments", file=csv_bytes(ASSESSMENT_HEADER, rows))

    assert result.created == 3 and "A new cycle will be opened: 2027." in result.notes
    analyst = AssessmentResult.objects.get(employee__nip=ANALYST)
    assert (analyst.jpm, analyst.assessed_on, analyst.assessor) == (
        85.5, datetime.date(2026, 3, 10), "UPT Penilaian Kompetensi BKN")
    assert AssessmentResult.objects.get(employee__nip=HEAD).jpm == 91.25

    rows[1][2] = "74"
    again = import_file(kind="assessments", file=csv_bytes(ASSESSMENT_HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert AssessmentResult.objects.get(employee__nip=CLERK).jpm == 74


def test_a_file_without_the_optional_columns_keeps_what_is_stored(staff):
    import_file(kind="assessments", file=csv_bytes(ASSESSMENT_HEADER, [[2026, ANALYST, 80, "2026-03-10", "BKN"]]))

    result = import_file(kind="assessments", file=csv_bytes(["cycle", "nip", "jpm"], [[2026, ANALYST, "82"]]))

    assert result.updated == 1
    stored = AssessmentResult.objects.get()
    assert (stored.jpm, stored.assessed_on, stored.assessor) == (82, datetime.date(2026, 3, 10), "BKN")


def test_bad_assessment_rows_are_refused_whole(staff):
    CycleFactory(year=2025, is_open=False)
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    rows = [
        [2026, ANALYST, "101", "", ""],
        [2026, CLERK, "delapan puluh", future, ""],
        [2025, HEAD, "80", "", ""],
        [2026, nip(77), "80", "", ""],
        [2026, HEAD, "80", "", ""],
        [2026, HEAD, "81", "", ""],  # the head again
    ]

    errors = rejected("assessments", csv_bytes(ASSESSMENT_HEADER, rows))

    assert "0 to 100" in errors[(2, "jpm")]
    assert {(3, "jpm"), (3, "assessed_on")} <= set(errors)
    assert "closed" in errors[(4, "cycle")]
    assert "employees file" in errors[(5, "nip")]
    assert (6, "nip") not in errors and "row 6" in errors[(7, "nip")]
    assert not AssessmentResult.objects.exists()


def test_an_excel_percentage_cell_and_a_number_nip_are_refused(staff):
    rows = [[2026, ANALYST, 0.855, "", ""], [2026, int(CLERK), 80, "", ""]]

    errors = rejected("assessments", xlsx_bytes(ASSESSMENT_HEADER, rows))

    assert "percentage cell" in errors[(2, "jpm")]
    assert "as text" in errors[(3, "nip")]


# -- commands ------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, header, rows", [
    ("assignments", ASSIGNMENT_HEADER, assignment_rows()),
    ("assessments", ASSESSMENT_HEADER, [[2026, ANALYST, "85,5", "", ""], [2026, CLERK, "70", "", ""]]),
])
def test_the_commands_check_write_and_rewrite(kind, header, rows, staff, tmp_path, capsys):
    path = tmp_path / ("%s.csv" % kind)
    path.write_bytes(csv_bytes(header, rows))
    n = len(rows)

    call_command("import_%s" % kind, str(path), "--dry-run")
    assert "%s: %d rows checked — would create %d" % (kind, n, n) in capsys.readouterr().out
    assert not Assignment.objects.exists() and not AssessmentResult.objects.exists()

    call_command("import_%s" % kind, str(path), "--agency", "KAB-A")
    assert "%d created, 0 updated, 0 unchanged" % n in capsys.readouterr().out
    call_command("import_%s" % kind, str(path))
    assert "0 created, 0 updated, %d unchanged" % n in capsys.readouterr().out


def test_a_rejected_file_prints_every_problem_and_writes_nothing(staff, tmp_path, capsys):
    path = tmp_path / "a.csv"
    rows = [*assignment_rows(), [CLERK, 2026, "Tim X", "ketua", "2026-05-01", "2026-04-01", ""]]
    path.write_bytes(csv_bytes(ASSIGNMENT_HEADER, rows))

    with pytest.raises(CommandError, match="1 problem in 1 row"):
        call_command("import_assignments", str(path))

    assert "row 5, end '2026-04-01': The assignment ends before it starts" in capsys.readouterr().err
    assert not Assignment.objects.exists()


def test_the_command_knows_the_agency_and_the_row_limit(staff, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(csv_bytes(ASSIGNMENT_HEADER, assignment_rows()))

    with pytest.raises(CommandError, match="no agency with code nowhere"):
        call_command("import_assignments", str(path), "--agency", "nowhere")
    with pytest.raises(CommandError, match="problem"):
        call_command("import_assignments", str(path), "--agency", "kota-b")
    with pytest.raises(CommandError, match="problem"):
        call_command("import_assignments", str(path), "--max-rows", "2")
    assert not Assignment.objects.exists()


# -- the optional columns of the employees and positions files -----------------------------------

def test_employees_take_an_optional_grade_date_that_a_file_without_it_keeps(staff):
    header = [*EMPLOYEE_HEADER, "grade_since"]
    rows = [[*row, ""] for row in staff_rows()]
    rows[1][-1] = "2021-04-01"

    result = import_file(kind="employees", file=csv_bytes(header, rows))

    assert (result.updated, result.unchanged) == (1, 3)
    assert Employee.objects.get(nip=ANALYST).grade_since == datetime.date(2021, 4, 1)
    assert Employee.objects.get(nip=CLERK).grade_since is None

    # The old file, without the column: nothing changes, nothing is wiped.
    again = import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))
    assert (again.updated, again.unchanged) == (0, 4)
    assert Employee.objects.get(nip=ANALYST).grade_since == datetime.date(2021, 4, 1)
    # With the column and an empty cell: kept as well.
    assert import_file(kind="employees", file=csv_bytes(header, [[*row, ""] for row in staff_rows()])).unchanged == 4
    assert Employee.objects.get(nip=ANALYST).grade_since == datetime.date(2021, 4, 1)


def test_a_new_employee_gets_the_grade_date_and_future_or_wrong_dates_are_refused(staff):
    header = [*EMPLOYEE_HEADER, "grade_since"]
    new = [nip(5), "Pegawai Baru", "kab-a", "dinkes", "staf", "II/b", "PNS", CLERK, "", "01/03/2024"]

    assert import_file(kind="employees", file=csv_bytes(header, [new])).created == 1
    assert Employee.objects.get(nip=nip(5)).grade_since == datetime.date(2024, 3, 1)

    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    rows = [[*staff_rows()[0], future], [*staff_rows()[1], "2021-02-30"]]
    errors = rejected("employees", csv_bytes(header, rows))
    assert "still to come" in errors[(2, "grade_since")]
    assert "Not a date" in errors[(3, "grade_since")]
    assert Employee.objects.get(nip=HEAD).grade_since is None


def test_positions_take_an_optional_key_column(staff):
    header = [*POSITION_HEADER, "key"]
    rows = [[*row, ""] for row in POSITIONS]
    rows[0][-1], rows[3][-1] = "Ya", "TRUE"
    rows.append(["kab-a", "sekda", "Sekretaris Daerah", "jpt_madya", "yes"])
    rows.append(["kab-a", "juru", "Juru", "pelaksana", ""])

    result = import_file(kind="positions", file=csv_bytes(header, rows))

    assert (result.created, result.updated, result.unchanged) == (2, 2, 3)
    keys = dict(Position.objects.filter(agency__code="kab-a").values_list("code", "is_key"))
    assert keys == {"kepala": True, "analis": False, "staf": False, "sekda": True, "juru": False}
    assert Position.objects.get(agency__code="kota-b", code="kepala").is_key

    # Without the column, or with an empty cell, the marks stay; "tidak" and 0 take them away.
    assert import_file(kind="positions", file=csv_bytes(POSITION_HEADER, POSITIONS)).unchanged == 5
    assert Position.objects.get(agency__code="kab-a", code="kepala").is_key
    rows[0][-1], rows[3][-1] = "tidak", "0"
    assert import_file(kind="positions", file=csv_bytes(header, rows)).updated == 2
    assert not Position.objects.filter(is_key=True).exclude(code="sekda").exists()

    errors = rejected("positions", csv_bytes(header, [["kab-a", "kepala", "Kepala Badan", "jpt_pratama", "mungkin"]]))
    assert "yes, no" in errors[(2, "key")]


def test_cycles_are_never_opened_by_an_assignments_file(staff):
    rows = [[CLERK, 2030, "Tim SPBE", "member", "2030-03-01", "", ""]]

    rejected("assignments", csv_bytes(ASSIGNMENT_HEADER, rows))

    assert not Cycle.objects.filter(year=2030).exists()


def test_the_sample_files_import_into_the_sample_agency(national_dictionary, capsys):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "docs" / "samples"
    for kind in ("org", "positions", "employees"):
        call_command("import_%s" % kind, str(samples / ("%s.csv" % kind)))
    CycleFactory(year=2026, is_open=True)

    call_command("import_assignments", str(samples / "assignments.csv"), "--agency", "pesawaran")
    call_command("import_assessments", str(samples / "assessments.csv"))

    out = capsys.readouterr().out
    assert "assignments: 8 rows checked — 8 created" in out and "assessments: 5 rows checked — 5 created" in out
    assert Assignment.objects.filter(title="Tim Implementasi SPBE", role="adviser").exists()
    assert AssessmentResult.objects.get(employee__nip="197704112002042002").jpm == 88.5
