"""What the scheduler is given (demand, duty, calendar) and what it returns (a proposal)."""

import datetime
import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from .duty import Person, Unit, WorkingWeek, default_working_week
from .period import PlanningCalendar


class Format(enum.StrEnum):
    """How a class meets. Short blocks and online take 2-hour slots twice a week; whole days take days."""

    SHORT_BLOCKS = "short_blocks"
    WHOLE_DAYS = "whole_days"
    ONLINE = "online"

    @property
    def needs_room(self) -> bool:
        return self is not Format.ONLINE


@dataclass(frozen=True)
class CourseDemand:
    """A course and who should take it: ``jp`` lesson hours, class size ``min_size``–``max_size``."""

    id: object
    jp: int
    participants: tuple
    min_size: int = 1
    max_size: int = 30
    formats: tuple[Format, ...] = (Format.SHORT_BLOCKS, Format.WHOLE_DAYS)
    name: str = ""

    def __post_init__(self):
        if not 1 <= self.min_size <= self.max_size:
            raise ValueError("Course %s: class sizes need 1 ≤ min ≤ max." % self.id)
        if not self.formats:
            raise ValueError("Course %s allows no format." % self.id)
        if self.jp < 1:
            raise ValueError("Course %s needs at least 1 JP." % self.id)


@dataclass(frozen=True)
class Meeting:
    """One meeting: a local date with start and end times (the agency's time zone)."""

    date: datetime.date
    start: datetime.time
    end: datetime.time

    @property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.start)

    @property
    def ends_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.date, self.end)


@dataclass(frozen=True)
class ProposedSession:
    """One class of a course: its format, meetings and participants. Locked sessions were fixed by a planner."""

    key: str
    course: object
    format: Format
    meetings: tuple[Meeting, ...]
    participants: tuple
    locked: bool = False


@dataclass(frozen=True)
class Problem:
    """Everything one scheduling run for one agency needs.

    ``rooms``: classrooms free at once (None: not limiting); ``locked``: sessions to keep as they
    are, around which the rest is planned; ``max_weeks``: longest span of a short-block class.
    """

    calendar: PlanningCalendar
    units: Sequence[Unit]
    people: Sequence[Person]
    courses: Sequence[CourseDemand]
    week: WorkingWeek = field(default_factory=default_working_week)
    rooms: int | None = None
    locked: Sequence[ProposedSession] = ()
    jp_minutes: int = 45
    max_weeks: int = 16

    def __post_init__(self):
        unit_ids = {u.id for u in self.units}
        people = {p.id: p for p in self.people}
        for p in self.people:
            if p.unit not in unit_ids:
                raise ValueError("Person %s is in unknown unit %s." % (p.id, p.unit))
        for c in self.courses:
            missing = [pid for pid in c.participants if pid not in people]
            if missing:
                raise ValueError("Course %s names unknown participants %s." % (c.id, missing[:5]))
            if len(set(c.participants)) != len(c.participants):
                raise ValueError("Course %s lists a participant twice." % c.id)

    def need_minutes(self, course: CourseDemand) -> int:
        return course.jp * self.jp_minutes


class Reason(enum.StrEnum):
    """Why a participant could not be placed; the first that applies, in this order."""

    COURSE_TOO_LONG = "course_too_long"  # no class of an allowed format fits the period
    PERSON_UNAVAILABLE = "person_unavailable"  # blocked weekdays and leave leave no possible class
    UNIT_MINIMUM = "unit_minimum"  # the unit's on-duty minimum leaves nobody free to train
    PERSON_BUSY = "person_busy"  # the person's other classes take every possible time
    UNIT_BUSY = "unit_busy"  # colleagues' training already uses the unit's free share
    ROOMS = "rooms"  # no classroom free at the possible times
    TOO_FEW = "too_few"  # fewer people could share a class than the course's minimum
    NOT_SCHEDULED = "not_scheduled"  # a class was possible; the scheduler did not form it


@dataclass(frozen=True)
class Unplaced:
    """A participant left out of a course, with the constraint that stopped it and its numbers."""

    person: object
    course: object
    reason: Reason
    unit: object = None
    detail: dict = field(default_factory=dict)


@dataclass
class Proposal:
    """A scheduler's answer: sessions with participants, the demand left out, and how it was made."""

    method: str
    sessions: list[ProposedSession]
    unplaced: list[Unplaced]
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)
