"""Kirkpatrick level 2, learning: normalised gain from pre- and post-test scores, per group."""

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .stats import t_quantile

GAIN_COLUMNS = ["scored", "at_ceiling", "n", "mean_pre", "mean_post", "mean_gain", "sd_gain", "low", "high"]


def normalised_gain(pre, post) -> np.ndarray:
    """Per participant g = (post − pre) / (100 − pre) on 0–100 scores; NaN where pre is 100 or a score is missing.

    g is the share of the room to improve that was used: 1 = reached 100, 0 = no change. It is
    unbounded below (pre 95, post 75 gives −4), so a group's mean should be read with its spread.
    """
    pre = np.asarray(pre, dtype=float)
    post = np.asarray(post, dtype=float)
    room = 100.0 - pre
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(room > 0, (post - pre) / room, np.nan)


def learning_gain(frame: pd.DataFrame, by: Sequence[str] = (), *, confidence: float = 0.95) -> pd.DataFrame:
    """Mean normalised gain per group, with its spread and a t interval of the mean.

    ``frame``: one row per participant × test pair, columns ``pre`` and ``post`` (scores 0–100,
    NaN when a test was not taken) and the ``by`` columns (e.g. ``["course"]`` or
    ``["course", "session"]``; empty: one row for everything).

    Returns one row per group: the ``by`` columns, then
    - ``scored``: participants with both scores; ``mean_pre`` and ``mean_post`` average over them;
    - ``at_ceiling``: of those, participants with pre = 100, whose gain is undefined and left out;
    - ``n`` = scored − at_ceiling: participants whose gain counts;
    - ``mean_gain``, ``sd_gain`` (sample SD, ddof 1; NaN for n < 2);
    - ``low``, ``high``: mean_gain ± t(1 − α/2, n − 1) · sd_gain / √n, Student's t interval of the
      mean at ``confidence`` (NaN for n < 2).
    Groups keep the order of their first appearance. Raises ``ValueError`` on a score outside 0–100.
    """
    by = [by] if isinstance(by, str) else list(by)
    missing = {"pre", "post", *by} - set(frame.columns)
    if missing:
        raise ValueError("learning_gain: missing columns %s" % sorted(missing))
    pre = frame["pre"].to_numpy(dtype=float)
    post = frame["post"].to_numpy(dtype=float)
    scores = np.concatenate([pre, post])
    if ((scores < 0) | (scores > 100)).any():
        raise ValueError("learning_gain: scores must lie in 0–100")

    scored = ~(np.isnan(pre) | np.isnan(post))
    gain = normalised_gain(pre, post)
    counted = ~np.isnan(gain)
    work = pd.DataFrame({
        "scored": scored.astype(int),
        "at_ceiling": (scored & (pre >= 100)).astype(int),
        "n": counted.astype(int),
        "pre": np.where(scored, pre, np.nan),
        "post": np.where(scored, post, np.nan),
        "gain": gain,
    })
    if by:
        for column in by:
            work[column] = frame[column].to_numpy()
        grouped = work.groupby(by, sort=False, dropna=False)
    else:
        grouped = work.groupby(np.zeros(len(work), dtype=int), sort=False)
    result = grouped.agg(
        scored=("scored", "sum"), at_ceiling=("at_ceiling", "sum"), n=("n", "sum"),
        mean_pre=("pre", "mean"), mean_post=("post", "mean"),
        mean_gain=("gain", "mean"), sd_gain=("gain", "std"),
    )
    n = result["n"].to_numpy()
    t = np.array([t_quantile((1 + confidence) / 2, k - 1) if k >= 2 else np.nan for k in n])
    half = t * result["sd_gain"].to_numpy() / np.sqrt(np.maximum(n, 1))
    result["low"] = result["mean_gain"] - half
    result["high"] = result["mean_gain"] + half
    result = result.reset_index(drop=not by)
    if not by and len(result) == 0:
        result = pd.DataFrame([{"scored": 0, "at_ceiling": 0, "n": 0}])
    return result.reindex(columns=[*by, *GAIN_COLUMNS])
