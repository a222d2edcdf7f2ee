"""Kirkpatrick level 3, behaviour: difference in differences of observed level, trained against comparable untrained staff."""

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

# Baseline bands of the level observed before: [0, 1.5), [1.5, 2.5), [2.5, 3.5), [3.5, 5].
DEFAULT_BANDS = (0.0, 1.5, 2.5, 3.5, 5.0)
# Rows are employee × competency, so competency is a stratum key too: a trained person is compared
# with untrained colleagues on the same competency, whose level may move at its own pace.
STRATA_KEYS = ("competency", "agency", "job_type")
METHOD = "stratified_did_att+bootstrap_percentile"
# Bootstrap draws held in memory at once (float64 each), so 20,000 rows × 1,000 reps stay in ~16 MB chunks.
DRAWS_PER_CHUNK = 2_000_000

TOO_FEW_TREATED = "too_few_treated"
TOO_FEW_CONTROLS = "too_few_controls"


@dataclass(frozen=True)
class DidResult:
    """A difference-in-differences estimate in levels (1–5 scale) per trained employee × competency.

    ``estimate``: the ATT, Σ_s n_t(s) · (Δ_treated(s) − Δ_control(s)) / Σ_s n_t(s) over the strata
    used, Δ being the mean of after − before; ``change_treated`` and ``change_control``: the two
    terms, weighted the same way (what the trained gained, and what comparable untrained staff
    gained over the same cycles). ``low``/``high``: percentile bootstrap interval; ``se``: the
    bootstrap standard deviation (NaN when ``reps`` is 0 or nothing was estimated).
    ``n_treated``/``n_control``: distinct employees in the strata used. ``strata_used``: strata
    with both groups; ``strata_dropped``: strata with only one group, of which
    ``strata_without_controls`` had trained staff only; ``treated_unmatched``: trained rows in those
    strata, which the estimate says nothing about; ``missing``: rows left out for a missing
    before or after level. ``enough`` is False when either group has fewer than ``min_group``
    employees, ``reason`` then being ``too_few_treated`` or ``too_few_controls`` (None when enough).
    """

    estimate: float
    low: float
    high: float
    se: float
    n_treated: int
    n_control: int
    strata_used: int
    strata_dropped: int
    strata_without_controls: int
    treated_unmatched: int
    missing: int
    enough: bool
    reason: str | None
    change_treated: float
    change_control: float
    reps: int
    method: str = METHOD


RESULT_COLUMNS = [f.name for f in fields(DidResult)]


def baseline_band(before, bands: Sequence[float] = DEFAULT_BANDS) -> np.ndarray:
    """Index of the band of each level: band i is [bands[i], bands[i+1]), the last one closed.

    Levels below the first edge count in the first band, above the last in the last; NaN gives −1.
    """
    edges = np.asarray(bands, dtype=float)
    if len(edges) < 2 or (np.diff(edges) <= 0).any():
        raise ValueError("bands must be at least two increasing edges, got %r" % (bands,))
    before = np.asarray(before, dtype=float)
    band = np.searchsorted(edges[1:-1], before, side="right")
    return np.where(np.isnan(before), -1, band)


def did(frame: pd.DataFrame, *, bands: Sequence[float] = DEFAULT_BANDS, keys: Sequence[str] = STRATA_KEYS,
        reps: int = 1000, rng: np.random.Generator | int = 0, confidence: float = 0.95,
        min_group: int = 20) -> DidResult:
    """The effect of training on observed level, by difference in differences within strata.

    ``frame``: one row per employee × competency with ``employee``, ``before`` and ``after``
    (observed level in the cycle before and after the training; NaN when not observed),
    ``treated`` (bool) and the ``keys`` columns (default competency, agency, job_type). Strata
    are the keys × the band of ``before`` (``bands``, see ``baseline_band``). Within each
    stratum the trained rows' mean change is compared with the untrained rows' one; the strata
    are combined weighted by their trained rows (the average effect on the trained, ATT).
    Strata lacking either group are dropped and counted.

    The interval is the percentile bootstrap at ``confidence`` over ``reps`` resamples: the
    trained resampled as employees (each with all their rows), the strata's control means
    perturbed by resampled control residuals (see ``_bootstrap`` for why not controls within
    each stratum). ``rng``: a Generator or a seed (default 0: the same data give the same
    interval). ``min_group``: employees each group needs for ``enough``.
    """
    columns = {"employee", "before", "after", "treated", *keys}
    missing_columns = columns - set(frame.columns)
    if missing_columns:
        raise ValueError("did: missing columns %s" % sorted(missing_columns))
    if bool(frame["treated"].isna().any()):
        raise ValueError("did: treated must be True or False on every row")
    prepared = _prepare(frame, bands=bands, keys=keys)
    treated = frame["treated"].to_numpy(dtype=bool)
    return _estimate(prepared, np.arange(len(frame)), treated, reps=reps, rng=np.random.default_rng(rng),
                     confidence=confidence, min_group=min_group)


