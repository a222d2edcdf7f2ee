"""Observed levels as the raters saw them, with completed training's own evidence taken out."""

import numpy as np


def rated_level(observed, training_level, training_weight):
    """The observed level resting on ratings alone (NaN where only training speaks).

    The TNA blends completed training into the observed level (docs/tna-method.md §3): with ``s``
    the share resting on training and ``L`` the level the courses reach, observed = (1 − s) · r
    + s · max(L, r). Measuring what training changed on that level would count each course's own
    credit as its effect; this recovers ``r``: observed itself where no training counted or the
    ratings were at least ``L``, (observed − s · L) / (1 − s) otherwise, NaN when s is 1 (training alone).
    """
    observed = np.asarray(observed, dtype=float)
    level = np.asarray(training_level, dtype=float)
    share = np.nan_to_num(np.asarray(training_weight, dtype=float))
    blended = (share > 0) & ~np.isnan(level) & (observed < level - 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        unblended = (observed - share * np.nan_to_num(level)) / (1.0 - share)
    only_training = share >= 1.0 - 1e-9
    return np.where(only_training, np.nan, np.where(blended, unblended, observed))
