"""The six ``import_*`` commands: dry run, real run, re-run, and a failing file that changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tna.imports import import_file
from tna.models import (
    Agency,
    Appraisal,
    Cycle,
    Employee,
    Position,
    Rating,
    RequiredLevel,
    SurveyResponse,
    Unit,
)

from .import_files import (  # noqa: F401
    EMPLOYEE_HEADER,
    competencies,
    csv_bytes,
    in_english,
    nip,
    organisation,
    staff_rows,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

HEAD, ANALYST, CLERK = nip(1), nip(2, sex=2), nip(3)
NEW = nip(5)

# kind → (header, good rows, a bad row, the cell the bad row is blamed on)
FILES = {
    "org": (
        ["agency", "agency_name", "unit", "unit_name", "parent_unit"],
        [["kab-a", "Kabupaten Alfa", "bangkom", "Bidang Bangkom", "bkpsdm"],
         ["kab-d", "Kabupaten Delta", "setda", "Sekretariat Daerah", ""]],
        ["kab-a", "Kabupaten Alfa", "arsip", "Arsip", "gudang"], "parent_unit",
    ),
    "positions": (
        ["agency", "position", "position_name", "job_type", "M.05"],
        [["kab-a", "kabid", "Kepala Bidang", "administrator", "4"],
         ["kota-b", "analis", "Analis", "ahli_pertama", ""]],
        ["kab-a", "juru", "Juru", "pelaksana", "6"], "M.05",
    ),
    "employees": (
        EMPLOYEE_HEADER,
        [[NEW, "Pegawai Baru", "kab-a", "dinkes", "staf", "II/b", "PNS", CLERK, ""],
         [nip(6, sex=2), "Pegawai Kontrak", "kab-a", "dinkes", "staf", "II/a", "PPPK", CLERK, ""]],
        [nip(7), "Salah Golongan", "kab-a", "dinkes", "staf", "V/a", "PNS", CLERK, ""], "grade",
    ),
    "ratings": (
        ["cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level"],
        [[2026, CLERK, ANALYST, "supervisor", "M.01", 2], [2026, CLERK, CLERK, "self", "M.01", 3]],
        [2026, ANALYST, CLERK, "supervisor", "M.01", 4], "rater_role",
    ),
    "appraisals": (
        ["cycle", "nip", "results", "behaviour", "discipline"],
        [[2026, CLERK, "meets", "below", 2], [2026, ANALYST, "above", "above", ""]],
        [2026, HEAD, "meets", "excellent", ""], "behaviour",
    ),
    "survey": (
        ["cycle", "nip", "competency", "priority", "mode", "blocked_days"],
        [[2026, CLERK, "M.05", 3, "online", "tue;thu"], [2026, ANALYST, "TK.01", 2, "", ""]],
        [2026, HEAD, "M.99", 2, "", ""], "competency",
    ),
}
MODELS = (Agency, Unit, Position, RequiredLevel, Employee, get_user_model(), Cycle, Rating, Appraisal, SurveyResponse)


@pytest.fixture
def staff(db):
    competencies()
    organisation()
    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def run(capsys, kind, path, *args):
    call_command("import_%s" % kind, str(path), *args)
    return capsys.readouterr()


@pytest.mark.parametrize("kind", list(FILES))
def test_dry_run_then_import_then_reimport(kind, staff, tmp_path, capsys):
    header, rows, _bad, _column = FILES[kind]
    path = tmp_path / ("%s.csv" % kind)
    path.write_bytes(csv_bytes(header, rows))
    before = counts()

    out = run(capsys, kind, path, "--dry-run").out
    assert "would create 2" in out and "nothing written" in out
    assert counts() == before

    assert "2 created" in run(capsys, kind, path).out
    assert counts() != before
    assert "0 created, 0 updated, 2 unchanged" in run(capsys, kind, path).out


@pytest.mark.parametrize("kind", list(FILES))
def test_a_failing_file_leaves_the_database_as_it_was(kind, staff, tmp_path, capsys):
    header, rows, bad, column = FILES[kind]
    path = tmp_path / ("%s.xlsx" % kind)
    path.write_bytes(xlsx_bytes(header, [*rows, bad]))  # the good rows come first
    before = counts()

    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_%s" % kind, str(path))

    assert counts() == before
    assert "row 4, %s" % column in capsys.readouterr().err


def test_an_xlsx_file_with_text_nips_imports_like_its_csv(staff, tmp_path, capsys):
    header, rows, _bad, _column = FILES["employees"]
    (tmp_path / "a.xlsx").write_bytes(xlsx_bytes(header, rows))
    (tmp_path / "a.csv").write_bytes(csv_bytes(header, rows, delimiter=";", bom=True))

    assert "2 created" in run(capsys, "employees", tmp_path / "a.xlsx").out
    assert "2 unchanged" in run(capsys, "employees", tmp_path / "a.csv").out
    assert Employee.objects.get(nip=NEW).supervisor.nip == CLERK


def test_notes_and_warnings_are_printed(staff, tmp_path, capsys):
    header = ["cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level"]
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(header, [[2027, HEAD, CLERK, "subordinate", "M.01", 3]]))  # a skip-level report

    output = run(capsys, "ratings", path)

    assert "A new cycle will be opened: 2027." in output.out
    assert "warning: row 2, rater_role" in output.err


def test_a_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_org", str(tmp_path / "nothing.csv"))


def test_a_failure_while_writing_rolls_back_what_was_already_written(staff, tmp_path, monkeypatch):
    header, rows, _bad, _column = FILES["employees"]
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes(header, rows))
    before = counts()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # Users and employees are inserted before the roles; the roles step fails.
    monkeypatch.setattr("tna.imports.employees_write.Group.objects.get_or_create", broken)
    with pytest.raises(RuntimeError):
        call_command("import_employees", str(path))

    assert counts() == before
