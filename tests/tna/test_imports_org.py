"""The org and positions imports: agencies, unit trees, positions and their required levels."""

import pytest

from tna.imports import ImportRejected, import_file
from tna.models import Agency, Position, RequiredLevel, Unit

from .import_files import competencies, csv_bytes, in_english, xlsx_bytes  # noqa: F401

pytestmark = pytest.mark.django_db

ORG_HEADER = ["agency", "agency_name", "unit", "unit_name", "parent_unit"]
POSITION_HEADER = ["agency", "position", "position_name", "job_type"]


def rejected(kind, data):
    with pytest.raises(ImportRejected) as caught:
        import_file(kind=kind, file=data)
    return {(e.row, e.column): e.message for e in caught.value.errors}


def test_org_creates_agencies_with_a_guessed_kind_and_nests_units_declared_later():
    rows = [
        ["kab-a", "Kabupaten Alfa", "bidang-bangkom", "Bidang Pengembangan Kompetensi", "bkpsdm"],
        ["kab-a", "Kabupaten Alfa", "bkpsdm", "Badan Kepegawaian", ""],
        ["kota-b", "Kota Beta", "bkpsdm", "Badan Kepegawaian", ""],
        ["prov-c", "Provinsi Gamma", "bpsdm", "Badan Pengembangan SDM", ""],
    ]

    result = import_file(kind="org", file=csv_bytes(ORG_HEADER, rows))

    assert result.created == 4
    assert dict(Agency.objects.values_list("code", "kind")) == {"kab-a": "regency", "kota-b": "city", "prov-c": "province"}
    inner = Unit.objects.get(agency__code="kab-a", code="bidang-bangkom")
    assert inner.parent.code == "bkpsdm" and inner.parent.agency.code == "kab-a"
    again = import_file(kind="org", file=csv_bytes(ORG_HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_org_moves_and_renames_units_on_reimport():
    import_file(kind="org", file=csv_bytes(ORG_HEADER, [
        ["kab-a", "Kabupaten Alfa", "bkpsdm", "Badan Kepegawaian", ""],
        ["kab-a", "Kabupaten Alfa", "setda", "Sekretariat Daerah", ""],
    ]))

    result = import_file(kind="org", file=xlsx_bytes(ORG_HEADER, [
        ["kab-a", "", "bkpsdm", "BKPSDM", "setda"],
    ]))

    assert result.updated == 1
    unit = Unit.objects.get(code="bkpsdm")
    assert (unit.name, unit.parent.code) == ("BKPSDM", "setda")


def test_org_refuses_loops_unknown_parents_duplicates_and_nameless_new_agencies():
    rows = [
        ["kab-a", "Kabupaten Alfa", "satu", "Satu", "dua"],
        ["kab-a", "Kabupaten Alfa", "dua", "Dua", "satu"],
        ["kab-a", "Kabupaten Alfa", "tiga", "Tiga", "tidak-ada"],
        ["kab-a", "Kabupaten Alfa", "tiga", "Tiga lagi", ""],
        ["kab-x", "", "empat", "Empat", ""],
        ["kab-a", "Kabupaten Alfa", "lima", "Lima", "lima"],
    ]

    errors = rejected("org", csv_bytes(ORG_HEADER, rows))

    assert "inside each other" in errors[(2, "parent_unit")] and (3, "parent_unit") in errors
    assert "tidak-ada" in errors[(4, "parent_unit")]
    assert "row 4" in errors[(5, "unit")]
    assert "give its name" in errors[(6, "agency_name")]
    assert "own parent" in errors[(7, "parent_unit")]
    assert not Agency.objects.exists() and not Unit.objects.exists()


def test_positions_set_given_levels_and_job_type_defaults_for_the_rest():
    found = competencies("M.01", "M.05", "TK.01")
    import_file(kind="org", file=csv_bytes(ORG_HEADER, [["kab-a", "Kabupaten Alfa", "bkpsdm", "BKPSDM", ""]]))
    header = [*POSITION_HEADER, "m.05", "TK.01", "Keterangan"]
    rows = [
        ["kab-a", "kabid", "Kepala Bidang", "Administrator", "4", "", "x"],
        ["kab-a", "analis", "Analis SDM", "Fungsional Ahli Pertama", "", "3", ""],
        ["kab-a", "staf", "Pengadministrasi", "PELAKSANA", "", "", ""],
    ]

    result = import_file(kind="positions", file=csv_bytes(header, rows))

    assert result.created == 3
    levels = {
        (p, c): (lvl, d) for p, c, lvl, d in
        RequiredLevel.objects.values_list("position__code", "competency__code", "level", "is_default")
    }
    assert levels[("kabid", "M.05")] == (4, False)
    assert levels[("kabid", "M.01")] == (3, True)  # administrator default
    assert levels[("analis", "TK.01")] == (3, False)
    assert levels[("analis", "M.05")] == (2, True)  # ahli pertama default
    assert levels[("staf", "M.01")] == (1, True)
    assert ("staf", "TK.01") not in levels  # technical: only where given
    assert Position.objects.get(code="analis").job_type == "ahli_pertama"
    assert set(found) >= {"M.01"}

    # An emptied cell returns to the default; a technical level given before is removed.
    rows = [["kab-a", "kabid", "Kepala Bidang", "administrator", "", "", ""],
            ["kab-a", "analis", "Analis SDM", "ahli_pertama", "", "", ""]]
    result = import_file(kind="positions", file=csv_bytes(header, rows))
    assert result.updated == 2
    assert RequiredLevel.objects.get(position__code="kabid", competency__code="M.05").is_default
    assert RequiredLevel.objects.get(position__code="kabid", competency__code="M.05").level == 3
    assert not RequiredLevel.objects.filter(position__code="analis", competency__code="TK.01").exists()


def test_positions_name_unknown_competency_columns_levels_job_types_and_agencies():
    competencies("M.01")
    import_file(kind="org", file=csv_bytes(ORG_HEADER, [["kab-a", "Kabupaten Alfa", "bkpsdm", "BKPSDM", ""]]))
    header = [*POSITION_HEADER, "M.01", "M.99", "Catatan"]
    rows = [
        ["kab-a", "kabid", "Kepala Bidang", "direktur", "7", "", ""],
        ["kab-z", "kabid", "Kepala Bidang", "administrator", "", "", ""],
    ]

    errors = rejected("positions", csv_bytes(header, rows))

    assert "M.99" in errors[(1, "M.99")]
    assert "pelaksana" in errors[(2, "job_type")]
    assert "1 to 5" in errors[(2, "M.01")]
    assert "org file" in errors[(3, "agency")]
    assert len(errors) == 4
    assert not Position.objects.exists()
