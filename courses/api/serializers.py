"""Serializers of the catalogue API, and the lists' rows written from ``.values()`` the same way.

The lists are the API's hottest reads: ``course_rows`` and ``session_rows`` build exactly what
``CourseSerializer`` and ``SessionSerializer`` write (same keys in the same order, same values) from
plain rows, in a fixed number of queries and without model instances or serializer fields per row.
The serializers stay the contract (retrieve, the schema); tests/courses/test_api.py checks both agree.
"""

import uuid

from django.conf import settings
from django.urls import reverse
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from ..models import Course, CourseCompetency, Meeting, Provider, Session


class ProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Provider
        fields = ["name", "kind", "accredited", "website"]


class CourseCompetencySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="competency.code")
    name = serializers.CharField(source="competency.name")
    name_en = serializers.CharField(source="competency.name_en")

    class Meta:
        model = CourseCompetency
        fields = ["code", "name", "name_en", "level"]


class CourseSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    provider = ProviderSerializer(read_only=True)
    competencies = CourseCompetencySerializer(source="competency_targets", many=True, read_only=True)
    prerequisite_courses = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    next_start = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Start of the next upcoming session.")

    class Meta:
        model = Course
        fields = [
            "id", "agency", "agency_name", "code", "title", "title_en", "description", "description_en",
            "category", "route", "mode", "jp", "cost_per_participant", "fixed_cost_per_class",
            "min_participants", "max_participants", "prerequisites", "prerequisite_courses", "provider",
            "competencies", "next_start", "last_published_at",
        ]


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["number", "starts_at", "ends_at", "cancelled"]


class SessionSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    course_title = serializers.CharField(source="course.title", read_only=True)
    agency = serializers.CharField(source="course.agency.code", read_only=True)
    time_zone = serializers.CharField(source="course.agency.time_zone", read_only=True)
    seats_taken = serializers.IntegerField(read_only=True)
    seats_left = serializers.IntegerField(read_only=True)
    is_open_for_enrollment = serializers.BooleanField(read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)
    ics_url = serializers.SerializerMethodField(help_text="The session's iCalendar file (no login needed).")

    class Meta:
        model = Session
        fields = [
            "id", "uid", "course", "course_code", "course_title", "agency", "time_zone", "label", "trainer", "status",
            "cancel_reason", "starts_at", "ends_at", "place", "online_url", "capacity", "seats_taken", "seats_left",
            "enrollment_opens", "enrollment_closes", "is_open_for_enrollment", "sequence", "meetings", "ics_url",
        ]

    def get_ics_url(self, session) -> str:
        url = reverse("courses:session_ics", args=[session.uid])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# --- the lists' rows, from .values() ---------------------------------------------------------------

COURSE_VALUES = (
    "id", "agency__code", "agency__name", "code", "title", "title_en", "description", "description_en", "category",
    "route", "mode", "jp", "cost_per_participant", "fixed_cost_per_class", "min_participants", "max_participants",
    "prerequisites", "provider__name", "provider__kind", "provider__accredited", "provider__website", "next_start",
    "last_published_at",
)
SESSION_VALUES = (
    "id", "uid", "course_id", "course__code", "course__title", "course__agency__code", "course__agency__time_zone",
    "label", "trainer", "status", "cancel_reason", "starts_at", "ends_at", "place", "online_url", "capacity",
    "seats_taken", "seats_left", "enrollment_opens", "enrollment_closes", "sequence",
)


def _datetime():
    """DRF's rendering of a datetime (ISO 8601 in the current time zone, ``Z`` for UTC), as the
    serializers' ``DateTimeField`` writes it; the zone looked up once rather than per value."""
    field = serializers.DateTimeField()
    if (api_settings.DATETIME_FORMAT or "").lower() != ISO_8601 or not settings.USE_TZ:
        return lambda value: field.to_representation(value) if value is not None else None
    zone = field.default_timezone()

    def stamp(value):
        if value is None:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return stamp


