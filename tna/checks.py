"""System checks for Latih's tna settings."""

from django.conf import settings as site
from django.core.checks import Error, Warning, register
from django.utils.formats import get_format

from .conf import settings
from .formats.en import formats as english_formats
from .formats.id import formats as indonesian_formats

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
    for name in ("TRAINING_EVIDENCE_WEIGHT", "COACHING_EVIDENCE_WEIGHT"):
        weight = getattr(settings, name)
        if not isinstance(weight, int | float) or weight < 0:
            errors.append(Error(
                "LATIH_%s must be a number of zero or more, not %r." % (name, weight),
                hint="0 turns that evidence off (docs/tna-method.md).", id="tna.E007",
            ))
    if settings.MIN_RATERS_PER_ROLE_SHOWN < 3:
        errors.append(Warning(
            "LATIH_MIN_RATERS_PER_ROLE_SHOWN is %d: groups of fewer than three peers or subordinates count "
            "and can be recomputed by the people they rated." % settings.MIN_RATERS_PER_ROLE_SHOWN,
            hint="Keep it at 3 or more (docs/tna-method.md §9).", id="tna.W004",
        ))
    return errors


LATIH_FORMATS = {"id": indonesian_formats, "en": english_formats}
FORMAT_NAMES = ("DATE_FORMAT", "SHORT_DATE_FORMAT", "DATETIME_FORMAT", "SHORT_DATETIME_FORMAT", "TIME_FORMAT",
                "DECIMAL_SEPARATOR", "THOUSAND_SEPARATOR")


@register()
def check_formats(app_configs, **kwargs):
    """Dates and numbers read one way only when the site uses tna's formats and groups thousands."""
    warnings = []
    languages = {code.split("-")[0] for code, _name in site.LANGUAGES} & {"id", "en"}
    for language in sorted(languages):
        ours = LATIH_FORMATS[language]
        different = [name for name in FORMAT_NAMES if get_format(name, language, use_l10n=True) != getattr(ours, name)]
        if different:
            warnings.append(Warning(
                "Dates and numbers in %s are not written Latih's way (%s differ), so pages mix "
                "04-12-2026 with 4 Des 2026." % (language, ", ".join(different)),
                hint='Set FORMAT_MODULE_PATH = ["tna.formats"].', id="tna.W002",
            ))
            break
    if not site.USE_THOUSAND_SEPARATOR:
        warnings.append(Warning(
            "USE_THOUSAND_SEPARATOR is off, so templates show 2986 JP where Latih writes 2.986.",
            hint="Set USE_THOUSAND_SEPARATOR = True.", id="tna.W003",
        ))
    return warnings


@register()
def check_talent(app_configs, **kwargs):
    """The 9-box's thresholds must be ordered and its action table must name known actions."""
    from .talent.boxes import DevelopmentAction

    errors = []
    weights = settings.TALENT_PERFORMANCE_WEIGHTS
    if settings.TALENT_PERFORMANCE_CYCLES < 1 or len(weights) < settings.TALENT_PERFORMANCE_CYCLES or any(
            w <= 0 for w in weights):
        errors.append(Error(
            "LATIH_TALENT_PERFORMANCE_WEIGHTS needs one positive weight per cycle of LATIH_TALENT_PERFORMANCE_CYCLES.",
            id="tna.E004",
        ))
    if not (1 <= settings.TALENT_PERFORMANCE_BELOW < settings.TALENT_PERFORMANCE_ABOVE <= 3
            and 0 <= settings.TALENT_POTENTIAL_HIGH <= settings.TALENT_POTENTIAL_MEDIUM
            and 0 <= settings.TALENT_JPM_MEDIUM <= settings.TALENT_JPM_HIGH <= 100):
        errors.append(Error(
            "The 9-box thresholds are out of order.",
            hint="Need 1 ≤ TALENT_PERFORMANCE_BELOW < TALENT_PERFORMANCE_ABOVE ≤ 3, "
                 "0 ≤ TALENT_POTENTIAL_HIGH ≤ TALENT_POTENTIAL_MEDIUM and 0 ≤ TALENT_JPM_MEDIUM ≤ TALENT_JPM_HIGH ≤ 100.",
            id="tna.E005",
        ))
    for box, actions in settings.TALENT_BOX_ACTIONS.items():
        unknown = set(actions) - set(DevelopmentAction.values)
        if str(box) not in {str(b) for b in range(1, 10)} or unknown:
            errors.append(Error(
                "LATIH_TALENT_BOX_ACTIONS[%r] is not a box 1–9 with known actions (%s)." % (
                    box, ", ".join(sorted(unknown)) or "-"),
                hint="Actions: %s." % ", ".join(DevelopmentAction.values), id="tna.E006",
            ))
    return errors
