"""Duty-aware scheduling of training: pure computation (dataclasses in, dataclasses out, no ORM).

``schedule`` (CP-SAT) and ``schedule_greedy`` (the baseline) turn a ``Problem`` — demand, the
working week, units' service patterns and on-duty minimums, people's unavailability, holidays
and closures — into a ``Proposal``; ``check`` verifies any proposal independently and
``figures`` measures it. See docs/scheduling.md.
"""

from .check import Violation, check
from .duty import (
    CLINIC,
    OFFICE,
    SCHOOL,
    SERVICE_COUNTER,
    SERVICE_PATTERNS,
    Absence,
    Person,
    Preference,
    ServicePattern,
    Unit,
    WorkingDay,
    WorkingWeek,
    default_working_week,
    weekdays_from_codes,
)
from .greedy import schedule_greedy
from .metrics import Figures, figures, on_duty_by_day
from .period import PlanningCalendar, build_calendar, national_holidays, ramadan_dates
from .problem import CourseDemand, Format, Meeting, Problem, Proposal, ProposedSession, Reason, Unplaced
from .solver import SolverOptions, schedule

__all__ = [
    "CLINIC", "OFFICE", "SCHOOL", "SERVICE_COUNTER", "SERVICE_PATTERNS", "Absence", "CourseDemand", "Figures",
    "Format", "Meeting", "Person", "PlanningCalendar", "Preference", "Problem", "Proposal", "ProposedSession",
    "Reason", "ServicePattern", "SolverOptions", "Unit", "Unplaced", "Violation", "WorkingDay", "WorkingWeek",
    "build_calendar", "check", "default_working_week", "figures", "national_holidays", "on_duty_by_day",
    "ramadan_dates",
    "schedule", "schedule_greedy", "weekdays_from_codes",
]
