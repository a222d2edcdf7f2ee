"""The employees import: good files land whole, broken files land nothing and name every problem."""

import pytest
from django.core.management import CommandError, call_command

from tna.factories import EmployeeFactory
from tna.imports import ImportRejected, import_file
from tna.models import Employee

from .import_files import EMPLOYEE_HEADER, csv_bytes, in_english, nip, organisation, staff_rows, xlsx_bytes  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    organisation()


def errors_of(kind, data, **kwargs):
    with pytest.raises(ImportRejected) as caught:
        import_file(kind=kind, file=data, **kwargs)
    return {(e.row, e.column): e.message for e in caught.value.errors}


def test_a_good_csv_creates_people_logins_roles_and_the_chain(org):
    result = import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))

    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    clerk = Employee.objects.get(nip=nip(3))
    assert clerk.supervisor.nip == nip(2, sex=2)
    assert clerk.supervisor.supervisor.name == "Kepala Alfa"
    assert clerk.unit.code == "dinkes" and clerk.grade == "II/c"
    assert clerk.user.username == nip(3)
    assert not clerk.user.has_usable_password()
    assert set(clerk.user.groups.values_list("name", flat=True)) == {"asn"}
    assert set(clerk.supervisor.user.groups.values_list("name", flat=True)) == {"asn", "supervisor"}


def test_semicolons_bom_shuffled_and_extra_columns_are_fine(org):
    order = [8, 7, 0, 3, 2, 1, 6, 5, 4]
    header = [EMPLOYEE_HEADER[i].upper().replace("_", " ") for i in order] + ["Catatan"]
    rows = [[row[i] for i in order] + ["apa saja"] for row in staff_rows()]

    result = import_file(kind="employees", file=csv_bytes(header, rows, delimiter=";", bom=True))

    assert result.created == 4
    assert Employee.objects.get(nip=nip(2, sex=2)).email == "analis@alfa.go.id"


def test_an_xlsx_with_nips_as_text_lands(org):
    result = import_file(kind="employees", file=xlsx_bytes(EMPLOYEE_HEADER, staff_rows()), filename="pegawai.xlsx")

    assert result.created == 4
    assert Employee.objects.get(nip=nip(3)).supervisor.nip == nip(2, sex=2)


def test_a_broken_file_lands_nothing_and_names_every_problem(org):
    EmployeeFactory(nip=nip(40), agency__code="other")  # a stored person of another agency
    good = staff_rows()
    rows = [
        *good,
        [nip(5)[:6] + "31" + nip(5)[8:], "Tanggal Salah", "kab-a", "bkpsdm", "staf", "II/a", "PNS", "", ""],
        [nip(6)[:14] + "3" + nip(6)[15:], "Kelamin Salah", "kab-a", "bkpsdm", "staf", "II/a", "PNS", "", ""],
        [nip(3), "Dobel", "kab-a", "bkpsdm", "staf", "II/a", "PNS", "", ""],
        [nip(7), "Unit Salah", "kab-a", "dinsos", "staf", "II/a", "PNS", "", ""],
        [nip(8), "Golongan Salah", "kab-a", "bkpsdm", "staf", "III-a", "PNS", "", ""],
        [nip(9), "Atasan Hilang", "kab-a", "bkpsdm", "staf", "II/a", "PNS", nip(99), ""],
        [nip(10), "Putaran Satu", "kab-a", "bkpsdm", "staf", "II/a", "PNS", nip(11), ""],
        [nip(11), "Putaran Dua", "kab-a", "bkpsdm", "staf", "II/a", "PNS", nip(10), ""],
        [nip(12), "Diri Sendiri", "kab-a", "bkpsdm", "staf", "II/a", "PNS", nip(12), ""],
        [nip(13), "Lain Instansi", "kab-a", "bkpsdm", "staf", "II/a", "PNS", nip(40), ""],
        [nip(14), "Surel Salah", "kab-a", "bkpsdm", "staf", "II/a", "KONTRAK", "", "bukan-surel"],
        [nip(15), "Jabatan Salah", "kab-a", "bkpsdm", "kepala-dinas", "II/a", "PNS", "", ""],
        [nip(16), "Instansi Salah", "kab-z", "bkpsdm", "staf", "II/a", "PNS", "", ""],
    ]
    numeric = [int(nip(17)), "Angka", "kab-a", "bkpsdm", "staf", "II/a", "PNS", "", ""]

    errors = errors_of("employees", xlsx_bytes(EMPLOYEE_HEADER, [*rows, numeric]), filename="pegawai.xlsx")

    assert Employee.objects.count() == 1  # only the stored one: nothing from the file
    assert "birth date" in errors[(6, "nip")]
    assert "sex" in errors[(7, "nip")]
    assert "row 4" in errors[(8, "nip")]
    assert "dinsos" in errors[(9, "unit")]
    assert "III/a" in errors[(10, "grade")]
    assert "neither in this file" in errors[(11, "supervisor_nip")]
    assert "loop" in errors[(12, "supervisor_nip")] and "loop" in errors[(13, "supervisor_nip")]
    assert "own supervisor" in errors[(14, "supervisor_nip")]
    assert "same agency" in errors[(15, "supervisor_nip")]
    assert "email" in errors[(16, "email")] and "PNS, PPPK" in errors[(16, "employment")]
    assert "kepala-dinas" in errors[(17, "position")]
    assert "kab-z" in errors[(18, "agency")]
    assert "format the column as text" in errors[(19, "nip")]
    assert len(errors) == 15


