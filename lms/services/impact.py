"""Evaluate what a year's training changed, course by course, and keep it for the recommender and the optimiser.

``evaluate_training(year=…)`` reads the levels of the cycles around the training year and who
completed which course (``lms.selectors.impact.did_frame``), estimates each course's effect by
difference in differences with a bootstrap interval (``lms.impact.did_by``), shrinks it toward
what the catalogue promised (``lms.impact.course_effects``) and replaces that year's
``CourseEffect`` rows in one transaction, so a failed run leaves the last good ones in place.
"""

import dataclasses

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Course

from ..conf import settings
from ..impact import course_effects, did_by
from ..models import CourseEffect
from ..selectors.impact import did_frame, evaluation_cycles


@dataclasses.dataclass
class EvaluationSummary:
    """What a run found: courses evaluated, with enough evidence, flagged near zero; rows read."""

    year: int
    courses: int = 0
    enough: int = 0
    near_zero: int = 0
    rows: int = 0
    trained: int = 0
    effects: list = dataclasses.field(default_factory=list)


def evaluate_training(*, year, agency=None, rng=0):
    """Measure and store the effect of every course completed in ``year`` (``agency``'s staff only when given).

    Needs the cycles of ``year`` and ``year + 1`` with TNA results. Returns an ``EvaluationSummary``;
    its ``effects`` are the stored rows, most trained first.
    """
    before, after = evaluation_cycles(year)
    if before is None or after is None:
        raise ValidationError(_(
            "Training of %(year)s is measured between the cycles %(year)s and %(next)s; the cycle %(missing)s "
            "has no results yet.") % {"year": year, "next": year + 1, "missing": year if before is None else year + 1})
    frame = did_frame(year=year, agency=agency)
    if agency is not None:
        own = set(Course.objects.filter(agency=agency).values_list("pk", flat=True))
        frame = frame[frame["course"].isna() | frame["course"].isin(own)]
    summary = EvaluationSummary(year=year, rows=len(frame), trained=int(frame["course"].notna().sum()))
    if not frame["course"].notna().any():
        _replace(year, agency, [])
        return summary

    results = did_by(frame, "course", reps=int(settings.IMPACT_BOOTSTRAP), rng=rng,
                     min_group=int(settings.IMPACT_MIN_GROUP))
    promised = frame[frame["course"].notna()].groupby("course")["prior"].mean()
    results["n"] = results["n_treated"]
    shrunk = course_effects(results[["course", "estimate", "se", "n", "low", "high"]], promised.to_dict(),
                            k=float(settings.IMPACT_PRIOR_STRENGTH), zero_band=float(settings.IMPACT_ZERO_BAND),
                            min_n=int(settings.IMPACT_MIN_GROUP))
    merged = results.drop(columns=["n", "low", "high"]).merge(shrunk, on="course")
    low, high = settings.IMPACT_REALISED_RANGE
    rows = []
    for row in merged.itertuples(index=False):
        # With nothing promised there is nothing to scale: the assumption stands.
        realised = float(np.clip(row.shrunk / row.prior, low, high)) if row.prior >= 0.05 else 1.0
        rows.append(CourseEffect(
            course_id=int(row.course), year=year, estimate=_number(row.raw), low=_number(row.low),
            high=_number(row.high), n_treated=int(row.n_treated), n_control=int(row.n_control),
            enough=bool(row.enough), reason=row.reason or "", prior=float(row.prior), shrunk=float(row.shrunk),
            realised=realised, near_zero=bool(row.near_zero),
        ))
    _replace(year, agency, rows)
    summary.courses = len(rows)
    summary.enough = sum(r.enough for r in rows)
    summary.near_zero = sum(r.near_zero for r in rows)
    summary.effects = sorted(rows, key=lambda r: (-r.n_treated, r.course_id))
    return summary


def _number(value):
    return None if value is None or pd.isna(value) else float(value)


@transaction.atomic
def _replace(year, agency, rows):
    stale = CourseEffect.objects.filter(year=year)
    if agency is not None:
        stale = stale.filter(course__agency=agency)
    stale.delete()
    CourseEffect.objects.bulk_create(rows)
