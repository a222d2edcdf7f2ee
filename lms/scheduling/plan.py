"""A plan under construction: the classes opened so far, who sits in them, and the occupancy of blocks behind them."""

import itertools
from dataclasses import dataclass, field

import numpy as np

from .duty import overlap_minutes
from .grid import CandidateSet, Grid
from .occupancy import Occupancy
from .problem import Format, Problem, ProposedSession


@dataclass(eq=False)
class Klass:
    """One class: a course, a format, its meetings as (day, slot) and blocks, and its members."""

    key: str
    course: int
    format: Format
    meetings: tuple
    blocks: np.ndarray
    members: list = field(default_factory=list)
    locked: bool = False
    fixed_meetings: tuple = ()  # a locked session's own meetings, kept exactly


class Plan:
    def __init__(self, problem: Problem, grid: Grid | None = None):
        self.problem = problem
        self.grid = grid or Grid(problem)
        self.occupancy = Occupancy(problem, self.grid)
        self.classes: list[Klass] = []
        self.course_index = {c.id: i for i, c in enumerate(problem.courses)}
        self.placed: set[tuple[int, int]] = set()  # (person, course)
        self._keys = itertools.count(1)
        for session in problem.locked:
            self._lock(session)

    def need(self, course: int) -> int:
        return self.problem.need_minutes(self.problem.courses[course])

    def candidate_sets(self, course: int) -> list[CandidateSet]:
        c = self.problem.courses[course]
        return [self.grid.candidates(fmt, self.need(course)) for fmt in c.formats]

    def remaining(self, course: int) -> list[int]:
        """Participants of ``course`` (person indices) not yet in one of its classes."""
        idx = self.occupancy.person_index
        return [idx[pid] for pid in self.problem.courses[course].participants
                if (idx[pid], course) not in self.placed]

    def _key(self, course: int) -> str:
        taken = {k.key for k in self.classes}
        while True:
            key = "%s-%d" % (self.problem.courses[course].id, next(self._keys))
            if key not in taken:
                return key

    def open(self, course: int, cands: CandidateSet, row: int) -> Klass:
        klass = Klass(key=self._key(course), course=course,
                      format=cands.format, meetings=cands.meetings[row], blocks=cands.blocks[row])
        self.occupancy.open_room(klass.blocks, klass.format.needs_room)
        self.classes.append(klass)
        return klass

    def join(self, klass: Klass, person: int):
        self.occupancy.add(person, klass.blocks)
        klass.members.append(person)
        self.placed.add((person, klass.course))

    def leave(self, klass: Klass, person: int):
        self.occupancy.remove(person, klass.blocks)
        klass.members.remove(person)
        self.placed.discard((person, klass.course))

    def dissolve(self, klass: Klass):
        for person in list(klass.members):
            self.leave(klass, person)
        self.occupancy.close_room(klass.blocks, klass.format.needs_room)
        self.classes.remove(klass)

    def sessions(self) -> list[ProposedSession]:
        people = self.occupancy.people
        out = []
        for k in self.classes:
            meetings = k.fixed_meetings or tuple(self.grid.meeting(d, s) for d, s in k.meetings)
            out.append(ProposedSession(
                key=k.key, course=self.problem.courses[k.course].id, format=k.format, meetings=meetings,
                participants=tuple(people[p].id for p in k.members), locked=k.locked,
            ))
        return out

    def _lock(self, session: ProposedSession):
        """Take a planner's locked session as given: its time, room and seats are spoken for."""
        grid, blocks = self.grid, []
        for m in session.meetings:
            day = grid.day_index.get(m.date)
            if day is None:
                continue  # off a working day: the checker reports it, the occupancy has no block for it
            t = grid.templates[day]
            blocks += [day * grid.n_slots + k for k, slot in enumerate(t.slots)
                       if overlap_minutes((m.start, m.end), slot)]
        course = self.course_index[session.course]
        klass = Klass(key=session.key, course=course, format=session.format, meetings=(),
                      blocks=np.array(sorted(set(blocks)), dtype=np.int32), locked=True,
                      fixed_meetings=tuple(session.meetings))
        self.occupancy.open_room(klass.blocks, klass.format.needs_room)
        self.classes.append(klass)
        for pid in session.participants:
            self.join(klass, self.occupancy.person_index[pid])
