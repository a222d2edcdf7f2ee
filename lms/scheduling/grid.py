"""The block grid (working day × slot) of a period and the candidate classes each format allows.

A *block* is one training slot on one working day; a whole training day takes every block of
its day. A *candidate* is one possible class: the meetings a format gives from a start, enough
for the course's JP. Short blocks and online classes meet twice a week in the same slot
(Monday+Wednesday, Tuesday+Thursday, …) until the minutes are reached; whole-day classes take
consecutive working days. Holidays, cuti bersama and closures are stepped over, never used.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np

from .duty import ServicePattern
from .problem import Format, Meeting, Problem

#: Weekday pairs a short-block class meets on.
WEEKDAY_PAIRS = ((0, 2), (1, 3), (2, 4), (0, 3), (1, 4))
WHOLE_DAY = -1
NOON = datetime.time(12, 30)


@dataclass
class CandidateSet:
    """All candidates of one format for one length, as arrays.

    ``meetings[i]``: ((day, slot), …) with slot −1 for a whole day; ``blocks``: (m × L) block
    indices padded with the grid's dummy block; ``first_day``/``last_day``: day indices; ``lane``:
    weekday pair and slot (or −1) for spreading choices; ``slot``: the slot or −1.
    """

    format: Format
    meetings: list[tuple[tuple[int, int], ...]]
    blocks: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray
    lane: np.ndarray
    slot: np.ndarray
    peak: dict = field(default_factory=dict)

    def __len__(self):
        return len(self.meetings)


class Grid:
    """Working days and blocks of a problem's period, with cached candidate sets."""

    def __init__(self, problem: Problem):
        self.problem = problem
        cal, week = problem.calendar, problem.week
        self.dates = cal.working_days(week)
        self.day_index = {d: i for i, d in enumerate(self.dates)}
        self.templates = [week.day(d, d in cal.ramadan) for d in self.dates]
        self.n_slots = week.n_slots
        self.n_blocks = len(self.dates) * self.n_slots
        self.dummy = self.n_blocks  # padding: a block nobody uses and that never fills
        self._cache = {}
        normal = next(iter(week.days.values()))
        self.morning_slots = {k for k, (_s, e) in enumerate(normal.slots) if e <= NOON}

    def day_blocks(self, day: int) -> range:
        return range(day * self.n_slots, (day + 1) * self.n_slots)

    def meeting_blocks(self, day: int, slot: int) -> list[int]:
        return list(self.day_blocks(day)) if slot == WHOLE_DAY else [day * self.n_slots + slot]

    def meeting(self, day: int, slot: int) -> Meeting:
        t = self.templates[day]
        if slot == WHOLE_DAY:
            return Meeting(self.dates[day], t.start, t.end)
        return Meeting(self.dates[day], *t.slots[slot])

    def meeting_minutes(self, day: int, slot: int) -> int:
        t = self.templates[day]
        return t.minutes if slot == WHOLE_DAY else t.slot_minutes(slot)

    def candidates(self, fmt: Format, need_minutes: int) -> CandidateSet:
        key = (fmt, need_minutes)
        if key not in self._cache:
            meetings = (self._whole_days(need_minutes) if fmt is Format.WHOLE_DAYS
                        else self._short_blocks(need_minutes))
            self._cache[key] = self._pack(fmt, meetings)
        return self._cache[key]

    def peak_minutes(self, cands: CandidateSet, pattern: ServicePattern) -> np.ndarray:
        """Minutes of each candidate inside ``pattern``'s peak hours (per participant)."""
        if pattern.code not in cands.peak:
            out = np.zeros(len(cands), dtype=np.int32)
            if pattern.peak:
                for i, meetings in enumerate(cands.meetings):
                    for day, slot in meetings:
                        m, t = self.meeting(day, slot), self.templates[day]
                        out[i] += pattern.peak_minutes(m.date, m.start, m.end, t.breaks if slot == WHOLE_DAY else ())
            cands.peak[pattern.code] = out
        return cands.peak[pattern.code]

    def _short_blocks(self, need):
        if not self.dates:
            return []
        first, last = self.problem.calendar.first, self.problem.calendar.last
        monday = first - datetime.timedelta(days=first.weekday())
        found, seen = [], set()
        while monday <= last:
            for pair_no, pair in enumerate(WEEKDAY_PAIRS):
                for slot in range(self.n_slots):
                    meetings = self._walk(monday, pair, slot, need)
                    if meetings and meetings not in seen:
                        seen.add(meetings)
                        found.append((meetings, pair_no * self.n_slots + slot))
            monday += datetime.timedelta(days=7)
        return found

    def _walk(self, monday, pair, slot, need):
        meetings, minutes, week = [], 0, 0
        while minutes < need:
            if week >= self.problem.max_weeks:
                return None
            for wd in pair:
                day = self.day_index.get(monday + datetime.timedelta(days=7 * week + wd))
                if day is not None and minutes < need:
                    meetings.append((day, slot))
                    minutes += self.meeting_minutes(day, slot)
            if week == 0 and not meetings:
                return None  # starts in a later week: that week's own candidate
            week += 1
            if monday + datetime.timedelta(days=7 * week) > self.problem.calendar.last and minutes < need:
                return None
        return tuple(meetings)

    def _whole_days(self, need):
        found = []
        for start in range(len(self.dates)):
            minutes, day = 0, start
            while minutes < need and day < len(self.dates):
                minutes += self.templates[day].minutes
                day += 1
            if minutes < need:
                break
            n = day - start
            span = (self.dates[day - 1] - self.dates[start]).days + 1
            # Weekends plus up to three holidays: a class cut by a long holiday is not one class.
            if span <= n + 2 * ((n + 4) // 5) + 3:
                found.append((tuple((d, WHOLE_DAY) for d in range(start, day)), -1))
        return found

    def _pack(self, fmt, found):
        m = len(found)
        blocks = [[b for day, slot in meetings for b in self.meeting_blocks(day, slot)] for meetings, _ in found]
        width = max((len(b) for b in blocks), default=1)
        packed = np.full((m, width), self.dummy, dtype=np.int32)
        for i, b in enumerate(blocks):
            packed[i, :len(b)] = b
        return CandidateSet(
            format=fmt,
            meetings=[meetings for meetings, _ in found],
            blocks=packed,
            first_day=np.array([meetings[0][0] for meetings, _ in found], dtype=np.int32),
            last_day=np.array([meetings[-1][0] for meetings, _ in found], dtype=np.int32),
            lane=np.array([lane for _, lane in found], dtype=np.int32),
            slot=np.array([meetings[0][1] for meetings, _ in found], dtype=np.int32),
        )
