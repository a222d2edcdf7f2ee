"""App settings: defaults, overrides, and the system checks that guard them."""

from django.core.checks import run_checks
from django.test import override_settings

from tna.conf import DEFAULTS, settings


def test_defaults_apply_without_django_settings():
    assert settings.JP_MINUTES == DEFAULTS["JP_MINUTES"] == 45
    assert settings.JP_MINIMUM_PER_YEAR == 20


def test_a_latih_setting_overrides_the_default():
    with override_settings(LATIH_JP_MINUTES=60):
        assert settings.JP_MINUTES == 60
    assert settings.JP_MINUTES == 45


def test_unknown_rater_role_is_a_configuration_error():
    with override_settings(LATIH_RATER_WEIGHTS={"boss": 1.0}):
        ids = {m.id for m in run_checks()}
    assert "tna.E001" in ids


def test_all_zero_weights_are_refused():
    with override_settings(LATIH_RATER_WEIGHTS={"self": 0, "peer": 0}):
        ids = {m.id for m in run_checks()}
    assert "tna.E002" in ids


def test_default_configuration_passes_the_checks():
    assert not [m for m in run_checks() if m.id.startswith("tna.")]


def test_talent_thresholds_out_of_order_are_a_configuration_error():
    with override_settings(LATIH_TALENT_PERFORMANCE_BELOW=2.6):
        ids = {m.id for m in run_checks()}
    assert "tna.E005" in ids


def test_an_unknown_action_in_the_box_table_is_refused_and_a_known_one_replaces_the_default():
    from tna.talent.boxes import DevelopmentAction, box_actions

    with override_settings(LATIH_TALENT_BOX_ACTIONS={1: ["fire"]}):
        assert "tna.E006" in {m.id for m in run_checks()}
    with override_settings(LATIH_TALENT_BOX_ACTIONS={"1": ["counselling"]}):
        assert box_actions(1) == [DevelopmentAction.COUNSELLING]
        assert DevelopmentAction.PROMOTE in box_actions(9)
