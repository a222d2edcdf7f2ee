"""The planning calendar: national holidays, cuti bersama and Ramadan from ``holidays``, plus closures.

``holidays`` (country ``ID``) keeps public holidays in its PUBLIC category and *cuti bersama*
(joint leave days decreed yearly for ASN) in its GOVERNMENT category; its cuti bersama data can
lag the yearly SKB of three ministers, so agencies add their own closure days on top. Ramadan
runs from 1 Ramadan (the package's Indonesian MABIMS dates) to the day before Idul Fitri.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import holidays
from holidays.countries.indonesia import IndonesiaIslamicHolidays

from .duty import WorkingWeek


@dataclass(frozen=True)
class PlanningCalendar:
    """The days of a planning period and why some are not working days.

    ``holidays``: date → name (public holidays and cuti bersama); ``closures``: date → reason
    (the agency's own); ``ramadan``: dates on Ramadan working hours.
    """

    first: datetime.date
    last: datetime.date
    holidays: Mapping[datetime.date, str] = field(default_factory=dict)
    closures: Mapping[datetime.date, str] = field(default_factory=dict)
    ramadan: frozenset[datetime.date] = frozenset()

    def __post_init__(self):
        if self.last < self.first:
            raise ValueError("The period must end after it starts.")

    def dates(self) -> Iterable[datetime.date]:
        day = self.first
        while day <= self.last:
            yield day
            day += datetime.timedelta(days=1)

    def is_closed(self, date: datetime.date) -> bool:
        return date in self.holidays or date in self.closures

    def working_days(self, week: WorkingWeek) -> list[datetime.date]:
        """Dates in the period with working hours that are neither holidays nor closures."""
        return [d for d in self.dates() if not self.is_closed(d) and week.day(d) is not None]


def national_holidays(years: Iterable[int], *, cuti_bersama: bool = True) -> dict[datetime.date, str]:
    """Indonesian public holidays (and cuti bersama unless told not to) for ``years``, in Indonesian."""
    categories = ("public", "government") if cuti_bersama else ("public",)
    found = holidays.country_holidays("ID", years=sorted(set(years)), categories=categories, language="id")
    return dict(found.items())


def ramadan_dates(years: Iterable[int]) -> frozenset[datetime.date]:
    """Every day of Ramadan that falls in ``years``: 1 Ramadan up to the eve of Idul Fitri."""
    years = sorted(set(years))
    islamic = IndonesiaIslamicHolidays()
    days = set()
    for year in range(years[0] - 1, years[-1] + 2):
        eids = sorted(d for d, _estimated in islamic.eid_al_fitr_dates(year))
        for begin, _estimated in islamic.ramadan_beginning_dates(year):
            eid = next((e for e in eids if e > begin), begin + datetime.timedelta(days=30))
            day = begin
            while day < eid:
                if day.year in years:
                    days.add(day)
                day += datetime.timedelta(days=1)
    return frozenset(days)


def build_calendar(
    first: datetime.date, last: datetime.date, *, closures: Mapping[datetime.date, str] | None = None,
    extra_holidays: Mapping[datetime.date, str] | None = None, cuti_bersama: bool = True,
    ramadan: bool = True,
) -> PlanningCalendar:
    """A calendar for ``first``–``last`` from the holidays package plus the agency's own days."""
    years = range(first.year, last.year + 1)
    days = {d: n for d, n in national_holidays(years, cuti_bersama=cuti_bersama).items() if first <= d <= last}
    days.update({d: n for d, n in (extra_holidays or {}).items() if first <= d <= last})
    return PlanningCalendar(
        first=first, last=last, holidays=days,
        closures={d: r for d, r in (closures or {}).items() if first <= d <= last},
        ramadan=frozenset(d for d in ramadan_dates(years) if first <= d <= last) if ramadan else frozenset(),
    )
