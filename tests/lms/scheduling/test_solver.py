"""The CP-SAT scheduler's choices: peak hours, preferences, Ramadan hours, rooms, locks; and against greedy."""

import datetime

import pytest

from lms.scheduling import (
    SERVICE_COUNTER,
    Format,
    Meeting,
    Preference,
    ProposedSession,
    Unit,
    check,
    figures,
    schedule,
    schedule_greedy,
)
from lms.scheduling.synthetic import synthetic_problem

from .cases import D, big_unit, course, meetings_of, people, problem

T = datetime.time


def test_counter_staff_train_outside_the_morning_queue():
    counter = Unit("loket", 40, 0.8, SERVICE_COUNTER)
    staff = people("loket", 8)
    case = problem(D(2026, 7, 6), D(2026, 8, 28), units=[counter], persons=staff,
                   courses=[course("pelayanan", staff, jp=12, formats=(Format.WHOLE_DAYS, Format.SHORT_BLOCKS))])
    proposal = schedule(case)
    assert figures(case, proposal).placed == 8
    assert figures(case, proposal).peak_hours == 0
    assert all(m.start >= T(12) for m in meetings_of(proposal, staff[0].id))
    # The baseline takes the first format, whole days, right through the morning queues.
    assert figures(case, schedule_greedy(case)).peak_hours > 0


def test_stated_preferences_are_met_where_possible():
    staff = people("office", 10, preference=Preference(mode="online", time="morning"))
    case = problem(D(2026, 7, 6), D(2026, 8, 28), units=[big_unit()], persons=staff,
                   courses=[course("data", staff, jp=8, formats=(Format.SHORT_BLOCKS, Format.ONLINE))])
    proposal = schedule(case)
    assert [s.format for s in proposal.sessions] == [Format.ONLINE]
    assert figures(case, proposal).preferences_share == 1.0


def test_ramadan_hours_are_used_in_ramadan():
    staff = people("office", 10)
    case = problem(D(2026, 2, 23), D(2026, 3, 6), units=[big_unit()], persons=staff,
                   courses=[course("a", staff, jp=20, formats=(Format.WHOLE_DAYS,))])
    proposal = schedule(case)
    meetings = [m for s in proposal.sessions for m in s.meetings]
    assert meetings and all(m.start == T(8) and m.end in (T(15), T(15, 30)) for m in meetings)
    assert check(case, proposal.sessions) == []


def test_rooms_limit_classroom_sessions_but_not_online_ones():
    units = [big_unit("u%d" % i, 60) for i in range(4)]
    staff = [p for u in units for p in people(u.id, 20)]
    courses = [course("c%d" % i, [p for p in staff if p.unit == "u%d" % i], jp=8, min_size=5,
                      formats=(Format.SHORT_BLOCKS,)) for i in range(4)]
    case = problem(D(2026, 7, 6), D(2026, 7, 17), units=units, persons=staff, courses=courses, rooms=1)
    for run in (schedule, schedule_greedy):
        proposal = run(case)
        assert check(case, proposal.sessions) == []
        slots = [(m.date, m.start) for s in proposal.sessions for m in s.meetings]
        assert len(slots) == len(set(slots))  # one class per room-slot


def test_rerun_keeps_locked_sessions_and_plans_around_them():
    counter = Unit("loket", 5, 0.8, SERVICE_COUNTER)  # one may leave at a time
    staff = people("loket", 3)
    first = [Meeting(D(2026, 7, 7), T(14), T(16)), Meeting(D(2026, 7, 9), T(14), T(16))]
    locked = ProposedSession("kept-1", "a", Format.SHORT_BLOCKS, tuple(first), (staff[0].id,), locked=True)
    case = problem(D(2026, 7, 6), D(2026, 7, 17), units=[counter], persons=staff,
                   courses=[course("a", staff, jp=4), course("b", staff[1:], jp=4)], locked=(locked,))
    proposal = schedule(case)
    kept = [s for s in proposal.sessions if s.key == "kept-1"]
    assert kept and kept[0].meetings == tuple(first) and kept[0].locked
    assert figures(case, proposal).placed == 5
    # Nobody else from the counter is out while the locked class meets.
    others = {(m.date, m.start) for s in proposal.sessions if s.key != "kept-1" for m in s.meetings}
    assert not others & {(m.date, m.start) for m in first}
    assert check(case, proposal.sessions) == []


@pytest.fixture(scope="module")
def synthetic():
    case = synthetic_problem(people=800, courses=25, months=4, seed=7)
    return case, schedule(case, time_limit=10, seconds_per_row=0.002), schedule_greedy(case)


def test_synthetic_demand_passes_the_checker(synthetic):
    case, solved, greedy = synthetic
    assert check(case, solved.sessions) == []
    assert check(case, greedy.sessions) == []


def test_solver_beats_the_greedy_baseline(synthetic):
    case, solved, greedy = synthetic
    s, g = figures(case, solved), figures(case, greedy)
    assert s.placed_share >= 0.9 and s.placed > g.placed
    assert s.peak_hours < g.peak_hours
    assert s.classes / s.placed < g.classes / g.placed
    # Everyone left out has a reason, and it is never the solver's own doing.
    assert len(solved.unplaced) == s.demand - s.placed
    assert all(u.reason != "not_scheduled" for u in solved.unplaced)


def test_training_booked_before_is_worked_around():
    unit = Unit("seksi", 5, 0.8)  # one may leave at a time
    mondays = tuple((D(2026, 7, 6) + datetime.timedelta(days=7 * w + d), T(7, 30), T(16))
                    for w in range(2) for d in range(5))
    booked = people("seksi", 1, prefix="booked", commitments=mondays)[0]  # away all of the first two weeks
    staff = people("seksi", 2)
    case = problem(D(2026, 7, 6), D(2026, 7, 31), units=[unit], persons=[booked, *staff],
                   courses=[course("a", staff, jp=4)])
    proposal = schedule(case)
    assert figures(case, proposal).placed == 2
    assert all(m.date >= D(2026, 7, 20) for s in proposal.sessions for m in s.meetings)
    assert check(case, proposal.sessions) == []
