"""Observed level and confidence per employee x competency from corrected ratings, coaching and training."""

import numpy as np

from .anonymity import ANONYMOUS
from .params import ROLES, SUPERVISOR

N_ROLES = len(ROLES)


def observed_levels(*, row, role, corrected, raw, n_rows, params, training_n, training_level, coaching_level=None):
    """Role-weighted observed level per required row, with its confidence.

    ``row`` (required row, -1 for none), ``role``, ``corrected`` and ``raw`` levels are parallel
    per-rating arrays of the ratings ``anonymity.kept_ratings`` kept; ``training_n``/``training_level``
    and ``coaching_level`` (0 without coaching) are per row. Within each role the corrected ratings are averaged; the role means are then
    weighted by ``params.rater_weights`` renormalised over the roles present. Peer and
    subordinate groups smaller than ``params.anonymity_minimum`` count as one pooled group: the
    mean of all their ratings, weighted by the sum of their roles' weights (each role's stored
    weight is its share of that: pool weight × its raters / the pool's raters). The supervisor's
    latest coaching rating adds ``params.coaching_weight`` pseudo-ratings at its level, next to the
    ratings (it may pull the level either way: it is an observation). Completed courses then add
    ``params.training_weight`` pseudo-ratings each at the highest course level, or at the level of
    the ratings and coaching where that is higher (never pulling the level down).

    Returns a dict of per-row arrays: ``observed`` (NaN without evidence), ``confidence``,
    ``n_eff``, ``spread``, ``role_n`` and ``role_mean`` (R x 4, ROLES order), ``role_weight``
    (R x 4, renormalised; 0 for absent roles), ``leniency_correction`` (mean corrected − raw,
    NaN without ratings) and ``training_share`` (the share of ``observed`` resting on training).
    """
    size = n_rows * N_ROLES
    # One pass per sum over the ratings, binned by (role, row); ratings of competencies no one in
    # scope needs go to a spare bin past the end. Everything after works on 4 x R arrays, one
    # contiguous row per role, so sums over roles add four vectors.
    key = np.where(row >= 0, role.astype(np.intp) * n_rows + row, size)

    def per_role(weights=None):
        return np.bincount(key, weights=weights, minlength=size + 1)[:size].reshape(N_ROLES, n_rows)

    role_n = per_role()
    role_sum = per_role(corrected)
    role_squares = per_role(corrected * corrected)
    correction_sum = per_role(corrected - raw).sum(axis=0)
    present = role_n > 0
    count = np.maximum(role_n, 1)
    mean = role_sum / count  # 0 for absent roles

    weights = np.asarray(params.role_weights())
    w = present * weights[:, None]
    # Small anonymous groups share their roles' combined weight by rater count, so together
    # they weigh as one group whose mean is the mean of all their ratings.
    anonymous = np.zeros(N_ROLES, dtype=bool)
    anonymous[list(ANONYMOUS)] = True
    small = present & anonymous[:, None] & (role_n < params.anonymity_minimum)
    pool_n = (role_n * small).sum(axis=0)
    pool_w = (w * small).sum(axis=0)
    w = np.where(small, pool_w * role_n / np.maximum(pool_n, 1), w)
    total = w.sum(axis=0)
    usable = total > 0
    safe_total = np.where(usable, total, 1.0)
    role_weight = w / safe_total
    level = (role_weight * mean).sum(axis=0)
    from_ratings = np.where(usable, level, np.nan)

    # Spread: standard deviation of the corrected ratings around the observed level, each rating
    # carrying its share of its role's weight. The role weights add up to 1, so the weighted mean
    # square deviation is the weighted mean of squares minus the level squared.
    mean_square = (role_weight * (role_squares / count)).sum(axis=0)
    spread = np.sqrt(np.maximum(mean_square - level * level, 0.0))

    # Kish effective number of raters for the weights used.
    squares = (w * w / count).sum(axis=0)
    n_eff = np.where(usable, total * total / np.where(squares > 0, squares, 1.0), 0.0)
    n_ratings = role_n[weights > 0].sum(axis=0)

    # Ratings and coaching: the level training is compared with. Without coaching it is the
    # ratings' level itself, so results without coaching stay exactly as before the channel.
    rated = np.where(usable, n_ratings, 0)
    rated_sum = rated * np.nan_to_num(from_ratings)
    if coaching_level is None:
        coached, coaching = np.zeros(n_rows, dtype=bool), np.zeros(n_rows)
    else:
        coached = (coaching_level > 0) & (params.coaching_weight > 0)
        coaching = coached * params.coaching_weight
        rated_sum = rated_sum + coaching * coaching_level
        rated = rated + coaching
    observed_before = np.where(usable & ~coached, np.nan_to_num(from_ratings),
                               rated_sum / np.where(rated > 0, rated, 1.0))
    has_base = rated > 0

    pseudo = training_n * params.training_weight
    has_training = pseudo > 0
    training_at = np.where(has_base, np.maximum(training_level, observed_before), training_level)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = np.where(
            has_base,
            (rated_sum + pseudo * training_at) / np.maximum(rated + pseudo, 1e-12),
            np.where(has_training, training_level.astype(float), np.nan),
        )
    n_eff = n_eff + coaching + pseudo
    # Share of the observed level that rests on training (shown as its weight in the reason).
    with np.errstate(invalid="ignore", divide="ignore"):
        training_share = np.where(has_training, pseudo / (rated + pseudo), 0.0)

    agreement = 1.0 - np.minimum(spread / 2.0, 1.0)
    # Coaching is the supervisor's view too.
    supervisor = np.where(present[SUPERVISOR] | coached, 1.0, params.confidence_no_supervisor)
    confidence = n_eff / (n_eff + params.confidence_raters) * agreement * supervisor
    confidence = np.where(np.isnan(observed), 0.0, confidence)

    n_all = role_n.sum(axis=0)
    correction = correction_sum / np.maximum(n_all, 1)
    return {
        "observed": observed,
        "confidence": confidence,
        "n_eff": n_eff,
        "spread": spread,
        "role_n": role_n.T,
        "role_mean": np.where(present, mean, np.nan).T,
        "role_weight": role_weight.T,
        "leniency_correction": np.where(n_all > 0, correction, np.nan),
        "training_share": training_share,
    }
