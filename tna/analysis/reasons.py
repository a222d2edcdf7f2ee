"""The reason behind every result row: stored as typed columns, read as the contract's dict.

A reason is the numbers each part of the analysis contributed (docs/tna-method.md §8). They
are stored in columns of their own next to the row's required, observed, gap and confidence
(``REASON_COLUMNS``), not as a JSON document: a million-person run writes twelve million rows,
and parsing a JSON document per row cost the database more than everything else in the run.
``reason_columns`` computes the columns for a slice of an analysis result (vectorised);
``reason_dict`` rebuilds the contract's dict from one row's values, for the views, the API
and the analysis' own ``Result.reason``; ``reason_values`` is its inverse.

Column values: floats are rounded to two decimals (NaN = NULL); ints use -1 for NULL.
``signals`` is a bit set (``tna.analysis.priority.signal_names``) with, from bit
``COACHING_SHIFT`` on, the level of the supervisor's coaching rating that counted (0 for none);
``appraisal`` the index of (results, behaviour, discipline, quality, innovation) in
``appraisal_fields``.
"""

import numpy as np

from .inputs import EXPECTATIONS
from .params import PRIORITY_PARTS, ROLES
from .priority import (
    COACHING_SHIFT,
    LEFT_OUT_BIT,
    LOW_CONFIDENCE_BIT,
    LOW_IKM_BIT,
    SURVEY_SHIFT,
    signal_names,
)

POINTS = tuple("points_%s" % part for part in PRIORITY_PARTS)
RATERS = tuple("raters_%s" % role for role in ROLES)
MEANS = tuple("mean_%s" % role for role in ROLES)
WEIGHTS = tuple("weight_%s" % role for role in ROLES)

# Name -> (kind, nullable). Kinds: "float" (2 decimals) or "int" (small integers).
REASON_COLUMNS = {
    **{name: ("float", False) for name in POINTS},
    "leniency_correction": ("float", False),
    "signals": ("int", False),
    **{name: ("int", False) for name in RATERS},
    **{name: ("float", True) for name in MEANS},
    **{name: ("float", True) for name in WEIGHTS},
    "training_courses": ("int", False),
    "training_level": ("int", True),
    "training_weight": ("float", True),
    "appraisal": ("int", True),
    "ikm": ("float", True),
}

PREDIKAT = {
    ("above", "below"): "Kurang", ("above", "meets"): "Baik", ("above", "above"): "Sangat Baik",
    ("meets", "below"): "Kurang", ("meets", "meets"): "Baik", ("meets", "above"): "Baik",
    ("below", "below"): "Sangat Kurang", ("below", "meets"): "Butuh Perbaikan", ("below", "above"): "Butuh Perbaikan",
}
# discipline, quality and innovation run 1-5 with 0 for "not recorded".
INDICATORS = ("discipline", "quality", "innovation")


def appraisal_code(*, results, behaviour, discipline, quality, innovation):
    """Per-person appraisal code (``appraisal`` column), -1 without an appraisal (results < 0)."""
    code = (((results.astype(np.int64) * 3 + behaviour) * 6 + discipline) * 6 + quality) * 6 + innovation
    return np.where(results < 0, -1, code)


def appraisal_fields(code):
    """The reason's ``appraisal`` dict for an ``appraisal`` code (indicators only when recorded)."""
    code, innovation = divmod(int(code), 6)
    code, quality = divmod(code, 6)
    code, discipline = divmod(code, 6)
    results, behaviour = divmod(code, 3)
    results, behaviour = EXPECTATIONS[results], EXPECTATIONS[behaviour]
    body = {"results": results, "behaviour": behaviour, "predikat": PREDIKAT[(results, behaviour)]}
    for name, value in zip(INDICATORS, (discipline, quality, innovation), strict=True):
        if value:
            body[name] = value
    return body


def reason_columns(detail, start=0, stop=None):
    """The ``REASON_COLUMNS`` arrays of rows ``start:stop`` of an analysis result.

    ``detail`` is ``Result.detail`` (per-row arrays named in ``tna.analysis.pipeline``).
    """
    sl = slice(start, stop)
    parts = detail["parts"][sl]
    columns = {name: np.round(parts[:, j], 2) for j, name in enumerate(POINTS)}
    correction = np.nan_to_num(detail["leniency_correction"][sl])
    columns["leniency_correction"] = np.clip(np.round(correction, 2), -4.0, 4.0)
    columns["signals"] = detail["signal_code"][sl].astype(np.int64) | (
        detail["coaching_level"][sl].astype(np.int64) << COACHING_SHIFT)
    role_n = detail["role_n"][sl]
    present = role_n > 0
    for j in range(len(ROLES)):
        columns[RATERS[j]] = role_n[:, j].astype(np.int64)
        columns[MEANS[j]] = np.where(present[:, j], np.clip(np.round(detail["role_mean"][sl][:, j], 2), 1.0, 5.0), np.nan)
        columns[WEIGHTS[j]] = np.where(present[:, j], np.round(detail["role_weight"][sl][:, j], 2), np.nan)
    trained = detail["training_n"][sl] > 0
    columns["training_courses"] = detail["training_n"][sl].astype(np.int64)
    columns["training_level"] = np.where(trained, detail["training_level"][sl], -1).astype(np.int64)
    columns["training_weight"] = np.where(trained, np.round(detail["training_share"][sl], 2), np.nan)
    person = detail["person"][sl]
    columns["appraisal"] = detail["appraisal_code"][person].astype(np.int64)
    ikm = detail["ikm"][person]
    columns["ikm"] = np.where(detail["is_service"][sl], np.round(ikm, 2), np.nan)
    return columns


