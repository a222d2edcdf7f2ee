"""Reads of the catalogue: published courses with filters and search, sessions with seats left,
courses waiting for review, and the adapter from Session rows to the plain data ``courses.ics``
builds calendars from."""

import datetime
import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Exists, Min, OuterRef, Prefetch, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import WorkflowState

from tna.infra.formats import localized

from .ics import CalendarMeeting, CalendarSession
from .models import Course, Meeting, Session, SessionStatus
from .seats import with_seats


def published_courses(agency=None):
    """Live courses (of ``agency`` if given), with provider and agency loaded."""
    queryset = Course.objects.live().select_related("agency", "provider")
    return queryset.filter(agency=agency) if agency is not None else queryset


def upcoming_sessions(now=None):
    """Sessions of published courses that have not ended and are not cancelled, with seats."""
    now = now or timezone.now()
    return with_seats(Session.objects.public().upcoming(now)).select_related("course", "course__agency")


def filter_courses(queryset, *, category=None, competency=None, mode=None, month=None, q=None, now=None, tz=None):
    """Narrow a Course queryset the way the catalogue page and the API do.

    ``competency`` is a code (M.03); ``month`` a ``datetime.date`` whose month must hold the start
    of an upcoming session, counted in ``tz`` (the agency's zone; default the current one); ``q``
    a full-text query over titles, codes and descriptions (Wagtail search); each filter is
    skipped when empty.
    """
    if category:
        queryset = queryset.filter(category=category)
    if mode:
        queryset = queryset.filter(mode=mode)
    if competency:
        queryset = queryset.filter(competency_targets__competency__code=competency)
    if month:
        first = month.replace(day=1)
        after = (first + datetime.timedelta(days=32)).replace(day=1)
        tz = tz or timezone.get_current_timezone()
        in_month = Session.objects.upcoming(now).filter(
            course=OuterRef("pk"),
            starts_at__gte=datetime.datetime.combine(first, datetime.time(), tzinfo=tz),
            starts_at__lt=datetime.datetime.combine(after, datetime.time(), tzinfo=tz),
        )
        queryset = queryset.filter(Exists(in_month))
    if q:
        # A catalogue holds hundreds of courses, not millions: the hits' ids are a small list.
        found = [course.pk for course in Course.objects.live().search(q, operator="and")]
        queryset = queryset.filter(pk__in=found)
    return queryset.distinct()


def with_next_session(queryset, now=None):
    """Annotate courses with ``next_start``, the start of their next scheduled session, and
    ``running_since``, the start of a scheduled session under way now (each None when there is none).

    A postponed session has no date to show (its old one no longer holds), so it is neither.
    """
    now = now or timezone.now()
    scheduled = Q(sessions__status=SessionStatus.SCHEDULED)
    return queryset.annotate(
        next_start=Min("sessions__starts_at", filter=scheduled & Q(sessions__starts_at__gte=now)),
        running_since=Min("sessions__starts_at",
                          filter=scheduled & Q(sessions__starts_at__lt=now, sessions__ends_at__gte=now)),
    )


