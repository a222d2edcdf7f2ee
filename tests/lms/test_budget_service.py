"""Budget planning through the service: candidates from recommendations, plans written, moved on and read back."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from courses.factories import CourseFactory
from lms.budget.accounts import TRAINING
from lms.models import PlanEvent, PlanStatus, Recommendation, TrainingPlan
from lms.services import budget as service
from tna.factories import CompetencyFactory, CycleFactory, EmployeeFactory, UnitFactory, UserFactory
from tna.models import CompetencyGap

M = 1_000_000


def budget_scene(agency, unit, position, *, amount=18 * M):
    """Unit A (``unit``): eight people for a classroom course (Rp 10 M a class + 1 M a head, 5–10
    a class), closing one level of a priority-100 gap each. Unit B: four people for e-learning
    (Rp 1 M a head) closing 0.5, 0.45, 0.4, 0.35. One agency envelope (any training) of ``amount``.
    The same case as tests/lms/test_budget_optimiser.py, through the database."""
    cycle = CycleFactory(year=2026)
    unit_b = UnitFactory(agency=agency, code="dinkes", name="Dinas Kesehatan")
    data, digital = CompetencyFactory(code="TK.90"), CompetencyFactory(code="TK.91", group="managerial")
    classroom = CourseFactory(agency=agency, code="analisis-data", route="KL03", jp=24, cost_per_participant=M,
                              fixed_cost_per_class=10 * M, min_participants=5, max_participants=10,
                              competencies=[(data, 3)])
    elearning = CourseFactory(agency=agency, code="literasi-digital", route="NKL03", mode="online", jp=12,
                              cost_per_participant=M, fixed_cost_per_class=0, min_participants=1,
                              max_participants=500, competencies=[(digital, 2)])
    people_a = [EmployeeFactory(agency=agency, unit=unit, position=position) for _ in range(8)]
    people_b = [EmployeeFactory(agency=agency, unit=unit_b, position=position) for _ in range(4)]
    rows = [(p, classroom, data, 1.0) for p in people_a]
    rows += [(p, elearning, digital, c) for p, c in zip(people_b, (0.5, 0.45, 0.4, 0.35), strict=True)]
    for person, course, competency, closure in rows:
        CompetencyGap.objects.create(cycle=cycle, employee=person, agency=agency, unit=person.unit,
                                     competency=competency, required_level=3, observed_level=3 - closure,
                                     gap=closure, priority=100)
        Recommendation.objects.create(cycle=cycle, employee=person, course=course, competency=competency, rank=1,
                                      score=1.0, expected_closure=closure)
    planner = EmployeeFactory(agency=agency, unit=unit, position=position, roles=["planner"]).user
    service.envelope_set(agency=agency, fiscal_year=2026, account=TRAINING, amount=amount, user=planner)
    return {"cycle": cycle, "unit_b": unit_b, "people_a": people_a, "people_b": people_b, "planner": planner,
            "classroom": classroom, "elearning": elearning}


@pytest.fixture
def scene(agency, unit, position, settings):
    settings.LATIH_BUDGET_JP_WEIGHT = 0.0  # gap closure alone, as in the hand-solved case
    return budget_scene(agency, unit, position)


def test_plan_picks_what_the_hand_solution_picks(scene, agency):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    items = {item.course_id: item for item in plan.items.all()}
    classroom, elearning = items[scene["classroom"].pk], items[scene["elearning"].pk]
    assert (classroom.classes, classroom.seats.count(), classroom.budget) == (1, 6, 16 * M)
    assert set(elearning.participants.all()) == set(scene["people_b"][:2])
    assert plan.status == PlanStatus.DRAFT and plan.figures["spent"] == 18 * M
    assert plan.figures["value"] == pytest.approx(6.95)
    # The national plan's columns are filled in for every item.
    assert classroom.route == "KL03" and classroom.competency_type == "technical"
    assert elearning.competency_type == "managerial" and "Dinas Kesehatan (2)" in elearning.target_staff
    assert classroom.provider and classroom.schedule
    seat = classroom.seats.first()
    assert seat.recommendation.course_id == scene["classroom"].pk and seat.expected_closure == 1.0
    assert list(plan.events.values_list("action", flat=True)) == [PlanEvent.Action.CREATED]


def test_greedy_and_cut_plans_for_comparison(scene, agency):
    greedy = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"], method="greedy")
    cut = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"], factor=0.8)
    assert greedy.method == "greedy" and greedy.figures["spent"] <= 18 * M
    # 14.4 M: no class of five (15 M) fits, so all four e-learning seats.
    assert cut.figures["spent"] == 4 * M and cut.items.get().course == scene["elearning"]
    assert "-20%" in cut.name


def test_status_moves_with_who_and_when(scene, agency):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    with pytest.raises(ValidationError):
        service.plan_approve(plan=plan, user=scene["planner"])
    plan = service.plan_submit(plan=plan, user=scene["planner"])
    assert plan.submitted_by == scene["planner"] and plan.submitted_at
    plan = service.plan_approve(plan=plan, user=scene["planner"], note="Disetujui kepala BKPSDM")
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == scene["planner"]
    other = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"], method="greedy")
    service.plan_submit(plan=other, user=scene["planner"])
    with pytest.raises(ValidationError):
        service.plan_approve(plan=other, user=scene["planner"])
    service.plan_return(plan=plan, user=scene["planner"], note="Revisi anggaran")
    assert list(plan.events.values_list("action", "user")) == [
        ("created", scene["planner"].pk), ("submitted", scene["planner"].pk), ("approved", scene["planner"].pk),
        ("returned", scene["planner"].pk)]
    assert TrainingPlan.objects.get(pk=plan.pk).approved_at is None


def test_only_the_agencys_planners_plan(scene, agency, make_employee):
    outsider = UserFactory()
    staff = make_employee("Bukan Perencana").user
    for user in (outsider, staff):
        with pytest.raises(PermissionDenied):
            service.plan_budget(agency=agency, fiscal_year=2026, user=user)


def test_allocation_and_planned_vs_spent(scene, agency):
    from lms.budget.summary import allocation, totals

    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    seats = service.plan_seats(plan)
    by_unit = allocation(seats, "unit_name").set_index("unit_name")
    assert by_unit.loc["BKPSDM", "cost"] == 16 * M and by_unit.loc["Dinas Kesehatan", "cost"] == 2 * M
    assert by_unit.loc["BKPSDM", "cost_per_jp"] == pytest.approx(16 * M / (6 * 24))
    staff, reaching = service.reaching_minimum(plan)
    figures = totals(seats, staff=staff, reaching=reaching)
    assert figures["cost_per_point"] == pytest.approx(18 * M / 6.95)
    assert (staff, reaching) == (13, 6)  # the six in class get 24 JP; e-learning gives 12
    table = service.planned_vs_spent(plan)
    assert table["planned"].sum() == 18 * M and table["spent"].sum() == 0


def test_value_of_the_next_ten_million(scene, agency):
    base, rows = service.next_money_value(agency=agency, fiscal_year=2026, user=scene["planner"])
    assert base.value == pytest.approx(6.95)
    # Rp 28 M: a class of eight (18 M) and all four e-learning seats (4 M) fit: 8 + 1.7 = 9.7.
    assert rows[0]["value"] == pytest.approx(9.7 - 6.95)


def test_a_plan_of_development_seats_only_reads_without_error(db):
    """Seats with no competency (development-plan courses) beside gap rows: no merge of None with integers."""
    from courses.factories import CourseFactory
    from lms.models import Recommendation, RecommendationStatus
    from lms.services.budget import read_candidates
    from tna.factories import AgencyFactory, CompetencyFactory, CycleFactory, EmployeeFactory
    from tna.models import CompetencyGap

    agency = AgencyFactory()
    cycle = CycleFactory(year=2026)
    person = EmployeeFactory(agency=agency)
    CompetencyGap.objects.create(cycle=cycle, employee=person, agency=agency, unit=person.unit,
                                 competency=CompetencyFactory(), required_level=3, observed_level=2, confidence=0.8,
                                 gap=1, priority=50)
    course = CourseFactory(agency=agency)
    Recommendation.objects.create(cycle=cycle, employee=person, course=course, rank=1, score=1,
                                  status=RecommendationStatus.SUGGESTED)
    candidates = read_candidates(agency=agency, fiscal_year=2026, cycle=cycle)
    assert candidates is not None
