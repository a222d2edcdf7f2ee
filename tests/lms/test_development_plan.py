"""Development plans written from 9-box placements (lms.services.development), the talent_placed
receiver, and the reads of a person's plan and a supervisor's team (lms.selectors.development)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.factories import CourseFactory
from lms.models import DevelopmentItem, JpCredit, Recommendation
from lms.selectors.development import development_plan, team_development
from lms.services.development import development_plan_write, programme_courses
from tna.factories import AgencyFactory, CycleFactory, EmployeeFactory, PositionFactory
from tna.models import TalentPlacement, TalentPolicy
from tna.signals import talent_placed
from tna.talent.boxes import AXES

from .recommend_scene import course_with_session, this_cycle

BOX_8 = {"retain", "succession_pool", "rotation", "coaching", "leadership_training"}


def place(employee, box, *, cycle, job_type=None):
    """``employee``'s placement in ``box`` (a new one, or the existing one moved there by a re-run)."""
    performance, potential = AXES[box]
    placement, _created = TalentPlacement.objects.update_or_create(
        cycle=cycle, employee=employee,
        defaults={"agency": employee.agency, "unit": employee.unit,
                  "job_type": job_type or employee.position.job_type, "performance": performance,
                  "potential": potential, "computed_box": box, "box": box, "performance_score": 3.0,
                  "potential_score": 3.0, "computed_at": timezone.now()},
    )
    return placement


def items(employee, cycle):
    return {item.action: item for item in DevelopmentItem.objects.filter(employee=employee, cycle=cycle)}


def completed(employee, course, year=2024):
    day = datetime.date(year, 5, 6)
    return JpCredit.objects.create(employee=employee, course=course, year=year, jp=course.jp, title=course.title,
                                   competency_type="managerial", route="KL01", provider="LAN", start_date=day,
                                   end_date=day)


@pytest.fixture
def cycle(db):
    return CycleFactory(year=2026)


@pytest.fixture
def positions(agency):
    return {job_type: PositionFactory(agency=agency, code=job_type, name=job_type.title(), job_type=job_type)
            for job_type in ("pelaksana", "pengawas", "administrator")}


@pytest.fixture
def programmes(agency):
    """One published course per programme in the agency's catalogue, plus dearer and other-agency ones."""
    other = AgencyFactory(code="provinsi-contoh", name="Provinsi Contoh")
    courses = {
        "pkp": CourseFactory(agency=agency, code="pkp-a", route="KL01", leadership_programme="pkp",
                             cost_per_participant=15_000_000),
        "pka": CourseFactory(agency=agency, code="pka-a", route="KL01", leadership_programme="pka",
                             cost_per_participant=25_000_000),
    }
    # Dearer in the agency's own catalogue, cheaper elsewhere, and a draft: none of them is chosen.
    CourseFactory(agency=agency, code="pkp-b", route="KL01", leadership_programme="pkp", cost_per_participant=20_000_000)
    CourseFactory(agency=other, code="pkp-murah", route="KL01", leadership_programme="pkp", cost_per_participant=5_000_000)
    CourseFactory(agency=agency, code="pkp-draf", route="KL01", leadership_programme="pkp", cost_per_participant=1,
                  live=False)
    courses["pkn2"] = CourseFactory(agency=other, code="pkn2", route="KL01", leadership_programme="pkn2",
                                    cost_per_participant=40_000_000)
    return courses


