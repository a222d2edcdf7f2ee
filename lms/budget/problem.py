"""What the budget optimiser is given: candidate seats grouped in class pools, envelopes, people, parameters."""

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

SEAT_COLUMNS = ("employee", "unit", "pool", "group", "value", "jp", "cost")
POOL_COLUMNS = ("envelope", "fixed_cost", "min_size", "max_size")
ENVELOPE_COLUMNS = ("amount",)
EMPLOYEE_COLUMNS = ("employee", "jp_earned")


@dataclass(frozen=True)
class Params:
    """The optimiser's tunable numbers; ``lms.services.budget`` fills them from ``lms.conf``.

    ``jp_weight``: what one JP towards someone's yearly minimum is worth, in the unit of value
    (priority-weighted levels of gap closed); small, so gaps come first but, money allowing,
    nobody is left under the minimum. ``fairness``: each unit with demand in an envelope closes
    at least this share of its proportional part (its share of the envelope's demand) of what
    the envelope can close (``floors.py``); 0 switches the floors off. ``floor_weight``: the
    cost in the objective of each value-unit a unit falls short of its floor.
    """

    jp_minimum: int = 20
    jp_weight: float = 0.02
    fairness: float = 0.5
    floor_weight: float = 4.0
    time_limit: float = 30.0
    relative_gap: float = 0.002
    solver: str = "HIGHS"
    threads: int = 1

    def __post_init__(self):
        if self.jp_minimum < 0 or self.jp_weight < 0:
            raise ValueError("jp_minimum and jp_weight must not be negative.")
        if not 0 <= self.fairness <= 1 or self.floor_weight < 0:
            raise ValueError("fairness is a share between 0 and 1; floor_weight must not be negative.")
        if self.time_limit <= 0 or not 0 <= self.relative_gap < 1:
            raise ValueError("time_limit must be positive and relative_gap in [0, 1).")


