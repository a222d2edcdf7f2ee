"""Generated workforces and evidence look like real staff lists and real appraisal rounds."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tna.factories import AgencyFactory
from tna.generate.workforce import PositionSpec, UnitSpec, plan_workforce
from tna.grades import GRADE_RANGE, PANGKAT, grade_rank, job_family
from tna.infra.bulk import indexes
from tna.models import Appraisal, Employee, Rating, SurveyResponse, Unit, UnitSatisfaction
from tna.nip import parse_nip
from tna.roles import ASN, SUPERVISOR
from tna.services.positions import required_levels_apply_defaults

YEAR = 2026


@pytest.fixture
def regions(seed_regions):
    required_levels_apply_defaults()


def generate(agency, employees, seed=7, **options):
    out = StringIO()
    call_command("generate_workforce", agency=agency, employees=employees, seed=seed, stdout=out, **options)
    return out.getvalue()


def staff(agency):
    return list(Employee.objects.filter(agency__code=agency).select_related("position", "user", "supervisor"))


def test_nips_are_valid_unique_and_are_the_usernames_grades_fit_and_leaders_supervise(regions):
    output = generate("lampung-selatan", 400)

    people = staff("lampung-selatan")
    assert len(people) == 400
    assert "400" in output
    assert len({p.nip for p in people}) == 400
    for person in people:
        parts = parse_nip(person.nip, employment=person.employment)  # raises on a broken NIP
        age = YEAR - parts.birth_date.year
        assert 18 <= age <= 65, person
        if person.employment == "PNS":
            assert parts.birth_date.year + 17 <= parts.start_year <= YEAR
        assert person.user.username == person.nip
        assert not person.user.has_usable_password()
        assert person.email.endswith("@lampungselatankab.go.id")
        low, high = GRADE_RANGE[person.position.job_type]
        assert grade_rank(low) <= grade_rank(person.grade) <= grade_rank(high), (person, person.position.job_type)
        assert person.pangkat == PANGKAT[person.grade]
    assert {p.employment for p in people} == {"PNS", "PPPK"}
    assert len({p.name for p in people}) > 200  # names vary

    users = User.objects.filter(employee__agency__code="lampung-selatan")
    leaders = set(Employee.objects.filter(reports__isnull=False).values_list("user_id", flat=True))
    assert 20 < len(leaders) < 100
    assert set(users.filter(groups__name=SUPERVISOR).values_list("pk", flat=True)) == leaders
    assert users.filter(groups__name=ASN).count() == 400


def test_supervisor_chains_are_acyclic_stay_in_the_agency_and_lead_upwards(regions):
    generate("prov-jambi", 250)
    generate("sibolga", 120)

    people = {p.pk: p for p in Employee.objects.select_related("position", "unit")}
    tops = Counter()
    for person in people.values():
        seen, current = {person.pk}, person
        while current.supervisor_id is not None:
            boss = people[current.supervisor_id]
            assert boss.agency_id == person.agency_id
            assert boss.pk not in seen, "loop in the supervisor chain of %s" % person
            seen.add(boss.pk)
            current = boss
        tops[person.agency_id] += current.unit.parent_id is None
        if person.supervisor_id:
            boss = people[person.supervisor_id]
            # A report works in the boss's unit or in a unit directly below it.
            assert person.unit_id == boss.unit_id or person.unit.parent_id == boss.unit_id
            assert job_family(boss.position.job_type) == "managerial" or boss.position.code == "kepala-sekolah"
    assert len(tops) == 2 and all(tops.values())
    # Only the heads of top units have no supervisor.
    for person in people.values():
        if person.supervisor_id is None:
            assert person.unit.parent_id is None
            assert not Employee.objects.filter(unit=person.unit, supervisor=None).exclude(pk=person.pk).exists()


def test_the_same_seed_plans_the_same_people():
    units = [
        UnitSpec(1, "Dinas Kesehatan", None), UnitSpec(2, "Bidang Pelayanan Kesehatan", 1),
        UnitSpec(3, "UPTD Puskesmas Sibolga Kota", 1), UnitSpec(4, "SD Negeri 1 Sibolga", None),
    ]
    positions = [
        PositionSpec(10, "kepala-dinas", "jpt_pratama"), PositionSpec(11, "kepala-bidang", "administrator"),
        PositionSpec(12, "kepala-seksi", "pengawas"), PositionSpec(13, "kepala-puskesmas", "pengawas"),
        PositionSpec(14, "perawat-terampil", "terampil"), PositionSpec(15, "bidan-terampil", "terampil"),
        PositionSpec(16, "pengadministrasi-umum", "pelaksana"), PositionSpec(17, "kepala-sekolah", "ahli_madya"),
        PositionSpec(18, "guru-ahli-pertama", "ahli_pertama"),
    ]
    plan = {
        "agency_code": "sibolga", "agency_kind": "city", "units": units, "positions": positions, "employees": 80,
        "today": datetime.date(YEAR, 3, 1),
    }
    first = plan_workforce(seed=3, **plan)
    assert first == plan_workforce(seed=3, **plan)
    assert first != plan_workforce(seed=4, **plan)
    assert len(first) == 80
    by_unit = Counter(p.unit_id for p in first)
    assert by_unit[3] > by_unit[2]  # a puskesmas is staffed more than a desk of the dinas
    midwives = [p for p in first if p.position_id == 15]
    assert midwives and all(p.supervisor is not None and first[p.supervisor].position_id == 13 for p in midwives)
    assert {p.position_id for p in first if p.unit_id == 4} <= {17, 18, 16}


def test_rerunning_is_refused_and_add_brings_new_people(regions):
    generate("sibolga", 60)
    first = {p.nip: p.name for p in staff("sibolga")}

    with pytest.raises(CommandError, match="already has 60"):
        generate("sibolga", 60)
    assert Employee.objects.count() == 60

    generate("sibolga", 60, add=True)
    people = staff("sibolga")
    assert len(people) == 120 == len({p.nip for p in people})
    added = [p for p in people if p.nip not in first]
    assert len({p.name for p in added} & set(first.values())) < 20  # other people, not namesakes


def test_unknown_agency_is_reported(db):
    with pytest.raises(CommandError, match="atlantis"):
        generate("atlantis", 10)


def test_evidence_has_about_five_raters_each_an_appraisal_and_a_survey(regions):
    generate("lampung-selatan", 300)
    out = StringIO()
    call_command("generate_evidence", cycle=YEAR, agency="lampung-selatan", seed=2, stdout=out)
    assert "300" in out.getvalue()

    people = {p.pk: p for p in staff("lampung-selatan")}
    ratings = list(Rating.objects.filter(cycle__year=YEAR).values_list("ratee_id", "rater_id", "rater_role", "level"))
    raters = {}
    for ratee, rater, role, level in ratings:
        assert 1 <= level <= 5
        raters.setdefault(ratee, {})[rater] = role
    assert set(raters) == set(people)
    assert 4 <= sum(len(r) for r in raters.values()) / len(people) <= 6
    for pk, person in people.items():
        assert raters[pk][pk] == "self"
        if person.supervisor_id:
            assert raters[pk][person.supervisor_id] == "supervisor"
        for rater, role in raters[pk].items():
            assert people[rater].agency_id == person.agency_id
            if role == "subordinate":
                assert people[rater].supervisor_id == pk
    appraisals = Appraisal.objects.filter(cycle__year=YEAR)
    assert appraisals.count() == 300
    for appraisal in appraisals:
        assert appraisal.rated_by_id == people[appraisal.employee_id].supervisor_id
    responders = SurveyResponse.objects.filter(cycle__year=YEAR).values("employee").distinct().count()
    assert 0.4 < responders / 300 < 0.8
    scores = UnitSatisfaction.objects.filter(cycle__year=YEAR)
    assert scores.count() == Unit.objects.filter(agency__code="lampung-selatan", parent=None).count()
    assert all(25 <= s.score <= 100 for s in scores)


def test_evidence_again_replaces_it_and_bulk_loads_rebuild_the_indexes(regions, monkeypatch):
    generate("sibolga", 150)
    call_command("generate_evidence", cycle=YEAR, seed=2, stdout=StringIO())
    counts = Rating.objects.count(), Appraisal.objects.count(), SurveyResponse.objects.count()

    # Past the threshold the rating indexes are dropped for the load and built again.
    monkeypatch.setattr(indexes, "DEFER_INDEXES_FROM", 1)
    before = connection.introspection.get_constraints(connection.cursor(), Rating._meta.db_table)
    call_command("generate_evidence", cycle=YEAR, seed=2, stdout=StringIO())

    assert (Rating.objects.count(), Appraisal.objects.count(), SurveyResponse.objects.count()) == counts
    after = connection.introspection.get_constraints(connection.cursor(), Rating._meta.db_table)
    assert sorted(after) == sorted(before)
    assert any(c["index"] and not c["unique"] for c in after.values())


def test_evidence_needs_people(db):
    AgencyFactory(code="kota-kosong")
    with pytest.raises(CommandError, match="generate a workforce first"):
        call_command("generate_evidence", cycle=YEAR, agency="kota-kosong", stdout=StringIO())