def number(value):
    """A stored float as the reason shows it: two decimals, no negative zero."""
    value = round(float(value), 2)
    return value + 0.0 if value else 0.0


def _absent(value):
    return value is None or (isinstance(value, float) and value != value)


def reason_dict(row):
    """The reason (contract dict, docs/tna-method.md §8) of one row.

    ``row`` maps ``required_level``, ``observed_level``, ``gap``, ``confidence`` and every
    ``REASON_COLUMNS`` name to the row's value (None or NaN for NULL).
    """
    observed = row["observed_level"]
    no_evidence = _absent(observed)
    reason = {
        "required": int(row["required_level"]),
        "observed": None if no_evidence else number(observed),
        "gap": number(row["gap"]),
        "no_evidence": no_evidence,
        "priority_parts": {part: number(row[name]) for part, name in zip(PRIORITY_PARTS, POINTS, strict=True)},
        "confidence": number(row["confidence"]),
        "leniency_correction": number(row["leniency_correction"]),
        "raters": {
            role: {"n": int(row[RATERS[j]]), "mean": number(row[MEANS[j]]), "weight": number(row[WEIGHTS[j]])}
            for j, role in enumerate(ROLES) if row[RATERS[j]]
        },
    }
    signals = int(row["signals"])
    reason["signals"] = signal_names(signals)
    if (signals >> SURVEY_SHIFT) & 3:
        reason["survey_priority"] = (signals >> SURVEY_SHIFT) & 3
    coaching = (signals >> COACHING_SHIFT) & 7
    if coaching:
        reason["coaching"] = {"level": coaching}
    if row["training_courses"]:
        reason["training"] = {"n": int(row["training_courses"]), "level": int(row["training_level"]),
                              "weight": number(row["training_weight"])}
    if not _absent(row["appraisal"]) and row["appraisal"] >= 0:
        reason["appraisal"] = appraisal_fields(row["appraisal"])
    if not _absent(row["ikm"]):
        reason["ikm"] = number(row["ikm"])
    return reason


def reason_values(reason):
    """The ``REASON_COLUMNS`` values (None for NULL) that ``reason_dict`` turns back into ``reason``."""
    parts = reason.get("priority_parts") or {}
    values = {name: float(parts.get(part) or 0) for part, name in zip(PRIORITY_PARTS, POINTS, strict=True)}
    values["leniency_correction"] = float(reason.get("leniency_correction") or 0)
    names = set(reason.get("signals") or [])
    signals = sum(1 << bit for bit, name in enumerate(signal_names((1 << SURVEY_SHIFT) - 1)) if name in names)
    signals |= int(reason.get("survey_priority") or 0) << SURVEY_SHIFT
    signals |= (LOW_IKM_BIT if "low_ikm" in names else 0) | (LOW_CONFIDENCE_BIT if "low_confidence" in names else 0)
    signals |= LEFT_OUT_BIT if "ratings_left_out" in names else 0
    coaching = reason.get("coaching")
    signals |= int(coaching["level"]) << COACHING_SHIFT if coaching else 0
    values["signals"] = signals
    raters = reason.get("raters") or {}
    for j, role in enumerate(ROLES):
        entry = raters.get(role)
        values[RATERS[j]] = int(entry["n"]) if entry else 0
        values[MEANS[j]] = float(entry["mean"]) if entry else None
        values[WEIGHTS[j]] = float(entry["weight"]) if entry else None
    training = reason.get("training")
    values["training_courses"] = int(training["n"]) if training else 0
    values["training_level"] = int(training["level"]) if training else None
    values["training_weight"] = float(training["weight"]) if training else None
    appraisal = reason.get("appraisal")
    if appraisal:
        index = {name: i for i, name in enumerate(EXPECTATIONS)}
        values["appraisal"] = int(appraisal_code(
            results=np.array([index[appraisal["results"]]]), behaviour=np.array([index[appraisal["behaviour"]]]),
            **{name: np.array([int(appraisal.get(name) or 0)]) for name in INDICATORS},
        )[0])
    else:
        values["appraisal"] = None
    values["ikm"] = float(reason["ikm"]) if reason.get("ikm") is not None else None
    return values
