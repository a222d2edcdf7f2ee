"""Reads for one person's learning: recommendations with their next sessions, enrollments, meetings, JP per year."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from courses.models import Meeting, Session, SessionStatus
from courses.seats import with_seats
from tna.conf import settings as tna_settings
from tna.models import Competency, CompetencyGap, Cycle

from ..models import Enrollment, EnrollmentStatus, JpCredit, Recommendation, RecommendationStatus
from ..models.enrollment import ACTIVE_STATUSES

S = EnrollmentStatus


def jp_minimum():
    """The yearly JP minimum (``LATIH_JP_MINIMUM_PER_YEAR``, 20 by default)."""
    return tna_settings.JP_MINIMUM_PER_YEAR


def current_year(employee=None):
    """This year in the person's agency's time zone (the fiscal year is the calendar year)."""
    zone = ZoneInfo(employee.agency.time_zone) if employee is not None else None
    return timezone.localdate(timezone=zone).year


# --- recommendations -------------------------------------------------------------------------

def recommendation_cycles(employee):
    """Cycles (newest first) in which ``employee`` has recommendations."""
    return Cycle.objects.filter(
        Exists(Recommendation.objects.filter(employee=employee, cycle=OuterRef("pk")))
    ).order_by("-year")


def recommendation_cycle(employee, year=None):
    """The cycle ``year`` if given, else the latest with recommendations for ``employee``; or None."""
    if year is not None:
        return Cycle.objects.filter(year=year).first()
    return recommendation_cycles(employee).first()


def my_recommendations(employee, cycle, *, statuses=(RecommendationStatus.SUGGESTED,)):
    """The person's recommendations of ``cycle`` in rank order, with course and competency loaded."""
    queryset = Recommendation.objects.filter(employee=employee, cycle=cycle)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return queryset.select_related("cycle", "course__agency", "course__provider", "competency").order_by("rank", "pk")


def competency_names(reasons):
    """{competency id: name in the active language} for every competency named in ``reasons``."""
    ids = {
        item["competency"] for reason in reasons
        for item in (reason or {}).get("gaps", []) + (reason or {}).get("develops", [])
    }
    return {c.pk: c.display_name for c in Competency.objects.filter(pk__in=ids)} if ids else {}


@dataclass
class NextSessions:
    """The next session of a course that is open for enrollment now (``open``), and the next one
    whose enrollment opens later (``later``), either may be None."""

    open: Session | None = None
    later: Session | None = None


def _upcoming_open_or_later(course_ids, now):
    """Scheduled sessions of published courses among ``course_ids`` that start after ``now`` and whose
    enrollment has not closed, with seats left annotated, soonest first."""
    return with_seats(
        Session.objects.public().filter(course_id__in=list(course_ids), status=SessionStatus.SCHEDULED,
                                        starts_at__gt=now)
        .filter(Q(enrollment_closes__isnull=True) | Q(enrollment_closes__gte=now))
    ).order_by("starts_at", "pk")


def next_sessions(course_ids, now=None):
    """{course id: NextSessions} for published courses, in one query, with seats left annotated."""
    now = now or timezone.now()
    sessions = _upcoming_open_or_later(course_ids, now).select_related("course__agency")
    found = {}
    for session in sessions:  # a handful of sessions per recommended course
        entry = found.setdefault(session.course_id, NextSessions())
        if session.enrollment_opens is None or session.enrollment_opens <= now:
            entry.open = entry.open or session
        else:
            entry.later = entry.later or session
    return found


def next_open_sessions(course_ids, fields, now=None):
    """{course id: ``fields`` of its next session open for enrollment now}: ``NextSessions.open`` of
    ``next_sessions`` as plain rows (``seats_left`` may be among ``fields``), for lists that show only it."""
    now = now or timezone.now()
    found = {}
    for row in _upcoming_open_or_later(course_ids, now).values("course_id", "enrollment_opens", *fields):
        if row["course_id"] not in found and (row["enrollment_opens"] is None or row["enrollment_opens"] <= now):
            found[row["course_id"]] = {field: row[field] for field in fields}
    return found


# --- enrollments and meetings ----------------------------------------------------------------

def my_enrollments(employee, *, year=None, active=False):
    """The person's enrollments (of sessions starting in ``year``; only live ones if ``active``)."""
    queryset = Enrollment.objects.filter(employee=employee)
    if active:
        queryset = queryset.filter(status__in=ACTIVE_STATUSES)
    if year is not None:
        queryset = queryset.filter(_in_year("session__starts_at", year))
    return queryset.select_related("session__course__agency", "session__course__provider").order_by(
        "session__starts_at", "pk")


def upcoming_meetings(employee, now=None, limit=10):
    """The next meetings of sessions in which the person holds a seat, soonest first."""
    now = now or timezone.now()
    seats = Enrollment.objects.filter(employee=employee, status=S.ENROLLED, session=OuterRef("session"))
    return (
        Meeting.objects.filter(Exists(seats), cancelled=False, ends_at__gte=now)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__course__agency").order_by("starts_at", "pk")[:limit]
    )


# --- JP -----------------------------------------------------------------------------------------

def jp_credits(employee, year):
    """The person's JP credits of ``year``, latest first."""
    return JpCredit.objects.filter(employee=employee, year=year).order_by("-end_date", "pk")


def jp_total(employee, year):
    """JP credited to the person in ``year`` (0 when none)."""
    return jp_credits(employee, year).aggregate(total=Sum("jp"))["total"] or 0


def jp_held(employee, year):
    """JP of the seats the person holds in sessions of ``year`` that are not completed yet."""
    return (
        my_enrollments(employee, year=year).filter(status=S.ENROLLED).aggregate(total=Sum("session__course__jp"))["total"]
        or 0
    )


@dataclass
class JpYear:
    """The person's JP in a year against the minimum: credited, held in enrolled sessions, remaining."""

    year: int
    credited: int
    held: int
    minimum: int

    @property
    def remaining(self):
        return max(self.minimum - self.credited, 0)

    @property
    def meets_minimum(self):
        return self.credited >= self.minimum

    @property
    def percent(self):
        """Credited JP as a share of the minimum, 0–100 (for a progress bar)."""
        return min(round(100 * self.credited / self.minimum), 100) if self.minimum else 100

    @property
    def held_percent(self):
        """Held JP as a share of the minimum, capped so the bar never runs past 100."""
        return min(round(100 * self.held / self.minimum), 100 - self.percent) if self.minimum else 0


def jp_year(employee, year):
    """``JpYear`` of the person for ``year``."""
    return JpYear(year=year, credited=jp_total(employee, year), held=jp_held(employee, year), minimum=jp_minimum())


# --- gaps ---------------------------------------------------------------------------------------

def my_open_gaps(employee, limit=5):
    """(cycle, gaps): the person's largest-priority open gaps of the latest cycle with results."""
    cycle = Cycle.objects.filter(Exists(CompetencyGap.objects.filter(employee=employee, cycle=OuterRef("pk")))).order_by(
        "-year").first()
    if cycle is None:
        return None, []
    gaps = (
        CompetencyGap.objects.filter(employee=employee, cycle=cycle, gap__gt=0)
        .select_related("competency").order_by("-priority", "competency__sort_order", "pk")[:limit]
    )
    return cycle, list(gaps)


def _in_year(field, year):
    """A Q for ``field`` (a datetime) within ``year`` in the site's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    return Q(**{field + "__gte": start, field + "__lt": end})
