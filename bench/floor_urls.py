"""The floor of bench/api.py: per hot path, a minimal view returning the same rows through ``.values()``.

Served only by the bench (``bench/api_settings.py`` makes this the ``ROOT_URLCONF``): the site's own
URLs, with ``/bench-floor/…`` in front. Each view signs the caller in as the real path does (the
API's token, the catalogue's session), reads the rows the real path shows (same filters, order and
page of 50) with ``.values()`` in as few queries as they need, and answers them as ``JsonResponse``:
no serializer, no template, no explanation sentences. What the real path adds on top is what the
ratio to the floor measures.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cms.models import CataloguePage
from cms.urls import urlpatterns as site_urlpatterns
from courses.models import Course, CourseCompetency, Meeting, Session, SessionStatus
from lms.models import Enrollment, JpCredit, Recommendation
from lms.models.ledger import CreditedCompetency
from lms.selectors.enrollments import SEAT_STATUSES
from tna.models import CompetencyGap, Cycle, Employee

PAGE = 50
ASSESSED = Q(observed_level__isnull=False)


def token_user(request):
    """The user of ``Authorization: Token …`` (one query, as DRF's TokenAuthentication)."""
    key = request.headers.get("Authorization", "").removeprefix("Token ").strip()
    return Token.objects.select_related("user").get(key=key).user


def employee_of(user):
    return Employee.objects.select_related("agency").get(user=user)


def page_of(count):
    """The page's envelope (the first page, so no previous; the bench reads no further)."""
    return {"count": count, "next": None, "previous": None}


def courses(request):
    """``courses/``: the first 50 published courses by agency and title, with agency, provider,
    targets, prerequisites and next start."""
    token_user(request)
    now = timezone.now()
    live = Course.objects.filter(live=True)
    rows = list(
        live.annotate(next_start=Min("sessions__starts_at", filter=Q(sessions__status=SessionStatus.SCHEDULED,
                                                                     sessions__starts_at__gte=now)))
        .order_by("agency__code", "title")
        .values("id", "agency__code", "agency__name", "code", "title", "title_en", "description", "description_en",
                "category", "route", "mode", "jp", "cost_per_participant", "fixed_cost_per_class",
                "min_participants", "max_participants", "prerequisites", "provider__name", "provider__kind",
                "provider__accredited", "provider__website", "next_start", "last_published_at")[:PAGE]
    )
    ids = [row["id"] for row in rows]
    targets = {}
    for t in CourseCompetency.objects.filter(course_id__in=ids).order_by("sort_order").values(
            "course_id", "competency__code", "competency__name", "competency__name_en", "level"):
        targets.setdefault(t["course_id"], []).append(t)
    prerequisites = {}
    for p in Course.prerequisite_courses.through.objects.filter(from_course_id__in=ids).values(
            "from_course_id", "to_course__code"):
        prerequisites.setdefault(p["from_course_id"], []).append(p["to_course__code"])
    for row in rows:
        row["competencies"] = targets.get(row["id"], [])
        row["prerequisite_courses"] = prerequisites.get(row["id"], [])
    return JsonResponse({**page_of(live.count()), "results": rows})


def sessions(request):
    """``sessions/``: the first 50 sessions of published courses by start, with seats and meetings."""
    token_user(request)
    public = Session.objects.filter(course__live=True)
    taken = (Enrollment.objects.filter(session=OuterRef("pk"), status__in=SEAT_STATUSES).order_by()
             .values("session").annotate(n=Count("pk")).values("n"))
    rows = list(
        public.annotate(seats_taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0))
        .order_by("starts_at", "pk")
        .values("id", "uid", "course_id", "course__code", "course__title", "course__agency__code",
                "course__agency__time_zone", "label", "trainer", "status", "cancel_reason", "starts_at", "ends_at",
                "place", "online_url", "capacity", "seats_taken", "enrollment_opens", "enrollment_closes",
                "sequence")[:PAGE]
    )
    meetings = {}
    for m in Meeting.objects.filter(session_id__in=[r["id"] for r in rows]).order_by("number").values(
            "session_id", "number", "starts_at", "ends_at", "cancelled"):
        meetings.setdefault(m["session_id"], []).append(m)
    for row in rows:
        row["seats_left"] = max(row["capacity"] - row["seats_taken"], 0)
        row["meetings"] = meetings.get(row["id"], [])
        row["ics_url"] = request.build_absolute_uri("/catalogue/session/%s.ics" % row["uid"])
    return JsonResponse({**page_of(public.count()), "results": rows})


