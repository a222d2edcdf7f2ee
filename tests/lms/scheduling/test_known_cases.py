"""The known cases of issue 6: on-duty minimums, holidays, declared teaching days, and why demand is left out."""

from collections import defaultdict

import pytest

from lms.scheduling import (
    CLINIC,
    SCHOOL,
    Absence,
    Format,
    Reason,
    Unit,
    check,
    national_holidays,
    schedule,
    schedule_greedy,
    weekdays_from_codes,
)

from .cases import D, big_unit, course, meetings_of, people, problem

SCHEDULERS = [pytest.param(schedule, id="cp-sat"), pytest.param(schedule_greedy, id="greedy")]


def most_away_at_once(proposal, person_ids):
    """The most of ``person_ids`` in training at the same moment, over the whole proposal."""
    events = defaultdict(list)
    for s in proposal.sessions:
        for _pid in set(s.participants) & set(person_ids):
            for m in s.meetings:
                events[m.date] += [(m.start, 1), (m.end, -1)]
    most = 0
    for ev in events.values():
        away = 0
        for _t, step in sorted(ev):
            away += step
            most = max(most, away)
    return most


@pytest.mark.parametrize("run", SCHEDULERS)
def test_unit_of_five_at_80_percent_never_has_two_out_at_once(run):
    unit = Unit("puskesmas", 5, 0.8, CLINIC)
    staff = people("puskesmas", 5)
    case = problem(D(2026, 7, 6), D(2026, 8, 28), units=[unit], persons=staff, courses=[
        course("triage", staff, jp=8),
        course("records", staff, jp=16, formats=(Format.WHOLE_DAYS, Format.SHORT_BLOCKS)),
    ])
    proposal = run(case)
    assert sum(len(s.participants) for s in proposal.sessions) == 10  # everyone trains, one at a time
    assert most_away_at_once(proposal, [p.id for p in staff]) == 1
    assert check(case, proposal.sessions) == []


@pytest.mark.parametrize("run", SCHEDULERS)
def test_nothing_on_independence_day(run):
    # 17 August 2026 is a Monday; the period is two full weeks around it, densely booked.
    units = [big_unit("u%d" % i, 60) for i in range(8)]
    staff = [p for u in units for p in people(u.id, 30)]
    courses = [course("c%d" % i, [p for p in staff if p.unit == "u%d" % i], jp=16, min_size=5,
                      formats=(Format.WHOLE_DAYS, Format.SHORT_BLOCKS)) for i in range(8)]
    case = problem(D(2026, 8, 10), D(2026, 8, 28), units=units, persons=staff, courses=courses)
    assert case.calendar.holidays[D(2026, 8, 17)]
    proposal = run(case)
    days = {m.date for s in proposal.sessions for m in s.meetings}
    assert D(2026, 8, 17) not in days
    assert D(2026, 8, 10) in days or D(2026, 8, 24) in days  # other Mondays are used
    assert check(case, proposal.sessions) == []


@pytest.mark.parametrize("run", SCHEDULERS)
def test_nothing_on_idul_fitri_or_its_cuti_bersama(run):
    # Idul Fitri 1446 H fell on Monday 31 March 2025; dates as the holidays package has them.
    lebaran = {d for d, name in national_holidays([2025]).items() if "Idul Fitri" in name}
    assert {D(2025, 3, 31), D(2025, 4, 1), D(2025, 4, 2), D(2025, 4, 7)} <= lebaran
    units = [big_unit("u%d" % i, 60) for i in range(6)]
    staff = [p for u in units for p in people(u.id, 30)]
    courses = [course("c%d" % i, [p for p in staff if p.unit == "u%d" % i], jp=12, min_size=5,
                      formats=(Format.WHOLE_DAYS, Format.SHORT_BLOCKS)) for i in range(6)]
    case = problem(D(2025, 3, 24), D(2025, 4, 18), units=units, persons=staff, courses=courses)
    proposal = run(case)
    days = {m.date for s in proposal.sessions for m in s.meetings}
    assert days and not days & lebaran
    assert check(case, proposal.sessions) == []


