"""The baseline: first fit, the way a training office schedules by hand.

Course by course, each participant joins the first open class of the course they fit in, or
opens a new class at the earliest time they fit, trying the course's formats in the order given.
Classes that end below the course's minimum are cancelled, smallest first; their participants
move to a class kept if one has room and suits them, or are left out.
Hard constraints hold exactly as in the solver (same occupancy checks); nothing is optimised.
"""

import time

import numpy as np

from .diagnose import explain
from .plan import Plan
from .problem import Problem, Proposal


def schedule_greedy(problem: Problem) -> Proposal:
    started = time.perf_counter()
    plan = Plan(problem)
    occupancy = plan.occupancy
    for course, demand in enumerate(problem.courses):
        sets = plan.candidate_sets(course)
        opened = []
        for person in plan.remaining(course):
            klass = next((k for k in opened if len(k.members) < demand.max_size and occupancy.fits(person, k.blocks)),
                         None)
            if klass is None:
                for cands in sets:
                    ok = np.flatnonzero(occupancy.feasible(person, cands) & occupancy.rooms_ok(cands))
                    if len(ok):
                        klass = plan.open(course, cands, int(ok[0]))
                        opened.append(klass)
                        break
            if klass is not None:
                plan.join(klass, person)
        # Cancel classes below the minimum, smallest first; their people try the classes kept.
        for klass in sorted(opened, key=lambda k: len(k.members)):
            if len(klass.members) >= demand.min_size:
                continue
            people = list(klass.members)
            plan.dissolve(klass)
            opened.remove(klass)
            for person in people:
                other = next((k for k in opened if len(k.members) < demand.max_size
                              and occupancy.fits(person, k.blocks)), None)
                if other is not None:
                    plan.join(other, person)
    return Proposal(method="greedy", sessions=plan.sessions(), unplaced=explain(plan),
                    seconds=time.perf_counter() - started)
