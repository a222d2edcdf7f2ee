"""The duty model: working week, unit service patterns, unit on-duty minimums and people's unavailability.

Plain frozen dataclasses, no ORM. Times are local wall-clock times in the agency's own time zone;
weekdays are ``date.weekday()`` numbers (0 = Monday).
"""

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

T = datetime.time
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_MIN_ON_DUTY_SHARE = 0.8


def _minutes(start: datetime.time, end: datetime.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def overlap_minutes(a: tuple[datetime.time, datetime.time], b: tuple[datetime.time, datetime.time]) -> int:
    """Minutes two same-day intervals share."""
    return max(0, _minutes(max(a[0], b[0]), min(a[1], b[1])))


@dataclass(frozen=True)
class WorkingDay:
    """One day's working hours, its breaks, and the training slots a short meeting may take.

    Every working day of a week has the same number of slots (slot 0 is the first of the day), so
    "slot 2 on Tuesdays" means the same lane in normal weeks and in Ramadan, at shifted times.
    """

    start: datetime.time
    end: datetime.time
    breaks: tuple[tuple[datetime.time, datetime.time], ...] = ()
    slots: tuple[tuple[datetime.time, datetime.time], ...] = ()

    def __post_init__(self):
        if not self.start < self.end:
            raise ValueError("A working day must end after it starts.")
        for s, e in self.slots:
            if not (self.start <= s < e <= self.end):
                raise ValueError("Slot %s–%s lies outside working hours." % (s, e))
            if any(overlap_minutes((s, e), b) for b in self.breaks):
                raise ValueError("Slot %s–%s overlaps a break." % (s, e))

    @property
    def minutes(self) -> int:
        """Working minutes: the whole day less its breaks (what a whole training day provides)."""
        return _minutes(self.start, self.end) - sum(_minutes(s, e) for s, e in self.breaks)

    def slot_minutes(self, k: int) -> int:
        return _minutes(*self.slots[k])


@dataclass(frozen=True)
class WorkingWeek:
    """The agency's working week, normally and during Ramadan; days absent from ``days`` are off."""

    days: Mapping[int, WorkingDay]
    ramadan_days: Mapping[int, WorkingDay] = field(default_factory=dict)

    def __post_init__(self):
        counts = {len(d.slots) for d in (*self.days.values(), *self.ramadan_days.values())}
        if len(counts) != 1 or 0 in counts:
            raise ValueError("Every working day needs the same, non-zero number of training slots.")

    @property
    def n_slots(self) -> int:
        return len(next(iter(self.days.values())).slots)

    def day(self, date: datetime.date, ramadan: bool = False) -> WorkingDay | None:
        """The working day on ``date`` (Ramadan hours where given), or None on a day off."""
        if ramadan and date.weekday() in self.ramadan_days:
            return self.ramadan_days[date.weekday()]
        return self.days.get(date.weekday())

    def weekly_minutes(self, ramadan: bool = False) -> int:
        days = self.ramadan_days if ramadan and self.ramadan_days else self.days
        return sum(d.minutes for d in days.values())


def default_working_week() -> WorkingWeek:
    """Perpres 21/2023 (docs/domain.md#working-hours): Monday–Friday from 07:30, 37.5 hours; Ramadan 32.5 hours from 08:00.

    Breaks: 60 minutes (90 on Friday for the Friday prayer); 30 and 60 minutes in Ramadan.
    Slots: two 2-hour morning blocks and one at the end of the day, when services are quietest.
    """
    mon_thu = WorkingDay(T(7, 30), T(16, 0), ((T(12), T(13)),),
                         ((T(7, 30), T(9, 30)), (T(9, 30), T(11, 30)), (T(14), T(16))))
    fri = WorkingDay(T(7, 30), T(16, 30), ((T(11, 30), T(13)),),
                     ((T(7, 30), T(9, 30)), (T(9, 30), T(11, 30)), (T(14, 30), T(16, 30))))
    r_mon_thu = WorkingDay(T(8), T(15), ((T(12), T(12, 30)),),
                           ((T(8), T(10)), (T(10), T(12)), (T(13), T(15))))
    r_fri = WorkingDay(T(8), T(15, 30), ((T(11, 30), T(12, 30)),),
                       ((T(8), T(9, 45)), (T(9, 45), T(11, 30)), (T(13, 30), T(15, 30))))
    return WorkingWeek(
        days={0: mon_thu, 1: mon_thu, 2: mon_thu, 3: mon_thu, 4: fri},
        ramadan_days={0: r_mon_thu, 1: r_mon_thu, 2: r_mon_thu, 3: r_mon_thu, 4: r_fri},
    )


@dataclass(frozen=True)
class ServicePattern:
    """When a unit's service is busiest: peak hours per weekday; training then costs the public most."""

    code: str
    peak: Mapping[int, tuple[tuple[datetime.time, datetime.time], ...]] = field(default_factory=dict)

    def peak_minutes(self, date: datetime.date, start: datetime.time, end: datetime.time,
                     breaks: tuple[tuple[datetime.time, datetime.time], ...] = ()) -> int:
        """Minutes of ``start``–``end`` on ``date`` inside peak hours, less any breaks inside them."""
        total = 0
        for p in self.peak.get(date.weekday(), ()):
            inside = (max(start, p[0]), min(end, p[1]))
            if inside[0] < inside[1]:
                total += overlap_minutes(inside, inside) - sum(overlap_minutes(b, inside) for b in breaks)
        return total


def _weekdays(interval, days=range(5)):
    return {d: (interval,) for d in days}


#: Back office: no peak; training may take any working hour.
OFFICE = ServicePattern("office")
#: Schools: teaching hours in the morning (SD/SMP roughly 07:00–12:30, Monday–Saturday).
SCHOOL = ServicePattern("school", _weekdays((T(7), T(12, 30)), range(6)))
#: Puskesmas and hospitals' outpatient clinics: the morning shift is the busiest.
CLINIC = ServicePattern("clinic", _weekdays((T(7, 30), T(14)), range(6)))
#: Public service counters (licensing, civil registry): queues in the morning.
SERVICE_COUNTER = ServicePattern("service_counter", _weekdays((T(8), T(12))))
SERVICE_PATTERNS = {p.code: p for p in (OFFICE, SCHOOL, CLINIC, SERVICE_COUNTER)}


@dataclass(frozen=True)
class Unit:
    """A unit whose staff must keep ``min_on_duty_share`` of its ``size`` at work in every block.

    ``size`` counts all its staff, not only those with training demand.
    """

    id: object
    size: int
    min_on_duty_share: float = DEFAULT_MIN_ON_DUTY_SHARE
    pattern: ServicePattern = OFFICE
    name: str = ""

    def __post_init__(self):
        if not 0 <= self.min_on_duty_share <= 1:
            raise ValueError("min_on_duty_share must lie between 0 and 1.")
        if self.size < 0:
            raise ValueError("A unit's size cannot be negative.")

    @property
    def must_stay(self) -> int:
        """Fewest staff who must be on duty at any time (the share rounded up)."""
        return math.ceil(self.size * self.min_on_duty_share - 1e-9)

    def may_leave(self, absent: int = 0) -> int:
        """How many may be away training at once when ``absent`` staff are on leave."""
        return max(0, self.size - absent - self.must_stay)


@dataclass(frozen=True)
class Absence:
    """Days (inclusive) a person is away and so neither on duty nor available: leave, duty travel."""

    first: datetime.date
    last: datetime.date
    kind: str = "leave"

    def covers(self, date: datetime.date) -> bool:
        return self.first <= date <= self.last


@dataclass(frozen=True)
class Preference:
    """What a person said in the survey; soft. ``mode``: classroom, online, blended, self_paced;
    ``time``: morning, afternoon, full_day, short_blocks; empty means no preference."""

    mode: str = ""
    time: str = ""


@dataclass(frozen=True)
class Person:
    """Someone whose time the scheduler may take.

    ``blocked_weekdays`` are the days they declared they cannot leave their post (a teacher's
    teaching days): they stay on duty those days but cannot train. ``absences`` take them off
    duty and out of reach. ``commitments`` are (date, start, end) already taken by training
    outside this run (sessions they are enrolled in): off duty and out of reach then.
    """

    id: object
    unit: object
    blocked_weekdays: frozenset[int] = frozenset()
    absences: tuple[Absence, ...] = ()
    preference: Preference = Preference()
    name: str = ""
    commitments: tuple[tuple[datetime.date, datetime.time, datetime.time], ...] = ()

    def available_on(self, date: datetime.date) -> bool:
        return date.weekday() not in self.blocked_weekdays and not any(a.covers(date) for a in self.absences)

    def absent_on(self, date: datetime.date) -> bool:
        return any(a.covers(date) for a in self.absences)


def weekdays_from_codes(codes) -> frozenset[int]:
    """``["tue", "thu"]`` → ``{1, 3}``; unknown codes are an error, not silently ignored."""
    out = set()
    for code in codes:
        code = str(code).strip().lower()[:3]
        if code not in WEEKDAY_CODES:
            raise ValueError("Unknown weekday %r." % code)
        out.add(WEEKDAY_CODES.index(code))
    return frozenset(out)
