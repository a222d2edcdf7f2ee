"""Constructive placement: open the classes most remaining participants can attend, and seat the leftovers.

Used twice by the solver: to give each CP-SAT batch a good starting solution (on the classes
offered to it), and after the last batch to seat whoever is left, in classes with room or in new
classes that reach the course's minimum.
"""

import numpy as np

from .candidates import Options, fit_matrix, options
from .plan import Klass, Plan


def open_classes(plan: Plan, course: int, opts: Options, cols: list[int], *, peak_weight: float = 0.5,
                 limit: int = 50) -> list[tuple[int, Klass]]:
    """Open classes of ``course`` at columns ``cols`` of ``opts``, the fullest first, and seat people.

    A class is opened where most of the still-unseated people fit (capped at the maximum size),
    less a little for peak time; it is filled, evenly across the classes still needed, with the
    people who have the fewest other options first, and cancelled if it stays below the minimum.
    Returns (column, class) pairs.
    """
    demand = plan.problem.courses[course]
    occupancy = plan.occupancy
    cols = list(cols)
    seated = np.zeros(len(opts.people), dtype=bool)
    opened = []
    need = max(plan.need(course), 1)
    while cols and len(opened) < limit:
        left = np.flatnonzero(~seated)
        if len(left) < demand.min_size:
            break
        fits = fit_matrix(occupancy, opts.people[left], opts.blocks[cols], opts.needs_room[cols])
        count = fits.sum(axis=0)
        peak = (opts.peak[left][:, cols] * fits).sum(axis=0) / np.maximum(count, 1) / need
        score = np.minimum(count, demand.max_size) - peak_weight * peak
        best = int(np.argmax(score))
        if count[best] < demand.min_size:
            break
        col = cols.pop(best)
        cands, row = opts.refs[col]
        klass = plan.open(course, cands, row)
        # Fill evenly: a last class of leftovers below the minimum would be lost.
        reachable = int(fits.any(axis=1).sum())
        target = max(demand.min_size, -(-reachable // -(-reachable // demand.max_size)))
        # Who goes in first: those with fewest other options, then the least peak time.
        candidates = left[fits[:, best]]
        others = fits[fits[:, best]].sum(axis=1)
        order = np.lexsort((opts.peak[candidates, col], others))
        for i in candidates[order]:
            if len(klass.members) >= target:
                break
            person = int(opts.people[i])
            if occupancy.fits(person, klass.blocks):
                plan.join(klass, person)
                seated[i] = True
        if len(klass.members) < demand.min_size:
            for person in klass.members:
                seated[np.flatnonzero(opts.people == person)] = False
            plan.dissolve(klass)
        else:
            opened.append((col, klass))
    return opened


def repair(plan: Plan) -> int:
    """Seat remaining participants without moving anyone; returns how many were seated."""
    seated = 0
    occupancy = plan.occupancy
    for course, demand in enumerate(plan.problem.courses):
        people = plan.remaining(course)
        if not people:
            continue
        classes = [k for k in plan.classes if k.course == course and not k.locked]
        for p in people:
            for klass in classes:
                if len(klass.members) < demand.max_size and occupancy.fits(p, klass.blocks):
                    plan.join(klass, p)
                    seated += 1
                    break
        people = plan.remaining(course)
        if len(people) >= demand.min_size:
            opts = options(plan, course, people)
            useful = np.flatnonzero(opts.feasible.sum(axis=0) >= demand.min_size)
            seated += sum(len(k.members) for _col, k in open_classes(plan, course, opts, list(useful)))
    return seated
