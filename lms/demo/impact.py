"""Last year, for the evaluation report: who trained in which course, how their ratings moved, what it did.

The demo's people exist for this year only. To show what the training of last year changed, the
demo writes last year backwards from this year: a training history of five catalogue courses
(through ``import_training_history``, as an agency would bring it), last year's ratings as this
year's with some levels one lower — more often for the people a course trained, by an amount
planted per course (one course planted at zero) —, last year's appraisals and IKM likewise, then
runs last year's TNA. ``evaluate_training`` then measures each course from those two cycles
exactly as it would for real data, and the recommender uses what it finds.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction

from courses.models import Course, CourseCompetency
from tna.models import Appraisal, CompetencyGap, Cycle, Employee, Rating, UnitSatisfaction
from tna.services.tna_run import run_tna

from ..services.training_history import training_history_import

# Course code → planted effect (levels of the ratings); the last one is planted at zero.
PLANTED = {"komunikasi-efektif": 0.5, "pelayanan-prima": 0.45, "integritas-antikorupsi": 0.35,
           "kerja-kolaboratif": 0.3, "manajemen-waktu": 0.0}
TRAINED_PER_COURSE = 36
COMMON_GROWTH = 0.08  # share of everyone's ratings a level higher this year than last


@dataclass
class ImpactHistory:
    year: int
    trained: int = 0
    courses: int = 0
    ratings: int = 0


def demo_impact_history(*, agency, cycle, seed=2026):
    """Write last year's cycle and training history of ``agency`` unless it has last year's ratings."""
    year = cycle.year - 1
    result = ImpactHistory(year=year)
    if Rating.objects.filter(cycle__year=year, ratee__agency=agency).exists():
        return result
    rng = np.random.default_rng(seed + 1)
    courses = {c.code: c for c in Course.objects.filter(agency=agency, code__in=PLANTED).select_related("provider")}
    if not courses:
        return result
    targets = {}
    for course_id, competency_id in CourseCompetency.objects.filter(course__in=courses.values()).values_list(
            "course_id", "competency_id"):
        targets.setdefault(course_id, []).append(competency_id)
    staff = list(Employee.objects.filter(agency=agency, active=True).order_by("pk").values_list("pk", "nip"))
    order = rng.permutation(len(staff))
    # Three in five of the staff trained last year, in equal parts per course (36 each at 300 staff).
    per_course = min(TRAINED_PER_COURSE, len(staff) * 3 // (5 * len(courses)))
    trained, rows, position = {}, [], 0
    for code in PLANTED:
        course = courses.get(code)
        if course is None:
            continue
        for index in order[position:position + per_course]:
            employee, nip = staff[index]
            trained[employee] = course
            start = datetime.date(year, int(rng.integers(3, 11)), int(rng.integers(1, 25)))
            end = start + datetime.timedelta(days=max(1, course.jp // 8) - 1)
            rows.append([nip, course.code, "", "", "", start.isoformat(), end.isoformat(), "", "", ""])
        position += per_course
        result.courses += 1
    with transaction.atomic():
        previous, _created = Cycle.objects.get_or_create(year=year, defaults={"is_open": False})
        body = io.StringIO()
        writer = csv.writer(body)
        writer.writerow(["nip", "course", "title", "competency", "jp", "start", "end", "provider", "route",
                         "certificate"])
        writer.writerows(rows)
        training_history_import(file=body.getvalue().encode(), filename="riwayat-%s.csv" % year, agency=agency)
        result.trained = len(rows)
        result.ratings = _last_years_evidence(previous, cycle, agency, trained, targets, rng)
    run_tna(cycle=previous, agency=agency)
    return result


def _last_years_evidence(previous, cycle, agency, trained, targets, rng):
    """Last year's ratings, appraisals and IKM of ``agency`` from this year's, moved back as planted."""
    # Per ratee and competency, ``growth`` of the ratings' levels: that share of its ratings one level
    # lower last year (those above 1, drawn at random), so every rater saw the same change.
    cells = {}
    for ratee, rater, role, competency, level in Rating.objects.filter(cycle=cycle, ratee__agency=agency).values_list(
            "ratee_id", "rater_id", "rater_role", "competency_id", "level").order_by("pk").iterator(chunk_size=5000):
        cells.setdefault((ratee, competency), []).append([rater, role, level])
    ratings = []
    for (ratee, competency), rows in cells.items():
        course = trained.get(ratee)
        growth = COMMON_GROWTH
        if course is not None and competency in targets.get(course.pk, ()):
            growth += PLANTED[course.code]
        wanted = growth * len(rows)
        lowered = int(wanted) + (rng.random() < wanted - int(wanted))
        above = [i for i, row in enumerate(rows) if row[2] > 1]
        for i in rng.permutation(above)[:lowered]:
            rows[i][2] -= 1
        ratings += [Rating(cycle=previous, ratee_id=ratee, rater_id=rater, rater_role=role, competency_id=competency,
                           level=level) for rater, role, level in rows]
    Rating.objects.bulk_create(ratings, batch_size=5000)

    appraisals = []
    for employee, results, behaviour in Appraisal.objects.filter(cycle=cycle, employee__agency=agency).values_list(
            "employee_id", "results", "behaviour"):
        if employee in trained and results != "below" and rng.random() < 0.15:
            results = "below"  # some of the trained moved up from "below expectations" since
        appraisals.append(Appraisal(cycle=previous, employee_id=employee, results=results, behaviour=behaviour))
    Appraisal.objects.bulk_create(appraisals, batch_size=5000)

    staff = dict(Employee.objects.filter(agency=agency, active=True).values_list("pk", "unit_id"))
    per_unit, covered = {}, {}
    for employee, unit in staff.items():
        per_unit[unit] = per_unit.get(unit, 0) + 1
        covered[unit] = covered.get(unit, 0) + (employee in trained)
    scores = []
    for unit, score in UnitSatisfaction.objects.filter(cycle=cycle, unit__agency=agency).values_list(
            "unit_id", "score"):
        coverage = covered.get(unit, 0) / max(per_unit.get(unit, 1), 1)
        before = float(score) - 1.0 - 12.0 * coverage + float(rng.normal(0, 0.8))
        scores.append(UnitSatisfaction(cycle=previous, unit_id=unit, score=Decimal("%.2f" % min(max(before, 25), 100))))
    UnitSatisfaction.objects.bulk_create(scores)
    # The gaps of last year come from its own TNA run, below; none may linger from an earlier attempt.
    CompetencyGap.objects.filter(cycle=previous, agency=agency).delete()
    return len(ratings)