@pytest.mark.parametrize("run", SCHEDULERS)
def test_teacher_is_not_taken_on_declared_teaching_days(run):
    teaching_days = weekdays_from_codes(["tue", "thu"])
    school = Unit("sd-1", 30, 0.8, SCHOOL)
    teacher = people("sd-1", 1, blocked_weekdays=teaching_days)[0]
    # Colleagues elsewhere can only come on Tuesdays and Thursdays: their class is on those days,
    # so the teacher must get a class of their own rather than join the obvious one.
    colleagues = people("dinas", 12, blocked_weekdays=weekdays_from_codes(["mon", "wed", "fri"]))
    case = problem(D(2026, 7, 6), D(2026, 8, 28), units=[school, big_unit("dinas")],
                   persons=[teacher, *colleagues], courses=[course("kurikulum", [teacher, *colleagues], jp=12)])
    proposal = run(case)
    mine = meetings_of(proposal, teacher.id)
    assert mine, "the teacher is placed"
    assert {m.date.weekday() for m in mine}.isdisjoint(teaching_days)
    assert {m.date.weekday() for m in meetings_of(proposal, colleagues[0].id)} <= teaching_days
    assert check(case, proposal.sessions) == []


def reasons(proposal):
    return {(u.person, u.course): u for u in proposal.unplaced}


@pytest.mark.parametrize("run", SCHEDULERS)
def test_infeasible_demand_names_what_blocks_it(run):
    small = Unit("loket", 4, 0.8)  # 4 staff at 80%: nobody can ever leave the counter
    tiny = people("loket", 2)
    never = people("office", 1, prefix="always-busy",
                   blocked_weekdays=weekdays_from_codes(["mon", "tue", "wed", "thu", "fri"]))
    away = people("office", 1, prefix="on-leave", absences=(Absence(D(2026, 7, 1), D(2026, 9, 30)),))
    few = people("office", 3, prefix="few")
    regular = people("office", 10, prefix="regular")
    case = problem(D(2026, 7, 6), D(2026, 7, 31), units=[small, big_unit("office")],
                   persons=[*tiny, *never, *away, *few, *regular], courses=[
                       course("service", [*tiny, *never, *away, *regular], jp=8, min_size=5),
                       course("rare", few, jp=8, min_size=10),
                       course("marathon", regular[:5], jp=400, min_size=1, formats=(Format.WHOLE_DAYS,)),
                   ])
    proposal = run(case)
    why = reasons(proposal)
    assert why[tiny[0].id, "service"].reason is Reason.UNIT_MINIMUM
    assert why[tiny[0].id, "service"].unit == "loket"
    assert why[tiny[0].id, "service"].detail["may_leave_at_once"] == 0
    assert why[never[0].id, "service"].reason is Reason.PERSON_UNAVAILABLE
    assert why[never[0].id, "service"].detail["blocked_weekdays"] == ["mon", "tue", "wed", "thu", "fri"]
    assert why[away[0].id, "service"].reason is Reason.PERSON_UNAVAILABLE
    assert why[few[0].id, "rare"].reason is Reason.TOO_FEW
    assert why[few[0].id, "rare"].detail == {"min_size": 10, "most_who_could_meet": 3}
    assert why[regular[0].id, "marathon"].reason is Reason.COURSE_TOO_LONG
    assert all((p.id, "service") not in why for p in regular)  # the ones who can go, go
    assert check(case, proposal.sessions) == []


@pytest.mark.parametrize("run", SCHEDULERS)
def test_colleagues_training_uses_up_the_units_free_share(run):
    # One may leave at a time, and a five-day course in a five-day period fits once only.
    unit = Unit("seksi", 5, 0.8)
    staff = people("seksi", 3)
    case = problem(D(2026, 7, 6), D(2026, 7, 10), units=[unit], persons=staff,
                   courses=[course("intensive", staff, jp=50, formats=(Format.WHOLE_DAYS,))])
    proposal = run(case)
    assert sum(len(s.participants) for s in proposal.sessions) == 1
    assert {u.reason for u in proposal.unplaced} == {Reason.UNIT_BUSY}
