"""The working week of Perpres 21/2023, service patterns, and the planning calendar from ``holidays``."""

import datetime

import pytest

from lms.scheduling import (
    CLINIC,
    SERVICE_COUNTER,
    Unit,
    build_calendar,
    default_working_week,
    national_holidays,
    ramadan_dates,
    weekdays_from_codes,
)

from .cases import D

T = datetime.time


def test_working_week_is_37_and_a_half_hours_and_32_and_a_half_in_ramadan():
    week = default_working_week()
    assert week.weekly_minutes() == 37.5 * 60
    assert week.weekly_minutes(ramadan=True) == 32.5 * 60
    assert week.day(D(2026, 7, 6)).start == T(7, 30)
    assert week.day(D(2026, 3, 2), ramadan=True).start == T(8)
    assert week.day(D(2026, 7, 11)) is None  # Saturday


def test_on_duty_minimum_rounds_in_favour_of_the_service():
    assert Unit("a", 5).may_leave() == 1
    assert Unit("a", 4).may_leave() == 0
    assert Unit("a", 7).may_leave() == 1  # 2 of 7 away would leave 71%
    assert Unit("a", 10).may_leave(absent=2) == 0
    assert Unit("a", 20, 0.75).may_leave() == 5


def test_peak_minutes_of_service_patterns():
    monday = D(2026, 7, 6)
    assert SERVICE_COUNTER.peak_minutes(monday, T(7, 30), T(9, 30)) == 90
    assert SERVICE_COUNTER.peak_minutes(monday, T(14), T(16)) == 0
    # A whole clinic day: 07:30–14:00 peak less the 12:00–13:00 break.
    assert CLINIC.peak_minutes(monday, T(7, 30), T(16), ((T(12), T(13)),)) == 330


def test_weekday_codes():
    assert weekdays_from_codes(["tue", "Thu"]) == {1, 3}
    with pytest.raises(ValueError):
        weekdays_from_codes(["tues day", "xyz"])


def test_calendar_has_public_holidays_cuti_bersama_and_closures():
    cal = build_calendar(D(2026, 1, 1), D(2026, 12, 31), closures={D(2026, 7, 7): "Hari jadi kabupaten"})
    assert "Kemerdekaan" in cal.holidays[D(2026, 8, 17)]
    assert "Cuti Bersama" in cal.holidays[D(2026, 3, 23)]  # joint leave after Idul Fitri (GOVERNMENT category)
    assert D(2026, 7, 7) in cal.closures
    without = national_holidays([2026], cuti_bersama=False)
    assert D(2026, 3, 23) not in without and D(2026, 8, 17) in without


def test_ramadan_runs_to_the_eve_of_idul_fitri():
    days = ramadan_dates([2026])
    assert min(days) == D(2026, 2, 19) and max(days) == D(2026, 3, 20)
    assert D(2026, 3, 21) not in days  # Idul Fitri itself
