"""Reads of enrollments: who may see which, clashes, waitlist positions, the approval queue's warnings."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import Meeting, SessionStatus
from tna.conf import settings as tna_settings
from tna.models import Employee, Unit
from tna.roles import TRAINING_ADMIN, employee_of, has_role, subordinate_ids

from ..coverage import CoverageShortfall, meeting_days, shortfalls
from ..models import Enrollment, EnrollmentEvent, EnrollmentStatus
from ..models.enrollment import ACTIVE_STATUSES

S = EnrollmentStatus
SEAT_STATUSES = [S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED]


# --- who sees what ---------------------------------------------------------------------------

def visible_enrollments(user, queryset=None):
    """Enrollments ``user`` may see: their own, those of everyone below them in the supervisor
    chain, and, for a training admin, everyone in their agency; a superuser sees all."""
    queryset = Enrollment.objects.all() if queryset is None else queryset
    if getattr(user, "is_superuser", False):
        return queryset
    me = employee_of(user)
    if me is None:
        return queryset.none()
    allowed = Q(employee=me)
    below = subordinate_ids(me)
    if below:
        allowed |= Q(employee__in=below)
    if has_role(user, TRAINING_ADMIN):
        allowed |= Q(employee__agency=me.agency_id)
    return queryset.filter(allowed)


def pending_approvals(user):
    """Requests awaiting a decision that ``user`` may take, oldest first (never their own)."""
    queryset = visible_enrollments(user).filter(status=S.REQUESTED)
    me = employee_of(user)
    if me is not None:
        queryset = queryset.exclude(employee=me)
    return queryset.select_related(
        "employee__unit", "employee__agency", "employee__position", "session__course__agency"
    ).order_by("requested_at", "pk")


# --- the waitlist ----------------------------------------------------------------------------

def _queue_up_to(session, queued_at, pk):
    """Waitlisted enrollments of ``session`` up to and including the place (queued_at, pk)."""
    return Enrollment.objects.filter(session=session, status=S.WAITLISTED).filter(
        Q(queued_at__lt=queued_at) | Q(queued_at=queued_at, pk__lte=pk)
    )


def with_waitlist_position(queryset):
    """Annotate ``waitlist_position`` (1 = next to get a seat) on waitlisted rows, None on others."""
    position = (
        _queue_up_to(OuterRef("session"), OuterRef("queued_at"), OuterRef("pk"))
        .order_by().values("session").annotate(n=Count("pk")).values("n")
    )
    return queryset.annotate(
        waitlist_position=Case(When(status=S.WAITLISTED, then=Subquery(position)), default=None,
                               output_field=IntegerField())
    )


def waitlist_position(enrollment):
    """The position of a waitlisted enrollment (1 = next), or None."""
    if enrollment.status != S.WAITLISTED:
        return None
    return _queue_up_to(enrollment.session_id, enrollment.queued_at, enrollment.pk).count()


def seats_taken_expression():
    """A Session annotation: seats held (enrolled, or through to the outcome), for ``courses.seats``."""
    held = (
        Enrollment.objects.filter(session=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by().values("session").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(held, output_field=IntegerField()), 0)


# --- clashes ---------------------------------------------------------------------------------

def _clashing_sessions(session):
    spans = list(Meeting.objects.filter(session=session, cancelled=False).values_list("starts_at", "ends_at"))
    if not spans:
        return None
    overlap = Q()
    for start, end in spans:
        overlap |= Q(starts_at__lt=end, ends_at__gt=start)
    return (
        Meeting.objects.filter(overlap, cancelled=False).exclude(session=session)
        .exclude(session__status=SessionStatus.CANCELLED).values("session")
    )


def overlapping_enrollments(*, employee, session, statuses=ACTIVE_STATUSES):
    """The person's other live enrollments whose meetings overlap this session's meetings."""
    sessions = _clashing_sessions(session)
    if sessions is None:
        return Enrollment.objects.none()
    return (
        Enrollment.objects.filter(employee=employee, status__in=statuses, session__in=sessions)
        .select_related("session__course__agency")
    )


def clashing_employee_ids(session, employee_ids, *, statuses=ACTIVE_STATUSES):
    """Which of ``employee_ids`` hold (in ``statuses``) another session overlapping ``session``."""
    sessions = _clashing_sessions(session)
    if sessions is None or not employee_ids:
        return set()
    return set(
        Enrollment.objects.filter(employee__in=list(employee_ids), status__in=statuses, session__in=sessions)
        .values_list("employee_id", flat=True)
    )


# --- the approval page -----------------------------------------------------------------------

@dataclass
class ApprovalWarnings:
    """What a supervisor should know before approving one request."""

    clashes: list = field(default_factory=list)  # the person's other live enrollments that overlap
    shortfalls: list[CoverageShortfall] = field(default_factory=list)  # days the unit would be short

    def __bool__(self):
        return bool(self.clashes or self.shortfalls)


def _overlaps(a, b):
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def approval_warnings(enrollments):
    """{enrollment pk: ApprovalWarnings} for pending requests, in a fixed number of queries.

    Clashes: the person's other live enrollments (sessions not cancelled) whose meetings overlap.
    Coverage: on each local day the session meets, the person's unit — its active staff, less
    those with a seat in a session meeting that day, less the person — against the unit's
    ``min_on_duty_share`` (or ``LATIH_MIN_ON_DUTY_SHARE``).
    """
    enrollments = list(enrollments)
    if not enrollments:
        return {}
    session_ids = {e.session_id for e in enrollments}
    person_ids = {e.employee_id for e in enrollments}
    unit_ids = {e.employee.unit_id for e in enrollments}

    spans = defaultdict(list)
    for session_id, start, end in Meeting.objects.filter(session__in=session_ids, cancelled=False).values_list(
        "session_id", "starts_at", "ends_at"
    ):
        spans[session_id].append((start, end))

    others = list(
        Enrollment.objects.filter(employee__in=person_ids, status__in=ACTIVE_STATUSES)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__course__agency")
    )
    others_of = defaultdict(list)
    for other in others:
        others_of[other.employee_id].append(other)
    other_spans = defaultdict(list)
    for session_id, start, end in Meeting.objects.filter(
        session__in={o.session_id for o in others}, cancelled=False
    ).values_list("session_id", "starts_at", "ends_at"):
        other_spans[session_id].append((start, end))

    staff = dict(
        Employee.objects.active().filter(unit__in=unit_ids).order_by().values("unit").annotate(n=Count("pk"))
        .values_list("unit", "n")
    )
    default_share = float(tna_settings.MIN_ON_DUTY_SHARE)
    min_share = {
        pk: default_share if share is None else float(share)
        for pk, share in Unit.objects.filter(pk__in=unit_ids).values_list("pk", "min_on_duty_share")
    }
    all_spans = [span for session_spans in spans.values() for span in session_spans]
    away_rows = []
    if all_spans:
        first = min(s for s, _e in all_spans) - datetime.timedelta(days=1)
        last = max(e for _s, e in all_spans) + datetime.timedelta(days=1)
        # One filter() call, so the status and the unit apply to the same enrollment row.
        away_rows = list(
            Meeting.objects.filter(
                cancelled=False, starts_at__lt=last, ends_at__gt=first,
                session__enrollments__status=S.ENROLLED,
                session__enrollments__employee__unit__in=unit_ids,
                session__enrollments__employee__active=True,
            ).exclude(session__status=SessionStatus.CANCELLED)
            .values_list("session__enrollments__employee__unit", "session__enrollments__employee", "starts_at", "ends_at")
        )

    rows_by_unit = defaultdict(list)
    for row_unit, person, start, end in away_rows:
        rows_by_unit[row_unit].append((person, start, end))
    away_cache = {}

    def away_in(unit_id, tz):
        """{local date: ids of the unit's people in training} (once per unit and zone)."""
        key = (unit_id, str(tz))
        if key not in away_cache:
            by_day = defaultdict(set)
            for person, start, end in rows_by_unit.get(unit_id, ()):
                for day in meeting_days([(start, end)], tz):
                    by_day[day].add(person)
            away_cache[key] = by_day
        return away_cache[key]

    result = {}
    for enrollment in enrollments:
        tz = ZoneInfo(enrollment.employee.agency.time_zone)
        mine = spans.get(enrollment.session_id, [])
        clashes = [
            o for o in others_of[enrollment.employee_id]
            if o.session_id != enrollment.session_id and _overlaps(mine, other_spans.get(o.session_id, []))
        ]
        unit_id = enrollment.employee.unit_id
        result[enrollment.pk] = ApprovalWarnings(
            clashes=clashes,
            shortfalls=shortfalls(unit_id=unit_id, person_id=enrollment.employee_id, days=meeting_days(mine, tz),
                                  staff=staff.get(unit_id, 0), away_by_day=away_in(unit_id, tz),
                                  min_share=min_share.get(unit_id, default_share)),
        )
    return result


# --- calendars -------------------------------------------------------------------------------

def feed_enrollments(employee, now=None, *, keep_days=30):
    """The person's enrollments for their calendar feed: seats held, and seats given up or sessions
    cancelled in the last ``keep_days`` days (so subscribed calendars drop those events)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=keep_days)
    had_seat = EnrollmentEvent.objects.filter(enrollment=OuterRef("pk"), from_status=S.ENROLLED,
                                              to_status=S.CANCELLED)
    given_up = Q(status=S.CANCELLED, decided_at__gte=since) & Exists(had_seat)
    return (
        Enrollment.objects.filter(employee=employee).filter(Q(status__in=SEAT_STATUSES) | given_up)
        .filter(session__ends_at__gte=now - datetime.timedelta(days=365))
        .select_related("session__course__agency")
        .prefetch_related("session__meetings")
        .order_by("session__starts_at", "pk")
    )
