"""The tunable numbers of the gap analysis, validated once and passed in explicitly."""

from dataclasses import dataclass, field
from types import MappingProxyType

# Rater roles in the order every per-role array uses.
ROLES = ("supervisor", "peer", "subordinate", "self")
SUPERVISOR, PEER, SUBORDINATE, SELF = range(4)

PRIORITY_PARTS = ("gap", "weight", "appraisal", "survey", "ikm")

# Lowest IKM score the national survey can give (the scale runs 25-100).
IKM_FLOOR = 25.0


class ParameterError(ValueError):
    """A parameter of the analysis is out of range."""


def _frozen(mapping):
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Parameters:
    """Everything the analysis may be tuned with (docs/tna-method.md explains each one).

    The adapter fills it from ``tna.conf.settings``; tests build it directly.
    """

    rater_weights: MappingProxyType = field(
        default_factory=lambda: _frozen({"supervisor": 0.4, "peer": 0.25, "subordinate": 0.2, "self": 0.15})
    )
    leniency_shrinkage: float = 5.0
    leniency_iterations: int = 3
    training_weight: float = 0.5
    # Pseudo-ratings one supervisor's coaching rating counts for (0 turns coaching evidence off).
    coaching_weight: float = 0.5
    confidence_raters: float = 2.0
    confidence_no_supervisor: float = 0.8
    low_confidence: float = 0.4
    ikm_threshold: float = 76.61
    priority_points: MappingProxyType = field(
        default_factory=lambda: _frozen({"gap": 50, "weight": 10, "appraisal": 15, "survey": 15, "ikm": 10})
    )
    # A gap this large (in levels) earns all the gap points.
    gap_saturation: float = 2.0
    # The other priority parts count in full from this gap on and proportionally below it.
    gap_presence: float = 0.5
    # The smallest group of raters whose ratings stay anonymous (tna.analysis.anonymity); 1 turns
    # pooling off, which only tests of the weighting arithmetic do (tna.checks warns below 3).
    anonymity_minimum: int = 3

    def __post_init__(self):
        object.__setattr__(self, "rater_weights", _frozen(self.rater_weights))
        object.__setattr__(self, "priority_points", _frozen(self.priority_points))
        unknown = set(self.rater_weights) - set(ROLES)
        if unknown:
            raise ParameterError("Unknown rater roles in the weights: %s." % ", ".join(sorted(unknown)))
        if any(w < 0 for w in self.rater_weights.values()) or not any(w > 0 for w in self.rater_weights.values()):
            raise ParameterError("Rater weights must be non-negative with at least one positive weight.")
        if self.leniency_shrinkage < 0:
            raise ParameterError("Leniency shrinkage must be zero or more.")
        if not 1 <= self.leniency_iterations <= 20:
            raise ParameterError("Leniency iterations must be between 1 and 20.")
        if self.training_weight < 0:
            raise ParameterError("The training evidence weight must be zero or more.")
        if self.coaching_weight < 0:
            raise ParameterError("The coaching evidence weight must be zero or more.")
        if self.confidence_raters <= 0:
            raise ParameterError("The confidence rater constant must be positive.")
        if not 0 <= self.confidence_no_supervisor <= 1 or not 0 <= self.low_confidence <= 1:
            raise ParameterError("Confidence factors and thresholds must be between 0 and 1.")
        if not IKM_FLOOR < self.ikm_threshold <= 100:
            raise ParameterError("The IKM threshold must be above 25 and at most 100.")
        unknown = set(self.priority_points) - set(PRIORITY_PARTS)
        if unknown:
            raise ParameterError("Unknown priority parts: %s." % ", ".join(sorted(unknown)))
        points = [self.priority_points.get(p, 0) for p in PRIORITY_PARTS]
        if any(p < 0 for p in points) or sum(points) > 100:
            raise ParameterError("Priority points must be non-negative and add up to at most 100.")
        if self.gap_saturation <= 0 or self.gap_presence <= 0:
            raise ParameterError("Gap saturation and gap presence must be positive.")
        if self.anonymity_minimum < 1:
            raise ParameterError("The anonymity minimum must be at least 1 rater.")

    def role_weights(self):
        """The rater weights as a list in ``ROLES`` order (missing roles weigh 0)."""
        return [float(self.rater_weights.get(role, 0)) for role in ROLES]

    def points(self, part):
        return float(self.priority_points.get(part, 0))

    def as_dict(self):
        """A JSON-ready copy, stored on each TnaRun so a result can be traced to its settings."""
        return {
            "rater_weights": dict(self.rater_weights),
            "leniency_shrinkage": self.leniency_shrinkage,
            "leniency_iterations": self.leniency_iterations,
            "training_weight": self.training_weight,
            "coaching_weight": self.coaching_weight,
            "confidence_raters": self.confidence_raters,
            "confidence_no_supervisor": self.confidence_no_supervisor,
            "low_confidence": self.low_confidence,
            "ikm_threshold": self.ikm_threshold,
            "priority_points": dict(self.priority_points),
            "gap_saturation": self.gap_saturation,
            "gap_presence": self.gap_presence,
            "anonymity_minimum": self.anonymity_minimum,
        }
