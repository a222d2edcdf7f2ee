"""Why demand was left out: for each participant not placed, the first constraint that stops them.

Checked over every class the course's formats allow in the period, from the fixed constraints to
the ones other placements caused: the course cannot fit the period at all; the person's blocked
weekdays and leave rule out every class; their unit's on-duty minimum leaves nobody free; their
other classes take every possible time; colleagues' training uses up the unit's free share; no
classroom is free; or too few people could share any class to reach the course's minimum.
Where a class could still be formed, the reason says so (``not_scheduled``): the scheduler, not
a constraint, left the person out.
"""

import numpy as np

from .duty import WEEKDAY_CODES
from .problem import Reason, Unplaced


def explain(plan) -> list[Unplaced]:
    out = []
    occupancy, problem = plan.occupancy, plan.problem
    for course, demand in enumerate(problem.courses):
        remaining = plan.remaining(course)
        if not remaining:
            continue
        sets = [s for s in plan.candidate_sets(course) if len(s)]
        if not sets:
            out += [_unplaced(plan, p, course, Reason.COURSE_TOO_LONG, jp=demand.jp,
                              formats=[f.value for f in demand.formats]) for p in remaining]
            continue
        blocks = np.concatenate([_pad(s.blocks, max(x.blocks.shape[1] for x in sets), plan.grid.dummy)
                                 for s in sets])
        rooms = np.concatenate([occupancy.rooms_ok(s) for s in sets])
        people = np.array(remaining)
        units = occupancy.unit_of[people]
        free_static = ~occupancy.unavailable[people[:, None, None], blocks[None]].any(axis=2)
        unit_static = (occupancy.unit_static[units[:, None, None], blocks[None]] > 0).all(axis=2)
        not_busy = ~occupancy.busy[people[:, None, None], blocks[None]].any(axis=2)
        unit_now = (occupancy.unit_free[units[:, None, None], blocks[None]] > 0).all(axis=2)
        could = free_static & unit_static & not_busy & unit_now & rooms
        sharing = could.sum(axis=0)  # how many of those left could meet in each candidate class
        for i, person in enumerate(remaining):
            unit = occupancy.units[units[i]]
            steps = (
                (free_static[i], Reason.PERSON_UNAVAILABLE),
                (free_static[i] & unit_static[i], Reason.UNIT_MINIMUM),
                (free_static[i] & unit_static[i] & not_busy[i], Reason.PERSON_BUSY),
                (free_static[i] & unit_static[i] & not_busy[i] & unit_now[i], Reason.UNIT_BUSY),
                (could[i], Reason.ROOMS),
            )
            reason = next((r for ok, r in steps if not ok.any()), None)
            if reason is None:
                most = int(sharing[could[i]].max())
                reason = Reason.TOO_FEW if most < demand.min_size else Reason.NOT_SCHEDULED
            p = occupancy.people[person]
            if reason is Reason.PERSON_UNAVAILABLE:
                detail = {"blocked_weekdays": [WEEKDAY_CODES[d] for d in sorted(p.blocked_weekdays)],
                          "absences": [[a.first.isoformat(), a.last.isoformat(), a.kind] for a in p.absences],
                          "other_training": len(p.commitments)}
            elif reason in (Reason.UNIT_MINIMUM, Reason.UNIT_BUSY):
                detail = {"unit_size": unit.size, "min_on_duty_share": unit.min_on_duty_share,
                          "may_leave_at_once": unit.may_leave()}
            elif reason in (Reason.TOO_FEW, Reason.NOT_SCHEDULED):
                detail = {"min_size": demand.min_size, "most_who_could_meet": most}
            else:
                detail = {}
            out.append(_unplaced(plan, person, course, reason, **detail))
    return out


def _unplaced(plan, person, course, reason, **detail):
    p = plan.occupancy.people[person]
    return Unplaced(person=p.id, course=plan.problem.courses[course].id, reason=reason, unit=p.unit, detail=detail)


def _pad(blocks, width, dummy):
    if blocks.shape[1] == width:
        return blocks
    return np.pad(blocks, ((0, 0), (0, width - blocks.shape[1])), constant_values=dummy)
