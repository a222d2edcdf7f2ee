"""Which candidate classes of a course are worth offering the solver, and what each is worth per person.

A course's formats allow hundreds of start times; the solver gets a few dozen of them: those
most of the remaining participants can attend given what is already planned, outside their
units' peak hours and close to their stated preferences, spread over time and weekdays so that
people with blocked days or leave have somewhere to go.
"""

from dataclasses import dataclass

import numpy as np

from .grid import CandidateSet
from .problem import Format

MODE_CODES = {"classroom": 1, "online": 2, "self_paced": 2}
TIME_CODES = {"morning": 1, "afternoon": 2, "full_day": 3, "short_blocks": 4}


@dataclass
class Options:
    """Feasibility and value of every candidate of one course for its remaining participants.

    ``feasible``/``peak``/``met`` are (people × candidates); ``refs`` names each column
    (candidate set, row); ``blocks`` is (candidates × L).
    """

    people: np.ndarray
    refs: list
    blocks: np.ndarray
    needs_room: np.ndarray
    feasible: np.ndarray
    peak: np.ndarray  # minutes inside the person's unit's peak hours
    met: np.ndarray  # preferences met (0–2)


def options(plan, course: int, people: list[int], sets: list[CandidateSet] | None = None) -> Options:
    occupancy, grid = plan.occupancy, plan.grid
    sets = [s for s in (sets or plan.candidate_sets(course)) if len(s)]
    people = np.asarray(people, dtype=np.int64)
    if not sets or not len(people):
        empty = np.zeros((len(people), 0))
        return Options(people, [], np.zeros((0, 1), dtype=np.int32), np.zeros(0, dtype=bool), empty.astype(bool),
                       empty, empty)
    width = max(s.blocks.shape[1] for s in sets)
    blocks = np.concatenate([np.pad(s.blocks, ((0, 0), (0, width - s.blocks.shape[1])), constant_values=grid.dummy)
                             for s in sets])
    refs = [(s, row) for s in sets for row in range(len(s))]
    needs_room = np.concatenate([np.full(len(s), s.format.needs_room) for s in sets])
    feasible = fit_matrix(occupancy, people, blocks, needs_room)
    patterns = [occupancy.units[u].pattern for u in occupancy.unit_of[people]]
    codes = {}
    pattern_no = np.array([codes.setdefault(p.code, len(codes)) for p in patterns])
    by_code = {p.code: p for p in patterns}
    peak = np.stack([np.concatenate([grid.peak_minutes(s, by_code[c]) for s in sets]) for c in codes])[pattern_no]

    online = np.concatenate([np.full(len(s), s.format is Format.ONLINE) for s in sets])
    whole = np.concatenate([np.full(len(s), s.format is Format.WHOLE_DAYS) for s in sets])
    morning = np.concatenate([np.isin(s.slot, list(grid.morning_slots)) for s in sets]) & ~whole
    mode_table = np.stack([np.zeros_like(online), ~online, online]).astype(np.int8)
    time_table = np.stack([np.zeros_like(online), morning, ~morning & ~whole, whole, ~whole]).astype(np.int8)
    prefs = [occupancy.people[p].preference for p in people]
    mode = np.array([MODE_CODES.get(p.mode, 0) for p in prefs])
    time = np.array([TIME_CODES.get(p.time, 0) for p in prefs])
    met = mode_table[mode] + time_table[time]
    return Options(people, refs, blocks, needs_room, feasible, peak, met)


def fit_matrix(occupancy, people: np.ndarray, blocks: np.ndarray, needs_room: np.ndarray) -> np.ndarray:
    """(people × candidates): free, spared by their unit and, where needed, a classroom free."""
    taken = occupancy.unavailable[people[:, None, None], blocks[None]] | occupancy.busy[people[:, None, None], blocks[None]]
    feasible = ~taken.any(axis=2)
    uniq, inverse = np.unique(occupancy.unit_of[people], return_inverse=True)
    feasible &= (occupancy.unit_free[uniq[:, None, None], blocks[None]] > 0).all(axis=2)[inverse]
    feasible &= ((occupancy.room_free[blocks] > 0).all(axis=1) | ~needs_room)[None, :]
    return feasible


def choose(opts: Options, *, need: int, max_size: int, k: int, grid) -> list[int]:
    """Up to ``k`` columns of ``opts``: covering people with few options first, spread in time."""
    if not opts.refs:
        return []
    value = opts.feasible * (1.0 + 0.15 * opts.met - 0.5 * np.minimum(opts.peak / max(need, 1), 1.0))
    weight = np.ones(len(opts.people))
    used = np.zeros(grid.n_blocks + 1, dtype=bool)
    chosen = []
    for _ in range(k):
        score = np.minimum(weight @ value, max_size)
        score *= np.where(used[opts.blocks].any(axis=1), 0.8, 1.0)
        score[chosen] = -1
        best = int(np.argmax(score))
        if score[best] <= 0:
            break
        chosen.append(best)
        weight *= np.where(opts.feasible[:, best], 0.4, 1.0)
        used[opts.blocks[best]] = True
        used[grid.dummy] = False
    return chosen
