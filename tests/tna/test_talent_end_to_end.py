"""From raw evidence to the 9-box, as an HR analyst would check it by hand: two cycles of SKP and
ratings against the standard of the next job level, then ``talent_grid`` (which runs the gap
analysis first when the cycle has none)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tna import factories
from tna.models import Appraisal, CompetencyGap, Rating

CODES = ("M.01", "M.02", "M.03", "M.04")
# SKP (results, behaviour) per predikat.
SKP = {"Sangat Baik": ("above", "above"), "Baik": ("meets", "meets"), "Butuh Perbaikan": ("below", "meets")}


@pytest.fixture
def agency(db):
    agency = factories.AgencyFactory(code="kab-uji", name="Kabupaten Uji")
    competencies = [factories.CompetencyFactory(code=code, name=code, group="managerial", category="other")
                    for code in CODES]
    staff_post = factories.PositionFactory(agency=agency, code="pengadministrasi", job_type="pelaksana")
    head_post = factories.PositionFactory(agency=agency, code="kepala-seksi", job_type="pengawas")
    for competency in competencies:
        factories.RequiredLevelFactory(position=staff_post, competency=competency, level=1)
        # The next level's standard the analyst reads potential against: 3 in each.
        factories.RequiredLevelFactory(position=head_post, competency=competency, level=3)
    unit = factories.UnitFactory(agency=agency, code="bkpsdm")
    boss = factories.EmployeeFactory(agency=agency, unit=unit, position=head_post, name="Kepala Seksi")
    previous, current = factories.CycleFactory(year=2025), factories.CycleFactory(year=2026)

    def person(name, predikat, levels):
        employee = factories.EmployeeFactory(agency=agency, unit=unit, position=staff_post, name=name, supervisor=boss)
        for cycle, label in zip((current, previous), predikat, strict=True):
            results, behaviour = SKP[label]
            Appraisal.objects.create(cycle=cycle, employee=employee, results=results, behaviour=behaviour)
        for competency, level in zip(competencies, levels, strict=True):
            Rating.objects.create(cycle=current, ratee=employee, rater=boss, rater_role="supervisor",
                                  competency=competency, level=level)
            Rating.objects.create(cycle=current, ratee=employee, rater=employee, rater_role="self",
                                  competency=competency, level=level)
        return employee

    agency.people = {
        9: person("Sinta Unggul", ("Sangat Baik", "Sangat Baik"), (3, 3, 3, 3)),
        2: person("Budi Sedang", ("Baik", "Baik"), (2, 2, 2, 2)),
        6: person("Rina Potensial", ("Butuh Perbaikan", "Butuh Perbaikan"), (3, 3, 3, 3)),
        5: person("Dedi Tengah", ("Baik", "Baik"), (3, 3, 2, 2)),
    }
    return agency


def test_the_grid_puts_each_person_where_the_analyst_would_with_reasons(agency):
    assert not CompetencyGap.objects.exists()
    out, err = StringIO(), StringIO()
    call_command("talent_grid", "--cycle", "2026", "--agency", "kab-uji", "--format", "json", stdout=out, stderr=err)
    assert "running it first" in err.getvalue()
    placed = {row["nip"]: row for row in json.loads(out.getvalue())}
    for box, employee in agency.people.items():
        row = placed[employee.nip]
        assert row["box"] == box, (employee.name, row)
        assert row["reason"]["potential"]["reference_job_type"] == "pengawas"
    assert placed[agency.people[9].nip]["performance"] == "above"
    assert placed[agency.people[9].nip]["potential"] == "high"
    assert placed[agency.people[2].nip]["potential"] == "low"
    assert placed[agency.people[6].nip]["performance"] == "below"
    assert placed[agency.people[5].nip]["potential"] == "medium"
