"""Who is where in which block: the running state both schedulers check every placement against.

Arrays over blocks (plus one dummy block at the end that never fills): how many more of each
unit's staff may be away training, which blocks each person cannot or already does use, and
how many classrooms are still free.
"""

from collections import defaultdict

import numpy as np

from .duty import overlap_minutes
from .grid import CandidateSet, Grid
from .problem import Problem

BIG = 1 << 20


class Occupancy:
    """The arrays above for one problem on one grid, changed as classes open and people join or leave."""

    def __init__(self, problem: Problem, grid: Grid):
        self.grid = grid
        self.units = list(problem.units)
        self.unit_index = {u.id: i for i, u in enumerate(self.units)}
        self.people = list(problem.people)
        self.person_index = {p.id: i for i, p in enumerate(self.people)}
        self.unit_of = np.array([self.unit_index[p.unit] for p in self.people], dtype=np.int32)
        n_blocks = grid.n_blocks + 1

        counts = np.bincount(self.unit_of, minlength=len(self.units))
        for u, n in zip(self.units, counts, strict=True):
            if n > u.size:
                raise ValueError("Unit %s lists %d people but has size %d." % (u.id, n, u.size))

        # Blocked weekdays and absences: the person cannot train then.
        self.unavailable = np.zeros((len(self.people), n_blocks), dtype=bool)
        weekdays = np.array([d.weekday() for d in grid.dates], dtype=np.int8)
        ordinals = np.array([d.toordinal() for d in grid.dates], dtype=np.int64)
        absent = defaultdict(int)  # (unit, day) → staff on leave
        for i, p in enumerate(self.people):
            if not p.blocked_weekdays and not p.absences:
                continue
            off = np.isin(weekdays, list(p.blocked_weekdays))
            away = np.zeros(len(grid.dates), dtype=bool)
            for a in p.absences:
                away |= (ordinals >= a.first.toordinal()) & (ordinals <= a.last.toordinal())
            days = np.flatnonzero(off | away)
            if len(days):
                self.unavailable[i, (days[:, None] * grid.n_slots + np.arange(grid.n_slots)).ravel()] = True
            for day in np.flatnonzero(away):
                absent[self.unit_of[i], int(day)] += 1
        self.unavailable[:, grid.dummy] = False

        # Staff on leave are off duty too, so they use up the unit's free share that day.
        self.unit_free = np.empty((len(self.units), n_blocks), dtype=np.int32)
        for j, u in enumerate(self.units):
            self.unit_free[j, :] = u.may_leave()
        for (j, day), n in absent.items():
            self.unit_free[j, grid.day_blocks(day)] = self.units[j].may_leave(n)
        # Training booked outside this run: the person is taken and away from their post then.
        committed = set()
        for i, p in enumerate(self.people):
            for date, start, end in p.commitments:
                day = grid.day_index.get(date)
                if day is None or p.absent_on(date):
                    continue
                for k, slot in enumerate(grid.templates[day].slots):
                    if overlap_minutes((start, end), slot):
                        b = day * grid.n_slots + k
                        if (i, b) not in committed:
                            committed.add((i, b))
                            self.unit_free[self.unit_of[i], b] -= 1
                        self.unavailable[i, b] = True
        np.maximum(self.unit_free, 0, out=self.unit_free)
        self.unit_free[:, grid.dummy] = BIG
        self.unit_static = self.unit_free.copy()

        self.busy = np.zeros((len(self.people), n_blocks), dtype=bool)
        self.room_free = np.full(n_blocks, BIG if problem.rooms is None else problem.rooms, dtype=np.int32)
        self.room_free[grid.dummy] = BIG

    # Checks, for one person against many candidates at once.
    def feasible(self, person: int, cands: CandidateSet, rows=None) -> np.ndarray:
        """Boolean per candidate: the person is free, their unit can spare them, a room is free."""
        blocks = cands.blocks if rows is None else cands.blocks[rows]
        ok = ~(self.unavailable[person, blocks] | self.busy[person, blocks]).any(axis=1)
        ok &= (self.unit_free[self.unit_of[person], blocks] > 0).all(axis=1)
        return ok

    def rooms_ok(self, cands: CandidateSet, rows=None) -> np.ndarray:
        blocks = cands.blocks if rows is None else cands.blocks[rows]
        if not cands.format.needs_room:
            return np.ones(len(blocks), dtype=bool)
        return (self.room_free[blocks] > 0).all(axis=1)

    def fits(self, person: int, blocks: np.ndarray) -> bool:
        return (not (self.unavailable[person, blocks] | self.busy[person, blocks]).any()
                and bool((self.unit_free[self.unit_of[person], blocks] > 0).all()))

    # Changes.
    def add(self, person: int, blocks: np.ndarray):
        blocks = blocks[blocks != self.grid.dummy]
        self.busy[person, blocks] = True
        self.unit_free[self.unit_of[person], blocks] -= 1

    def remove(self, person: int, blocks: np.ndarray):
        blocks = blocks[blocks != self.grid.dummy]
        self.busy[person, blocks] = False
        self.unit_free[self.unit_of[person], blocks] += 1

    def open_room(self, blocks: np.ndarray, needs_room: bool):
        if needs_room:
            self.room_free[blocks[blocks != self.grid.dummy]] -= 1

    def close_room(self, blocks: np.ndarray, needs_room: bool):
        if needs_room:
            self.room_free[blocks[blocks != self.grid.dummy]] += 1
