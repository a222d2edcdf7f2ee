"""Meeting patterns: blocks of working days and "2 × 2 hours a week", stepping over holidays."""

import datetime

import pytest

from courses.recurrence import Slot, national_closures, recurring_slots, weekday_numbers

WIB = "Asia/Jakarta"


def test_two_short_meetings_a_week_on_tuesday_and_thursday():
    slots = recurring_slots(
        first_day=datetime.date(2026, 11, 30), start=datetime.time(13, 30), end=datetime.time(15, 30),
        count=4, tz=WIB, weekdays=weekday_numbers(["tue", "thu"]),
    )
    assert [s.start.date() for s in slots] == [
        datetime.date(2026, 12, 1), datetime.date(2026, 12, 3), datetime.date(2026, 12, 8), datetime.date(2026, 12, 10)
    ]
    assert all(s.minutes == 120 and s.start.utcoffset() == datetime.timedelta(hours=7) for s in slots)


def test_a_block_of_working_days_skips_the_weekend_and_christmas_joint_leave():
    closures = national_closures([2026])
    slots = recurring_slots(
        first_day=datetime.date(2026, 12, 23), start=datetime.time(8), end=datetime.time(15), count=3, tz=WIB,
        skip=closures,
    )
    # 24 Dec is cuti bersama, 25 Dec Christmas, 26–27 a weekend.
    assert [s.start.date().isoformat() for s in slots] == ["2026-12-23", "2026-12-28", "2026-12-29"]


def test_times_are_local_to_the_agency_zone():
    (slot,) = recurring_slots(
        first_day=datetime.date(2026, 12, 1), start=datetime.time(8), end=datetime.time(10), count=1, tz="Asia/Jayapura"
    )
    assert slot.start.utcoffset() == datetime.timedelta(hours=9)


@pytest.mark.parametrize("kwargs, message", [
    ({"count": 0}, "at least one meeting"),
    ({"start": datetime.time(15), "end": datetime.time(13)}, "must be after"),
    ({"weekdays": [9]}, "Weekdays"),
])
def test_bad_patterns_are_refused_with_a_reason(kwargs, message):
    args = {"first_day": datetime.date(2026, 12, 1), "start": datetime.time(8), "end": datetime.time(10),
            "count": 2, "tz": WIB, **kwargs}
    with pytest.raises(ValueError, match=message):
        recurring_slots(**args)


def test_unknown_weekday_codes_are_named():
    with pytest.raises(ValueError, match="xyz"):
        weekday_numbers(["tue", "xyz"])


def test_a_slot_needs_aware_times_that_end_after_they_start():
    naive = datetime.datetime(2026, 12, 1, 8)
    with pytest.raises(ValueError):
        Slot(naive, naive + datetime.timedelta(hours=1))
