"""A mentoring programme of one agency: a mentor at level 4.5 in Analisis Data, a mentee with a gap of 2 in it,
a colleague of theirs, HR, and people of another agency; helpers to pair them and hold sessions."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lms.models import MentoringPair, MentoringProgramme, MentoringSession
from lms.services.mentoring_credit import mentoring_credit_refresh
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    UnitFactory,
)
from tna.models import CompetencyGap, CompetencyLevel

ZONE = ZoneInfo("Asia/Jakarta")


def gap_row(cycle, employee, competency, *, required, observed, priority=0):
    return CompetencyGap.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit, competency=competency,
        required_level=required, observed_level=observed, gap=max(required - observed, 0) if observed else 0,
        priority=priority)


def today():
    return timezone.localdate(timezone=ZONE)


@pytest.fixture
def scene(db):
    agency = AgencyFactory(code="kab-mentor", name="Kabupaten Mentor", time_zone="Asia/Jakarta")
    setda = UnitFactory(agency=agency, code="setda", name="Sekretariat Daerah")
    dinkes = UnitFactory(agency=agency, code="dinkes", name="Dinas Kesehatan")
    senior = PositionFactory(agency=agency, code="kabag", name="Kepala Bagian", job_type="administrator")
    junior = PositionFactory(agency=agency, code="analis", name="Analis Kebijakan", job_type="pelaksana")
    data = CompetencyFactory(code="TK.71", name="Analisis Data", name_en="Data analysis")
    writing = CompetencyFactory(code="TK.72", name="Penulisan Naskah", name_en="Drafting")
    for level in range(1, 6):
        CompetencyLevel.objects.create(competency=data, level=level, descriptor="Tingkat %d analisis" % level,
                                       descriptor_en="Data level %d" % level)
    cycle = CycleFactory(year=2026)

    def person(name, unit, position, **fields):
        email = "%s@mentor.go.id" % name.split()[0].lower()
        return EmployeeFactory(name=name, agency=agency, unit=unit, position=position, email=email, **fields)

    mentor = person("Agus Mentor", dinkes, senior)
    mentee = person("Yohana Staf", setda, junior)
    colleague = person("Citra Rekan", setda, junior)
    hr = person("Hera Diklat", dinkes, senior, roles=["training_admin"])
    gap_row(cycle, mentor, data, required=3, observed=4.5)
    gap_row(cycle, mentor, writing, required=3, observed=3.2)
    gap_row(cycle, mentee, data, required=4, observed=2, priority=90)
    gap_row(cycle, mentee, writing, required=3, observed=3)
    gap_row(cycle, colleague, data, required=4, observed=3.5)

    elsewhere = AgencyFactory(code="kota-lain", name="Kota Lain", time_zone="Asia/Jakarta")
    stranger = EmployeeFactory(name="Lina Lain", agency=elsewhere)
    stranger_hr = EmployeeFactory(name="Hadi Lain", agency=elsewhere, roles=["training_admin"])

    programme = MentoringProgramme.objects.create(
        agency=agency, code="mentor-2026", name="Mentoring Data 2026", starts_on=today() - datetime.timedelta(days=30),
        ends_on=today() + datetime.timedelta(days=60), min_mentor_level=4, default_capacity=2, target_jp=4)
    programme.competencies.set([data, writing])
    return {"agency": agency, "programme": programme, "cycle": cycle, "data": data, "writing": writing,
            "mentor": mentor, "mentee": mentee, "colleague": colleague, "hr": hr, "stranger": stranger,
            "stranger_hr": stranger_hr, "elsewhere": elsewhere}


def make_pair(scene, *, status="active", mentor=None, mentee=None, competency=None, **fields):
    """A pair as the matcher and HR would leave it (reason with the mentor's level 4.5)."""
    fields.setdefault("reason", {"competency": "TK.71", "gap": 2.0, "priority": 90.0, "weight": 1.8,
                                 "mentor_level": 4.5, "same_location": False, "cross_unit": True, "locked": False,
                                 "text": "gap 2 at priority 90 in TK.71 (weight 1.80); mentor at level 4.5"})
    if status == "active":
        fields.setdefault("started_on", today() - datetime.timedelta(days=20))
        fields.setdefault("goal_level", 4)
    return MentoringPair.objects.create(programme=scene["programme"], mentor=mentor or scene["mentor"],
                                        mentee=mentee or scene["mentee"], competency=competency or scene["data"],
                                        status=status, **fields)


def hold_session(pair, *, minutes=90, days_ago=3, confirmed=True, topic="Pivot tables", **fields):
    """A session held ``days_ago`` at 09:00, confirmed by both (credits refreshed) unless ``confirmed`` is False."""
    day = today() - datetime.timedelta(days=days_ago)
    starts = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=ZONE)
    stamp = timezone.now() if confirmed else None
    session = MentoringSession.objects.create(
        pair=pair, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=minutes), minutes=minutes,
        topic=topic, status=MentoringSession.Status.HELD, mentor_confirmed_at=stamp, mentee_confirmed_at=stamp,
        **fields)
    if confirmed:
        mentoring_credit_refresh(pair=pair)
    return session


def plan_session(pair, *, days_ahead=2, minutes=60, topic="Dashboards"):
    day = today() + datetime.timedelta(days=days_ahead)
    starts = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=ZONE)
    return MentoringSession.objects.create(pair=pair, starts_at=starts, ends_at=starts + datetime.timedelta(
        minutes=minutes), minutes=minutes, topic=topic)
