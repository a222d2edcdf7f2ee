"""The pure free-time finder: one test per rule that keeps a time out, then the ranking and the spread."""

import datetime

import pytest

from lms.mentoring import slots
from lms.scheduling import CLINIC, OFFICE, Absence, Person, PlanningCalendar, Unit

T = datetime.time
MON = datetime.date(2026, 6, 8)  # a Monday without holidays in its week
TUE, WED, THU, FRI, SAT = (MON + datetime.timedelta(days=n) for n in range(1, 6))


def side(pid, *, unit=None, blocked=(), absences=(), training=(), sessions=(), away=None):
    unit = unit or Unit(id="u%s" % pid, size=10, min_on_duty_share=0.5, name="Unit %s" % pid)
    person = Person(id=pid, unit=unit.id, blocked_weekdays=frozenset(blocked), absences=tuple(absences),
                    commitments=tuple(training), name="P%s" % pid)
    return slots.Side(person=person, unit=unit, sessions=tuple(sessions), away=away or {})


def problem(*sides, first=MON, last=FRI, holidays=None, closures=None, ramadan=()):
    calendar = PlanningCalendar(first=first, last=last, holidays=holidays or {}, closures=closures or {},
                                ramadan=frozenset(ramadan))
    return slots.SlotProblem(calendar=calendar, sides=sides or (side(1), side(2)))


def codes(found):
    return [(c.code, c.person) for c in found]


# --- what keeps a time out ---------------------------------------------------------------------

def test_a_free_time_has_no_clash():
    assert slots.clashes(problem(), MON, T(9), T(10)) == []


def test_holidays_and_closures_are_named():
    p = problem(holidays={MON: "Hari Lahir Pancasila"}, closures={TUE: "HUT Kota"})
    assert slots.clashes(p, MON, T(9), T(10)) == [slots.Clash("holiday", detail="Hari Lahir Pancasila")]
    assert slots.clashes(p, TUE, T(9), T(10)) == [slots.Clash("closure", detail="HUT Kota")]
    assert all(s.date not in (MON, TUE) for s in slots.candidates(p, minutes=60))


def test_weekends_and_days_outside_the_period_are_out():
    p = problem(last=SAT)
    assert codes(slots.clashes(p, SAT, T(9), T(10))) == [("day_off", None)]
    assert codes(slots.clashes(p, SAT + datetime.timedelta(days=2), T(9), T(10))) == [("period", None)]


def test_working_hours_and_breaks():
    p = problem()
    assert codes(slots.clashes(p, MON, T(7), T(8))) == [("hours", None)]
    assert codes(slots.clashes(p, MON, T(15, 30), T(16, 30))) == [("hours", None)]
    assert codes(slots.clashes(p, MON, T(11, 30), T(12, 30))) == [("break", None)]
    # Friday's break is longer (Friday prayer) and the day ends later.
    assert codes(slots.clashes(p, FRI, T(11, 30), T(12))) == [("break", None)]
    assert slots.clashes(p, FRI, T(15, 30), T(16, 30)) == []
    found = slots.candidates(p, minutes=60)
    assert all(not (s.start < T(13) and s.end > T(12)) for s in found if s.date != FRI)
    assert min(s.start for s in found) == T(7, 30)


def test_ramadan_days_have_their_own_hours():
    p = problem(ramadan=[MON])
    assert codes(slots.clashes(p, MON, T(7, 30), T(8, 30))) == [("hours", None)]  # Ramadan starts at 08:00
    assert codes(slots.clashes(p, MON, T(14, 30), T(15, 30))) == [("hours", None)]  # and ends at 15:00
    assert slots.clashes(p, TUE, T(14, 30), T(15, 30)) == []
    assert max(s.end for s in slots.candidates(p, minutes=60) if s.date == MON) == T(15)


def test_absence_and_blocked_weekday_name_the_person():
    p = problem(side(1, absences=[Absence(MON, TUE)]), side(2, blocked=[2]))  # 2 is Wednesday
    assert codes(slots.clashes(p, MON, T(9), T(10))) == [("absent", 1)]
    assert codes(slots.clashes(p, WED, T(9), T(10))) == [("blocked_weekday", 2)]
    assert slots.clashes(p, THU, T(9), T(10)) == []
    assert {s.date for s in slots.candidates(p, minutes=60)} == {THU, FRI}


