"""Serializers of the catalogue API."""

from django.urls import reverse
from rest_framework import serializers

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
