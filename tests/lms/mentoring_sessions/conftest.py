"""A mentoring pair to plan sessions for: an active pair of a programme running around today, the mentor and
the mentee in two units large enough to spare them, and a working week free of holidays to look at."""

import datetime

import pytest
from django.utils import timezone

from lms.models.mentoring import MentoringPair, MentoringProgramme, MentoringSession
from lms.scheduling import national_holidays, ramadan_dates
from tna.factories import CompetencyFactory, UnitFactory


def quiet_monday(after):
    """The first Monday after ``after`` whose Monday–Friday has no holiday and no Ramadan hours."""
    day = after + datetime.timedelta(days=-after.weekday() % 7 or 7)
    holidays = national_holidays([day.year, day.year + 1])
    ramadan = ramadan_dates([day.year, day.year + 1])
    while any(day + datetime.timedelta(days=n) in holidays or day + datetime.timedelta(days=n) in ramadan
              for n in range(5)):
        day += datetime.timedelta(days=7)
    return day


@pytest.fixture
def monday():
    """A Monday two to five weeks ahead whose working week is ordinary."""
    return quiet_monday(datetime.date.today() + datetime.timedelta(days=14))


@pytest.fixture
def competency(db):
    return CompetencyFactory(code="TK.07", name="Analisis Kebijakan", name_en="Policy analysis", group="technical")


@pytest.fixture
def programme(agency, competency, monday):
    today = datetime.date.today()
    programme = MentoringProgramme.objects.create(
        agency=agency, code="mentor-2026", name="Mentoring Analis", starts_on=today - datetime.timedelta(days=60),
        ends_on=monday + datetime.timedelta(days=60), target_jp=10)
    programme.competencies.add(competency)
    return programme


@pytest.fixture
def mentor_unit(agency):
    # Nobody needs to stay on duty: these tests are about the people's own calendars.
    return UnitFactory(agency=agency, code="bappeda", name="Bappeda", min_on_duty_share=0)


@pytest.fixture
def mentee_unit(agency):
    return UnitFactory(agency=agency, code="dinkes", name="Dinas Kesehatan", min_on_duty_share=0)


@pytest.fixture
def mentor(make_employee, mentor_unit):
    return make_employee("Maya Mentor", unit=mentor_unit)


@pytest.fixture
def mentee(make_employee, mentee_unit):
    return make_employee("Eko Mentee", unit=mentee_unit)


@pytest.fixture
def pair(programme, mentor, mentee, competency):
    return MentoringPair.objects.create(programme=programme, mentor=mentor, mentee=mentee, competency=competency,
                                        status=MentoringPair.Status.ACTIVE, goal_level=3,
                                        started_on=programme.starts_on)


@pytest.fixture
def at(agency):
    """``at(day, "09:00")``: an aware datetime in the agency's zone."""
    from zoneinfo import ZoneInfo

    def make(day, clock):
        hour, minute = (int(x) for x in clock.split(":"))
        return datetime.datetime.combine(day, datetime.time(hour, minute), ZoneInfo(agency.time_zone))

    return make


@pytest.fixture
def make_mentoring_session():
    """``make_mentoring_session(pair, starts_at, minutes=60, status="held", confirmed=True, **fields)``."""

    def make(pair, starts_at, *, minutes=60, status=MentoringSession.Status.HELD, confirmed=True, **fields):
        now = timezone.now()
        if confirmed:
            fields.setdefault("mentor_confirmed_at", now)
            fields.setdefault("mentee_confirmed_at", now)
        return MentoringSession.objects.create(pair=pair, starts_at=starts_at,
                                               ends_at=starts_at + datetime.timedelta(minutes=minutes),
                                               minutes=minutes, status=status, **fields)

    return make