def course_rows(rows):
    """``CourseSerializer(courses, many=True).data`` from ``rows``, dicts of ``COURSE_VALUES``; two queries
    (the competencies developed and the courses to finish first)."""
    stamp = _datetime()
    ids = [row["id"] for row in rows]
    targets, prerequisites = {}, {}
    # The orders the serializer's prefetches give: CourseCompetency's (sort_order), Course's (title).
    for course_id, code, name, name_en, level in CourseCompetency.objects.filter(course_id__in=ids).values_list(
            "course_id", "competency__code", "competency__name", "competency__name_en", "level"):
        targets.setdefault(course_id, []).append({"code": code, "name": name, "name_en": name_en, "level": level})
    for course_id, code in (Course.prerequisite_courses.through.objects.filter(from_course_id__in=ids)
                            .order_by("to_course__title").values_list("from_course_id", "to_course__code")):
        prerequisites.setdefault(course_id, []).append(code)
    return [{
        "id": row["id"], "agency": row["agency__code"], "agency_name": row["agency__name"], "code": row["code"],
        "title": row["title"], "title_en": row["title_en"], "description": row["description"],
        "description_en": row["description_en"], "category": row["category"], "route": row["route"],
        "mode": row["mode"], "jp": row["jp"], "cost_per_participant": row["cost_per_participant"],
        "fixed_cost_per_class": row["fixed_cost_per_class"], "min_participants": row["min_participants"],
        "max_participants": row["max_participants"], "prerequisites": row["prerequisites"],
        "prerequisite_courses": prerequisites.get(row["id"], []),
        "provider": {"name": row["provider__name"], "kind": row["provider__kind"],
                     "accredited": row["provider__accredited"], "website": row["provider__website"]},
        "competencies": targets.get(row["id"], []),
        "next_start": stamp(row["next_start"]), "last_published_at": stamp(row["last_published_at"]),
    } for row in rows]


def session_rows(rows, request=None):
    """``SessionSerializer(sessions, many=True, context={"request": request}).data`` from ``rows``, dicts
    of ``SESSION_VALUES`` (seats annotated); one query (the meetings)."""
    stamp = _datetime()
    meetings = {}
    for session_id, number, starts_at, ends_at, cancelled in (
            Meeting.objects.filter(session_id__in=[row["id"] for row in rows]).order_by("number")
            .values_list("session_id", "number", "starts_at", "ends_at", "cancelled")):
        meetings.setdefault(session_id, []).append(
            {"number": number, "starts_at": stamp(starts_at), "ends_at": stamp(ends_at), "cancelled": cancelled})
    # One URL built, the others by putting each session's uid in its place.
    blank = str(uuid.UUID(int=0))
    ics = reverse("courses:session_ics", args=[blank])
    ics = request.build_absolute_uri(ics) if request else ics
    found = []
    for row in rows:
        # The model's own rule for "open now" (status, enrollment window, start), on an unsaved instance.
        state = Session(status=row["status"], enrollment_opens=row["enrollment_opens"],
                        enrollment_closes=row["enrollment_closes"], starts_at=row["starts_at"])
        uid = str(row["uid"])
        found.append({
            "id": row["id"], "uid": uid, "course": row["course_id"], "course_code": row["course__code"],
            "course_title": row["course__title"], "agency": row["course__agency__code"],
            "time_zone": row["course__agency__time_zone"], "label": row["label"], "trainer": row["trainer"],
            "status": row["status"], "cancel_reason": row["cancel_reason"], "starts_at": stamp(row["starts_at"]),
            "ends_at": stamp(row["ends_at"]), "place": row["place"], "online_url": row["online_url"],
            "capacity": row["capacity"], "seats_taken": row["seats_taken"], "seats_left": row["seats_left"],
            "enrollment_opens": stamp(row["enrollment_opens"]), "enrollment_closes": stamp(row["enrollment_closes"]),
            "is_open_for_enrollment": state.is_open_for_enrollment, "sequence": row["sequence"],
            "meetings": meetings.get(row["id"], []), "ics_url": ics.replace(blank, uid),
        })
    return found
