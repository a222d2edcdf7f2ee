"""System checks for Latih's tna settings."""

from django.core.checks import Error, Warning, register

from .conf import settings

ROLES = {"self", "supervisor", "peer", "subordinate"}


@register()
def check_rater_weights(app_configs, **kwargs):
    weights = settings.RATER_WEIGHTS
    errors = []
    if set(weights) - ROLES:
        errors.append(Error(
            "LATIH_RATER_WEIGHTS has unknown roles: %s" % ", ".join(sorted(set(weights) - ROLES)),
            hint="Use only self, supervisor, peer and subordinate.", id="tna.E001",
        ))
    if any(w < 0 for w in weights.values()) or not any(w > 0 for w in weights.values()):
        errors.append(Error("LATIH_RATER_WEIGHTS must be non-negative with at least one positive weight.", id="tna.E002"))
    if settings.JP_MINUTES <= 0:
        errors.append(Error("LATIH_JP_MINUTES must be positive.", id="tna.E003"))
    if not 0 <= settings.MIN_ON_DUTY_SHARE <= 1:
        errors.append(Warning("LATIH_MIN_ON_DUTY_SHARE should be between 0 and 1.", id="tna.W001"))
    return errors
