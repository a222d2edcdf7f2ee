"""Unit coverage on training days: who would be away, and where a unit falls below its on-duty share.

Pure: plain dicts and dates in, dataclasses out; the ORM side is
``lms.selectors.enrollments.approval_warnings``.
"""

import datetime
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class CoverageShortfall:
    """One day on which ``unit`` would keep fewer staff on duty than its minimum share.

    ``staff`` is the unit's active staff, ``away`` those in training that day (the person asking
    included), ``on_duty`` the rest, ``minimum`` the least number that must stay.
    """

    unit_id: int
    day: datetime.date
    staff: int
    away: int
    on_duty: int
    minimum: int
    min_share: float

    @property
    def share(self):
        return self.on_duty / self.staff if self.staff else 0.0


def meeting_days(spans: Iterable[tuple[datetime.datetime, datetime.datetime]], tz) -> list[datetime.date]:
    """The local dates (in ``tz``) touched by meetings given as aware (start, end) pairs, sorted."""
    days = set()
    for start, end in spans:
        day, last = start.astimezone(tz).date(), (end - datetime.timedelta(microseconds=1)).astimezone(tz).date()
        while day <= last:
            days.add(day)
            day += datetime.timedelta(days=1)
    return sorted(days)


def shortfalls(
    *,
    unit_id: int,
    person_id: int,
    days: Iterable[datetime.date],
    staff: int,
    away_by_day: Mapping[datetime.date, set],
    min_share: float,
) -> list[CoverageShortfall]:
    """The days on which the unit would fall below ``min_share`` if ``person_id`` trains too.

    ``away_by_day`` maps a date to the ids of the unit's people already in training that day.
    The minimum on duty is rounded up: a unit of 7 at 0.8 keeps 6 (5.6 people cannot be on duty).
    """
    if staff <= 0:
        return []
    minimum = math.ceil(round(min_share * staff, 9))
    found = []
    for day in days:
        away = len(set(away_by_day.get(day, ())) | {person_id})
        on_duty = staff - away
        if on_duty < minimum:
            found.append(CoverageShortfall(unit_id=unit_id, day=day, staff=staff, away=away, on_duty=on_duty,
                                           minimum=minimum, min_share=float(min_share)))
    return found
