"""Rater leniency and severity: how far each rater sits above or below the others rating the same thing."""

import numpy as np


def rater_leniency(*, cell, rater_key, level, n_cells, n_rater_keys, shrinkage, iterations):
    """Estimate each rater's leniency (+) or severity (-) in levels.

    ``cell`` (ratee x competency), ``rater_key`` and ``level`` are parallel arrays, one entry per
    rating. A rating is compared with the mean of the OTHER ratings of its cell after their own
    raters' leniency is taken out; a rater's leniency is the mean of those differences, shrunk
    toward zero by n / (n + shrinkage) (n = their ratings that had someone to be compared with).
    Round one compares with raw ratings; later rounds with corrected ones, so that one very
    lenient rater does not make everyone sharing a ratee with them look severe. Comparisons only
    tell raters apart, so leniency is measured from the typical rater of someone else: after
    each round the median leniency of those raters (weighted by their compared ratings) is set
    to zero, and self-ratings are measured against it. A median rather than a mean, so that a
    few very lenient raters do not shift everyone else's zero.

    Returns ``(leniency, compared)``: float64 and int64 arrays indexed by rater key.
    """
    y = level.astype(np.float64)
    n_cell = np.bincount(cell, minlength=n_cells)
    others = n_cell[cell] - 1
    has_peer = others > 0
    others = np.maximum(others, 1)
    compared = np.bincount(rater_key, weights=has_peer, minlength=n_rater_keys)
    denominator = compared + shrinkage
    denominator[denominator == 0] = 1.0
    # Compared ratings per key given to someone else (even keys; odd keys are self-ratings).
    anchors = compared.copy()
    anchors[1::2] = 0.0
    anchor_keys = np.flatnonzero(anchors)
    leniency = np.zeros(n_rater_keys)
    for _ in range(iterations):
        corrected = y - leniency[rater_key] if _ else y
        cell_sum = np.bincount(cell, weights=corrected, minlength=n_cells)
        # Own rating minus the (corrected) mean of the others; zero where there is nobody else.
        difference = y - (cell_sum[cell] - corrected) / others
        difference[~has_peer] = 0.0
        leniency = np.bincount(rater_key, weights=difference, minlength=n_rater_keys) / denominator
        # Differences only fix leniency up to a constant shared by everyone; put the zero at
        # the typical rater of others (self-ratings are the ones known to run high).
        if len(anchor_keys):
            leniency -= weighted_median(leniency[anchor_keys], anchors[anchor_keys])
    return leniency, compared.astype(np.int64)


def weighted_median(values, weights):
    """The value below and above which half the (positive) ``weights`` lie."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def corrected_levels(level, leniency_of_rating):
    """Ratings with their rater's leniency taken out, kept on the 1-5 scale."""
    return np.clip(level - leniency_of_rating, 1.0, 5.0)
