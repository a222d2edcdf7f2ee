"""run_tna reads coaching evidence from a registered provider (tna.hooks): it moves the stored observed level
either way, shows in the stored reason, is not read at weight 0, and a bad provider fails the run clearly."""

import pandas as pd
import pytest
from django.core.checks import run_checks
from django.test import override_settings

from tna import hooks
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RatingFactory,
    RequiredLevelFactory,
    UnitFactory,
)
from tna.models import CompetencyGap, TnaRun
from tna.services.tna_run import run_tna

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    """Ani needs level 3 of two competencies; her supervisor and three peers rate both at 3."""
    cycle = CycleFactory(year=2026)
    agency = AgencyFactory(code="kab-coaching")
    unit = UnitFactory(agency=agency)
    position = PositionFactory(agency=agency)
    competencies = [CompetencyFactory(code="CO.%d" % k) for k in range(2)]
    for competency in competencies:
        RequiredLevelFactory(position=position, competency=competency, level=3)
    boss = EmployeeFactory(agency=agency, unit=unit, position=PositionFactory(agency=agency))
    ani = EmployeeFactory(agency=agency, unit=unit, position=position, supervisor=boss)
    peers = [EmployeeFactory(agency=agency, unit=unit, position=position) for _ in range(3)]
    for competency in competencies:
        RatingFactory(cycle=cycle, ratee=ani, rater=boss, rater_role="supervisor", competency=competency, level=3)
        for peer in peers:
            RatingFactory(cycle=cycle, ratee=ani, rater=peer, rater_role="peer", competency=competency, level=3)
    return {"cycle": cycle, "agency": agency, "ani": ani, "competencies": competencies}


@pytest.fixture
def provider(scene):
    """A coaching provider: Ani's supervisor saw level 1 in the first competency, then level 2."""
    calls = []

    def coaching(cycle, agency):
        calls.append((cycle.year, agency))
        return pd.DataFrame({"employee_id": [scene["ani"].pk] * 2, "competency_id": [scene["competencies"][0].pk] * 2,
                             "level": [1, 2]})

    coaching.calls = calls
    hooks.register_coaching_evidence(coaching)
    yield coaching
    hooks.unregister_coaching_evidence(coaching)


def gap(scene, k):
    return CompetencyGap.objects.get(employee=scene["ani"], competency=scene["competencies"][k])


def test_coaching_lowers_the_stored_level_and_shows_in_the_reason(scene, provider):
    run_tna(cycle=scene["cycle"])
    before = gap(scene, 1)
    coached = gap(scene, 0)
    assert before.observed_level == 3.0 and before.gap == 0 and "coaching" not in before.reason
    # Four ratings of 3 and the latest coaching level 2 at half a rating: (4 x 3 + 0.5 x 2) / 4.5.
    assert coached.observed_level == round(13 / 4.5, 2) and coached.gap == round(3 - 13 / 4.5, 2)
    assert coached.reason["coaching"] == {"level": 2}
    assert provider.calls == [(2026, None)]
    run = TnaRun.objects.get()
    assert run.parameters["coaching_weight"] == 0.5


def test_a_heavier_weight_moves_it_further_and_weight_zero_reads_no_coaching(scene, provider):
    with override_settings(LATIH_COACHING_EVIDENCE_WEIGHT=4.0):
        run_tna(cycle=scene["cycle"])
    assert gap(scene, 0).observed_level == 2.5  # (4 x 3 + 4 x 2) / 8
    with override_settings(LATIH_COACHING_EVIDENCE_WEIGHT=0):
        run_tna(cycle=scene["cycle"])
    off = gap(scene, 0)
    assert off.observed_level == 3.0 and "coaching" not in off.reason
    assert len(provider.calls) == 1  # not even read at weight 0


def test_an_agency_run_asks_the_provider_for_that_agency(scene, provider):
    run_tna(cycle=scene["cycle"], agency=scene["agency"])
    assert provider.calls == [(2026, scene["agency"])]


def test_a_provider_that_returns_the_wrong_columns_fails_the_run_clearly(scene):
    def broken(cycle, agency):
        return pd.DataFrame({"nip": ["1"], "competency_id": [1], "level": [3]})

    hooks.register_coaching_evidence(broken)
    try:
        with pytest.raises(ValueError, match="Coaching-evidence provider .*broken returned no employee_id"):
            run_tna(cycle=scene["cycle"])
    finally:
        hooks.unregister_coaching_evidence(broken)
    assert TnaRun.objects.get().status == TnaRun.Status.FAILED


def test_registering_needs_a_callable_and_happens_once():
    def provider(cycle, agency):
        return None

    with pytest.raises(TypeError):
        hooks.register_coaching_evidence("not callable")
    before = hooks.coaching_evidence_providers()
    hooks.register_coaching_evidence(provider)
    hooks.register_coaching_evidence(provider)
    try:
        assert hooks.coaching_evidence_providers() == (*before, provider)
    finally:
        hooks.unregister_coaching_evidence(provider)
    assert hooks.coaching_evidence_providers() == before


def test_a_negative_weight_is_a_configuration_error():
    with override_settings(LATIH_COACHING_EVIDENCE_WEIGHT=-1):
        assert "tna.E007" in {m.id for m in run_checks()}
    assert "tna.E007" not in {m.id for m in run_checks()}