def my_learning(request):
    """``me/learning/``: the year's JP credited and held, the credits and the enrollments of the year."""
    me = employee_of(token_user(request))
    year = timezone.localdate(timezone=ZoneInfo(me.agency.time_zone)).year
    zone = timezone.get_current_timezone()
    in_year = Q(session__starts_at__gte=datetime.datetime(year, 1, 1, tzinfo=zone),
                session__starts_at__lt=datetime.datetime(year + 1, 1, 1, tzinfo=zone))
    credits = list(JpCredit.objects.filter(employee=me, year=year).order_by("-end_date", "pk").values(
        "id", "title", "jp", "year", "competency_type", "route", "provider", "start_date", "end_date",
        "certificate_number"))
    codes = {}
    for c in CreditedCompetency.objects.filter(credit_id__in=[c["id"] for c in credits]).values(
            "credit_id", "competency__code"):
        codes.setdefault(c["credit_id"], []).append(c["competency__code"])
    for credit in credits:
        credit["competencies"] = codes.get(credit["id"], [])
    enrollments = list(Enrollment.objects.filter(in_year, employee=me).order_by("session__starts_at", "pk").values(
        "id", "status", "session__course__code", "session__course__title", "session__course__jp", "session_id",
        "session__label", "session__starts_at", "session__ends_at", "requested_at", "completed_at"))
    total = sum(c["jp"] for c in credits)
    held = sum(e["session__course__jp"] for e in enrollments if e["status"] == "enrolled")
    return JsonResponse({"year": year, "jp_total": total, "jp_held": held, "jp_minimum": 20,
                         "jp_remaining": max(20 - total, 0), "meets_minimum": total >= 20,
                         "credits": credits, "enrollments": enrollments})


def my_recommendations(request):
    """``me/recommendations/``: the suggested recommendations of the latest cycle, by rank, with the next
    open session of each course."""
    me = employee_of(token_user(request))
    cycle = Cycle.objects.filter(Exists(Recommendation.objects.filter(employee=me, cycle=OuterRef("pk")))).order_by(
        "-year").first()
    mine = Recommendation.objects.filter(employee=me, cycle=cycle, status="suggested")
    rows = list(mine.order_by("rank", "pk").values(
        "id", "cycle__year", "rank", "status", "in_plan", "course__code", "course_id", "course__title",
        "course__agency__code", "course__provider__name", "course__mode", "course__jp",
        "course__cost_per_participant", "competency__code", "score", "expected_closure", "reason")[:PAGE])
    now = timezone.now()
    nexts = {}
    for s in Session.objects.filter(course_id__in={r["course_id"] for r in rows}, course__live=True,
                                    status=SessionStatus.SCHEDULED, starts_at__gt=now).filter(
            Q(enrollment_closes__isnull=True) | Q(enrollment_closes__gte=now),
            Q(enrollment_opens__isnull=True) | Q(enrollment_opens__lte=now)).order_by("starts_at", "pk").values(
            "id", "course_id", "label", "starts_at", "ends_at", "place", "enrollment_opens", "enrollment_closes",
            "capacity"):
        nexts.setdefault(s["course_id"], s)
    for row in rows:
        row["next_session"] = nexts.get(row["course_id"])
    return JsonResponse({**page_of(mine.count()), "results": rows})


def gap_summary(request):
    """``gaps/summary/`` of an HR person: the agency's latest cycle with results, by unit."""
    me = employee_of(token_user(request))
    gaps = CompetencyGap.objects.filter(agency_id=me.agency_id)
    cycle = Cycle.objects.filter(Exists(gaps.filter(cycle=OuterRef("pk")))).order_by("-year").first()
    rows = list(gaps.filter(cycle=cycle).order_by().values("unit_id", "unit__code", "unit__name").annotate(
        count=Count("employee_id", filter=ASSESSED), unassessed=Count("employee_id", filter=~ASSESSED),
        gap_sum=Sum("gap", filter=ASSESSED), gap_ge_1=Count("employee_id", filter=ASSESSED & Q(gap__gte=1)),
        priority_sum=Sum("priority", filter=ASSESSED)))
    for row in rows:
        n = row["count"]
        row["mean_gap"] = round(row["gap_sum"] / n, 3) if n else None
        row["share_gap_ge_1"] = round(row["gap_ge_1"] / n, 3) if n else None
        row["mean_priority"] = round(row["priority_sum"] / n, 3) if n else None
    rows.sort(key=lambda r: (r["mean_gap"] is None, -(r["mean_gap"] or 0), r["unit__code"]))
    return JsonResponse({"cycle": cycle.year if cycle else None, "by": "unit", "results": rows})


def catalogue(request, slug):
    """The catalogue page's list: the agency's published courses with what each card shows."""
    request.user.is_authenticated  # noqa: B018 - the session's user, loaded as the page loads it
    page = CataloguePage.objects.live().select_related("agency").get(slug=slug)
    now = timezone.now()
    scheduled = Q(sessions__status=SessionStatus.SCHEDULED)
    rows = list(
        Course.objects.filter(live=True, agency_id=page.agency_id).annotate(
            next_start=Min("sessions__starts_at", filter=scheduled & Q(sessions__starts_at__gte=now)),
            running_since=Min("sessions__starts_at", filter=scheduled & Q(sessions__starts_at__lt=now,
                                                                           sessions__ends_at__gte=now)),
        ).order_by("title").values("id", "code", "title", "title_en", "description", "description_en", "category",
                                   "mode", "jp", "cost_per_participant", "next_start", "running_since")
    )
    return JsonResponse({"agency": page.agency.code, "courses": rows})


urlpatterns = [
    path("bench-floor/courses/", courses),
    path("bench-floor/sessions/", sessions),
    path("bench-floor/me/learning/", my_learning),
    path("bench-floor/me/recommendations/", my_recommendations),
    path("bench-floor/gaps/summary/", gap_summary),
    path("bench-floor/catalogue/<slug:slug>/", catalogue),
    *site_urlpatterns,
]
