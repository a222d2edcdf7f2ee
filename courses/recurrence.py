"""Meeting slots from a pattern: a block of consecutive working days, or "2 × 2 hours a week".

Pure: dates, times and a time zone in, aware ``Slot``s out. Days in ``skip`` (public holidays,
cuti bersama, an agency's own closures) are stepped over, never counted.
"""

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

WORKING_DAYS = (0, 1, 2, 3, 4)  # Monday–Friday (Perpres 21/2023)
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, order=True)
class Slot:
    """One meeting: aware start and end."""

    start: datetime.datetime
    end: datetime.datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("A meeting needs aware start and end times.")
        if self.end <= self.start:
            raise ValueError("A meeting must end after it starts (%s – %s)." % (self.start, self.end))

    @property
    def minutes(self):
        return int((self.end - self.start).total_seconds() // 60)


def recurring_slots(
    *,
    first_day: datetime.date,
    start: datetime.time,
    end: datetime.time,
    count: int,
    tz: str | ZoneInfo,
    weekdays: Iterable[int] = WORKING_DAYS,
    skip: Collection[datetime.date] = (),
    max_days: int = 730,
) -> list[Slot]:
    """``count`` meetings from ``first_day`` on, on the given ``weekdays`` (0 = Monday), skipping ``skip``.

    Working days with the default weekdays gives a multi-day block (3 days, 08:00–16:00); weekdays
    ``{1, 3}`` with 13:00–15:00 gives "2 × 2 hours a week".
    """
    if count < 1:
        raise ValueError("A session needs at least one meeting.")
    if end <= start:
        raise ValueError("The end time (%s) must be after the start time (%s)." % (end, start))
    days = set(weekdays)
    if not days or not days <= set(range(7)):
        raise ValueError("Weekdays must be numbers 0 (Monday) to 6 (Sunday).")
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    skip = set(skip)
    slots, day = [], first_day
    while len(slots) < count:
        if (day - first_day).days > max_days:
            raise ValueError("Could not place %d meetings within %d days." % (count, max_days))
        if day.weekday() in days and day not in skip:
            slots.append(Slot(
                datetime.datetime.combine(day, start, tzinfo=zone), datetime.datetime.combine(day, end, tzinfo=zone)
            ))
        day += datetime.timedelta(days=1)
    return slots


def weekday_numbers(codes: Iterable[str]) -> list[int]:
    """``["tue", "thu"]`` → ``[1, 3]``; unknown codes raise ValueError naming them."""
    codes = [c.strip().lower()[:3] for c in codes if c.strip()]
    unknown = [c for c in codes if c not in WEEKDAY_CODES]
    if unknown:
        raise ValueError("Unknown weekday: %s (use mon, tue, wed, thu, fri, sat, sun)." % ", ".join(unknown))
    return sorted({WEEKDAY_CODES.index(c) for c in codes})


def national_closures(years: Iterable[int]) -> set[datetime.date]:
    """Indonesian public holidays and cuti bersama (joint leave) for ``years``."""
    import holidays

    return set(holidays.country_holidays("ID", years=list(years), categories=("public", "government")))
