"""``manage.py talent_grid``: the text grid, the JSON array, and its errors."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.tna.test_talent_service import add_person, build_world
from tna.factories import UserFactory
from tna.models import TalentPlacement
from tna.services.talent import talent_grid_run, talent_move

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    world.star = add_person(world, "Sinta Bintang", predikat=("Sangat Baik", "Sangat Baik"), observed=(3, 3, 3, 3))
    world.steady = add_person(world, "Budi Tetap", predikat=("Baik", "Baik"), observed=(2, 2, 2, 2))
    world.low = add_person(world, "Rina Rendah", predikat=("Butuh Perbaikan", "Butuh Perbaikan"), observed=(3, 3, 3, 3))
    world.unappraised = add_person(world, "Tanpa SKP", predikat=(None, None))
    return world


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("talent_grid", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_text_output_is_a_grid_of_counts_with_who_was_not_placed(world):
    out, err = run("--cycle", "2026", "--agency", world.agency.code)

    assert err == ""
    assert "9-box 2026 kab-talenta: 3 people placed" in out
    lines = out.splitlines()
    above = next(line for line in lines if line.startswith("Above expectations"))
    meets = next(line for line in lines if line.startswith("Meets expectations"))
    below = next(line for line in lines if line.startswith("Below expectations"))
    assert above.split()[2:] == ["[4]", "0", "[7]", "0", "[9]", "1"]
    assert meets.split()[2:] == ["[2]", "1", "[5]", "0", "[8]", "0"]
    assert below.split()[2:] == ["[1]", "0", "[3]", "0", "[6]", "1"]
    assert lines.index(above) < lines.index(meets) < lines.index(below)
    assert "Not placed: 1, no SKP appraisal in the cycles read." in out
    assert "Calibration moves kept: 0." in out


def test_text_output_in_indonesian_groups_numbers_and_uses_the_labels(world):
    with translation.override("id"):
        out, _ = run("--cycle", "2026", "--agency", world.agency.code)
    assert "[9] 1" in out and "2026 kab-talenta" in out


def test_json_output_is_an_array_of_one_object_per_placed_person(world):
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    talent_move(placement=TalentPlacement.objects.get(employee=world.steady), box=5,
                reason="Kinerja naik sejak mutasi.", by=UserFactory(username="ketua"))

    out, err = run("--cycle", "2026", "--agency", world.agency.code, "--format", "json")

    records = json.loads(out)  # nothing else on stdout
    assert isinstance(records, list) and len(records) == 3
    by_nip = {record["nip"]: record for record in records}
    assert set(by_nip) == {world.star.nip, world.steady.nip, world.low.nip}
    star = by_nip[world.star.nip]
    assert set(star) == {"nip", "name", "box", "performance", "potential", "computed_box", "calibrated", "unit",
                         "job_type", "reason"}
    assert (star["name"], star["box"], star["performance"], star["potential"], star["computed_box"],
            star["calibrated"], star["unit"], star["job_type"]) == (
        "Sinta Bintang", 9, "above", "high", 9, False, world.unit.code, "pengawas")
    assert star["reason"]["potential"]["reference_job_type"] == "administrator"
    steady = by_nip[world.steady.nip]
    assert (steady["box"], steady["computed_box"], steady["calibrated"]) == (5, 2, True)
    assert [record["box"] for record in records] == [9, 6, 5]  # highest box first
    assert "3 people placed" in err and "Calibration moves kept: 1." in err


def test_json_output_of_an_agency_with_nobody_placed_is_an_empty_array(world):
    world.star.appraisals.all().delete()
    world.steady.appraisals.all().delete()
    world.low.appraisals.all().delete()
    out, err = run("--cycle", "2026", "--agency", world.agency.code, "--format", "json")
    assert json.loads(out) == []
    assert "Not placed: 4, no SKP appraisal in the cycles read." in err


def test_errors_are_command_errors(world):
    with pytest.raises(CommandError, match="There is no cycle 2030"):
        run("--cycle", "2030", "--agency", world.agency.code)
    with pytest.raises(CommandError, match="no agency with code nowhere"):
        run("--cycle", "2026", "--agency", "nowhere")
    # A cycle without a gap analysis gets one first (the service alone refuses: test_talent_service).
    out, _err = run("--cycle", "2025", "--agency", world.agency.code)
    assert "no gap analysis for %s yet: running it first" % world.agency.code in out
