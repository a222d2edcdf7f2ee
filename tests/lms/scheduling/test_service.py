"""The ORM edge: demand and duty data read from the database, proposals stored, moved, locked and published."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from courses.factories import CourseFactory
from lms.models import (
    Enrollment,
    EnrollmentStatus,
    ProposedClass,
    Recommendation,
    RecommendationStatus,
    ScheduleRun,
)
from lms.services.scheduling import (
    proposed_class_lock,
    proposed_class_move,
    schedule_publish,
    schedule_run,
    scheduling_demand,
)

TUE, THU = 1, 3


def local_meetings(pc, tz):
    return [(m.starts_at.astimezone(tz), m.ends_at.astimezone(tz)) for m in pc.meetings.all()]


def test_run_keeps_duty_rules_from_the_database(agency, teachers, cycle, scene, first_day):
    course, closed = scene
    participants = teachers[:3]
    run = schedule_run(agency=agency, first_day=first_day, last_day=first_day + datetime.timedelta(days=34),
                       cycle=cycle, demand={course.pk: [t.pk for t in participants]}, time_limit=5)
    assert run.violations == []
    assert run.figures["placed"] == 3
    tz = ZoneInfo(agency.time_zone)
    seats = {}
    for pc in run.classes.all():
        for t in pc.participants.all():
            seats[t.pk] = local_meetings(pc, tz)
    assert set(seats) == {t.pk for t in participants}
    assert all(start.weekday() not in (TUE, THU) for start, _end in seats[teachers[0].pk])
    assert all(start.date() > first_day + datetime.timedelta(days=11) for start, _end in seats[teachers[1].pk])
    every = [m for ms in seats.values() for m in ms]
    assert all(start.date() != closed for start, _end in every)
    # One teacher out at a time: no two teachers' meetings overlap.
    for i, (a_start, a_end) in enumerate(every):
        for b_start, b_end in every[i + 1:]:
            assert not (a_start < b_end and b_start < a_end)
    # A school's mornings are teaching time: classes go to the afternoon.
    assert all(start.hour >= 12 for start, _end in every)


def test_demand_from_accepted_recommendations(agency, teachers, cycle, scene):
    course, _closed = scene
    other = CourseFactory(agency=agency, mode="self_paced")
    make = Recommendation.objects.create
    make(cycle=cycle, employee=teachers[0], course=course, rank=1, score=1, status=RecommendationStatus.ACCEPTED)
    make(cycle=cycle, employee=teachers[1], course=course, rank=1, score=1, in_plan=True)
    make(cycle=cycle, employee=teachers[2], course=course, rank=1, score=1)  # only suggested
    make(cycle=cycle, employee=teachers[3], course=course, rank=1, score=1, status=RecommendationStatus.DISMISSED,
         in_plan=True)
    make(cycle=cycle, employee=teachers[4], course=other, rank=1, score=1, status=RecommendationStatus.ACCEPTED)
    demand = scheduling_demand(agency=agency, cycle=cycle)
    assert sorted(demand[course.pk]) == sorted([teachers[0].pk, teachers[1].pk])


def test_move_lock_rerun_and_publish(agency, teachers, cycle, scene, first_day, admin, mailoutbox):
    course, _closed = scene
    last = first_day + datetime.timedelta(days=34)
    run = schedule_run(agency=agency, first_day=first_day, last_day=last, cycle=cycle,
                       demand={course.pk: [teachers[2].pk, teachers[3].pk]}, time_limit=5)
    pc = run.classes.first()
    before = sorted(m.starts_at for m in pc.meetings.all())
    proposed_class_move(proposed_class=pc, days=7)
    pc.refresh_from_db()
    assert pc.locked
    assert sorted(m.starts_at for m in pc.meetings.all()) == [s + datetime.timedelta(days=7) for s in before]
    assert proposed_class_move(proposed_class=pc, days=-7) == []  # back where it was: all constraints hold

    again = schedule_run(agency=agency, first_day=first_day, last_day=last, cycle=cycle,
                         demand={course.pk: [teachers[2].pk, teachers[3].pk, teachers[4].pk]}, previous=run,
                         time_limit=5)
    kept = again.classes.get(key=pc.key)
    assert kept.locked and sorted(m.starts_at for m in kept.meetings.all()) == sorted(
        m.starts_at for m in pc.meetings.all())
    assert again.figures["placed"] == 3 and again.violations == []

    proposed_class_lock(proposed_class=kept, locked=False)
    sessions = schedule_publish(run=again, user=admin.user, place="Aula SD Negeri 1")
    again.refresh_from_db()
    assert again.status == ScheduleRun.Status.PUBLISHED
    assert len(sessions) == again.classes.count()
    enrolled = Enrollment.objects.filter(session__in=sessions, status=EnrollmentStatus.ENROLLED)
    assert sorted(enrolled.values_list("employee_id", flat=True)) == sorted(t.pk for t in teachers[2:])
    assert all(pc.session_id for pc in ProposedClass.objects.filter(run=again))


def test_moving_onto_a_colleagues_class_is_reported(agency, teachers, cycle, scene, first_day, admin):
    course, _closed = scene
    run = schedule_run(agency=agency, first_day=first_day, last_day=first_day + datetime.timedelta(days=34),
                       cycle=cycle, demand={course.pk: [teachers[2].pk, teachers[3].pk]}, time_limit=5)
    a, b = run.classes.all()  # one teacher of five out at a time: two classes, never at once
    a_first = min(m.starts_at for m in a.meetings.all())
    b_first = min(m.starts_at for m in b.meetings.all())
    # Put a's meetings exactly one week before b's, then move a by that week onto b.
    a.meetings.all().delete()
    for m in b.meetings.all():
        a.meetings.create(starts_at=m.starts_at - datetime.timedelta(days=7), ends_at=m.ends_at - datetime.timedelta(days=7))
    assert a_first != b_first
    found = proposed_class_move(proposed_class=a, days=7)
    assert "unit_below_minimum" in {v.code for v in found}
    run.refresh_from_db()
    assert run.violations
    with pytest.raises(ValidationError) as refused:
        schedule_publish(run=run, user=admin.user, place="Aula")
    assert refused.value.code == "violations"
    assert not run.classes.exclude(session=None).exists()
