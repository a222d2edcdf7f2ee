"""Closing the loop: each course's measured effect shrunk toward the catalogue's prior by its evidence.

The choice: shrunk = w · estimate + (1 − w) · prior with w = n / (n + k). It is the normal–normal
posterior mean when every participant's change is equally noisy (variance σ², so se² = σ² / n)
and the prior is worth k participants (prior variance σ² / k): the prior's precision k / σ² and
the data's n / σ² weigh the two means. Counting in participants keeps the rule explainable to a
planner ("the catalogue's assumption counts as 20 participants") and independent of the
bootstrap's noise in ``se``; ``prior_strength`` estimates k from the courses themselves
(empirical Bayes) when a setting should not fix it.
"""

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .stats import normal_quantile

EFFECT_COLUMNS = ["raw", "se", "n", "low", "high", "prior", "weight", "shrunk", "shrunk_se", "near_zero"]


def course_effects(frame: pd.DataFrame, prior: float | Mapping | pd.Series, k: float = 20.0, *, key: str = "course",
                   zero_band: float = 0.15, min_n: int = 20, confidence: float = 0.95) -> pd.DataFrame:
    """Raw and shrunk effect per course, in levels gained per trained competency.

    ``frame``: one row per course with ``key``, ``estimate`` (NaN when none could be made),
    ``se``, ``n`` (trained participants behind it) and, when known, ``low``/``high`` — the
    estimate's own interval, e.g. ``did_by``'s bootstrap one (else estimate ± z · se at
    ``confidence``). ``prior``: the catalogue's expected effect, one number or per course
    (a Series or mapping by ``key``; a course without one is an error).

    Returns ``key`` and ``raw`` (the estimate), ``se``, ``n``, ``low``, ``high``, ``prior``,
    ``weight`` = n / (n + k) (0 without an estimate), ``shrunk`` = weight · raw + (1 − weight) ·
    prior, ``shrunk_se`` = √weight · se (the posterior's spread with the prior taken as known)
    and ``near_zero``: n ≥ ``min_n`` and the interval's upper end is at most ``zero_band`` — the
    data alone say the course adds no more than that (or harms), whatever the prior hoped.
    """
    missing = {key, "estimate", "se", "n"} - set(frame.columns)
    if missing:
        raise ValueError("course_effects: missing columns %s" % sorted(missing))
    if k < 0:
        raise ValueError("course_effects: k must be 0 or more, got %r" % k)
    raw = frame["estimate"].to_numpy(dtype=float)
    se = frame["se"].to_numpy(dtype=float)
    n = frame["n"].to_numpy(dtype=float)
    if isinstance(prior, Mapping | pd.Series):
        expected = pd.Series(prior, dtype=float).reindex(frame[key].to_numpy()).to_numpy()
        if np.isnan(expected).any():
            raise ValueError("course_effects: no prior for %s" % sorted(frame[key].to_numpy()[np.isnan(expected)]))
    else:
        expected = np.full(len(frame), float(prior))

    if {"low", "high"} <= set(frame.columns):
        low = frame["low"].to_numpy(dtype=float)
        high = frame["high"].to_numpy(dtype=float)
    else:
        half = normal_quantile((1 + confidence) / 2) * se
        low, high = raw - half, raw + half
    estimated = ~np.isnan(raw) & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = np.where(estimated, n / (n + k), 0.0) if math.isfinite(k) else np.zeros(len(frame))
    shrunk = np.where(estimated, weight * np.where(estimated, raw, 0.0) + (1 - weight) * expected, expected)
    near_zero = estimated & (n >= min_n) & (high <= zero_band)
    result = pd.DataFrame({
        key: frame[key].to_numpy(), "raw": raw, "se": se, "n": frame["n"].to_numpy(), "low": low, "high": high,
        "prior": expected, "weight": weight, "shrunk": shrunk,
        "shrunk_se": np.where(estimated, np.sqrt(weight) * se, np.nan), "near_zero": near_zero,
    })
    return result


def prior_strength(frame: pd.DataFrame, *, min_n: int = 1) -> float:
    """k for ``course_effects`` estimated from the courses: σ² / τ² (empirical Bayes).

    ``frame`` as for ``course_effects``, courses with ``n`` ≥ ``min_n`` and a finite, positive
    ``se`` used. σ², one participant's variance, is the median of se² · n; τ², how much true
    course effects differ, is DerSimonian and Laird's moment estimate. Returns ``inf`` when the
    estimates differ no more than their noise (every course then takes the prior), NaN with
    fewer than 3 courses.
    """
    raw = frame["estimate"].to_numpy(dtype=float)
    se = frame["se"].to_numpy(dtype=float)
    n = frame["n"].to_numpy(dtype=float)
    usable = np.isfinite(raw) & np.isfinite(se) & (se > 0) & (n >= min_n)
    raw, se, n = raw[usable], se[usable], n[usable]
    if len(raw) < 3:
        return math.nan
    w = 1 / se**2
    mean = float(w @ raw / w.sum())
    q = float(w @ (raw - mean) ** 2)
    tau2 = (q - (len(raw) - 1)) / (w.sum() - float(w @ w) / w.sum())
    if tau2 <= 0:
        return math.inf
    return float(np.median(se**2 * n)) / tau2