def test_nip_shortened_by_excel_in_a_csv_is_refused(org):
    rows = [["1.97501E+17", "Ilmiah", "kab-a", "bkpsdm", "staf", "II/a", "PNS", "", ""]]

    errors = errors_of("employees", csv_bytes(EMPLOYEE_HEADER, rows))

    assert "digits are already lost" in errors[(2, "nip")]


def test_pppk_numbers_are_checked_leniently(org):
    pppk = nip(20)[:8] + "2023" + "21" + "1" + "001"  # month 21: not a CPNS start
    rows = [[pppk, "Kontrak", "kab-a", "bkpsdm", "staf", "II/a", "pppk", "", ""]]

    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, rows))

    assert Employee.objects.get(nip=pppk).employment == "PPPK"
    with pytest.raises(ImportRejected):
        import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, [[pppk, "X", "kab-a", "bkpsdm", "staf",
                                                                          "II/a", "PNS", "", ""]]))


def test_a_missing_column_is_named(org):
    header = [c for c in EMPLOYEE_HEADER if c != "grade"]
    rows = [[v for c, v in zip(EMPLOYEE_HEADER, r, strict=True) if c != "grade"] for r in staff_rows()]

    errors = errors_of("employees", csv_bytes(header, rows))

    assert list(errors) == [(1, "grade")]
    assert "grade" in errors[(1, "grade")]


def test_reimport_updates_by_nip_and_leaves_the_rest(org):
    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))
    rows = staff_rows()
    rows[2][1], rows[2][5], rows[2][7] = "Staf Alfa Baru", "II/d", nip(1)  # rename, promote, new supervisor

    result = import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    clerk = Employee.objects.get(nip=nip(3))
    assert (clerk.name, clerk.grade, clerk.supervisor.nip) == ("Staf Alfa Baru", "II/d", nip(1))
    assert clerk.user.first_name == "Staf Alfa Baru"
    assert Employee.objects.count() == 4


def test_a_loop_through_stored_employees_is_refused(org):
    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))
    # The head would report to the clerk, who (stored) reports to the analyst, who reports to the head.
    head = staff_rows()[0]
    head[7] = nip(3)

    errors = errors_of("employees", csv_bytes(EMPLOYEE_HEADER, [head]))

    assert "loop" in errors[(2, "supervisor_nip")]
    assert Employee.objects.get(nip=nip(1)).supervisor is None


def test_dry_run_writes_nothing(org):
    result = import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()), dry_run=True)

    assert result.created == 4 and result.dry_run
    assert not Employee.objects.exists()


def test_the_command_summarises_or_lists_errors_and_fails(org, tmp_path, capsys):
    good = tmp_path / "pegawai.csv"
    good.write_bytes(csv_bytes(EMPLOYEE_HEADER, staff_rows()))
    call_command("import_employees", str(good), "--dry-run")
    assert "would create 4" in capsys.readouterr().out
    assert not Employee.objects.exists()

    call_command("import_employees", str(good))
    assert "0 created, 0 updated, 4 unchanged" in _run_again(good, capsys)

    bad = tmp_path / "salah.csv"
    bad.write_bytes(csv_bytes(EMPLOYEE_HEADER, [[nip(30), "X", "kab-a", "bkpsdm", "staf", "V/a", "PNS", "", ""]]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_employees", str(bad))
    assert "row 2, grade 'V/a'" in capsys.readouterr().err


def _run_again(path, capsys):
    capsys.readouterr()
    call_command("import_employees", str(path))
    return capsys.readouterr().out


def test_nips_printed_in_groups_are_read_as_their_digits(org):
    rows = staff_rows()[:2]
    spaced = "%s %s %s %s" % (nip(1)[:8], nip(1)[8:14], nip(1)[14], nip(1)[15:])
    rows[0][0] = spaced
    rows[1][7] = spaced

    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, rows))

    assert Employee.objects.get(nip=nip(2, sex=2)).supervisor.nip == nip(1)


def test_a_nip_whose_last_digits_became_zeros_is_refused(org):
    zeroed = nip(1)[:15] + "000"  # what a number column saved as CSV leaves
    rows = [[zeroed, "Nol", "kab-a", "bkpsdm", "staf", "II/a", "PPPK", "", ""]]

    errors = errors_of("employees", csv_bytes(EMPLOYEE_HEADER, rows))

    assert "000" in errors[(2, "nip")] and "as text" in errors[(2, "nip")]


def test_every_problem_of_a_row_is_named_at_once(org):
    rows = [
        [nip(5), "", "kab-a", "gudang", "staf", "II/a", "PNS", nip(99), ""],
        [nip(5), "Dobel", "kab-a", "bkpsdm", "lurah", "II/a", "PNS", "", ""],
    ]

    errors = errors_of("employees", csv_bytes(EMPLOYEE_HEADER, rows))

    assert set(errors) == {(2, "name"), (2, "unit"), (2, "supervisor_nip"), (3, "nip"), (3, "position")}
