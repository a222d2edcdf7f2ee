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
