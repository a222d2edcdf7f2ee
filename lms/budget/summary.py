"""Allocation summaries of a plan: money, JP and gap closure by unit, category, competency or account.

Pure pandas. ``seats`` has one row per participant seat of a plan: item, employee, unit,
category, competency, competency_type, account, agency, jp, expected_closure (priority-weighted
levels), levels_closed, cost_per_participant, cost_per_class, classes; the fixed cost of an
item's classes is shared equally by its participants.
"""

import numpy as np
import pandas as pd

FIGURES = ["participants", "seats", "cost", "jp", "expected_closure", "levels_closed",
           "cost_per_jp", "cost_per_participant", "cost_per_point", "share_of_cost"]


def with_seat_cost(seats: pd.DataFrame) -> pd.DataFrame:
    """``seats`` with seat_cost: the participant's cost plus their share of the classes' fixed cost."""
    if seats.empty:
        return seats.assign(seat_cost=pd.Series(dtype=float))
    per_item = seats.groupby("item")["employee"].transform("size")
    return seats.assign(seat_cost=seats["cost_per_participant"] + seats["classes"] * seats["cost_per_class"] / per_item)


def allocation(seats: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per value of ``by`` with ``FIGURES``, most money first.

    cost_per_point is rupiah per priority-weighted level closed (NaN where nothing closes).
    """
    seats = seats if "seat_cost" in seats.columns else with_seat_cost(seats)
    if seats.empty:
        return pd.DataFrame(columns=[by, *FIGURES])
    grouped = seats.groupby(by, dropna=False)
    table = pd.DataFrame({
        "participants": grouped["employee"].nunique(),
        "seats": grouped.size(),
        "cost": grouped["seat_cost"].sum().round(),
        "jp": grouped["jp"].sum(),
        "expected_closure": grouped["expected_closure"].sum(),
        "levels_closed": grouped["levels_closed"].sum(),
    }).reset_index()
    table["cost_per_jp"] = table["cost"] / table["jp"].replace(0, np.nan)
    table["cost_per_participant"] = table["cost"] / table["participants"].replace(0, np.nan)
    table["cost_per_point"] = table["cost"] / table["expected_closure"].replace(0, np.nan)
    table["share_of_cost"] = table["cost"] / max(table["cost"].sum(), 1)
    return table.sort_values("cost", ascending=False, kind="stable").reset_index(drop=True)


def totals(seats: pd.DataFrame, *, staff: int, reaching: int) -> dict:
    """Headline figures: cost, seats, participants, JP, closure, the three unit costs, staff reaching the minimum."""
    seats = seats if "seat_cost" in seats.columns else with_seat_cost(seats)
    cost = float(seats["seat_cost"].sum()) if len(seats) else 0.0
    jp = float(seats["jp"].sum()) if len(seats) else 0.0
    closure = float(seats["expected_closure"].sum()) if len(seats) else 0.0
    participants = int(seats["employee"].nunique()) if len(seats) else 0
    return {
        "cost": round(cost), "seats": len(seats), "participants": participants, "jp": jp,
        "expected_closure": closure,
        "levels_closed": float(seats["levels_closed"].sum()) if len(seats) else 0.0,
        "cost_per_jp": cost / jp if jp else None,
        "cost_per_participant": cost / participants if participants else None,
        "cost_per_point": cost / closure if closure else None,
        "staff": staff, "reaching_minimum": reaching, "reaching_share": reaching / staff if staff else 0.0,
    }
