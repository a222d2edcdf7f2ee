"""Did the training work? A year's courses measured against comparable untrained staff, and what the recommender makes of it."""

import datetime
import io
import json

import numpy as np
import pandas as pd
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from courses.factories import CourseFactory
from lms.explain import explain_recommendation
from lms.impact import rated_level
from lms.models import CourseEffect, JpCredit
from lms.models.ledger import CreditedCompetency
from lms.recommend import reason_payloads, recommend
from lms.services.impact import evaluate_training
from tna.factories import CompetencyFactory, CycleFactory, EmployeeFactory, PositionFactory
from tna.models import CompetencyGap

YEAR = 2025


def _gap(cycle, person, competency, observed, *, training_level=None, training_weight=None):
    return CompetencyGap(
        cycle=cycle, employee=person, agency_id=person.agency_id, unit_id=person.unit_id, competency=competency,
        required_level=3, observed_level=observed, gap=max(3 - observed, 0), priority=50, confidence=0.8,
        training_level=training_level, training_weight=training_weight,
    )


def _credit(person, course, competency, *, level=3, source="latih"):
    credit = JpCredit.objects.create(
        employee=person, course=course, source=source, year=YEAR, jp=16, title=course.title if course else "Bimtek",
        competency_type="technical", route="KL10", provider="BKPSDM", start_date=datetime.date(YEAR, 5, 5),
        end_date=datetime.date(YEAR, 5, 7))
    CreditedCompetency.objects.create(credit=credit, competency=competency, level=level)
    return credit


@pytest.fixture
def scene(agency, unit):
    """30 staff trained by one course in 2025 (+0.5 levels by 2026) and 30 alike untrained (+0.1)."""
    rng = np.random.default_rng(7)
    before_cycle, after_cycle = CycleFactory(year=YEAR), CycleFactory(year=YEAR + 1)
    position = PositionFactory(agency=agency, code="pranata-komputer", job_type="ahli_pertama")
    competency = CompetencyFactory(code="TK.01", name="Literasi Digital")
    course = CourseFactory(agency=agency, code="excel-lanjut", title="Excel Lanjutan", competencies=[(competency, 3)])
    gaps, trained, untrained = [], [], []
    for n in range(60):
        person = EmployeeFactory(agency=agency, unit=unit, position=position)
        before = float(rng.uniform(1.6, 2.4))
        if n < 30:
            trained.append(person)
            rated_after = before + 0.5 + rng.normal(0, 0.1)
            # The TNA of 2026 blends the course's own credit into what it shows (a quarter at level 3).
            observed_after = 0.75 * rated_after + 0.25 * 3
            gaps.append(_gap(after_cycle, person, competency, observed_after, training_level=3, training_weight=0.25))
            _credit(person, course, competency)
        else:
            untrained.append(person)
            gaps.append(_gap(after_cycle, person, competency, before + 0.1 + rng.normal(0, 0.1)))
        gaps.append(_gap(before_cycle, person, competency, before))
    CompetencyGap.objects.bulk_create(gaps)
    return {"course": course, "competency": competency, "trained": trained, "untrained": untrained,
            "position": position, "after": after_cycle}


def test_the_ratings_are_read_without_the_courses_own_credit():
    observed = np.array([2.0, 2.45, 3.5, 3.0, np.nan])
    level = np.array([np.nan, 3.0, 3.0, 3.0, 3.0])
    share = np.array([np.nan, 0.25, 0.25, 1.0, 0.5])
    rated = rated_level(observed, level, share)
    assert rated[0] == 2.0                      # no training counted
    assert rated[1] == pytest.approx(2.2667, abs=1e-3)  # 0.75 · r + 0.25 · 3 = 2.45
    assert rated[2] == 3.5                      # ratings above the course's level: untouched
    assert np.isnan(rated[3]) and np.isnan(rated[4])  # training alone; no evidence


def test_a_years_course_is_measured_against_comparable_untrained_staff(scene):
    summary = evaluate_training(year=YEAR)
    effect = CourseEffect.objects.get(course=scene["course"], year=YEAR)
    assert summary.courses == 1 and summary.enough == 1
    assert (effect.n_treated, effect.n_control) == (30, 30) and effect.enough
    # Planted: +0.5 for the trained against +0.1 for the rest, with the course's credit taken out.
    assert effect.estimate == pytest.approx(0.4, abs=0.07)
    assert effect.low < 0.4 < effect.high and effect.low > 0
    # The catalogue promised about one level (3 − ~2.0); 30 participants against a prior worth 20.
    assert effect.prior == pytest.approx(1.0, abs=0.15)
    weight = 30 / (30 + 20)  # LATIH_IMPACT_PRIOR_STRENGTH
    assert effect.estimate < effect.shrunk < effect.prior
    assert effect.shrunk == pytest.approx(weight * effect.estimate + (1 - weight) * effect.prior, abs=1e-6)
    assert effect.realised == pytest.approx(effect.shrunk / effect.prior)
    assert not effect.near_zero