def catalogue_signature(agency, courses=None, now=None):
    """A digest of everything an agency's catalogue list shows, to key its cached rendering by.

    It covers the agency's published courses with the fields their cards and filters show, their
    next start and the session under way (as ``with_next_session`` computes them at ``now``), the
    competencies they develop with their names, and the ids of ``courses`` (the filtered list, when
    filters apply). Any change to a course, a session or a competency name, and a session starting
    or ending, gives another digest, so a cached rendering needs no invalidation. One query (two
    with ``courses``): a row per course and competency it develops.
    """
    rows = with_next_session(
        Course.objects.live().filter(agency=agency).values(
            "pk", "code", "title", "title_en", "description", "description_en", "category", "mode", "jp",
            "cost_per_participant", "competency_targets__competency_id", "competency_targets__competency__code",
            "competency_targets__competency__name", "competency_targets__competency__name_en",
            "competency_targets__competency__sort_order"),
        now=now,
    ).order_by("pk", "competency_targets__competency_id")
    if connection.vendor == "postgresql":
        # The server digests the rows itself: one value comes back instead of a row per course and
        # competency to decode (1.1 ms of the 2.2 ms this took on a 45-course catalogue page).
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SELECT encode(sha256(convert_to(string_agg(latih_rows::text, '|' ORDER BY"
                           " latih_rows::text), 'UTF8')), 'hex') FROM (%s) latih_rows" % sql, params)
            rows = cursor.fetchone()[0]
    else:
        rows = [tuple(row.values()) for row in rows]
    shown = sorted(courses.values_list("pk", flat=True)) if courses is not None else None
    return hashlib.sha256(repr((rows, shown)).encode()).hexdigest()


def course_detail(agency, code):
    """The published course ``code`` of ``agency`` with its competency targets, or None."""
    return (
        published_courses(agency).filter(code=code)
        .prefetch_related("competency_targets__competency__levels", "prerequisite_courses")
        .first()
    )


def course_upcoming_sessions(course, now=None):
    """A course's upcoming sessions, earliest first, with seats left and active meetings loaded."""
    return (
        upcoming_sessions(now).filter(course=course)
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.filter(cancelled=False)))
        .order_by("starts_at", "pk")
    )


def calendar_session(session, *, course_url="", meetings=None) -> CalendarSession:
    """The plain calendar data of ``session`` (its course and agency should be loaded)."""
    course = session.course
    agency = course.agency
    meetings = list(session.meetings.all()) if meetings is None else meetings
    return CalendarSession(
        uid=str(session.uid),
        summary=localized(course, "title"),
        description=localized(course, "description"),
        tz=agency.time_zone,
        sequence=session.sequence,
        status=session.status,
        meetings=tuple(
            CalendarMeeting(number=m.number, start=m.starts_at, end=m.ends_at, cancelled=m.cancelled)
            for m in sorted(meetings, key=lambda m: m.number)
        ),
        location=session.place,
        url=course_url,
        online_url=session.online_url,
        organizer_name=agency.name,
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        categories=(course.get_category_display(),),
        reason=session.cancel_reason,
        updated=session.updated_at,
        labels={
            "meeting": gettext("Meeting"), "postponed": gettext("POSTPONED"), "cancelled": gettext("CANCELLED"),
            "online": gettext("Online"), "reason": gettext("Reason"),
        },
    )


def feed_sessions(agency, now=None, *, keep_days=30):
    """Sessions of ``agency``'s published courses for its feed: upcoming ones, and those cancelled
    or ended in the last ``keep_days`` days (so subscribed calendars see the cancellation)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=keep_days)
    return (
        Session.objects.public().filter(course__agency=agency, ends_at__gte=since)
        .select_related("course", "course__agency")
        .prefetch_related("meetings")
        .order_by("starts_at", "pk")
    )


def courses_in_review(agency=None, *, limit=5):
    """(count, [(course, workflow state)]): courses of ``agency`` (every agency when None) whose review
    workflow is in progress, the longest waiting first (at most ``limit``), in three queries.

    Workflow states point at their object by a text id, so the agency's course ids are matched as
    text (as ``AgencyReviewTask`` does) rather than joined.
    """
    course_ids = Course.objects.all() if agency is None else Course.objects.filter(agency=agency)
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Course),
        object_id__in=course_ids.annotate(pk_text=Cast("pk", CharField())).values("pk_text"),
    )
    count = states.count()
    oldest = list(states.select_related("current_task_state__task").order_by("created_at", "pk")[:limit])
    courses = Course.objects.select_related("agency").in_bulk([int(s.object_id) for s in oldest])
    return count, [(courses[int(s.object_id)], s) for s in oldest if int(s.object_id) in courses]
