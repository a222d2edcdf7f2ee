"""The duty-aware scheduler: CP-SAT over batches of courses, then repair, then the reasons for what is left.

Decomposition: courses are taken hardest first (fewest formats, longest, most demand) in
batches of about ``batch_rows`` participant-course rows. Each batch is one CP-SAT model
(``batch.py``) over a few candidate classes per course (``candidates.choose``); everything
earlier batches placed is fixed in the occupancy (``occupancy.py``), so unit minimums, people's
own timetables and rooms carry over exactly. The model, per batch:

- a class is held or not; it seats min–max participants; each participant sits in at most one
  class of the course (interchangeable participants are counted as one group);
- in every block, a unit's staff in training ≤ what its on-duty minimum, less those on leave,
  spares; a person sits in at most one class per block; classrooms ≤ rooms free;

maximising ``placed_weight`` per participant placed, less ``class_weight`` per class, less
``peak_weight`` per person-hour inside their unit's peak service hours, plus
``preference_weight`` per stated preference met. Each batch starts from a constructive
heuristic's solution and keeps it if CP-SAT finds nothing better in its time. A final repair
seats whoever is left in classes with room, or in new classes where enough of them can meet.
"""

import time
from dataclasses import dataclass

from .batch import solve_batch
from .diagnose import explain
from .plan import Plan
from .problem import Problem, Proposal
from .repair import repair


@dataclass(frozen=True)
class SolverOptions:
    """Knobs of the CP-SAT scheduler; the weights set the objective's priorities."""

    time_limit: float = 45.0  # wall-clock seconds for the whole run, model building included
    workers: int = 2  # CP-SAT search workers
    batch_rows: int = 300  # participant-course rows per CP-SAT model
    candidates_min: int = 6  # candidate classes offered per course, at least …
    candidates_per_class: int = 3  # … and this many per class the course needs, plus three
    placed_weight: int = 1000  # per participant placed
    class_weight: int = 3000  # per class held
    peak_weight: int = 10  # per person-hour inside the unit's peak service hours
    preference_weight: int = 30  # per stated preference met
    gap: float = 0.002  # stop a batch this close to its proven bound …
    seconds_per_row: float = 0.01  # … or after this long per row (at least a second): proofs can take ages
    seed: int = 0
    log: bool = False  # let CP-SAT print its search log; silent otherwise


def schedule(problem: Problem, options: SolverOptions | None = None, **overrides) -> Proposal:
    """Propose sessions for ``problem``; ``overrides`` set single ``SolverOptions`` fields."""
    opts = options or SolverOptions(**overrides)
    started = time.perf_counter()
    deadline = started + opts.time_limit
    plan = Plan(problem)
    log = []
    order = sorted(range(len(problem.courses)), key=lambda c: (
        len(problem.courses[c].formats), -problem.courses[c].jp, -len(problem.courses[c].participants)))
    batches, rows = [], 0
    for c in order:
        if not batches or rows >= opts.batch_rows:
            batches.append([])
            rows = 0
        batches[-1].append(c)
        rows += len(problem.courses[c].participants)
    sizes = [sum(len(problem.courses[c].participants) for c in b) for b in batches]
    reserve = 1.0 + 0.05 * opts.time_limit  # for the repair and the reasons
    spent_building = 0.0

    def limit(i, built):
        """Solver seconds for batch ``i``: its share of what is left once the later batches'
        model building (at the rate seen so far) and the reserve are set aside."""
        nonlocal spent_building
        spent_building += built
        later = sum(sizes[i + 1:])
        rate = spent_building / max(1, sum(sizes[:i + 1]))
        left = deadline - time.perf_counter() - reserve - rate * later
        share = left * sizes[i] / max(1, sizes[i] + later)
        return max(0.05, min(share, max(1.0, opts.seconds_per_row * sizes[i])))

    for i, batch in enumerate(batches):
        log.append(solve_batch(plan, batch, lambda built, i=i: limit(i, built), opts))
    seated = repair(plan)
    log.append("repair seated %d" % seated)
    return Proposal(method="cp-sat", sessions=plan.sessions(), unplaced=explain(plan),
                    seconds=time.perf_counter() - started, log=log)


