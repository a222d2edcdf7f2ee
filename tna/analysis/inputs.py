"""The evidence DataFrames the analysis reads, their columns, and the checks they must pass."""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .params import ROLES

COLUMNS = {
    # One row per employee analysed.
    "people": ("employee", "agency", "unit", "position"),
    # One row per employee x competency their position requires; weight 0-3 (1 = normal).
    "required": ("employee", "competency", "required_level", "weight"),
    # One row per 360-degree rating; role is a name from ROLES or its index; level 1-5.
    "ratings": ("ratee", "rater", "role", "competency", "level"),
    # One row per competency; is_service marks those a low unit IKM makes more urgent.
    "competencies": ("competency", "is_service"),
    # One row per appraised employee; results/behaviour above|meets|below (or index), indicators
    # 1-5, NaN or 0 when not recorded.
    "appraisals": ("employee", "results", "behaviour", "discipline", "quality", "innovation"),
    # One row per competency an employee asked for in the needs survey; priority 1-3.
    "survey": ("employee", "competency", "priority"),
    # One row per unit with an IKM score (25-100) this cycle.
    "ikm": ("unit", "score"),
    # The unit tree (parent NaN for a top unit), so a unit without a score takes its nearest ancestor's.
    "units": ("unit", "parent"),
    # One row per completed course that targets a competency, at the level it brings one to.
    "training": ("employee", "competency", "level"),
    # One row per competency a supervisor rated in a coaching conversation, oldest first: the last
    # row of each employee x competency counts, at the level the supervisor saw (1-5).
    "coaching": ("employee", "competency", "level"),
}

EXPECTATIONS = ("above", "meets", "below")
ABOVE, MEETS, BELOW = range(3)


class EvidenceError(ValueError):
    """The evidence handed to the analysis is malformed."""


def empty(name):
    """An empty frame with the columns of input ``name``."""
    return pd.DataFrame({column: pd.Series(dtype="int64") for column in COLUMNS[name]})


def _default(name):
    return field(default_factory=lambda: empty(name))


@dataclass
class Evidence:
    """All inputs of one analysis, one DataFrame each; columns as in ``COLUMNS``.

    Ids (employee, rater, ratee, agency, unit, position, competency) are integers, normally
    database primary keys. Only ``people`` and ``required`` are needed; every other frame may be
    empty. Ratings of ratees outside ``people`` still inform rater leniency.
    """

    people: pd.DataFrame
    required: pd.DataFrame
    ratings: pd.DataFrame = _default("ratings")
    competencies: pd.DataFrame = _default("competencies")
    appraisals: pd.DataFrame = _default("appraisals")
    survey: pd.DataFrame = _default("survey")
    ikm: pd.DataFrame = _default("ikm")
    units: pd.DataFrame = _default("units")
    training: pd.DataFrame = _default("training")
    coaching: pd.DataFrame = _default("coaching")

    def __post_init__(self):
        for name in COLUMNS:
            frame = getattr(self, name)
            missing = [c for c in COLUMNS[name] if c not in frame.columns]
            if missing:
                raise EvidenceError("The %s frame lacks column(s): %s." % (name, ", ".join(missing)))


def int_column(frame, column, name):
    """``frame[column]`` as an int64 array; a clear error when it holds blanks or non-numbers."""
    values = frame[column].to_numpy()
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False)
    try:
        numeric = pd.to_numeric(frame[column]).to_numpy()
    except (TypeError, ValueError) as exc:
        raise EvidenceError("%s.%s must be whole numbers: %s" % (name, column, exc)) from None
    if numeric.dtype.kind == "f":
        if np.isnan(numeric).any():
            raise EvidenceError("%s.%s has blanks." % (name, column))
        if (numeric != np.round(numeric)).any():
            raise EvidenceError("%s.%s must be whole numbers." % (name, column))
    return numeric.astype(np.int64)


def check_range(values, low, high, what):
    """Raise unless every value lies in [low, high]."""
    if len(values) and (values.min() < low or values.max() > high):
        bad = values[(values < low) | (values > high)][0]
        raise EvidenceError("%s must be between %s and %s; found %s." % (what, low, high, bad))


def role_codes(frame):
    """The ratings' role column as indexes into ROLES."""
    values = frame["role"].to_numpy()
    if values.dtype.kind in "iu":
        codes = values.astype(np.int8, copy=False)
    else:
        codes = pd.Categorical(frame["role"], categories=list(ROLES)).codes
        if (codes < 0).any():
            bad = frame["role"].to_numpy()[codes < 0][0]
            raise EvidenceError("Unknown rater role %r; use one of %s." % (bad, ", ".join(ROLES)))
    check_range(codes, 0, len(ROLES) - 1, "ratings.role")
    return codes


def expectation_codes(frame, column):
    """An appraisal column (above/meets/below, or their index in EXPECTATIONS) as codes."""
    values = frame[column].to_numpy()
    if values.dtype.kind in "iu":
        codes = values.astype(np.int8)
        check_range(codes, 0, len(EXPECTATIONS) - 1, "appraisals.%s" % column)
        return codes
    codes = pd.Categorical(frame[column], categories=list(EXPECTATIONS)).codes
    if (codes < 0).any():
        bad = frame[column].to_numpy()[codes < 0][0]
        raise EvidenceError("appraisals.%s must be above, meets or below; found %r." % (column, bad))
    return codes.astype(np.int8)


def indicator_codes(frame, column):
    """An optional 1-5 appraisal indicator as int8 with 0 for 'not recorded'."""
    numeric = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    codes = np.where(np.isnan(numeric), 0, numeric).astype(np.int8)
    check_range(codes[codes > 0], 1, 5, "appraisals.%s" % column)
    return codes


class IdSpace:
    """Dense codes 0..size-1 for database ids.

    Primary keys are usually compact, so the code is the id minus the smallest one (a plain
    subtraction, no hashing); ids spread far apart fall back to their rank among the ids seen.
    """

    def __init__(self, arrays):
        arrays = [np.asarray(a, dtype=np.int64) for a in arrays if len(a)]
        self.low, self.size, self.sorted = 0, 0, None
        if not arrays:
            return
        low = min(int(a.min()) for a in arrays)
        high = max(int(a.max()) for a in arrays)
        count = sum(len(a) for a in arrays)
        if high - low + 1 <= 4 * count + 1_000_000:
            self.low, self.size = low, high - low + 1
        else:
            self.sorted = np.unique(np.concatenate([pd.unique(a) for a in arrays]))
            self.size = len(self.sorted)

    def codes(self, ids):
        """Codes of ``ids`` (intp), -1 for ids outside the space."""
        ids = np.asarray(ids, dtype=np.int64)
        if self.sorted is None:
            codes = ids - self.low
            # Two reductions are cheaper than a mask when, as usual, every id is inside.
            if len(codes) and (codes.min() < 0 or codes.max() >= self.size):
                codes[(codes < 0) | (codes >= self.size)] = -1
            return codes.astype(np.intp, copy=False)
        if not len(self.sorted):
            return np.full(len(ids), -1, dtype=np.intp)
        pos = np.minimum(np.searchsorted(self.sorted, ids), len(self.sorted) - 1)
        return np.where(self.sorted[pos] == ids, pos, -1).astype(np.intp)

    def ids(self, codes):
        """The ids behind ``codes``."""
        if self.sorted is None:
            return np.asarray(codes, dtype=np.int64) + self.low
        return self.sorted[codes]
