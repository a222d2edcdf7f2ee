"""Synthetic two-cycle evidence with planted course effects, for the impact benchmark and tests.

Reproducible by seed. Every employee is observed on a few competencies in two cycles; between
them some take a course that targets one of those competencies. Levels move for reasons other
than training, as they do in real ratings, so a naive trained-minus-untrained comparison is
wrong and the strata have work to do: a common trend, a trend per agency, and regression to
the mean (people observed low rise, people observed high fall back). Staff observed low are
sent to training more often, which is what makes the naive comparison biased.
"""

import numpy as np
import pandas as pd

# Mean change of observed level per baseline band (DEFAULT_BANDS): regression to the mean.
BAND_TREND = (0.45, 0.2, 0.0, -0.2)
EFFECT_CHOICES = (0.0, 0.2, 0.4, 0.6)


def synthetic_did(*, rows: int = 20_000, courses: int = 200, competencies: int = 20, per_employee: int = 4,
                  agencies: int = 5, job_types: int = 4, trained_share: float = 0.2, effects=None,
                  noise: float = 0.4, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """``rows`` employee × competency rows and the true effect of each course.

    Returns ``(frame, effects)``. ``frame`` has ``employee``, ``competency`` (``K01`` …),
    ``agency``, ``job_type``, ``before``, ``after`` (levels; ``after`` is not clipped to 1–5 so
    the planted effect stays exact) and ``course`` (``C001`` …, None when untrained) — the input
    of ``did_by``. Course i targets competency i mod ``competencies``. ``effects``: levels each
    course adds, a Series indexed by course code (default: drawn from 0, 0.2, 0.4 and 0.6, the
    first course 0: a useless course).
    """
    rng = np.random.default_rng(seed)
    course_codes = np.array(["C%03d" % (i + 1) for i in range(courses)], dtype=object)
    if effects is None:
        planted = rng.choice(EFFECT_CHOICES, size=courses)
        planted[0] = 0.0
        effects = pd.Series(planted, index=course_codes, name="effect")
    effects = pd.Series(effects, dtype=float).reindex(course_codes).fillna(0.0)

    employees = -(-rows // per_employee)
    employee = np.repeat(np.arange(employees), per_employee)[:rows]
    # per_employee distinct competencies each: a random offset and consecutive codes.
    first = rng.integers(0, competencies, size=employees)
    competency = (first[employee] + np.tile(np.arange(per_employee), employees)[:rows]) % competencies
    agency = rng.integers(0, agencies, size=employees)[employee]
    job_type = rng.integers(0, job_types, size=employees)[employee]
    agency_shift = rng.normal(0, 0.25, size=agencies)
    agency_trend = rng.normal(0, 0.15, size=agencies)
    before = np.clip(rng.normal(2.9 + agency_shift[agency], 0.8), 1.0, 5.0)

    # Staff observed low are sent more often: odds halve with each level above 1.
    propensity = np.exp(-0.7 * (before - 1))
    trained = rng.random(rows) < np.clip(propensity * trained_share / propensity.mean(), 0, 1)
    # Among the courses targeting the competency, one at random.
    per_competency = -(-courses // competencies)
    pick = competency + competencies * rng.integers(0, per_competency, size=rows)
    pick = np.where(pick < courses, pick, competency)
    course = course_codes[pick]
    course[~trained] = None

    band = np.searchsorted((1.5, 2.5, 3.5), before, side="right")
    change = 0.1 + agency_trend[agency] + np.asarray(BAND_TREND)[band] + rng.normal(0, noise, size=rows)
    change += np.where(trained, effects.to_numpy()[pick], 0.0)
    frame = pd.DataFrame({
        "employee": employee, "competency": np.array(["K%02d" % (c + 1) for c in range(competencies)])[competency],
        "agency": np.array(["A%d" % (a + 1) for a in range(agencies)])[agency], "job_type": job_type,
        "before": before, "after": before + change, "course": course,
    })
    return frame, effects
