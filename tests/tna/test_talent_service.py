"""talent_grid_run and talent_move through the ORM: hand-checkable placements, calibration kept across
re-runs, atomic replacement, the signal after commit."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from tna.factories import (
    AgencyFactory,
    AppraisalFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
    UserFactory,
)
from tna.models import AssessmentResult, CompetencyGap, TalentPlacement
from tna.services import talent as talent_service
from tna.services.talent import talent_grid_run, talent_move
from tna.signals import talent_placed

pytestmark = pytest.mark.django_db

# (results, behaviour) giving each predikat (PermenPANRB 6/2022, tna.models.evidence.PREDIKAT).
PAIR = {
    "Sangat Baik": ("above", "above"),
    "Baik": ("meets", "meets"),
    "Butuh Perbaikan": ("below", "meets"),
    "Kurang": ("meets", "below"),
    "Sangat Kurang": ("below", "below"),
}


def build_world(code="kab-talenta"):
    """One agency whose pengawas (supervisors) need level 2 of four competencies; the next level
    up, administrator, needs level 3 of the same four: the standard potential is measured against.
    Cycles 2025 and 2026."""
    agency = AgencyFactory(code=code)
    unit = UnitFactory(agency=agency, code="%s-bkpsdm" % code)
    pengawas = PositionFactory(agency=agency, job_type="pengawas")
    administrator = PositionFactory(agency=agency, job_type="administrator")
    competencies = [CompetencyFactory(code="%s-K%d" % (code[:7].upper(), k)) for k in range(4)]
    for competency in competencies:
        RequiredLevelFactory(position=pengawas, competency=competency, level=2)
        RequiredLevelFactory(position=administrator, competency=competency, level=3)
    return SimpleNamespace(agency=agency, unit=unit, position=pengawas, competencies=competencies,
                           cycle=CycleFactory(year=2026), previous=CycleFactory(year=2025))


def add_person(world, name, *, predikat=("Baik", "Baik"), observed=(3, 3, 3, 3), jpm=None):
    """A pengawas with SKP predikat (2026, 2025; None for no appraisal that year), observed
    levels of the four competencies in the 2026 TNA results (None: no rating) and an optional
    assessment-centre JPM for 2026."""
    person = EmployeeFactory(agency=world.agency, unit=world.unit, position=world.position, name=name)
    for cycle, value in zip((world.cycle, world.previous), predikat, strict=False):
        if value:
            results, behaviour = PAIR[value]
            AppraisalFactory(cycle=cycle, employee=person, results=results, behaviour=behaviour)
    set_profile(world, person, observed)
    if jpm is not None:
        AssessmentResult.objects.create(cycle=world.cycle, employee=person, jpm=jpm)
    return person


def set_profile(world, person, observed):
    CompetencyGap.objects.filter(cycle=world.cycle, employee=person).delete()
    for competency, level in zip(world.competencies, observed, strict=True):
        CompetencyGap.objects.create(
            cycle=world.cycle, employee=person, agency=world.agency, unit=world.unit, competency=competency,
            required_level=2, observed_level=level, confidence=0.7 if level is not None else 0,
            gap=max(2 - level, 0) if level is not None else 0,
        )


def placement(world, person):
    return TalentPlacement.objects.get(cycle=world.cycle, employee=person)


@pytest.fixture
def world():
    return build_world()


def test_two_sangat_baik_years_at_the_next_levels_standard_is_box_9(world):
    star = add_person(world, "Sinta Bintang", predikat=("Sangat Baik", "Sangat Baik"), observed=(3, 3, 3, 3))

    summary = talent_grid_run(cycle=world.cycle, agency=world.agency)

    found = placement(world, star)
    assert (found.box, found.computed_box, found.performance, found.potential) == (9, 9, "above", "high")
    assert (found.performance_score, found.potential_score) == (3.0, 0.0)
    assert found.job_type == "pengawas" and found.unit_id == world.unit.pk
    reason = found.reason
    assert reason["performance"]["appraisals"] == [
        {"year": 2026, "predikat": "Sangat Baik", "score": 3, "weight": 0.6},
        {"year": 2025, "predikat": "Sangat Baik", "score": 3, "weight": 0.4},
    ]
    assert reason["performance"]["score"] == 3.0
    potential = reason["potential"]
    assert potential["decided_by"] == "profile"
    assert potential["reference_job_type"] == "administrator"
    assert (potential["compared"], potential["shortfall"], potential["largest"], potential["jpm"]) == (4, 0.0, [], None)
    assert summary.placed == 1 and summary.boxes[9] == 1 and sum(summary.boxes.values()) == 1
    assert summary.unplaced == {"no_appraisal": 0, "too_little_evidence": 0}


def test_baik_twice_a_level_short_of_the_next_standard_is_box_2(world):
    steady = add_person(world, "Budi Tetap", predikat=("Baik", "Baik"), observed=(2, 2, 2, 2))

    talent_grid_run(cycle=world.cycle, agency=world.agency)

    found = placement(world, steady)
    assert (found.box, found.performance, found.potential) == (2, "meets", "low")
    potential = found.reason["potential"]
    assert potential["shortfall"] == 1.0
    # The three largest shortfalls, by competency id on a tie: what the analyst checks by hand.
    assert potential["largest"] == [
        {"competency": c.pk, "required": 3, "observed": 2.0, "shortfall": 1.0} for c in world.competencies[:3]
    ]


def test_butuh_perbaikan_twice_with_high_potential_is_box_6(world):
    person = add_person(world, "Rina Rendah", predikat=("Butuh Perbaikan", "Butuh Perbaikan"), observed=(3, 3, 3, 2.5))

    talent_grid_run(cycle=world.cycle, agency=world.agency)

    found = placement(world, person)
    # Shortfall (0 + 0 + 0 + 0.5) / 4 = 0.125: high potential; score 1: below.
    assert (found.box, found.performance, found.potential) == (6, "below", "high")
    assert found.reason["potential"]["shortfall"] == 0.125


def test_an_assessment_centre_jpm_of_92_overrides_a_low_profile(world):
    person = add_person(world, "Ayu Asesmen", predikat=("Baik", "Baik"), observed=(2, 2, 2, 2), jpm=92)

    talent_grid_run(cycle=world.cycle, agency=world.agency)

    found = placement(world, person)
    assert (found.box, found.performance, found.potential, found.potential_score) == (8, "meets", "high", 92.0)
    potential = found.reason["potential"]
    assert potential["decided_by"] == "assessment" and potential["jpm"] == 92.0
    # The profile is still reported: a full level short everywhere would have been low.
    assert potential["shortfall"] == 1.0 and potential["compared"] == 4


def test_the_latest_year_weighs_more_and_one_year_alone_decides(world):
    rising = add_person(world, "Naik", predikat=("Sangat Baik", "Baik"))
    falling = add_person(world, "Turun", predikat=("Baik", "Sangat Baik"))
    newcomer = add_person(world, "Baru", predikat=("Sangat Baik", None))

    talent_grid_run(cycle=world.cycle, agency=world.agency)

    # 0.6 × 3 + 0.4 × 2 = 2.6 ≥ 2.5; 0.6 × 2 + 0.4 × 3 = 2.4.
    assert (placement(world, rising).performance_score, placement(world, rising).performance) == (2.6, "above")
    assert (placement(world, falling).performance_score, placement(world, falling).performance) == (2.4, "meets")
    only = placement(world, newcomer)
    assert only.performance == "above"
    assert only.reason["performance"]["appraisals"] == [{"year": 2026, "predikat": "Sangat Baik", "score": 3, "weight": 1.0}]


def test_people_without_an_appraisal_or_with_too_little_evidence_are_not_placed(world):
    add_person(world, "Tanpa SKP", predikat=(None, None))
    add_person(world, "Sedikit Data", observed=(3, 3, None, None))
    assessed = add_person(world, "Dinilai", observed=(3, None, None, None), jpm=80)

    summary = talent_grid_run(cycle=world.cycle, agency=world.agency)

    assert summary.unplaced == {"no_appraisal": 1, "too_little_evidence": 1}
    # An assessment decides potential even where the profile is too thin.
    assert list(TalentPlacement.objects.values_list("employee", "potential")) == [(assessed.pk, "medium")]


def test_a_cycle_without_tna_results_asks_for_run_tna_first(world):
    person = EmployeeFactory(agency=world.agency, unit=world.unit, position=world.position)
    AppraisalFactory(cycle=world.cycle, employee=person)

    with pytest.raises(ValidationError, match="run run_tna first"):
        talent_grid_run(cycle=world.cycle, agency=world.agency)
    assert not TalentPlacement.objects.exists()


def test_a_calibration_move_survives_a_re_run_with_its_history(world):
    star = add_person(world, "Sinta Bintang", predikat=("Sangat Baik", "Sangat Baik"))
    other = add_person(world, "Budi Tetap", observed=(2, 2, 2, 2))
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    chair = UserFactory(username="ketua-komite")
    moved = talent_move(placement=placement(world, star), box=8, reason="Baru enam bulan di jabatan ini.", by=chair)
    assert (moved.box, moved.computed_box, moved.calibrated) == (8, 9, True)

    # The evidence changes: her profile drops to box 7's potential; his rises.
    set_profile(world, star, (2.5, 2.5, 2.5, 2.5))
    set_profile(world, other, (3, 3, 3, 3))
    summary = talent_grid_run(cycle=world.cycle, agency=world.agency)

    kept = placement(world, star)
    assert kept.pk == moved.pk
    assert (kept.box, kept.computed_box, kept.potential) == (8, 7, "medium")
    assert (kept.moved_by, kept.move_reason) == (chair, "Baru enam bulan di jabatan ini.")
    assert list(kept.moves.values_list("from_box", "to_box", "author")) == [(9, 8, chair.pk)]
    assert placement(world, other).box == 8  # not moved: follows the evidence (meets/high)
    assert summary.calibrated_kept == 1 and summary.boxes[8] == 2


def test_a_move_that_the_evidence_later_agrees_with_keeps_its_record(world):
    person = add_person(world, "Sinta", predikat=("Sangat Baik", "Sangat Baik"), observed=(2.5, 2.5, 2.5, 2.5))
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    chair = UserFactory(username="ketua")
    talent_move(placement=placement(world, person), box=9, reason="Memimpin proyek SPBE.", by=chair)

    set_profile(world, person, (3, 3, 3, 3))
    talent_grid_run(cycle=world.cycle, agency=world.agency)

    found = placement(world, person)
    assert (found.box, found.computed_box, found.calibrated) == (9, 9, False)
    assert found.move_reason == "Memimpin proyek SPBE." and found.moves.count() == 1


def test_a_move_needs_a_reason_and_a_box_from_1_to_9(world):
    person = add_person(world, "Sinta", predikat=("Sangat Baik", "Sangat Baik"))
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    found = placement(world, person)
    chair = UserFactory(username="ketua")

    with pytest.raises(ValidationError) as raised:
        talent_move(placement=found, box=7, reason="   ", by=chair)
    assert "needs a reason" in str(raised.value)
    for box in (0, 10, "9", 8.0):
        with pytest.raises(ValidationError, match="from 1 to 9"):
            talent_move(placement=found, box=box, reason="Alasan", by=chair)
    found.refresh_from_db()
    assert (found.box, found.moved_at, found.moves.count()) == (9, None, 0)


def test_moving_back_to_the_box_from_the_evidence_is_recorded_too(world):
    person = add_person(world, "Sinta", predikat=("Sangat Baik", "Sangat Baik"))
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    chair = UserFactory(username="ketua")
    talent_move(placement=placement(world, person), box=5, reason="Perlu dibahas.", by=chair)
    back = talent_move(placement=placement(world, person), box=9, reason="Dibahas: tetap di kotak 9.", by=chair)

    assert (back.box, back.calibrated, back.move_reason) == (9, False, "Dibahas: tetap di kotak 9.")
    assert list(back.moves.order_by("pk").values_list("from_box", "to_box")) == [(9, 5), (5, 9)]


def test_people_no_longer_placed_lose_their_placement(world):
    person = add_person(world, "Pindah", predikat=("Baik", "Baik"))
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    person.appraisals.all().delete()

    summary = talent_grid_run(cycle=world.cycle, agency=world.agency)

    assert not TalentPlacement.objects.filter(employee=person).exists()
    assert summary.placed == 0 and summary.unplaced["no_appraisal"] == 1


def test_a_failed_run_leaves_the_previous_placements(world, monkeypatch):
    first = add_person(world, "Sinta", predikat=("Sangat Baik", "Sangat Baik"))
    talent_grid_run(cycle=world.cycle, agency=world.agency)
    before = list(TalentPlacement.objects.values_list("pk", "employee", "box", "computed_box", "computed_at"))
    set_profile(world, first, (2, 2, 2, 2))  # would become box 4
    add_person(world, "Baru")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(talent_service, "insert_rows", broken)  # after the updates were made
    with pytest.raises(RuntimeError, match="disk full"):
        talent_grid_run(cycle=world.cycle, agency=world.agency)

    assert list(TalentPlacement.objects.values_list("pk", "employee", "box", "computed_box", "computed_at")) == before


def test_other_agencies_placements_are_left_alone(world):
    add_person(world, "Sinta")
    other = build_world("kab-lain")
    elsewhere = add_person(other, "Lain")
    talent_grid_run(cycle=other.cycle, agency=other.agency)

    talent_grid_run(cycle=world.cycle, agency=world.agency)

    assert TalentPlacement.objects.filter(agency=other.agency).get().employee == elsewhere
    assert TalentPlacement.objects.count() == 2


def test_talent_placed_is_sent_once_committed(world, django_capture_on_commit_callbacks):
    add_person(world, "Sinta")
    heard = []

    def listener(sender, cycle, agency, **kwargs):
        heard.append((sender, cycle, agency, TalentPlacement.objects.filter(cycle=cycle, agency=agency).count()))

    talent_placed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            talent_grid_run(cycle=world.cycle, agency=world.agency)
        assert heard == []  # nothing is announced before the placements are committed
        for callback in callbacks:
            callback()
        assert heard == [(TalentPlacement, world.cycle, world.agency, 1)]
    finally:
        talent_placed.disconnect(listener)
