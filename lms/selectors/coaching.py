"""Reads for coaching: a supervisor's direct reports and the conversations they recorded, what a person
received, the competencies a conversation can rate with the latest TNA beside them, coaching JP."""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from tna.models import Competency, CompetencyGap, Employee, RequiredLevel
from tna.selectors import current_cycle

from ..models.ledger import CreditSource, JpCredit
from ..models.mentoring import CoachingConversation, CoachingRating

RATINGS = Prefetch("ratings", queryset=CoachingRating.objects.select_related("competency")
                   .order_by("competency__sort_order", "competency__code"))


def agency_today(agency):
    """Today in ``agency``'s time zone: the day coaching dates are judged against."""
    return timezone.localdate(timezone=ZoneInfo(agency.time_zone))


def direct_reports(coach, *, year):
    """``coach``'s active direct reports by name, each with ``coaching_last`` (the latest conversation
    they received, from anyone) and ``coaching_count`` (conversations received in ``year``)."""
    return (
        Employee.objects.filter(supervisor=coach, active=True).select_related("position", "unit")
        .annotate(coaching_last=Max("coaching_received__held_on"),
                  coaching_count=Count("coaching_received", filter=Q(coaching_received__held_on__year=year)))
        .order_by("name", "pk")
    )


def conversations_given(coach):
    """The conversations ``coach`` recorded, newest first, with the person and the levels given."""
    return (CoachingConversation.objects.filter(coach=coach).select_related("employee")
            .prefetch_related(RATINGS).order_by("-held_on", "-pk"))


def conversations_received(employee):
    """The conversations ``employee`` received, newest first, with the coach and the levels given."""
    return (CoachingConversation.objects.filter(employee=employee).select_related("coach")
            .prefetch_related(RATINGS).order_by("-held_on", "-pk"))


def coaching_credits(employee):
    """The person's coaching JP credits (one per year), newest year first."""
    return JpCredit.objects.filter(employee=employee, source=CreditSource.COACHING).order_by("-year")


def required_competencies(employee):
    """The active competencies ``employee``'s position requires, in dictionary order: the ones coaching rates."""
    return Competency.objects.filter(
        active=True, required_levels__position_id=employee.position_id,
    ).order_by("sort_order", "code")


@dataclass
class CoachingCompetency:
    """A competency the form offers: the level the position requires, and the latest TNA's observed level
    and gap (None without a result)."""

    competency: Competency
    required: int
    observed: float | None
    gap: float | None


def coaching_competencies(employee):
    """(cycle, [CoachingCompetency]): the position's competencies with the person's latest TNA result;
    cycle is None when the person has no result yet."""
    required = (RequiredLevel.objects.filter(position_id=employee.position_id, competency__active=True)
                .select_related("competency").order_by("competency__sort_order", "competency__code"))
    cycle = current_cycle(CompetencyGap.objects.filter(employee=employee))
    gaps = {}
    if cycle is not None:
        gaps = {g.competency_id: g for g in CompetencyGap.objects.filter(cycle=cycle, employee=employee)
                .only("competency_id", "observed_level", "gap")}
    rows = []
    for standard in required:
        gap = gaps.get(standard.competency_id)
        rows.append(CoachingCompetency(
            competency=standard.competency, required=standard.level,
            observed=gap.observed_level if gap else None, gap=gap.gap if gap and gap.observed_level is not None else None,
        ))
    return cycle, rows
