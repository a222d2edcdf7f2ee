"""The reads behind the role homes (lms.selectors.home, tna.selectors, courses.selectors): what counts as
waiting, and money counted as the budget page counts it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from courses.factories import CourseFactory, session_for
from lms.factories import EnrollmentFactory, attend, held_session
from lms.models import EnrollmentStatus, PlanItem, PlanStatus, TrainingPlan
from lms.selectors import home as work
from lms.services.budget import planned_vs_spent
from tna.factories import CycleFactory, EmployeeFactory
from tna.selectors import evidence_due, team_ratings_due

from .home_scene import build_scene

S = EnrollmentStatus
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def scene(db):
    return build_scene()


def test_the_week_runs_from_monday_to_monday_in_the_given_zone():
    wednesday_night_utc = datetime.datetime(2026, 12, 2, 18, 30, tzinfo=datetime.UTC)  # Thu 01:30 in Jakarta
    start, end = work.week_span(JAKARTA, wednesday_night_utc)
    assert start == datetime.datetime(2026, 11, 30, tzinfo=JAKARTA) and end - start == datetime.timedelta(days=7)
    sunday_late_utc = datetime.datetime(2026, 12, 6, 17, 30, tzinfo=datetime.UTC)  # Mon 00:30 in Jakarta
    assert work.week_span(JAKARTA, sunday_late_utc)[0] == datetime.datetime(2026, 12, 7, tzinfo=JAKARTA)


def test_evidence_due_counts_as_the_hub(scene):
    due = evidence_due(scene.asn, scene.cycle)
    assert (due.self_needed, due.self_rated, due.survey_done) == (2, 0, False)
    assert [p.employee for p in due.peers] == [scene.peer]
    assert due  # something is due


def test_a_direct_report_is_rated_as_such_not_as_a_peer(scene):
    from tna.models import PeerAssignment

    PeerAssignment.objects.create(cycle=scene.cycle, rater=scene.boss, ratee=scene.asn)
    assert evidence_due(scene.boss, scene.cycle).peers == []
    assert scene.asn in [due.employee for due in team_ratings_due(scene.boss, scene.cycle)]


def test_a_report_rated_and_appraised_is_no_longer_due(scene):
    from tna.models import Appraisal, Rating

    for required in scene.position.required_levels.all():
        Rating.objects.create(cycle=scene.cycle, ratee=scene.asn, rater=scene.boss, competency=required.competency,
                              level=3, rater_role="supervisor")
    due = {d.employee: d for d in team_ratings_due(scene.boss, scene.cycle)}
    assert due[scene.asn].rated == 2 and due[scene.asn].appraised is False  # rated, SKP still missing
    Appraisal.objects.create(cycle=scene.cycle, employee=scene.asn, rated_by=scene.boss, results="meets", behaviour="meets")
    assert scene.asn not in {d.employee for d in team_ratings_due(scene.boss, scene.cycle)}


def test_another_cycle_has_its_own_evidence(scene):
    old = CycleFactory(year=scene.cycle.year - 1, is_open=False)
    assert evidence_due(scene.asn, old).peers == []


def test_a_failed_post_test_keeps_a_participant_from_the_completions_to_issue(scene):
    course = CourseFactory(agency=scene.agency, has_post_test=True)
    session = held_session(course, weeks_ago=3, days=1)
    passed, failed, untested = (EnrollmentFactory(employee=EmployeeFactory(agency=scene.agency), session=session)
                                for _ in range(3))
    for enrollment, score in ((passed, 80), (failed, 40), (untested, None)):
        attend(enrollment, list(session.meetings.all()))
        enrollment.post_test_score = score
        enrollment.save()
    people, _sessions, listed = work.completions_ready(scene.agency)
    assert {s.pk: s.n for s in listed}[session.pk] == 1


def test_a_session_still_running_waits_for_its_last_meeting_before_completion(scene):
    course = CourseFactory(agency=scene.agency)
    today = timezone.localdate()
    session = session_for(course, first_day=today - datetime.timedelta(days=14), days=20)  # two weeks on, two to go
    enrollment = EnrollmentFactory(employee=EmployeeFactory(agency=scene.agency), session=session)
    attend(enrollment, [m for m in session.meetings.all() if m.starts_at <= timezone.now()])
    _people, _sessions, listed = work.completions_ready(scene.agency)
    assert session.pk not in {s.pk for s in listed}


def test_a_postponed_or_cancelled_session_asks_for_no_attendance(scene):
    from courses.models import SessionStatus

    scene.held.status, scene.held.cancel_reason = SessionStatus.POSTPONED, "Banjir"
    scene.held.save()
    _meetings, _sessions, listed = work.attendance_missing(scene.agency)
    assert scene.held.pk not in {s.pk for s in listed}


def test_another_agencys_work_is_not_counted(scene):
    other = EmployeeFactory()
    assert work.attendance_missing(other.agency) == (0, 0, [])
    assert work.completions_ready(other.agency) == (0, 0, [])
    assert work.sessions_to_deliver(other.agency, JAKARTA) == (0, [])
    assert work.plans_waiting(other.agency) == []


def test_budget_use_counts_money_as_the_budget_page_does(scene):
    year = timezone.localdate().year
    course = CourseFactory(agency=scene.agency, cost_per_participant=2_000_000, fixed_cost_per_class=7_000_000)
    first_day = datetime.date(year, 6, 1)
    enrolled = session_for(course, first_day=first_day, days=1)
    finished = session_for(course, first_day=first_day + datetime.timedelta(days=7), days=1)
    for _ in range(3):
        EnrollmentFactory(employee=EmployeeFactory(agency=scene.agency), session=enrolled)
    for _ in range(2):
        EnrollmentFactory(employee=EmployeeFactory(agency=scene.agency), session=finished, status=S.COMPLETED)
    plan = TrainingPlan.objects.create(agency=scene.agency, fiscal_year=year, name="Disetujui", method="greedy",
                                       status=PlanStatus.APPROVED, approved_at=timezone.now())
    PlanItem.objects.create(plan=plan, course=course, account="5.1.02.02.12", classes=1, cost_per_participant=1,
                            cost_per_class=1, jp=16, competency_type="technical", target_staff="-", route="KL10",
                            provider="-", budget=40_000_000)
    use = work.budget_use(scene.agency, year)
    table = planned_vs_spent(plan)
    assert use.committed == int(table["committed"].sum())
    assert use.spent == int(table["spent"].sum())
    assert use.planned == int(table["planned"].sum()) == 40_000_000
    assert use.envelopes == 250_000_000 and use.approved_plan == plan
    assert 0 < use.committed_share < 1


def test_no_envelope_and_no_plan_are_told_apart_from_zero(db):
    use = work.budget_use(EmployeeFactory().agency, 2026)
    assert use.envelopes == 0 and use.planned is None and use.committed_share is None