@dataclass
class Problem:
    """One planning problem: who could take which course, in which class pool, paid from which envelope.

    ``seats`` (one row per candidate seat: a person in a course): employee, unit (integer ids), pool (row
    position in ``pools``), group (seats of one group are alternatives, at most one is chosen —
    e.g. two courses for the same gap; -1 for none), value (priority-weighted expected gap
    closure, ≥ 0), jp, cost (rupiah per participant).
    ``pools`` (one row per course × paying envelope): envelope (row position in ``envelopes``),
    fixed_cost (rupiah per class held), min_size, max_size; a pool holds as many classes as its
    chosen seats need, each between min_size and max_size. Extra columns (course, …) are kept.
    ``envelopes``: amount (rupiah); extra columns (agency, unit, account, …) are kept.
    ``employees``: employee, jp_earned (JP already earned or booked this year), optionally
    jp_cap (most JP a year, NaN for none: PPPK contracts). Everyone with a seat must be listed.
    ``floor_cache``: the fairness floors already worked out for this problem, by the parameters
    they depend on; ``floors.floor_targets`` alone fills and reads it. A problem built from
    another gets an empty one unless it should keep the other's floors (``whatif.with_amounts``).
    """

    seats: pd.DataFrame
    pools: pd.DataFrame
    envelopes: pd.DataFrame
    employees: pd.DataFrame
    notes: dict = field(default_factory=dict)
    floor_cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        for name, frame, columns in (("seats", self.seats, SEAT_COLUMNS), ("pools", self.pools, POOL_COLUMNS),
                                     ("envelopes", self.envelopes, ENVELOPE_COLUMNS),
                                     ("employees", self.employees, EMPLOYEE_COLUMNS)):
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise ValueError("{} lacks columns: {}".format(name, ", ".join(missing)))
        self.seats = self.seats.reset_index(drop=True)
        self.pools = self.pools.reset_index(drop=True)
        self.envelopes = self.envelopes.reset_index(drop=True)
        self.employees = self.employees.reset_index(drop=True)
        if "jp_cap" not in self.employees.columns:
            self.employees = self.employees.assign(jp_cap=np.nan)
        s, p = self.seats, self.pools
        if len(s) and ((s["value"] < 0).any() or (s["cost"] < 0).any() or (s["jp"] < 0).any()):
            raise ValueError("Seat values, costs and JP must not be negative.")
        if len(s) and (s["pool"].min() < 0 or s["pool"].max() >= len(p)):
            raise ValueError("A seat points at a pool that does not exist.")
        if len(p) and (p["envelope"].min() < 0 or p["envelope"].max() >= len(self.envelopes)):
            raise ValueError("A pool points at an envelope that does not exist.")
        if len(p) and ((p["min_size"] < 1).any() or (p["min_size"] > p["max_size"]).any()):
            raise ValueError("Pools need 1 ≤ min_size ≤ max_size.")
        if self.employees["employee"].duplicated().any():
            raise ValueError("An employee is listed twice.")
        if len(s) and not s["employee"].isin(self.employees["employee"]).all():
            raise ValueError("A seat's employee is not in employees.")

    def __getstate__(self):
        # The floors are a memo, possibly shared with what-if copies: a pickled problem works its own out.
        return {**self.__dict__, "floor_cache": {}}

    def subset(self, seats):
        """The problem restricted to the seats at positions ``seats``; also returns the pools kept (positions)."""
        frame = self.seats.iloc[seats]
        pools = np.unique(frame["pool"].to_numpy(np.int64))
        sub_pools = self.pools.iloc[pools]
        envelopes = np.unique(sub_pools["envelope"].to_numpy(np.int64))
        sub_pools = sub_pools.assign(envelope=np.searchsorted(envelopes, sub_pools["envelope"].to_numpy(np.int64)))
        frame = frame.assign(pool=np.searchsorted(pools, frame["pool"].to_numpy(np.int64)))
        people = self.employees[self.employees["employee"].isin(frame["employee"])]
        return Problem(seats=frame, pools=sub_pools, envelopes=self.envelopes.iloc[envelopes], employees=people,
                       notes=self.notes), pools

    # Arrays the solvers share ---------------------------------------------------------------

    @cached_property
    def seat_employee(self):
        """Row position in ``employees`` of each seat's person."""
        index = pd.Index(self.employees["employee"])
        return index.get_indexer(self.seats["employee"]).astype(np.int64)

    @cached_property
    def seat_envelope(self):
        return self.pools["envelope"].to_numpy(np.int64)[self.seats["pool"].to_numpy(np.int64)]

    def need(self, params):
        """JP each employee still lacks to reach ``params.jp_minimum`` (0 for the rest)."""
        earned = self.employees["jp_earned"].to_numpy(float)
        return np.clip(params.jp_minimum - earned, 0, None)

    def jp_room(self):
        """JP each employee may still take under their cap (inf where there is none)."""
        cap = self.employees["jp_cap"].to_numpy(float)
        earned = self.employees["jp_earned"].to_numpy(float)
        return np.where(np.isnan(cap), np.inf, np.clip(cap - earned, 0, None))

    @cached_property
    def runnable(self):
        """Seats that could be in some plan: their pool can fill a minimum class its envelope can pay.

        A pool with fewer candidates than its minimum class size never runs; nor does one whose
        cheapest minimum class (fixed cost plus the cheapest seats) is above its envelope.
        """
        pool = self.seats["pool"].to_numpy(np.int64)
        cost = self.seats["cost"].to_numpy(float)
        n_pools = len(self.pools)
        candidates = np.bincount(pool, minlength=n_pools)
        cheapest = np.full(n_pools, np.inf)
        np.minimum.at(cheapest, pool, cost)
        min_size = self.pools["min_size"].to_numpy(float)
        fixed = self.pools["fixed_cost"].to_numpy(float)
        amount = self.envelopes["amount"].to_numpy(float)[self.pools["envelope"].to_numpy(np.int64)]
        ok_pool = (candidates >= min_size) & (fixed + min_size * np.where(np.isinf(cheapest), 0, cheapest) <= amount)
        seat_ok = fixed[pool] + cost + (min_size[pool] - 1) * cheapest[pool] <= amount[pool]
        return ok_pool[pool] & seat_ok

    @cached_property
    def group_key(self):
        """A group number per seat where alternatives share one; seats without a group get their own."""
        group = self.seats["group"].to_numpy(np.int64).copy()
        lone = group < 0
        group[lone] = group.max(initial=0) + 1 + np.arange(lone.sum())
        return pd.factorize(group)[0]

    def demand(self):
        """Value each (envelope, unit) could close at most: Σ over groups of the best runnable seat.

        Returns a DataFrame with envelope, unit, demand — the base of the fairness floors.
        """
        frame = pd.DataFrame({
            "envelope": self.seat_envelope, "unit": self.seats["unit"].to_numpy(),
            "group": self.group_key, "value": np.where(self.runnable, self.seats["value"].to_numpy(float), 0.0),
        })
        best = frame.groupby(["envelope", "unit", "group"], sort=False)["value"].max()
        out = best.groupby(level=["envelope", "unit"]).sum().rename("demand").reset_index()
        return out[out["demand"] > 0].reset_index(drop=True)
