"""The gap analysis from evidence to result rows: leniency, observed level, gap, priority, reason."""

from dataclasses import dataclass
from time import perf_counter

import numpy as np
import pandas as pd

from .anonymity import kept_ratings
from .encode import encode
from .leniency import corrected_levels, rater_leniency
from .observed import observed_levels
from .priority import appraisal_signals, priority_parts
from .reasons import REASON_COLUMNS, appraisal_code, reason_columns, reason_dict

STAGES = ("leniency", "observed", "priority")


@dataclass
class Result:
    """What one analysis produced.

    ``gaps``: one row per employee x required competency, sorted by (employee, competency), with
    columns employee, competency, agency, unit, required_level, observed_level (NaN without
    evidence), confidence (0-1), gap (levels, >= 0) and priority (0-100).
    ``raters``: one row per rater and kind of rating, columns rater, self_rating (bool),
    ratings, compared (ratings that had other raters to compare with) and leniency (levels;
    positive = rates higher than the others).
    ``detail``: per-row arrays behind the reasons; ``reason_columns``/``reason`` render them.
    ``timings``: seconds per stage.
    """

    gaps: pd.DataFrame
    raters: pd.DataFrame
    detail: dict
    timings: dict

    def __len__(self):
        return len(self.gaps)

    def reason_columns(self, start=0, stop=None):
        """The stored reason columns of rows ``start:stop`` (see reasons.py), name -> array."""
        return reason_columns(self.detail, start, stop)

    def reason(self, index):
        """The reason of one row as the contract's dict."""
        row = self.gaps.iloc[index]
        values = {name: column[0] for name, column in self.reason_columns(index, index + 1).items()}
        values = {name: None if REASON_COLUMNS[name][0] == "int" and value < 0 else value
                  for name, value in values.items()}
        return reason_dict({**values, **row[["required_level", "observed_level", "gap", "confidence"]].to_dict()})


def analyse(evidence, params, *, progress=None):
    """Run the analysis on an ``Evidence`` with ``Parameters``; returns a ``Result``.

    ``progress``, when given, is called with each stage name in ``STAGES`` as it starts.
    """
    stage = _Stages(progress)
    stage("leniency")
    enc = encode(evidence)
    n_rows = len(enc.employee)
    # Ratings of groups too small to stay anonymous take no part in anything, leniency included:
    # then no number anyone is shown moves when one of them changes (docs/tna-method.md §9).
    kept = kept_ratings(cell=enc.cell, role=enc.role, n_cells=enc.n_cells, minimum=params.anonymity_minimum)
    left_out = np.bincount(enc.row[~kept & (enc.row >= 0)], minlength=n_rows)[:n_rows] > 0
    if not kept.all():
        for name in ("cell", "rater_key", "role", "level", "row"):
            setattr(enc, name, getattr(enc, name)[kept])
    leniency, compared = rater_leniency(
        cell=enc.cell, rater_key=enc.rater_key, level=enc.level, n_cells=enc.n_cells,
        n_rater_keys=enc.n_rater_keys, shrinkage=params.leniency_shrinkage, iterations=params.leniency_iterations,
    )
    raw = enc.level.astype(np.float64)
    corrected = corrected_levels(raw, leniency[enc.rater_key])
    raters = _rater_table(enc, leniency, compared)
    row, role = enc.row, enc.role

    stage("observed")
    seen = observed_levels(
        row=row, role=role, corrected=corrected, raw=raw, n_rows=n_rows, params=params,
        training_n=enc.training_n, training_level=enc.training_level,
        coaching_level=enc.coaching_level,
    )
    del corrected, raw
    observed = np.round(seen["observed"], 2)
    has_evidence = ~np.isnan(observed)
    gap = np.round(np.maximum(enc.required_level - np.nan_to_num(observed, nan=99.0), 0.0), 2)
    confidence = np.clip(np.round(seen["confidence"], 2), 0.0, 1.0)

    stage("priority")
    appraisal_bits = appraisal_signals(
        results=enc.results, behaviour=enc.behaviour, discipline=enc.discipline,
        quality=enc.quality, innovation=enc.innovation,
    )
    person = enc.person
    ikm = enc.ikm[person]
    parts, priority, signal_code = priority_parts(
        gap=gap, weight=enc.weight, appraisal_code=appraisal_bits[person], survey_priority=enc.survey_priority,
        ikm=ikm, is_service=enc.is_service, confidence=confidence, has_evidence=has_evidence, params=params,
        ratings_left_out=left_out,
    )
    gaps = pd.DataFrame({
        "employee": enc.employee,
        "competency": enc.competency,
        "agency": enc.agency[person],
        "unit": enc.unit[person],
        "required_level": enc.required_level,
        "observed_level": observed,
        "confidence": confidence,
        "gap": gap,
        "priority": priority,
    })
    detail = {
        "required_level": enc.required_level,
        "observed": observed,
        "gap": gap,
        "confidence": confidence,
        "role_n": seen["role_n"],
        "role_mean": seen["role_mean"],
        "role_weight": seen["role_weight"],
        "leniency_correction": seen["leniency_correction"],
        "training_n": enc.training_n,
        "training_level": enc.training_level,
        "training_share": np.round(seen["training_share"], 2),
        # What counted: the level of the latest coaching rating, 0 where none did (weight 0 counts none).
        "coaching_level": enc.coaching_level if params.coaching_weight > 0 else np.zeros_like(enc.coaching_level),
        "parts": parts,
        "signal_code": signal_code,
        "person": person,
        "appraisal_code": appraisal_code(
            results=enc.results, behaviour=enc.behaviour, discipline=enc.discipline,
            quality=enc.quality, innovation=enc.innovation,
        ),
        "survey_priority": enc.survey_priority,
        "ikm": enc.ikm,
        "is_service": enc.is_service,
    }
    return Result(gaps=gaps, raters=raters, detail=detail, timings=stage.finish())


class _Stages:
    """Times consecutive stages and reports each start to ``progress``."""

    def __init__(self, progress):
        self.progress, self.timings, self.current, self.started = progress, {}, None, 0.0

    def __call__(self, name):
        self.finish()
        self.current, self.started = name, perf_counter()
        if self.progress is not None:
            self.progress(name)

    def finish(self):
        if self.current is not None:
            self.timings[self.current] = perf_counter() - self.started
            self.current = None
        return self.timings


def _rater_table(enc, leniency, compared):
    ratings = np.bincount(enc.rater_key, minlength=enc.n_rater_keys)
    keys = np.flatnonzero(ratings)
    return pd.DataFrame({
        "rater": enc.rater_space.ids(keys // 2) if len(keys) else np.zeros(0, dtype=np.int64),
        "self_rating": (keys % 2).astype(bool),
        "ratings": ratings[keys],
        "compared": compared[keys],
        "leniency": leniency[keys],
    })
