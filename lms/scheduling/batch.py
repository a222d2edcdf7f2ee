"""One CP-SAT model: a batch of courses placed around everything already in the plan.

Variables: ``y`` per candidate class offered (held or not) and ``n`` per group of
interchangeable participants and class (how many of the group sit in it). A constructive
heuristic on the same offer gives the starting solution; if CP-SAT finds nothing better in its
time, the heuristic's classes stand.
"""

import math
import time
from collections import defaultdict

import numpy as np
from ortools.sat.python import cp_model

from .candidates import choose, options
from .plan import Plan
from .repair import open_classes


def solve_batch(plan: Plan, batch: list[int], limit, opts) -> str:
    """Place the remaining participants of the courses in ``batch``; ``limit(built_seconds)`` gives
    the solver's time once the model is built. Returns a line for the run's log."""
    started = time.perf_counter()
    offers, counts, binding = _offers(plan, batch, opts)
    if not offers:
        return "batch of %d courses: nothing to offer" % len(batch)
    model = _Model(plan, counts, binding, opts)
    for course, opts_c, cols in offers:
        model.add_course(course, opts_c, cols)
    model.finish()
    fallback, fallback_score = model.hint_from_heuristic(offers)
    built = time.perf_counter() - started

    solver = cp_model.CpSolver()
    seconds = limit(built)
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = opts.workers
    solver.parameters.random_seed = opts.seed
    solver.parameters.relative_gap_limit = opts.gap
    # Short runs on models started from a good hint: presolve costs more than it gives.
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 2
    solver.parameters.log_search_progress = opts.log
    status = solver.Solve(model.model)
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not found or solver.ObjectiveValue() <= fallback_score:
        return "batch of %d courses: %s, kept the heuristic's %d classes (built %.2fs, limit %.2fs)" % (
            len(batch), solver.StatusName(status), len(fallback), built, seconds)
    for klass in fallback:
        plan.dissolve(klass)
    opened = model.apply(solver)
    return "batch of %d courses, %d offered, %d opened: %s %+d over the heuristic (built %.2fs, solved %.2fs)" % (
        len(batch), len(model.offered), opened, solver.StatusName(status),
        solver.ObjectiveValue() - fallback_score, built, solver.WallTime())


def _offers(plan, batch, opts):
    """The candidate classes offered for each course, who has other courses in the batch, and the
    units whose on-duty minimum could bind."""
    problem, occupancy, grid = plan.problem, plan.occupancy, plan.grid
    remaining = {c: plan.remaining(c) for c in batch}
    counts = defaultdict(int)
    for people in remaining.values():
        for p in people:
            counts[p] += 1
    offers = []
    touched = np.zeros(grid.n_blocks + 1, dtype=bool)
    rows_per_unit = defaultdict(int)
    for course in batch:
        demand, people = problem.courses[course], remaining[course]
        if len(people) < demand.min_size:
            continue
        opts_c = options(plan, course, people)
        k = max(opts.candidates_min, opts.candidates_per_class * math.ceil(len(people) / demand.max_size) + 3)
        cols = [c for c in choose(opts_c, need=plan.need(course), max_size=demand.max_size, k=k, grid=grid)
                if opts_c.feasible[:, c].sum() >= demand.min_size]
        if cols:
            offers.append((course, opts_c, cols))
            touched[opts_c.blocks[cols].ravel()] = True
            for p in opts_c.people[opts_c.feasible[:, cols].any(axis=1)]:
                rows_per_unit[int(occupancy.unit_of[p])] += 1
    touched[grid.dummy] = False
    # A unit whose every participant here could train at once never binds: its people need no
    # unit of their own in the model, so interchangeable people merge into one group.
    binding = {u for u, n in rows_per_unit.items() if n > occupancy.unit_free[u, touched].min(initial=n)}
    return offers, counts, binding