def did_by(frame: pd.DataFrame, by: str | Sequence[str] = "course", *, bands: Sequence[float] = DEFAULT_BANDS,
           keys: Sequence[str] = STRATA_KEYS, reps: int = 1000, rng: np.random.Generator | int = 0,
           confidence: float = 0.95, min_group: int = 20) -> pd.DataFrame:
    """``did`` for each course (or provider, …) against comparable untrained staff.

    ``frame`` as for ``did`` but without ``treated``: instead the first ``by`` column names the
    training a row's employee took for that competency between the two cycles (e.g. ``course``),
    null when they took none. A further ``by`` column (e.g. ``["course", "competency"]``) splits
    each course's trained rows. For a group, the trained are its rows; the controls are the
    untrained rows on the competencies the group's rows cover — staff trained by another course
    on that competency are neither. A group's estimate and counts are those of ``did`` on those
    rows; its interval too, up to the bootstrap's random draws.

    Returns one row per group (sorted): the ``by`` columns and the ``DidResult`` fields. The one
    ``rng`` (seed or Generator) serves the groups in that order.
    """
    by = [by] if isinstance(by, str) else list(by)
    columns = {"employee", "before", "after", "competency", *by, *keys}
    missing_columns = columns - set(frame.columns)
    if missing_columns:
        raise ValueError("did_by: missing columns %s" % sorted(missing_columns))
    generator = np.random.default_rng(rng)
    prepared = _prepare(frame, bands=bands, keys=keys)
    untrained = frame[by[0]].isna().to_numpy()
    competency = pd.factorize(frame["competency"], use_na_sentinel=False)[0]
    control_rows = np.flatnonzero(untrained)
    order = np.argsort(competency[control_rows], kind="stable")
    control_rows = control_rows[order]
    bounds = np.searchsorted(competency[control_rows], np.arange(competency.max(initial=-1) + 2))

    records = []
    trained_rows = np.flatnonzero(~untrained)
    trained_keys = frame.iloc[trained_rows][by].reset_index(drop=True)
    number = trained_keys.groupby(by, sort=True).ngroup().to_numpy()  # −1: a further by column is null
    order = np.argsort(number, kind="stable")
    starts = np.searchsorted(number[order], np.arange(number.max(initial=-1) + 2))
    for group in range(len(starts) - 1):
        positions = order[starts[group]:starts[group + 1]]
        key = tuple(trained_keys.iloc[positions[0]])
        rows = trained_rows[positions]
        controls = [control_rows[bounds[c]:bounds[c + 1]] for c in np.unique(competency[rows])]
        subset = np.concatenate([rows, *controls])
        treated = np.zeros(len(subset), dtype=bool)
        treated[: len(rows)] = True
        result = _estimate(prepared, subset, treated, reps=reps, rng=generator, confidence=confidence,
                           min_group=min_group)
        records.append((*key, *asdict(result).values()))
    return pd.DataFrame.from_records(records, columns=[*by, *RESULT_COLUMNS])


@dataclass(frozen=True)
class _Prepared:
    """Per-row arrays of a frame: stratum code (−1 when a level is missing), employee code, change."""

    stratum: np.ndarray
    employee: np.ndarray
    change: np.ndarray
    strata: int


def _prepare(frame, *, bands, keys):
    before = frame["before"].to_numpy(dtype=float)
    after = frame["after"].to_numpy(dtype=float)
    band = baseline_band(before, bands)
    labels = frame[list(keys)].copy()
    labels["_band"] = band
    stratum = labels.groupby(list(labels.columns), sort=False, dropna=False).ngroup().to_numpy()
    valid = ~(np.isnan(before) | np.isnan(after))
    stratum = np.where(valid, stratum, -1)
    employee = pd.factorize(frame["employee"], use_na_sentinel=False)[0]
    return _Prepared(stratum=stratum, employee=employee, change=after - before,
                     strata=int(stratum.max(initial=-1)) + 1)


