"""Reads for the role homes: what an ASN, a supervisor, a training admin and a planner have waiting.

Every function runs a fixed number of queries, whatever the size of the agency: counts are
aggregates, and only the few rows a home lists are loaded. ``agency=None`` means every agency
(a superuser's view).
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import Meeting, Session, SessionStatus

from ..conf import settings
from ..models import Attendance, Enrollment, EnrollmentStatus, Envelope, PlanItem, PlanStatus, TrainingPlan
from ..models.follow_up import Respondent
from ..services.attendance import HELD
from .delivery import ATTENDING
from .enrollments import approval_warnings, pending_approvals, with_waitlist_position
from .evaluation import follow_ups_due

S = EnrollmentStatus


def week_span(tz, now=None):
    """(Monday 00:00, the next Monday 00:00) of the week holding ``now``, in the zone ``tz``."""
    today = timezone.localtime(now or timezone.now(), tz).date()
    monday = today - datetime.timedelta(days=today.weekday())
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=tz)
    return start, start + datetime.timedelta(days=7)


def _of_agency(queryset, agency, field):
    return queryset if agency is None else queryset.filter(**{field: agency})


# --- the ASN -------------------------------------------------------------------------------------

def my_meetings_this_week(employee, now=None):
    """The person's meetings still to come this week (their agency's week) in sessions where they hold
    a seat, soonest first, each with ``enrollment_id`` (the seat it belongs to)."""
    now = now or timezone.now()
    _start, end = week_span(ZoneInfo(employee.agency.time_zone), now)
    seat = Enrollment.objects.filter(employee=employee, status=S.ENROLLED, session=OuterRef("session"))
    return list(
        Meeting.objects.filter(Exists(seat), cancelled=False, ends_at__gte=now, starts_at__lt=end)
        .exclude(session__status=SessionStatus.CANCELLED)
        .annotate(enrollment_id=Subquery(seat.values("pk")[:1]))
        .select_related("session__course__agency").order_by("starts_at", "pk")
    )


def my_open_requests(employee, now=None):
    """The person's requests still waiting for a decision or a seat (sessions not ended), oldest first,
    with ``waitlist_position`` on waitlisted ones."""
    now = now or timezone.now()
    return list(
        with_waitlist_position(
            Enrollment.objects.filter(employee=employee, status__in=[S.REQUESTED, S.WAITLISTED])
            .filter(Q(session__ends_at__isnull=True) | Q(session__ends_at__gte=now))
        ).select_related("session__course__agency").order_by("requested_at", "pk")
    )


def my_follow_ups(employee, now=None):
    """The person's own follow-ups open and unanswered, oldest completion first."""
    return list(
        follow_ups_due(Respondent.LEARNER, now).filter(employee=employee)
        .select_related("session__course__agency").order_by("completed_at", "pk")
    )


# --- the supervisor ------------------------------------------------------------------------------

@dataclass
class ApprovalsWaiting:
    """Requests ``user`` may decide: how many, the oldest few, and those of the oldest ``checked`` that
    clash with other training or leave a unit short on duty (the approval page's own warnings)."""

    count: int
    oldest: list = field(default_factory=list)
    flagged: list = field(default_factory=list)  # [(enrollment, ApprovalWarnings)]
    checked: int = 0

    @property
    def checked_all(self):
        return self.checked >= self.count


def approvals_waiting(user, *, shown=3, checked=100):
    """``ApprovalsWaiting`` of ``user``; the warnings are those ``approval_warnings`` gives the approval
    page, computed for the ``checked`` oldest requests."""
    pending = pending_approvals(user)
    count = pending.count()
    if not count:
        return ApprovalsWaiting(count=0)
    oldest = list(pending[:checked])
    warnings = approval_warnings(oldest)
    flagged = [(e, warnings[e.pk]) for e in oldest if warnings.get(e.pk)]
    return ApprovalsWaiting(count=count, oldest=oldest[:shown], flagged=flagged, checked=len(oldest))


def team_follow_ups(supervisor, now=None, *, limit=6):
    """(count, the first ``limit``): follow-ups open for ``supervisor`` about their direct reports."""
    due = follow_ups_due(Respondent.SUPERVISOR, now).filter(employee__supervisor=supervisor)
    listed = list(due.select_related("employee", "session__course__agency").order_by("completed_at", "pk")[:limit])
    return (len(listed) if len(listed) < limit else due.count()), listed


# --- the training admin --------------------------------------------------------------------------

def sessions_to_deliver(agency, tz, now=None, *, limit=8):
    """(count, sessions): sessions of ``agency`` (not cancelled or postponed) meeting this week in ``tz``,
    the first ``limit`` by start, with ``participants`` (seats held) and ``week_meetings``."""
    start, end = week_span(tz, now)
    this_week = Q(meetings__cancelled=False, meetings__starts_at__gte=start, meetings__starts_at__lt=end)
    sessions = (
        _of_agency(Session.objects.all(), agency, "course__agency")
        .filter(status__in=HELD)
        .filter(Exists(Meeting.objects.filter(session=OuterRef("pk"), cancelled=False, starts_at__gte=start,
                                              starts_at__lt=end)))
    )
    count = sessions.count()
    seats = (
        Enrollment.objects.filter(session=OuterRef("pk"), status__in=[S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED])
        .order_by().values("session").annotate(n=Count("pk")).values("n")
    )
    listed = (
        sessions.annotate(week_meetings=Count("meetings", filter=this_week),
                          participants=Coalesce(Subquery(seats, output_field=IntegerField()), 0))
        .select_related("course__agency").order_by("starts_at", "pk")[:limit]
    )
    return count, list(listed)


