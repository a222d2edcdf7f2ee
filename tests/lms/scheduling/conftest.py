"""Fixtures of the scheduling tests that touch the database: a school of five teachers and a course for them."""

import datetime

import pytest

from courses.factories import CourseFactory
from lms.models import AgencyClosure, StaffAbsence, UnitDuty
from tna.factories import CompetencyFactory, CycleFactory, UnitFactory
from tna.models import SurveyResponse


@pytest.fixture
def school(agency):
    unit = UnitFactory(agency=agency, code="sd-negeri-1", name="SD Negeri 1", min_on_duty_share=0.8)
    UnitDuty.objects.create(unit=unit, pattern="school")
    return unit


@pytest.fixture
def teachers(make_employee, school):
    """Five teachers: at 80% one may be away at a time."""
    return [make_employee("Guru %d" % i, unit=school) for i in range(5)]


@pytest.fixture
def cycle(db):
    return CycleFactory(year=2026)


@pytest.fixture
def scene(agency, teachers, cycle, first_day):
    course = CourseFactory(agency=agency, code="kurikulum-merdeka", mode="classroom", jp=8, min_participants=1,
                           max_participants=30)
    SurveyResponse.objects.create(cycle=cycle, employee=teachers[0], competency=CompetencyFactory(), priority=3,
                                  blocked_days=["tue", "thu"])
    StaffAbsence.objects.create(employee=teachers[1], first_day=first_day,
                                last_day=first_day + datetime.timedelta(days=11))
    closed = first_day + datetime.timedelta(days=15)  # a Tuesday
    AgencyClosure.objects.create(agency=agency, date=closed, reason="Hari jadi kota")
    return course, closed
