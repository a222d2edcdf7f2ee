"""Priority 0-100 of each gap as a sum of named parts, and the signals that explain it."""

import numpy as np

from .inputs import BELOW
from .params import IKM_FLOOR, PRIORITY_PARTS

# Share of the appraisal points each appraisal signal is worth (they add up to 1).
APPRAISAL_SHARES = {
    "behaviour_below": 0.4,
    "results_below": 0.3,
    "low_discipline": 0.1,
    "low_quality": 0.1,
    "low_innovation": 0.1,
}
# An appraisal indicator (1-5) at or below this is "low".
LOW_INDICATOR = 2

# Signal bits: the five appraisal signals, two bits of survey priority (0-3), low IKM, low confidence.
APPRAISAL_SIGNALS = tuple(APPRAISAL_SHARES)
SURVEY_SHIFT = 5
LOW_IKM_BIT = 1 << 7
LOW_CONFIDENCE_BIT = 1 << 8
# Some ratings were left out because their group was too small to stay anonymous.
LEFT_OUT_BIT = 1 << 9
N_SIGNAL_CODES = 1 << 10
# The stored signals column also holds, in the three bits above these, the level (1-5, 0 for
# none) of the supervisor's coaching rating that counted (tna.analysis.reasons).
COACHING_SHIFT = 10


def signal_names(code):
    """The signal names (contract vocabulary, fixed order) encoded in ``code``."""
    names = [name for bit, name in enumerate(APPRAISAL_SIGNALS) if code & (1 << bit)]
    survey = (code >> SURVEY_SHIFT) & 3
    if survey:
        names.append("survey_priority_%d" % survey)
    if code & LOW_IKM_BIT:
        names.append("low_ikm")
    if code & LOW_CONFIDENCE_BIT:
        names.append("low_confidence")
    if code & LEFT_OUT_BIT:
        names.append("ratings_left_out")
    return names


def appraisal_signals(*, results, behaviour, discipline, quality, innovation):
    """Per-person appraisal signal bits (int16) from the codes in ``Encoded``."""
    flags = (
        behaviour == BELOW,
        results == BELOW,
        (discipline > 0) & (discipline <= LOW_INDICATOR),
        (quality > 0) & (quality <= LOW_INDICATOR),
        (innovation > 0) & (innovation <= LOW_INDICATOR),
    )
    code = np.zeros(len(results), dtype=np.int16)
    for bit, flag in enumerate(flags):
        code |= flag.astype(np.int16) << bit
    return code


def priority_parts(*, gap, weight, appraisal_code, survey_priority, ikm, is_service, confidence, has_evidence, params,
                   ratings_left_out=None):
    """Points per part and the signal code of each row.

    Per-row inputs: ``gap`` (levels), ``weight`` (0-3), ``appraisal_code`` (from
    ``appraisal_signals``), ``survey_priority`` (0-3), ``ikm`` (NaN unknown), ``is_service``,
    ``confidence``, ``has_evidence`` and ``ratings_left_out`` (True where ``anonymity`` left
    ratings out: the ``ratings_left_out`` signal).

    gap        = P_gap x min(gap / gap_saturation, 1)
    weight     = P_weight x min(weight / 3, 1) x presence
    appraisal  = P_appraisal x (sum of the shares of the appraisal signals) x presence
    survey     = P_survey x survey_priority / 3 x presence
    ikm        = P_ikm x (1/2 + 1/2 x (threshold − ikm) / (threshold − 25)) x presence,
                 only for service competencies in units below the IKM threshold
    presence   = min(gap / gap_presence, 1): no gap, no priority from anything else.

    Returns ``(parts, priority, signal_code)``: parts is R x 5 (``PRIORITY_PARTS`` order,
    rounded to 2 decimals), priority their sum (0-100), signal_code int16 per row.
    """
    presence = np.minimum(gap / params.gap_presence, 1.0)
    parts = np.empty((len(gap), len(PRIORITY_PARTS)))
    parts[:, 0] = params.points("gap") * np.minimum(gap / params.gap_saturation, 1.0)
    parts[:, 1] = params.points("weight") * np.minimum(weight / 3.0, 1.0) * presence
    share = np.zeros(len(gap))
    for bit, name in enumerate(APPRAISAL_SIGNALS):
        share += ((appraisal_code >> bit) & 1) * APPRAISAL_SHARES[name]
    parts[:, 2] = params.points("appraisal") * share * presence
    parts[:, 3] = params.points("survey") * survey_priority / 3.0 * presence
    threshold = params.ikm_threshold
    low_ikm = is_service & (np.nan_to_num(ikm, nan=101.0) < threshold)
    depth = (threshold - np.clip(np.nan_to_num(ikm, nan=threshold), IKM_FLOOR, threshold)) / (threshold - IKM_FLOOR)
    parts[:, 4] = np.where(low_ikm, params.points("ikm") * (0.5 + 0.5 * depth) * presence, 0.0)
    parts = np.round(parts, 2)
    priority = np.clip(np.round(parts.sum(axis=1), 2), 0.0, 100.0)

    signal_code = appraisal_code.astype(np.int16) | (survey_priority.astype(np.int16) << SURVEY_SHIFT)
    signal_code |= np.where(low_ikm, LOW_IKM_BIT, 0).astype(np.int16)
    low_confidence = has_evidence & (confidence < params.low_confidence)
    signal_code |= np.where(low_confidence, LOW_CONFIDENCE_BIT, 0).astype(np.int16)
    if ratings_left_out is not None:
        signal_code |= np.where(ratings_left_out, LEFT_OUT_BIT, 0).astype(np.int16)
    return parts, priority, signal_code
