"""Quantiles and rank correlation the impact measures share, in NumPy alone (no SciPy here)."""

import math
from statistics import NormalDist

import numpy as np


def normal_quantile(p: float) -> float:
    """The standard normal quantile: ``normal_quantile(0.975)`` ≈ 1.959964."""
    return NormalDist().inv_cdf(p)


def t_quantile(p: float, df: float) -> float:
    """Student's t quantile for 0.5 ≤ ``p`` < 1 with ``df`` ≥ 1 degrees of freedom.

    Hill's algorithm 396 (Comm. ACM 13, 1970), the one R's ``qt`` starts from; within 1e-4 of the
    exact value for ``df`` ≥ 3, exact for 1 and 2. NaN below 1 degree of freedom.
    """
    if not 0.5 <= p < 1:
        raise ValueError("t_quantile takes 0.5 ≤ p < 1, got %r" % p)
    if not df >= 1:
        return math.nan
    if p == 0.5:
        return 0.0
    two_tail = 2 * (1 - p)
    if df == 1:
        return 1 / math.tan(two_tail * math.pi / 2)
    if df == 2:
        return math.sqrt(2 / (two_tail * (2 - two_tail)) - 2)
    if df > 1e7:
        return normal_quantile(p)
    a = 1 / (df - 0.5)
    b = 48 / (a * a)
    c = ((20700 * a / b - 98) * a - 16) * a + 96.36
    d = ((94.5 / (b + c) - 3) / b + 1) * math.sqrt(a * math.pi / 2) * df
    x = d * two_tail
    y = x ** (2 / df)
    if y > 0.05 + a:
        x = normal_quantile(two_tail / 2)
        y = x * x
        if df < 5:
            c += 0.3 * (df - 4.5) * (x + 0.6)
        c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c
        y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x
        y = a * y * y
        y = math.expm1(y) if y > 0.002 else 0.5 * y * y + y
    else:
        y = ((1 / (((df + 6) / (df * y) - 0.089 * d - 0.822) * (df + 2) * 3) + 0.5 / (df + 4)) * y - 1) * (
            df + 1) / (df + 2) + 1 / y
    return math.sqrt(df * y)


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of ``values``, ties sharing their average rank (as Spearman's ρ needs)."""
    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    # Runs of equal values: each run gets the mean of the positions it spans.
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(values)]
    run_rank = (starts + ends + 1) / 2
    ranks = np.empty(len(values))
    ranks[order] = np.repeat(run_rank, ends - starts)
    return ranks


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson's r of two equal-length arrays; NaN with fewer than 3 pairs or a constant array."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) < 3:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float(dx @ dx) * float(dy @ dy))
    if denominator == 0:
        return math.nan
    return float(np.clip((dx @ dy) / denominator, -1.0, 1.0))


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ: Pearson's r of the average ranks."""
    return pearson(average_ranks(x), average_ranks(y))


def spearman_interval(rho: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Interval of Spearman's ρ by Fisher's z with Fieller's variance 1.06 / (n − 3); NaN below 4 pairs."""
    if n < 4 or math.isnan(rho):
        return math.nan, math.nan
    if abs(rho) >= 1:
        return rho, rho
    z = math.atanh(rho)
    half = normal_quantile((1 + confidence) / 2) * math.sqrt(1.06 / (n - 3))
    return math.tanh(z - half), math.tanh(z + half)
