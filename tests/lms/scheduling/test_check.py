"""The independent checker catches each kind of broken constraint in a proposal made by hand."""

import datetime

import pytest

from lms.scheduling import Absence, Format, Meeting, ProposedSession, Unit, check, weekdays_from_codes

from .cases import D, big_unit, course, people, problem

T = datetime.time


@pytest.fixture
def case():
    staff = people("seksi", 5)
    teacher = people("sd", 1, blocked_weekdays=weekdays_from_codes(["tue"]))[0]
    away = people("sd", 1, prefix="cuti", absences=(Absence(D(2026, 8, 3), D(2026, 8, 7)),))[0]
    return problem(
        D(2026, 8, 3), D(2026, 8, 28), units=[Unit("seksi", 5, 0.8), big_unit("sd")],
        persons=[*staff, teacher, away],
        courses=[course("a", [*staff, teacher, away], jp=4, max_size=6),
                 course("b", staff, jp=4, formats=(Format.SHORT_BLOCKS, Format.ONLINE))],
        rooms=1,
    )


def session(key, participants, meetings, *, course="a", fmt=Format.SHORT_BLOCKS, locked=False):
    return ProposedSession(key, course, fmt, tuple(Meeting(*m) for m in meetings), tuple(participants), locked)


MON_MORNING = [(D(2026, 8, 10), T(7, 30), T(9, 30)), (D(2026, 8, 12), T(7, 30), T(9, 30))]


def codes(case, sessions):
    return {v.code for v in check(case, sessions)}


def test_a_sound_proposal_passes(case):
    assert check(case, [session("s1", ["seksi-0"], MON_MORNING)]) == []


def test_holiday_and_day_off(case):
    assert codes(case, [session("s1", ["seksi-0"], [(D(2026, 8, 17), T(7, 30), T(9, 30)),
                                                  (D(2026, 8, 15), T(7, 30), T(9, 30))])]) >= {"holiday", "day_off"}


def test_hours_and_breaks(case):
    assert "outside_hours" in codes(case, [session("s1", ["seksi-0"], [(D(2026, 8, 10), T(6), T(10)),
                                                                       (D(2026, 8, 11), T(7, 30), T(9, 30))])])
    assert "break" in codes(case, [session("s1", ["seksi-0"], [(D(2026, 8, 10), T(11), T(13)),
                                                              (D(2026, 8, 11), T(7, 30), T(9, 30))])])


def test_too_short_for_the_jp(case):
    # 4 JP = 180 minutes; one 2-hour meeting is not enough.
    assert codes(case, [session("s1", ["seksi-0"], MON_MORNING[:1])]) == {"too_short"}


def test_class_size_and_demand(case):
    assert codes(case, [session("s1", [], MON_MORNING)]) == {"class_size"}
    assert "not_demanded" in codes(case, [session("s1", ["sd-0"], MON_MORNING, course="b")])
    assert "format_not_allowed" in codes(case, [session("s1", ["seksi-0"], MON_MORNING, fmt=Format.WHOLE_DAYS)])


def test_double_booking(case):
    found = codes(case, [session("s1", ["seksi-0"], MON_MORNING),
                         session("s2", ["seksi-0"], MON_MORNING, course="b", fmt=Format.ONLINE)])
    assert "double_booked" in found


def test_unit_below_its_minimum(case):
    # Two of five away at once leaves 60% on duty, below 80%.
    assert codes(case, [session("s1", ["seksi-0", "seksi-1"], MON_MORNING)]) == {"unit_below_minimum"}


def test_blocked_day_and_leave(case):
    tuesday = [(D(2026, 8, 4), T(7, 30), T(9, 30)), (D(2026, 8, 6), T(7, 30), T(9, 30))]
    assert codes(case, [session("s1", ["sd-0", "cuti-0"], tuesday)]) == {"blocked_day", "absent"}


def test_rooms(case):
    sessions = [session("s1", ["seksi-0"], MON_MORNING), session("s2", ["sd-0"], MON_MORNING)]
    assert codes(case, sessions) == {"rooms"}
    online = [sessions[0], session("s2", ["seksi-1"], [(D(2026, 8, 11), T(7, 30), T(9, 30)),
                                                       (D(2026, 8, 13), T(7, 30), T(9, 30))],
                                   course="b", fmt=Format.ONLINE)]
    assert codes(case, online) == set()


def test_twice_in_one_course(case):
    later = [(D(2026, 8, 18), T(7, 30), T(9, 30)), (D(2026, 8, 20), T(7, 30), T(9, 30))]
    assert "twice" in codes(case, [session("s1", ["seksi-0"], MON_MORNING), session("s2", ["seksi-0"], later)])


def test_training_booked_before_counts(case):
    import dataclasses

    booked = dataclasses.replace(case.people[0], commitments=((D(2026, 8, 10), T(8), T(9)),))
    case = dataclasses.replace(case, people=[booked, *case.people[1:]])
    found = codes(case, [session("s1", ["seksi-0"], MON_MORNING), session("s2", ["seksi-1"], MON_MORNING[1:] + [
        (D(2026, 8, 10), T(7, 30), T(9, 30))], course="b", fmt=Format.ONLINE)])
    assert found == {"double_booked", "unit_below_minimum"}