def _estimate(prepared: _Prepared, rows, treated, *, reps, rng, confidence, min_group) -> DidResult:
    """The DiD of ``rows`` of a prepared frame, ``treated`` a bool per entry of ``rows``."""
    stratum = prepared.stratum[rows]
    valid = stratum >= 0
    missing = int((~valid).sum())
    stratum, treated, rows = stratum[valid], treated[valid], rows[valid]
    change, employee = prepared.change[rows], prepared.employee[rows]

    size = prepared.strata
    n_t = np.bincount(stratum[treated], minlength=size)
    n_c = np.bincount(stratum[~treated], minlength=size)
    used = (n_t > 0) & (n_c > 0)
    without_controls = (n_t > 0) & (n_c == 0)
    dropped = int(((n_t > 0) ^ (n_c > 0)).sum())
    unmatched = int(n_t[without_controls].sum())
    keep = used[stratum]
    stratum, treated, change, employee = stratum[keep], treated[keep], change[keep], employee[keep]
    n_treated = len(np.unique(employee[treated]))
    n_control = len(np.unique(employee[~treated]))

    if not len(stratum):
        reason = TOO_FEW_TREATED if not n_t.any() else TOO_FEW_CONTROLS
    elif n_treated < min_group:
        reason = TOO_FEW_TREATED
    elif n_control < min_group:
        reason = TOO_FEW_CONTROLS
    else:
        reason = None
    nan = math.nan
    empty = DidResult(estimate=nan, low=nan, high=nan, se=nan, n_treated=n_treated, n_control=n_control,
                      strata_used=int(used.sum()), strata_dropped=dropped,
                      strata_without_controls=int(without_controls.sum()), treated_unmatched=unmatched,
                      missing=missing, enough=reason is None, reason=reason, change_treated=nan,
                      change_control=nan, reps=reps)
    if not len(stratum):
        return empty

    # Strata used, numbered densely 0..S-1.
    compact = (np.cumsum(used) - 1)[stratum]
    used_count = int(used.sum())
    treated_rows = np.bincount(compact[treated], minlength=used_count)
    control_rows = np.bincount(compact[~treated], minlength=used_count)
    treated_mean = np.bincount(compact[treated], weights=change[treated], minlength=used_count) / treated_rows
    control_mean = np.bincount(compact[~treated], weights=change[~treated], minlength=used_count) / control_rows
    weight = treated_rows / treated_rows.sum()
    change_treated = float(weight @ treated_mean)
    change_control = float(weight @ control_mean)

    draws = _bootstrap(compact[treated], employee[treated], change[treated], compact[~treated], change[~treated],
                       control_mean, reps=reps, rng=rng)
    if len(draws) > 1:
        alpha = 1 - confidence
        low, high = (float(q) for q in np.quantile(draws, [alpha / 2, 1 - alpha / 2]))
        se = float(draws.std(ddof=1))
    else:
        low = high = se = nan
    return replace(empty, estimate=change_treated - change_control, low=low, high=high, se=se,
                   change_treated=change_treated, change_control=change_control)


def _bootstrap(treated_stratum, treated_employee, treated_change, control_stratum, control_change, control_mean, *,
               reps, rng):
    """``reps`` bootstrap values of the ATT.

    The ATT is the mean over trained rows of (own change − their stratum's control mean). The
    trained are resampled as employees, each with all their rows, across the strata used: the
    mix of strata among the trained varies as it would in another cohort. Each stratum's
    control mean is perturbed by the mean of as many draws as it has controls from the pool of
    control residuals (change − stratum mean, rescaled by √(m / (m − 1)) for a stratum of m)
    over all strata: most strata hold a handful of controls, one or two often, and a stratum's
    own residuals would say nothing about its noise then (a resample of one is always itself).
    The price is assuming the noise of a change is alike across strata.
    """
    if reps <= 0:
        return np.empty(0)
    strata = len(control_mean)
    # Trained clusters: an employee's rows, contiguous after sorting.
    order = np.argsort(treated_employee, kind="stable")
    row_stratum, row_change = treated_stratum[order], treated_change[order]
    sorted_employee = treated_employee[order]
    starts = np.flatnonzero(np.r_[True, sorted_employee[1:] != sorted_employee[:-1]])
    cluster_change = np.add.reduceat(row_change, starts)
    cluster_rows = np.diff(np.r_[starts, len(row_change)]).astype(float)
    clusters = len(starts)
    single = bool((cluster_rows == 1).all())

    # The control pool, and the controls laid out by stratum for the per-stratum sums.
    size = np.bincount(control_stratum, minlength=strata)
    residual = control_change - control_mean[control_stratum]
    spread = np.sqrt(size / np.maximum(size - 1, 1))[control_stratum]
    pool = (residual * spread)[size[control_stratum] > 1]
    if len(pool) < 2:
        # No stratum has two controls: deviations from the controls' overall mean, which
        # overstate the noise rather than hide it.
        pool = control_change - control_change.mean()
    control_start = np.r_[0, np.cumsum(size)[:-1]]

    chunk = max(1, DRAWS_PER_CHUNK // (clusters + len(control_change)))
    values = np.empty(reps)
    for begin in range(0, reps, chunk):
        count = min(chunk, reps - begin)
        noise = np.add.reduceat(pool[rng.integers(0, len(pool), size=(count, len(control_change)))],
                                control_start, axis=1)
        perturbed = control_mean + noise / size  # (count, strata)
        pick = rng.integers(0, clusters, size=(count, clusters))
        if single:
            matched = np.take_along_axis(perturbed, row_stratum[pick], axis=1)
            values[begin:begin + count] = (cluster_change[pick] - matched).mean(axis=1)
        else:
            per_cluster = np.add.reduceat(perturbed[:, row_stratum], starts, axis=1)
            matched = np.take_along_axis(per_cluster, pick, axis=1)
            values[begin:begin + count] = ((cluster_change[pick] - matched).sum(axis=1)
                                           / cluster_rows[pick].sum(axis=1))
    return values