class _Model:
    def __init__(self, plan, counts, binding, opts):
        self.plan, self.counts, self.binding, self.opts = plan, counts, binding, opts
        self.model = cp_model.CpModel()
        self.objective = []  # (var, coefficient)
        self.by_unit_block = defaultdict(list)  # (unit, block) → [(var, upper bound)]
        self.by_person_block = defaultdict(list)
        self.by_room_block = defaultdict(list)
        self.offered = []  # (course, candidate set, row, y, [(group's people, n)])
        self.by_course = {}  # course → {column: (y, [(group's people, n)])}

    def add_course(self, course, opts_c, cols):
        m, o, occupancy = self.model, self.opts, self.plan.occupancy
        demand = self.plan.problem.courses[course]
        dummy = self.plan.grid.dummy
        classes = {}
        for col in cols:
            cands, row = opts_c.refs[col]
            y = m.NewBoolVar("")
            self.objective.append((y, -o.class_weight))
            blocks = [int(b) for b in cands.blocks[row] if b != dummy]
            if cands.format.needs_room:
                for b in blocks:
                    self.by_room_block[b].append(y)
            classes[col] = (y, [], blocks)
        for i, members in _groups(opts_c, cols, occupancy, self.counts, self.binding):
            p, u = members[0], int(occupancy.unit_of[members[0]])
            size = min(len(members), demand.max_size)
            seats = []
            for col, (y, taken, blocks) in classes.items():
                if not opts_c.feasible[i, col]:
                    continue
                n = m.NewIntVar(0, size, "") if size > 1 else m.NewBoolVar("")
                m.Add(n <= size * y)  # implied by the class's size limits, but it tightens the LP bound
                seats.append(n)
                taken.append((members, n))
                self.objective.append((n, o.placed_weight + o.preference_weight * int(opts_c.met[i, col])
                                       - round(o.peak_weight * int(opts_c.peak[i, col]) / 60)))
                for b in blocks:
                    if u in self.binding:
                        self.by_unit_block[u, b].append((n, size))
                    if self.counts[p] > 1:
                        self.by_person_block[p, b].append(n)
            if len(seats) > 1:
                m.Add(sum(seats) <= len(members))
        for col, (y, taken, _blocks) in classes.items():
            filled = sum(n for _m, n in taken)
            m.Add(filled <= demand.max_size * y)
            m.Add(filled >= demand.min_size * y)
            cands, row = opts_c.refs[col]
            self.offered.append((course, cands, row, y, taken))
        self.by_course[course] = {col: (y, taken) for col, (y, taken, _b) in classes.items()}

    def finish(self):
        m, occupancy = self.model, self.plan.occupancy
        for (u, b), terms in self.by_unit_block.items():
            if sum(size for _n, size in terms) > occupancy.unit_free[u, b]:
                m.Add(sum(n for n, _size in terms) <= int(occupancy.unit_free[u, b]))
        for xs in self.by_person_block.values():
            if len(xs) > 1:
                m.AddAtMostOne(xs)
        for b, ys in self.by_room_block.items():
            if len(ys) > occupancy.room_free[b]:
                m.Add(sum(ys) <= int(occupancy.room_free[b]))
        m.Maximize(sum(coef * var for var, coef in self.objective))

    def hint_from_heuristic(self, offers):
        """Run the constructive heuristic on the same offer, hint its solution, and leave its
        classes in the plan (the fallback); returns them and their objective value."""
        values, opened = {}, []
        for course, opts_c, cols in offers:
            by_col = dict(open_classes(self.plan, course, opts_c, cols))
            opened += by_col.values()
            for col, (y, taken) in self.by_course[course].items():
                klass = by_col.get(col)
                values[y.Index()] = int(klass is not None)
                inside = set(klass.members) if klass else set()
                for members, n in taken:
                    values[n.Index()] = sum(1 for p in members if p in inside)
        for var, _coef in self.objective:
            self.model.AddHint(var, values.get(var.Index(), 0))
        return opened, sum(coef * values.get(var.Index(), 0) for var, coef in self.objective)

    def apply(self, solver) -> int:
        plan, occupancy = self.plan, self.plan.occupancy
        opened = 0
        used = defaultdict(int)  # group → members already seated
        for course, cands, row, y, taken in self.offered:
            if not solver.BooleanValue(y):
                continue
            klass = plan.open(course, cands, row)
            for members, n in taken:
                start = used[id(members)]
                people = members[start:start + solver.Value(n)]
                used[id(members)] += len(people)
                for person in people:
                    if occupancy.fits(person, klass.blocks):
                        plan.join(klass, person)
            if len(klass.members) < plan.problem.courses[course].min_size:
                plan.dissolve(klass)
            else:
                opened += 1
        return opened


def _groups(opts_c, cols, occupancy, counts, binding):
    """Participants who are interchangeable for this course: the same possible classes, peak
    minutes and preferences met, and the same unit where that unit's minimum could bind. Someone
    with other courses in the batch stays alone (their own timetable differs)."""
    groups = defaultdict(list)
    feasible = np.ascontiguousarray(opts_c.feasible[:, cols])
    met = np.ascontiguousarray(opts_c.met[:, cols])
    peak = np.ascontiguousarray(opts_c.peak[:, cols])
    for i, p in enumerate(opts_c.people):
        p = int(p)
        if not feasible[i].any():
            continue
        unit = int(occupancy.unit_of[p])
        if counts[p] > 1:
            key = ("person", p)
        else:
            key = (unit if unit in binding else None, feasible[i].tobytes(), met[i].tobytes(), peak[i].tobytes())
        groups[key].append(i)
    # Each group as (the row of its first member, the people in it).
    return [(rows[0], [int(opts_c.people[r]) for r in rows]) for rows in groups.values()]
