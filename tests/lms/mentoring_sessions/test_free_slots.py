"""Free times for a pair from the database: each person's absences, training and other sessions, their
survey's blocked days, the agency's closures, each unit's on-duty minimum and the programme's period."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from courses.factories import session_for
from lms.factories import EnrollmentFactory
from lms.models import AgencyClosure, EnrollmentStatus, StaffAbsence, UnitDuty
from lms.models.mentoring import MentoringPair
from lms.services.mentoring_sessions import free_slots, slot_problem
from tna.factories import CycleFactory
from tna.models import SurveyResponse

D = datetime.timedelta


def days_of(slots, tz="Asia/Jakarta"):
    return {timezone.localtime(s.starts_at, ZoneInfo(tz)).date() for s in slots}


def week(monday):
    return [monday + D(days=n) for n in range(5)]


def test_slots_are_aware_in_the_agency_zone_and_two_a_day_at_most(pair, monday):
    slots = free_slots(pair=pair, first_day=monday, days=5, minutes=60, limit=10)
    assert len(slots) == 10
    assert days_of(slots) == set(week(monday))
    for slot in slots:
        local = timezone.localtime(slot.starts_at, ZoneInfo("Asia/Jakarta"))
        assert str(slot.starts_at.tzinfo) == "Asia/Jakarta" and slot.ends_at - slot.starts_at == D(minutes=60)
        assert datetime.time(7, 30) <= local.time() and slot.off_peak


def test_first_day_defaults_to_tomorrow_in_the_agency_zone(pair):
    slots = free_slots(pair=pair, days=14)
    today = timezone.localtime(timezone.now(), ZoneInfo("Asia/Jakarta")).date()
    assert slots and min(days_of(slots)) > today


def test_never_past_the_programmes_end_nor_before_its_start(pair, programme, monday):
    programme.ends_on = monday + D(days=1)
    programme.save()
    assert days_of(free_slots(pair=pair, first_day=monday, days=21)) == {monday, monday + D(days=1)}
    programme.starts_on, programme.ends_on = monday + D(days=3), monday + D(days=30)
    programme.save()
    assert min(days_of(free_slots(pair=pair, first_day=monday, days=5))) == monday + D(days=3)
    programme.starts_on, programme.ends_on = monday - D(days=30), monday - D(days=1)
    programme.save()
    assert free_slots(pair=pair, first_day=monday) == []


def test_absence_closure_and_blocked_weekday_take_whole_days(pair, mentor, mentee, agency, monday):
    StaffAbsence.objects.create(employee=mentee, first_day=monday, last_day=monday, kind="leave")
    AgencyClosure.objects.create(agency=agency, date=monday + D(days=1), reason="HUT Kota")
    SurveyResponse.objects.create(cycle=CycleFactory(year=2026), employee=mentor, competency=pair.competency,
                                  priority=2, blocked_days=["wed"])
    assert days_of(free_slots(pair=pair, first_day=monday, days=5, limit=10)) == set(week(monday)[3:])


def test_training_and_other_mentoring_sessions_take_their_hours(pair, mentor, mentee, course, monday, at,
                                                                 make_employee, make_mentoring_session):
    training = session_for(course, first_day=monday, days=1, start="07:30", end="16:00")
    EnrollmentFactory(employee=mentee, session=training, status=EnrollmentStatus.ENROLLED)
    other_mentee = make_employee("Rani Lain")
    other = MentoringPair.objects.create(programme=pair.programme, mentor=mentor, mentee=other_mentee,
                                         competency=pair.competency, status=MentoringPair.Status.ACTIVE)
    make_mentoring_session(other, at(monday + D(days=1), "07:30"), minutes=8 * 60 + 30, status="planned",
                           confirmed=False)
    slots = free_slots(pair=pair, first_day=monday, days=5, limit=10)
    assert days_of(slots) == set(week(monday)[2:])


def test_a_unit_at_its_minimum_keeps_the_mentee(pair, mentee, mentee_unit, make_employee, monday):
    # Four staff at 50%: two stay. With one colleague on leave, only one more may go: the mentee may.
    # With two on leave nobody may, so that day is out.
    mentee_unit.min_on_duty_share = 0.5
    mentee_unit.save()
    colleagues = [make_employee("Rekan %d" % n, unit=mentee_unit) for n in range(3)]
    StaffAbsence.objects.create(employee=colleagues[0], first_day=monday, last_day=monday + D(days=1))
    StaffAbsence.objects.create(employee=colleagues[1], first_day=monday + D(days=1), last_day=monday + D(days=1))
    problem = slot_problem(pair=pair, first_day=monday, last_day=monday + D(days=4))
    side = problem.sides[1]
    assert side.unit.size == 4 and side.unit.must_stay == 2
    assert side.away == {monday: 1, monday + D(days=1): 2}
    free = days_of(free_slots(pair=pair, first_day=monday, days=5, limit=10))
    assert free == set(week(monday)) - {monday + D(days=1)}


def test_service_peak_hours_go_last(pair, mentee_unit, monday):
    UnitDuty.objects.create(unit=mentee_unit, pattern="clinic")  # busy 07:30–14:00
    slots = free_slots(pair=pair, first_day=monday, days=5, limit=7)
    local = [timezone.localtime(s.starts_at, ZoneInfo("Asia/Jakarta")) for s in slots]
    assert [s.off_peak for s in slots] == [True] * 5 + [False] * 2
    assert all(t.time() >= datetime.time(14) for t in local[:5])
    assert [t.date() for t in local[:5]] == week(monday)


@pytest.mark.parametrize("minutes", [0, 481, "x"])
def test_a_length_out_of_range_is_refused(pair, minutes):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        free_slots(pair=pair, minutes=minutes)


def test_national_holidays_come_from_the_calendar(pair, programme, mentor):
    from django.core.exceptions import ValidationError

    from lms.scheduling import national_holidays
    from lms.services.mentoring_sessions import session_plan

    today = timezone.localdate()
    holidays = national_holidays([today.year + 1])
    day, name = next((d, n) for d, n in sorted(holidays.items()) if d.weekday() < 5)
    programme.ends_on = day + D(days=7)
    programme.save()
    assert free_slots(pair=pair, first_day=day, days=1) == []
    starts_at = datetime.datetime.combine(day, datetime.time(9), ZoneInfo("Asia/Jakarta"))
    with pytest.raises(ValidationError) as error:
        session_plan(pair=pair, starts_at=starts_at, minutes=60, by=mentor)
    assert error.value.messages == ["That day is a holiday: %s." % name]


def test_the_reads_do_not_grow_with_the_units(pair, mentee_unit, mentor_unit, make_employee, monday,
                                              django_assert_max_num_queries):
    for n in range(12):
        colleague = make_employee("Rekan %d" % n, unit=mentee_unit if n % 2 else mentor_unit)
        StaffAbsence.objects.create(employee=colleague, first_day=monday, last_day=monday)
    with django_assert_max_num_queries(12):
        free_slots(pair=pair, first_day=monday, days=21)
