"""Kirkpatrick level 4, results: how units' change in IKM and SKP predikat goes with their training coverage.

Units choose whom they train and their service changes for many reasons, so this is only ever
an association across units, never the effect of training: every result says so in ``kind``.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .stats import spearman, spearman_interval

KIND = "association"
METHOD = "spearman"
TOO_FEW_UNITS = "too_few_units"


@dataclass(frozen=True)
class Association:
    """How one change across units goes with their coverage.

    ``n_units``: units with both values; ``rho``: Spearman's rank correlation of coverage with
    the change, ``low``/``high`` its interval (Fisher's z, Fieller's variance 1.06 / (n − 3));
    ``slope``: the ordinary least-squares change per unit of coverage (0 → 1 = everyone
    trained), in the measure's own unit; ``mean_change``: the mean change over those units.
    ``enough`` is False below ``min_units`` units, ``reason`` then ``too_few_units``. NaN
    where a figure cannot be computed (under 3 units, or coverage the same everywhere).
    """

    measure: str
    n_units: int
    rho: float
    low: float
    high: float
    slope: float
    mean_change: float
    enough: bool
    reason: str | None


@dataclass(frozen=True)
class UnitAssociation:
    """The IKM and the SKP-predikat associations of one set of units; ``kind`` is always ``association``."""

    ikm: Association
    share_good: Association
    units: int
    units_left_out: int
    kind: str = KIND
    method: str = METHOD


def unit_association(frame: pd.DataFrame, *, min_staff: int = 5, min_units: int = 10,
                     confidence: float = 0.95) -> UnitAssociation:
    """Rank correlation and slope of units' training coverage against their change in IKM and in good SKP.

    ``frame``: one row per unit with ``unit``, ``coverage`` (share of staff trained between the
    two cycles, 0–1), ``ikm_before``/``ikm_after`` (service-satisfaction index, 25–100),
    ``share_good_before``/``share_good_after`` (share of staff whose SKP predikat is *baik* or
    better, 0–1) and ``staff``. Units with fewer than ``min_staff`` staff are left out (one
    person moves their shares by a fifth or more) and counted in ``units_left_out``; a missing
    value leaves a unit out of that measure only.

    Spearman's ρ rather than Pearson's r: IKM and shares are bounded and skewed, and a few
    units with extreme coverage should not decide the sign.
    """
    missing = {"unit", "coverage", "ikm_before", "ikm_after", "share_good_before", "share_good_after", "staff"}
    missing -= set(frame.columns)
    if missing:
        raise ValueError("unit_association: missing columns %s" % sorted(missing))
    staff = frame["staff"].to_numpy(dtype=float)
    kept = frame.loc[staff >= min_staff]
    coverage = kept["coverage"].to_numpy(dtype=float)

    def measure(name, before, after):
        change = kept[after].to_numpy(dtype=float) - kept[before].to_numpy(dtype=float)
        both = ~(np.isnan(coverage) | np.isnan(change))
        return _association(name, coverage[both], change[both], min_units=min_units, confidence=confidence)

    return UnitAssociation(
        ikm=measure("ikm", "ikm_before", "ikm_after"),
        share_good=measure("share_good", "share_good_before", "share_good_after"),
        units=len(kept), units_left_out=len(frame) - len(kept),
    )


def _association(name, x, y, *, min_units, confidence):
    n = len(x)
    rho = spearman(x, y)
    low, high = spearman_interval(rho, n, confidence)
    slope = math.nan
    if n >= 3:
        dx = x - x.mean()
        spread = float(dx @ dx)
        if spread > 0:
            slope = float(dx @ (y - y.mean())) / spread
    enough = n >= min_units
    return Association(measure=name, n_units=n, rho=rho, low=low, high=high, slope=slope,
                       mean_change=float(y.mean()) if n else math.nan, enough=enough,
                       reason=None if enough else TOO_FEW_UNITS)