def test_training_and_other_mentoring_sessions_take_the_time():
    p = problem(side(1, training=[(MON, T(8), T(12))]), side(2, sessions=[(MON, T(14), T(15))]))
    assert codes(slots.clashes(p, MON, T(11), T(12))) == [("training", 1)]
    assert codes(slots.clashes(p, MON, T(14, 30), T(15, 30))) == [("mentoring", 2)]
    assert slots.clashes(p, MON, T(13), T(14)) == []  # touching is not overlapping
    monday = [s for s in slots.candidates(p, minutes=60) if s.date == MON]
    assert [(s.start, s.end) for s in monday] == [(T(13), T(14)), (T(15), T(16))]


def test_a_unit_at_its_on_duty_minimum_keeps_the_person():
    # 5 staff, 80% on duty: 4 stay, so 1 may leave; with a colleague away on Monday nobody may.
    small = Unit(id="loket", size=5, min_on_duty_share=0.8, name="Loket")
    p = problem(side(1, unit=small, away={MON: 1}), side(2))
    assert codes(slots.clashes(p, MON, T(9), T(10))) == [("unit_minimum", 1)]
    assert slots.clashes(p, MON, T(9), T(10))[0].detail == "Loket"
    assert slots.clashes(p, TUE, T(9), T(10)) == []


def test_both_in_one_unit_need_two_free_places():
    unit = Unit(id="u", size=10, min_on_duty_share=0.8, name="Bidang")  # 8 stay, 2 may leave
    p = problem(side(1, unit=unit, away={TUE: 1}), side(2, unit=unit, away={TUE: 1}))
    assert slots.clashes(p, MON, T(9), T(10)) == []
    assert codes(slots.clashes(p, TUE, T(9), T(10))) == [("unit_minimum", 1)]  # one clash for the unit


# --- ranking and spread ------------------------------------------------------------------------

def test_off_peak_times_come_first_then_the_soonest():
    clinic = Unit(id="pkm", size=10, min_on_duty_share=0.5, pattern=CLINIC, name="Puskesmas")
    p = problem(side(1, unit=clinic), side(2, unit=Unit(id="o", size=10, pattern=OFFICE)))
    found = slots.free_slots(p, minutes=60, limit=8)
    assert len(found) == 8
    off = [s for s in found if s.off_peak]
    assert [s.date for s in off] == [MON, TUE, WED, THU, FRI]  # each day's afternoon, soonest first
    assert all(s.start >= T(14) for s in off)
    assert found[:len(off)] == off and not any(s.off_peak for s in found[len(off):])
    # Then a second time on the first days, in the morning peak (the afternoon has no room two hours apart),
    # as near the day's preferred start as two hours from the afternoon allow: 09:00, or 13:30 by turns.
    assert [(s.date, s.start) for s in found[len(off):]] == [(MON, T(11)), (TUE, T(9)), (WED, T(11))]


def test_at_most_two_a_day_far_apart_and_every_day_before_a_second():
    found = slots.free_slots(problem(last=MON), minutes=60, limit=8)
    # Monday's preferred start is 13:30 (Tuesday's 09:00); the second time lies two hours from it.
    assert [(s.start, s.end) for s in found] == [(T(11), T(12)), (T(13, 30), T(14, 30))]
    week = slots.free_slots(problem(), minutes=60, limit=5)
    assert [s.date for s in week] == [MON, TUE, WED, THU, FRI]
    seven = slots.free_slots(problem(), minutes=90, limit=7)
    assert [s.date for s in seven] == [MON, MON, TUE, TUE, WED, THU, FRI]
    monday = [s for s in seven if s.date == MON]
    assert (monday[1].start.hour * 60 + monday[1].start.minute) - (monday[0].start.hour * 60 + monday[0].start.minute) >= 120
    assert [s.start for s in seven if s.date != MON] == [T(9), T(13), T(13, 30), T(9), T(13, 30)]


def test_nothing_free_gives_nothing():
    p = problem(side(1, absences=[Absence(MON, FRI)]), side(2))
    assert slots.free_slots(p, minutes=60) == []


def test_a_slot_longer_than_any_stretch_of_work_fits_nowhere():
    assert slots.free_slots(problem(), minutes=6 * 60) == []
    with pytest.raises(ValueError):
        slots.candidates(problem(), minutes=0)