def _by_session(rows, limit):
    """(total of ``n``, number of sessions, the first ``limit`` sessions with ``n`` set) from grouped rows."""
    rows = list(rows)
    sessions = Session.objects.select_related("course__agency").in_bulk([r["session"] for r in rows[:limit]])
    listed = []
    for row in rows[:limit]:
        session = sessions[row["session"]]
        session.n = row["n"]
        listed.append(session)
    return sum(r["n"] for r in rows), len(rows), listed


def attendance_missing(agency, now=None, *, limit=5):
    """(meetings, sessions, listed): meetings of ``agency`` held by ``now`` (not cancelled, in a session
    that is held) at which some participant holding a seat has no attendance recorded, grouped by
    session, the oldest first; ``listed`` are the first ``limit`` sessions with ``n`` meetings."""
    now = now or timezone.now()
    unmarked = Enrollment.objects.filter(session=OuterRef("session"), status=S.ENROLLED).filter(
        ~Exists(Attendance.objects.filter(enrollment=OuterRef("pk"), meeting=OuterRef(OuterRef("pk"))))
    )
    rows = (
        _of_agency(Meeting.objects.all(), agency, "session__course__agency")
        .filter(cancelled=False, starts_at__lte=now, session__status__in=HELD)
        .filter(Exists(unmarked))
        .order_by().values("session").annotate(n=Count("pk"), first=Min("starts_at")).order_by("first", "session")
    )
    return _by_session(rows, limit)


def completions_ready(agency, now=None, *, limit=5):
    """(people, sessions, listed): participants of ``agency``'s sessions who meet the completion rules
    (the last meeting has begun, attendance share, post-test) but are not completed yet, so their JP
    and certificate wait; grouped by session like ``attendance_missing``."""
    now = now or timezone.now()
    active = Meeting.objects.filter(session=OuterRef("session"), cancelled=False)
    meetings = Subquery(active.order_by().values("session").annotate(n=Count("pk")).values("n"),
                        output_field=IntegerField())
    attended = Subquery(
        Attendance.objects.filter(enrollment=OuterRef("pk"), status=Attendance.Status.PRESENT, meeting__cancelled=False)
        .order_by().values("enrollment").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )
    minimum = settings.COMPLETION_ATTENDANCE - 1e-9
    rows = (
        _of_agency(Enrollment.objects.all(), agency, "session__course__agency")
        .filter(status__in=ATTENDING, session__status__in=HELD, session__starts_at__lte=now)
        .filter(Exists(active), ~Exists(active.filter(starts_at__gt=now)))
        .filter(Q(session__course__has_post_test=False) | Q(post_test_score__gte=settings.POST_TEST_PASS))
        .alias(meetings=meetings, attended=Coalesce(attended, 0))
        .alias(share=ExpressionWrapper(F("attended") * 1.0 / F("meetings"), output_field=FloatField()))
        .filter(share__gte=minimum)
        .order_by().values("session").annotate(n=Count("pk"), first=Min("session__starts_at"))
        .order_by("first", "session")
    )
    return _by_session(rows, limit)


# --- the planner ---------------------------------------------------------------------------------

def plans_waiting(agency):
    """Training plans of ``agency`` submitted for approval, the longest waiting first."""
    plans = TrainingPlan.objects.filter(status=PlanStatus.SUBMITTED).select_related("agency", "submitted_by__employee")
    return list(_of_agency(plans, agency, "agency").order_by("submitted_at", "pk"))


@dataclass
class BudgetUse:
    """Money of one fiscal year: the envelopes, the approved plan(s), and what enrollments have
    committed (seats held or completed) and spent (completed), as ``planned_vs_spent`` counts them."""

    year: int
    envelopes: int
    planned: int | None  # None when no plan is approved yet
    committed: int
    spent: int
    approved_plan: TrainingPlan | None = None

    @property
    def committed_share(self):
        """Committed as a share of the envelopes (None without envelopes)."""
        return self.committed / self.envelopes if self.envelopes else None


def budget_use(agency, year):
    """``BudgetUse`` of ``agency`` (every agency when None) in fiscal ``year``, in five queries.

    Committed and spent are each enrollment of the agency's staff in a session starting in the
    year at the course's cost per participant, plus the course's fixed cost once per session.
    """
    envelopes = _of_agency(Envelope.objects.filter(fiscal_year=year), agency, "agency").aggregate(
        total=Sum("amount"))["total"] or 0
    approved = _of_agency(TrainingPlan.objects.filter(fiscal_year=year, status=PlanStatus.APPROVED), agency, "agency")
    approved_plan = approved.order_by("-approved_at").first()
    planned = None
    if approved_plan is not None:
        planned = PlanItem.objects.filter(plan__in=approved).aggregate(total=Sum("budget"))["total"] or 0
    paid = [S.ENROLLED, S.COMPLETED]
    seats = _of_agency(Enrollment.objects.filter(session__starts_at__year=year, status__in=paid), agency,
                       "employee__agency")
    per_person = seats.aggregate(
        committed=Sum("session__course__cost_per_participant"),
        spent=Sum("session__course__cost_per_participant", filter=Q(status=S.COMPLETED)),
    )
    fixed = (
        Session.objects.filter(starts_at__year=year)
        .alias(held=Exists(seats.filter(session=OuterRef("pk"))),
               done=Exists(seats.filter(session=OuterRef("pk"), status=S.COMPLETED)))
        .filter(held=True)
        .aggregate(committed=Sum("course__fixed_cost_per_class"),
                   spent=Sum("course__fixed_cost_per_class", filter=Q(done=True)))
    )
    return BudgetUse(
        year=year, envelopes=envelopes, planned=planned, approved_plan=approved_plan,
        committed=(per_person["committed"] or 0) + (fixed["committed"] or 0),
        spent=(per_person["spent"] or 0) + (fixed["spent"] or 0),
    )
