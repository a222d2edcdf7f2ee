"""Did the training work? Kirkpatrick's four levels as pure computation (frames in, frames and dataclasses out, no ORM).

``reaction_summary`` (level 1: response rates and means, hidden under five respondents),
``learning_gain`` (level 2: normalised gain from pre/post tests), ``did`` / ``did_by`` (level 3:
difference in differences of observed level against comparable untrained staff, with a
bootstrap interval), ``unit_association`` (level 4: coverage against change in IKM and SKP
predikat, an association only) and ``course_effects`` (each course's effect shrunk toward the
catalogue's prior, for the recommender and the budget optimiser). Thresholds are keyword
arguments; the caller passes the settings. Results carry codes (``too_few_treated``,
``suppressed``, ``near_zero`` …), never sentences.
"""

from .did import DEFAULT_BANDS, STRATA_KEYS, DidResult, baseline_band, did, did_by
from .gain import learning_gain, normalised_gain
from .levels import rated_level
from .reaction import protect_partition, reaction_summary
from .results import Association, UnitAssociation, unit_association
from .shrinkage import course_effects, prior_strength

__all__ = [
    "DEFAULT_BANDS", "STRATA_KEYS", "Association", "DidResult", "UnitAssociation", "baseline_band",
    "course_effects", "did", "did_by", "learning_gain", "normalised_gain", "prior_strength", "protect_partition",
    "rated_level", "reaction_summary", "unit_association",
]
