"""Models of the lms app: recommendations, enrollments with attendance, the JP ledger, feeds, evaluation."""

from .budget import Envelope, PlanEvent, PlanItem, PlanMethod, PlanParticipant, PlanStatus, TrainingPlan  # noqa: F401, E501
from .development import DevelopmentItem, DevelopmentSource, DevelopmentStatus  # noqa: F401
from .enrollment import Attendance, Enrollment, EnrollmentEvent, EnrollmentStatus, Rsvp
from .evaluation import Evaluation, ReactionAnswer, ReactionQuestion  # noqa: F401
from .follow_up import EvaluationReminder, FollowUp, ReminderKind, Respondent  # noqa: F401
from .impact import CourseEffect
from .ledger import Certificate, CreditSource, JpCredit
from .mentoring import (  # noqa: F401
    CoachingConversation,
    CoachingRating,
    MentoringApplication,
    MentoringPair,
    MentoringProgramme,
    MentoringSession,
    MentorOffer,
    PairFeedback,
)
from .recommendations import Recommendation, RecommendationStatus
from .scheduling import (  # noqa: F401, E501
    AgencyClosure,
    ProposedClass,
    ProposedMeeting,
    ScheduleRun,
    ServiceKind,
    StaffAbsence,
    UnitDuty,
    UnplacedDemand,
)
from .tokens import CalendarToken

__all__ = [
    "Attendance", "CalendarToken", "Certificate", "CourseEffect", "CreditSource", "DevelopmentItem", "Enrollment", "EnrollmentEvent", "EnrollmentStatus",
    "Evaluation", "JpCredit", "Recommendation", "RecommendationStatus", "Rsvp",
]