def test_box_8_gives_its_actions_and_the_leadership_course_that_fits(agency, unit, positions, programmes, cycle):
    pelaksana = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    pengawas = EmployeeFactory(agency=agency, unit=unit, position=positions["pengawas"])
    completed(pengawas, programmes["pkp"])
    place(pelaksana, 8, cycle=cycle)
    place(pengawas, 8, cycle=cycle)

    summary = development_plan_write(cycle=cycle, agency=agency)

    plan = items(pelaksana, cycle)
    assert set(plan) == BOX_8
    assert plan["leadership_training"].course == programmes["pkp"]  # own catalogue, the cheaper of two
    assert items(pengawas, cycle)["leadership_training"].course == programmes["pka"]  # PKP done: PKA next
    # No policy: the model's default leadership priority (60) for leadership training and coaching.
    assert {a: i.priority for a, i in plan.items()} == {
        "retain": 0, "succession_pool": 0, "rotation": 0, "coaching": 60, "leadership_training": 60}
    assert all(i.status == "planned" and i.source == "talent" and i.box == 8 for i in plan.values())
    assert (summary.created, summary.with_course, summary.without_course) == (10, 2, 0)
    assert summary.leadership_changed


def test_the_agencys_policy_sets_the_priority(agency, unit, positions, programmes, cycle):
    TalentPolicy.objects.create(agency=agency, leadership_priority=85)
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    place(person, 9, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    plan = items(person, cycle)
    assert set(plan) == {"promote", "succession_pool", "leadership_training", "coaching"}
    assert plan["leadership_training"].priority == 85 and plan["coaching"].priority == 85
    assert plan["promote"].priority == 0


def test_coaching_outside_the_leadership_boxes_has_no_priority(agency, unit, positions, cycle):
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    place(person, 6, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    assert {a: i.priority for a, i in items(person, cycle).items()} == {"placement": 0, "coaching": 0, "counselling": 0}


def test_other_agencies_courses_are_used_when_the_own_catalogue_has_none(agency, unit, positions, programmes, cycle):
    administrator = EmployeeFactory(agency=agency, unit=unit, position=positions["administrator"])
    completed(administrator, programmes["pka"])
    place(administrator, 7, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    assert items(administrator, cycle)["leadership_training"].course == programmes["pkn2"]
    other = AgencyFactory(code="provinsi-contoh")
    assert programme_courses(other)["pkp"] != programmes["pkp"].pk  # its own cheaper PKP


def test_without_a_published_course_the_item_says_which_programme_is_needed(agency, unit, positions, cycle):
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pengawas"])
    place(person, 8, cycle=cycle)
    summary = development_plan_write(cycle=cycle, agency=agency)
    lead = items(person, cycle)["leadership_training"]
    assert lead.course is None and "PKP" in lead.note and lead.priority == 60
    assert summary.without_course == 1 and not summary.leadership_changed


def test_a_new_box_drops_planned_items_and_keeps_what_is_under_way_or_done(agency, unit, positions, programmes, cycle):
    done, planned = (EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"]) for _ in range(2))
    for person in (done, planned):
        place(person, 8, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    DevelopmentItem.objects.filter(employee=done, action="leadership_training").update(status="done")
    DevelopmentItem.objects.filter(employee=done, action="coaching").update(status="in_progress")
    DevelopmentItem.objects.filter(employee=done, action="rotation").update(status="in_progress")

    for person in (done, planned):
        place(person, 5, cycle=cycle)
    summary = development_plan_write(cycle=cycle, agency=agency)

    assert set(items(planned, cycle)) == {"placement", "coaching", "competency_development"}
    kept = items(done, cycle)
    assert set(kept) == {"leadership_training", "rotation", "placement", "coaching", "competency_development"}
    assert kept["leadership_training"].status == "done" and kept["leadership_training"].course == programmes["pkp"]
    assert kept["leadership_training"].box == 8  # the box that asked for it, still
    assert kept["rotation"].status == "in_progress" and kept["rotation"].box == 8
    # Still implied by box 5: status kept, box and priority follow the new box.
    assert (kept["coaching"].status, kept["coaching"].box, kept["coaching"].priority) == ("in_progress", 5, 0)
    # Retention and the succession pool of one, and those plus rotation and leadership training of the other.
    assert summary.deleted == 2 + 4 and summary.kept == 2 and summary.leadership_changed


def test_a_rerun_changes_nothing_and_a_supervisors_item_is_never_touched(agency, unit, positions, programmes, cycle):
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    mine = DevelopmentItem.objects.create(cycle=cycle, employee=person, action="coaching", source="supervisor",
                                          priority=10, status="in_progress", note="Mentoring by the head")
    place(person, 8, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    again = development_plan_write(cycle=cycle, agency=agency)
    assert (again.created, again.updated, again.deleted, again.kept) == (0, 0, 0, 1)
    assert not again.leadership_changed
    mine.refresh_from_db()
    assert (mine.source, mine.priority, mine.status, mine.box) == ("supervisor", 10, "in_progress", None)
    place(person, 4, cycle=cycle)  # rotation, competency development: no coaching
    development_plan_write(cycle=cycle, agency=agency)
    assert DevelopmentItem.objects.filter(pk=mine.pk).exists()


def test_planned_items_of_people_no_longer_placed_go(agency, unit, positions, programmes, cycle):
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    place(person, 8, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    TalentPlacement.objects.filter(employee=person).delete()
    development_plan_write(cycle=cycle, agency=agency)
    assert not DevelopmentItem.objects.filter(employee=person).exists()


def test_the_write_is_bulk(agency, unit, positions, programmes, cycle):
    """The same number of queries for 3 people as for 30."""
    def queries(n, box):
        people = [EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"]) for _ in range(n)]
        for person in people:
            place(person, box, cycle=cycle)
        with CaptureQueriesContext(connection) as captured:
            development_plan_write(cycle=cycle, agency=agency)
        TalentPlacement.objects.filter(employee__in=people).delete()
        DevelopmentItem.objects.filter(employee__in=people).delete()
        return len(captured)

    assert queries(3, 8) == queries(30, 8)


def test_talent_placed_writes_the_plans_and_refreshes_the_recommendations(agency, unit, positions):
    cycle = this_cycle()
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    pkp, _session = course_with_session(agency, "pkp-2026", None, leadership_programme="pkp", route="KL01")
    place(person, 8, cycle=cycle)
    talent_placed.send(sender=TalentPlacement, cycle=cycle, agency=agency)
    assert items(person, cycle)["leadership_training"].course == pkp
    # The test settings run the queued recommendation task at once.
    rec = Recommendation.objects.get(employee=person, cycle=cycle)
    assert rec.course == pkp and rec.reason["kind"] == "development" and rec.in_plan


# Selectors ---------------------------------------------------------------------------------------


def test_a_persons_plan_is_their_latest_cycles_with_courses(agency, unit, positions, programmes, cycle):
    person = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    earlier = CycleFactory(year=2025)
    place(person, 5, cycle=earlier)
    development_plan_write(cycle=earlier, agency=agency)
    place(person, 8, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    plan = list(development_plan(person))
    assert {item.action for item in plan} == BOX_8 and all(item.cycle == cycle for item in plan)
    assert plan[0].priority == 60  # highest priority first
    lead = next(item for item in plan if item.action == "leadership_training")
    assert lead.course == programmes["pkp"]
    assert {item.action for item in development_plan(person, earlier)} == {"placement", "coaching",
                                                                           "competency_development"}
    stranger = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"])
    assert list(development_plan(stranger)) == []


def test_a_supervisor_sees_the_items_of_direct_reports_without_the_box(agency, unit, positions, programmes, cycle):
    boss = EmployeeFactory(agency=agency, unit=unit, position=positions["pengawas"], roles=["supervisor"])
    report = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"], supervisor=boss)
    below = EmployeeFactory(agency=agency, unit=unit, position=positions["pelaksana"], supervisor=report)
    for person in (boss, report, below):
        place(person, 8, cycle=cycle)
    development_plan_write(cycle=cycle, agency=agency)
    rows = list(team_development(boss))
    assert {row["employee_id"] for row in rows} == {report.pk}
    assert {row["action"] for row in rows} == BOX_8
    assert all("box" not in row for row in rows)
    lead = next(row for row in rows if row["action"] == "leadership_training")
    assert lead["course__leadership_programme"] == "pkp" and lead["priority"] == 60
    assert list(team_development(below)) == []
