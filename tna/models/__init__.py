"""Models of the tna app, one module per area."""

from .competencies import Competency, CompetencyGroup, CompetencyLevel, RequiredLevel, TopicCategory
from .evidence import (
    Appraisal,
    Cycle,
    ExpectationRating,
    PeerAssignment,
    RaterRole,
    Rating,
    SurveyResponse,
    TrainingMode,
    UnitSatisfaction,
)
from .imports import ImportJob
from .organisation import Agency, Position, Unit
from .people import Employee, EmploymentType
from .results import CompetencyGap, TnaRun
from .talent import AssessmentResult, Assignment, AssignmentRole, TalentMove, TalentPlacement, TalentPolicy

__all__ = [
    "Agency", "Appraisal", "AssessmentResult", "Assignment", "AssignmentRole", "Competency", "CompetencyGap", "CompetencyGroup", "CompetencyLevel", "Cycle",
    "Employee", "EmploymentType", "ExpectationRating", "ImportJob", "PeerAssignment", "Position", "Rating", "RaterRole",
    "RequiredLevel", "SurveyResponse", "TalentMove", "TalentPlacement", "TalentPolicy", "TnaRun", "TopicCategory", "TrainingMode", "Unit", "UnitSatisfaction",
]
