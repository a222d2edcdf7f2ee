"""Free times for a mentoring session: both people's duty calendars in, clashes and ranked slots out (pure).

The duty model is the scheduler's (``lms.scheduling``): the agency's working week (Ramadan hours
included), the planning calendar of national holidays, cuti bersama and the agency's closures,
each person's blocked weekdays, absences and training meetings, and each unit's on-duty minimum
and service pattern. Times are local wall-clock times in the agency's zone.

``clashes`` says why one time does not suit both people (the service re-checks a chosen slot with
it); ``free_slots`` walks the period in steps and ranks what suits both: outside either unit's
peak service hours first, then soonest, at most two a day and spread over the days.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..scheduling.duty import Person, Unit, WorkingWeek, default_working_week, overlap_minutes
from ..scheduling.period import PlanningCalendar

#: Candidate start times lie this many minutes apart, from the start of the working day.
STEP_MINUTES = 30
#: Most proposals on one day, and how far apart (minutes between starts) a day's proposals lie.
PER_DAY = 2
SAME_DAY_GAP = 120
#: The times of day a meeting is first offered at, by turns from one day to the next: mid-morning,
#: once the day's first work is under way, and after the midday break. Other times follow.
PREFERRED_STARTS = (datetime.time(9), datetime.time(13, 30))

# Why a time does not suit, in the order they are looked for.
PERIOD, HOLIDAY, CLOSURE, DAY_OFF, HOURS, BREAK = "period", "holiday", "closure", "day_off", "hours", "break"
ABSENT, BLOCKED, TRAINING, MENTORING = "absent", "blocked_weekday", "training", "mentoring"
UNIT_MINIMUM = "unit_minimum"
CODES = (PERIOD, HOLIDAY, CLOSURE, DAY_OFF, HOURS, BREAK, ABSENT, BLOCKED, TRAINING, MENTORING, UNIT_MINIMUM)

Interval = tuple[datetime.date, datetime.time, datetime.time]


@dataclass(frozen=True)
class Side:
    """One of the two people and what already takes them or their colleagues away.

    ``person``: blocked weekdays, absences, and ``commitments`` (the training meetings they hold a
    seat in); ``sessions``: their other mentoring sessions (date, start, end); ``unit``: their unit
    (staff, on-duty share, service pattern); ``away``: date → how many of the unit's *other* staff
    (neither of the two people) are away that day, on leave or in training or mentoring.
    """

    person: Person
    unit: Unit
    sessions: tuple[Interval, ...] = ()
    away: Mapping[datetime.date, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SlotProblem:
    """The calendar of the period looked at, the two sides (mentor and mentee) and the working week."""

    calendar: PlanningCalendar
    sides: Sequence[Side]
    week: WorkingWeek = field(default_factory=default_working_week)


@dataclass(frozen=True)
class Clash:
    """Why a time does not suit: ``code`` (one of ``CODES``), the person concerned, and a detail
    (the holiday's name, the closure's reason, the unit's name)."""

    code: str
    person: object = None
    detail: str = ""


@dataclass(frozen=True)
class Slot:
    """A free time for both: local date, start and end; ``peak_minutes`` inside either unit's peak hours."""

    date: datetime.date
    start: datetime.time
    end: datetime.time
    peak_minutes: int = 0

    @property
    def off_peak(self) -> bool:
        return self.peak_minutes == 0

    def rank(self):
        """Off-peak first, then soonest, then nearest the day's preferred start (``PREFERRED_STARTS``
        by turns: the mornings of one day, the afternoons of the next)."""
        preferred = PREFERRED_STARTS[self.date.toordinal() % len(PREFERRED_STARTS)]
        return (not self.off_peak, self.date, abs(_clock(self.start) - _clock(preferred)), self.start)


def _plus(start: datetime.time, minutes: int) -> datetime.time:
    return (datetime.datetime.combine(datetime.date.min, start) + datetime.timedelta(minutes=minutes)).time()


def _clock(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def _overlaps(date, start, end, intervals) -> bool:
    return any(d == date and overlap_minutes((start, end), (s, e)) for d, s, e in intervals)


def clashes(problem: SlotProblem, date: datetime.date, start: datetime.time, end: datetime.time) -> list[Clash]:
    """Every reason ``start``–``end`` on ``date`` does not suit both sides (empty when it does).

    Calendar reasons come first (the period, a holiday, a closure, a day off, working hours, a
    break) and stop the search; then each person's (absent, blocked weekday, training, another
    mentoring session), then each unit's on-duty minimum.
    """
    calendar = problem.calendar
    if not calendar.first <= date <= calendar.last:
        return [Clash(PERIOD)]
    if date in calendar.holidays:
        return [Clash(HOLIDAY, detail=calendar.holidays[date])]
    if date in calendar.closures:
        return [Clash(CLOSURE, detail=calendar.closures[date])]
    day = problem.week.day(date, ramadan=date in calendar.ramadan)
    if day is None:
        return [Clash(DAY_OFF)]
    if not (day.start <= start < end <= day.end):
        return [Clash(HOURS)]
    if any(overlap_minutes((start, end), b) for b in day.breaks):
        return [Clash(BREAK)]
    found = []
    for side in problem.sides:
        person = side.person
        if person.absent_on(date):
            found.append(Clash(ABSENT, person.id))
        elif date.weekday() in person.blocked_weekdays:
            found.append(Clash(BLOCKED, person.id))
        if _overlaps(date, start, end, person.commitments):
            found.append(Clash(TRAINING, person.id))
        if _overlaps(date, start, end, side.sessions):
            found.append(Clash(MENTORING, person.id))
    if found:
        return found
    # A unit gives as many people as the pair takes from it (two when both work there).
    leaving = Counter(side.unit.id for side in problem.sides)
    for side in problem.sides:
        unit = side.unit
        if leaving.get(unit.id) and unit.may_leave(side.away.get(date, 0)) < leaving[unit.id]:
            found.append(Clash(UNIT_MINIMUM, side.person.id, unit.name))
            del leaving[unit.id]
    return found


def peak_minutes(problem: SlotProblem, date: datetime.date, start: datetime.time, end: datetime.time) -> int:
    """Minutes of ``start``–``end`` inside either unit's peak service hours (the larger of the two)."""
    day = problem.week.day(date, ramadan=date in problem.calendar.ramadan)
    breaks = day.breaks if day else ()
    return max((side.unit.pattern.peak_minutes(date, start, end, breaks) for side in problem.sides), default=0)


def candidates(problem: SlotProblem, *, minutes: int, step: int = STEP_MINUTES) -> list[Slot]:
    """Every free time of ``minutes`` in the period, starting on the ``step``-minute grid of each working day."""
    if minutes < 1 or step < 1:
        raise ValueError("A slot needs a positive length and step.")
    found = []
    for date in problem.calendar.dates():
        day = problem.week.day(date, ramadan=date in problem.calendar.ramadan)
        if day is None or problem.calendar.is_closed(date):
            continue
        for offset in range(0, _clock(day.end) - _clock(day.start) - minutes + 1, step):
            start = _plus(day.start, offset)
            end = _plus(start, minutes)
            if not clashes(problem, date, start, end):
                found.append(Slot(date, start, end, peak_minutes(problem, date, start, end)))
    return found


def free_slots(problem: SlotProblem, *, minutes: int, limit: int = 8, per_day: int = PER_DAY,
               step: int = STEP_MINUTES, gap: int = SAME_DAY_GAP) -> list[Slot]:
    """At most ``limit`` free times of ``minutes`` for both sides, best first.

    Ranked off-peak first, then soonest, then nearest the day's preferred start. Spread: every day gets its best time before any day gets
    a second, a day gets at most ``per_day``, and a day's times start at least ``gap`` minutes
    (and never less than the session's length) apart, so one is in the morning and one later.
    Returned off-peak first, then by date and time.
    """
    ranked = sorted(candidates(problem, minutes=minutes, step=step), key=Slot.rank)
    apart = max(gap, minutes)
    chosen, by_day = [], defaultdict(list)
    for round_ in range(per_day):
        for slot in ranked:
            if len(chosen) >= limit:
                break
            taken = by_day[slot.date]
            if len(taken) != round_ or any(abs(_clock(slot.start) - _clock(t.start)) < apart for t in taken):
                continue
            taken.append(slot)
            chosen.append(slot)
    return sorted(chosen, key=lambda slot: (not slot.off_peak, slot.date, slot.start))