def test_training_outside_the_catalogue_is_neither_trained_nor_a_control(scene):
    outsider = scene["untrained"][0]
    _credit(outsider, None, scene["competency"], source="import")
    evaluate_training(year=YEAR)
    effect = CourseEffect.objects.get(course=scene["course"])
    assert (effect.n_treated, effect.n_control) == (30, 29)


def test_a_rerun_replaces_the_year_and_a_failed_one_keeps_it(scene):
    evaluate_training(year=YEAR)
    first = CourseEffect.objects.get().estimate
    evaluate_training(year=YEAR)
    assert CourseEffect.objects.count() == 1 and CourseEffect.objects.get().estimate == pytest.approx(first)
    with pytest.raises(ValidationError, match="the cycle 2027 has no results yet"):
        evaluate_training(year=YEAR + 1)
    assert CourseEffect.objects.count() == 1


def test_few_participants_say_not_enough_evidence_and_barely_move_from_the_promise(scene):
    JpCredit.objects.filter(employee__in=scene["trained"][4:]).delete()  # 26 more untrained
    evaluate_training(year=YEAR)
    effect = CourseEffect.objects.get()
    assert effect.n_treated == 4 and not effect.enough and effect.reason == "too_few_treated"
    assert abs(effect.shrunk - effect.prior) < abs(effect.shrunk - effect.estimate)

    out = io.StringIO()
    with translation.override("en"):
        call_command("evaluate_training", year=YEAR, stdout=out)
    assert "excel-lanjut: not enough evidence (4 trained, 56 untrained)" in out.getvalue()


def test_the_command_prints_each_course_as_json(scene):
    out = io.StringIO()
    call_command("evaluate_training", year=YEAR, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["year"] == YEAR and data["courses"] == 1 and data["enough"] == 1
    (row,) = data["effects"]
    assert row["course"] == "excel-lanjut" and row["n_treated"] == 30 and row["n_control"] == 30
    assert row["low"] < row["estimate"] < row["high"] and row["enough"] is True and row["reason"] is None


def test_the_command_output_is_indonesian_by_default(scene):
    out = io.StringIO()
    with translation.override("id"):
        call_command("evaluate_training", year=YEAR, stdout=out)
    assert "Pelatihan tahun 2025: 1 pelatihan diukur" in out.getvalue()


GAPS = pd.DataFrame({"employee_id": [1, 1], "competency_id": [10, 11], "required": [3, 3], "observed": [2.0, 2.0],
                     "gap": [1.0, 1.0], "priority": [80.0, 80.0]})


def _courses(realised):
    return pd.DataFrame({"course_id": [100, 200], "competency_id": [10, 11], "level": [3, 3], "jp": [16, 16],
                         "cost": [1_000_000, 1_000_000], "mode": ["classroom", "classroom"],
                         "realised": realised})


def test_a_course_that_delivered_half_its_promise_is_expected_to_close_half():
    result = recommend(GAPS, _courses([0.5, np.nan]))
    closure = dict(zip(result.ranked["course_id"], result.ranked["expected_closure"], strict=True))
    assert closure == {100: pytest.approx(0.5), 200: pytest.approx(1.0)}  # 200 never measured: as promised
    ranked = list(result.ranked.sort_values("rank")["course_id"])
    assert ranked[0] == 200  # the same money closes more with the course that works as promised


def test_a_course_measured_to_do_nothing_is_not_recommended_for_the_gap():
    result = recommend(GAPS, _courses([0.0, 1.0]))
    assert list(result.ranked["course_id"]) == [200]


def test_the_reason_says_what_earlier_participants_gained():
    result = recommend(GAPS, _courses([0.5, 1.0]))
    texts = reason_payloads(result, codes={10: "TK.01", 11: "TK.02"}, effects={100: (0.4, 38)})
    reasons = {course: json.loads(text) for course, text in zip(result.ranked["course_id"], texts, strict=True)}
    assert reasons[100]["course"]["effect"] == {"levels": 0.4, "n": 38} and "effect" not in reasons[200]["course"]
    with translation.override("id"):
        sentences = explain_recommendation(reasons[100], mode="classroom", names={10: "Literasi Digital"})
    assert "Rata-rata pelatihan ini menaikkan level pesertanya 0,4 (n = 38)." in " ".join(sentences)
    assert "Karena itu pelatihan ini diperkirakan menutup 0,5 dari 1,0 level yang kurang." in " ".join(sentences)


def test_evaluate_with_a_cycle_is_the_designs_name_for_the_same_measurement(scene):
    out = io.StringIO()
    call_command("evaluate", "--cycle", str(YEAR), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["year"] == YEAR and data["effects"][0]["course"] == "excel-lanjut"
