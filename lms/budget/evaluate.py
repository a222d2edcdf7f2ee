"""A plan (which seats, how many classes) with its figures, and the independent check of every rule."""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .floors import floor_targets
from .problem import Params, Problem

TOLERANCE = 1e-6


@dataclass
class Plan:
    """A choice of seats and classes for a ``Problem`` and what it achieves.

    ``chosen``: bool per seat; ``classes``: classes held per pool; ``value``: priority-weighted
    gap closure; ``jp_towards_minimum``: JP of the plan that count towards people's yearly
    minimum; ``floor_shortfall``: value the units fall short of their fairness floors in all;
    ``objective`` = value + jp_weight × jp_towards_minimum − floor_weight × floor_shortfall
    (what the MILP maximises); ``spent``: rupiah per
    envelope; ``reaching_minimum``: employees at or above the minimum with the plan (of
    ``employees`` in all); ``bound``: proven upper bound of the objective (MILP), ``lp_bound``:
    the LP relaxation's optimum where computed; ``seconds``: wall time of the method.
    """

    method: str
    chosen: np.ndarray
    classes: np.ndarray
    value: float
    jp_towards_minimum: float
    floor_shortfall: float
    objective: float
    spent: np.ndarray
    reaching_minimum: int
    employees: int
    seconds: float = 0.0
    status: str = "feasible"
    bound: float = math.nan
    lp_bound: float = math.nan
    details: dict = field(default_factory=dict)

    @property
    def gap(self):
        """Relative distance to the proven bound (0 = optimal); NaN without a bound."""
        return _relative(self.bound, self.objective)

    @property
    def lp_gap(self):
        """Relative distance to the LP relaxation's optimum; NaN where it was not computed."""
        return _relative(self.lp_bound, self.objective)

    @property
    def total_spent(self):
        return int(round(float(self.spent.sum())))

    @property
    def seats_chosen(self):
        return int(self.chosen.sum())

    @property
    def reaching_share(self):
        return self.reaching_minimum / self.employees if self.employees else 0.0


def _relative(bound, objective):
    if bound is None or math.isnan(bound):
        return math.nan
    return max(0.0, bound - objective) / max(abs(bound), 1e-9)


def evaluate(problem: Problem, params: Params, chosen, classes, *, method, seconds=0.0, status="feasible",
             bound=math.nan, lp_bound=math.nan, details=None) -> Plan:
    """The figures of a choice of seats (``chosen``, bool per seat) and classes (per pool)."""
    chosen = np.asarray(chosen, dtype=bool)
    classes = np.asarray(classes, dtype=np.int64)
    seats = problem.seats
    value = float(seats["value"].to_numpy(float)[chosen].sum())
    taken = jp_taken(problem, chosen)
    need = problem.need(params)
    towards = float(np.minimum(taken, need).sum())
    earned = problem.employees["jp_earned"].to_numpy(float)
    floors = unit_values(problem, params, chosen)
    short = float((floors["floor"] - floors["value"]).clip(lower=0).sum())
    return Plan(
        method=method, chosen=chosen, classes=classes, value=value, jp_towards_minimum=towards, floor_shortfall=short,
        objective=value + params.jp_weight * towards - params.floor_weight * short,
        spent=spent_per_envelope(problem, chosen, classes),
        reaching_minimum=int((earned + taken >= params.jp_minimum).sum()), employees=len(problem.employees),
        seconds=seconds, status=status, bound=bound, lp_bound=lp_bound, details=details or {},
    )


def jp_taken(problem, chosen):
    """JP the plan gives each employee (row order of ``problem.employees``)."""
    weights = problem.seats["jp"].to_numpy(float) * np.asarray(chosen, dtype=float)
    return np.bincount(problem.seat_employee, weights=weights, minlength=len(problem.employees))


def spent_per_envelope(problem, chosen, classes):
    """Rupiah each envelope pays: participants' costs plus fixed costs of the classes held."""
    n = len(problem.envelopes)
    seat_cost = problem.seats["cost"].to_numpy(float) * np.asarray(chosen, dtype=float)
    spent = np.bincount(problem.seat_envelope, weights=seat_cost, minlength=n)
    fixed = problem.pools["fixed_cost"].to_numpy(float) * np.asarray(classes, dtype=float)
    return spent + np.bincount(problem.pools["envelope"].to_numpy(np.int64), weights=fixed, minlength=n)


def pool_sizes(problem, chosen):
    """Chosen participants per pool."""
    return np.bincount(problem.seats["pool"].to_numpy(np.int64), weights=np.asarray(chosen, dtype=float),
                       minlength=len(problem.pools)).round().astype(np.int64)


def unit_values(problem, params, chosen):
    """Value closed per (envelope, unit) next to its demand and fairness floor: envelope, unit, demand, floor, value."""
    table = floor_targets(problem, params)
    closed = pd.DataFrame({"envelope": problem.seat_envelope, "unit": problem.seats["unit"].to_numpy(),
                           "value": problem.seats["value"].to_numpy(float) * np.asarray(chosen, dtype=float)})
    closed = closed.groupby(["envelope", "unit"], as_index=False)["value"].sum()
    return table.merge(closed, on=["envelope", "unit"], how="left").fillna({"value": 0.0})


def floor_shortfalls(problem, params, chosen):
    """Units below their fairness floor: envelope, unit, demand, floor, value (empty when all are met)."""
    table = unit_values(problem, params, chosen)
    return table[table["value"] < table["floor"] - TOLERANCE * (1 + table["floor"])].reset_index(drop=True)


def check(problem: Problem, params: Params, plan: Plan, *, floors=True):
    """Every rule the plan breaks, as sentences; an empty list means the plan is valid.

    Rules: each envelope pays at most its amount; each pool's participants fit its classes
    (between min and max size per class, no empty class); at most one seat per group; nobody
    over their JP cap; with ``floors``, every unit at or above its fairness floor.
    """
    problems = []
    amounts = problem.envelopes["amount"].to_numpy(float)
    for e in np.flatnonzero(plan.spent > amounts + 0.5):
        problems.append(f"envelope {e} overspent: {plan.spent[e]:.0f} of {amounts[e]:.0f}")
    sizes = pool_sizes(problem, plan.chosen)
    low = problem.pools["min_size"].to_numpy() * plan.classes
    high = problem.pools["max_size"].to_numpy() * plan.classes
    for g in np.flatnonzero((sizes < low) | (sizes > high) | (plan.classes < 0)):
        low_size, high_size = problem.pools["min_size"].iloc[g], problem.pools["max_size"].iloc[g]
        problems.append(f"pool {g}: {sizes[g]} participants in {plan.classes[g]} classes of {low_size}–{high_size}")
    per_group = np.bincount(problem.group_key, weights=plan.chosen.astype(float))
    for g in np.flatnonzero(per_group > 1):
        problems.append(f"group {g}: {per_group[g]:.0f} alternatives chosen")
    taken = jp_taken(problem, plan.chosen)
    for i in np.flatnonzero(taken > problem.jp_room() + TOLERANCE):
        problems.append(f"employee {problem.employees['employee'].iloc[i]} over their JP cap")
    if floors:
        for row in floor_shortfalls(problem, params, plan.chosen).itertuples():
            problems.append(f"unit {row.unit} in envelope {row.envelope} below its floor: {row.value:.3f} < {row.floor:.3f}")
    return problems
