"""The national 9-box (PermenPANRB 3/2020, docs/domain.md#talent): boxes, their axes and default actions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Performance(models.TextChoices):
    BELOW = "below", _("Below expectations")
    MEETS = "meets", _("Meets expectations")
    ABOVE = "above", _("Above expectations")


class Potential(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


#: (performance, potential) → box number. Box 9 is above/high, box 1 below/low.
BOX = {
    ("below", "low"): 1, ("meets", "low"): 2, ("below", "medium"): 3,
    ("above", "low"): 4, ("meets", "medium"): 5, ("below", "high"): 6,
    ("above", "medium"): 7, ("meets", "high"): 8, ("above", "high"): 9,
}
AXES = {box: axes for axes, box in BOX.items()}
BOXES = range(1, 10)

#: Boxes whose people are developed as future leaders (leadership training and coaching).
LEADERSHIP_BOXES = frozenset({7, 8, 9})


class DevelopmentAction(models.TextChoices):
    """What the agency does for a person in a box (docs/domain.md#talent)."""

    PROMOTE = "promote", _("Promotion")
    SUCCESSION_POOL = "succession_pool", _("Succession pool")
    RETAIN = "retain", _("Retention")
    ROTATION = "rotation", _("Rotation")
    COACHING = "coaching", _("Coaching")
    JOB_ENRICHMENT = "job_enrichment", _("Job enrichment")
    COMPETENCY_DEVELOPMENT = "competency_development", _("Competency development")
    PLACEMENT = "placement", _("Placement that fits")
    COUNSELLING = "counselling", _("Counselling")
    DEVELOPMENT = "development", _("Development")
    DISCIPLINE = "discipline", _("Handled by the discipline rules")
    LEADERSHIP_TRAINING = "leadership_training", _("Leadership training")


A = DevelopmentAction
#: Default actions per box (docs/domain.md#talent); boxes 7–9 also get leadership training.
BOX_ACTIONS = {
    9: [A.PROMOTE, A.SUCCESSION_POOL, A.LEADERSHIP_TRAINING, A.COACHING],
    8: [A.RETAIN, A.SUCCESSION_POOL, A.ROTATION, A.COACHING, A.LEADERSHIP_TRAINING],
    7: [A.SUCCESSION_POOL, A.JOB_ENRICHMENT, A.COMPETENCY_DEVELOPMENT, A.LEADERSHIP_TRAINING, A.COACHING],
    6: [A.PLACEMENT, A.COACHING, A.COUNSELLING],
    5: [A.PLACEMENT, A.COACHING, A.COMPETENCY_DEVELOPMENT],
    4: [A.ROTATION, A.COMPETENCY_DEVELOPMENT],
    3: [A.COACHING, A.COUNSELLING, A.DEVELOPMENT],
    2: [A.COACHING, A.DEVELOPMENT],
    1: [A.DISCIPLINE],
}
del A


def box_actions(box):
    """The development actions of ``box``: ``LATIH_TALENT_BOX_ACTIONS`` where set, else the defaults."""
    from ..conf import settings

    override = settings.TALENT_BOX_ACTIONS.get(box) or settings.TALENT_BOX_ACTIONS.get(str(box))
    return [DevelopmentAction(code) for code in override] if override else list(BOX_ACTIONS[box])


def box_of(performance, potential):
    """The box (1–9) of a performance and a potential category."""
    return BOX[(performance, potential)]
