"""Serializers of the lms API."""

from rest_framework import serializers

from courses.models import Session
from tna.models import Employee

from ..models import Enrollment, Recommendation

# --- enrollments -------------------------------------------------------------------------------


class EnrollmentSerializer(serializers.ModelSerializer):
    """One enrollment as the person, their supervisors and their agency's training admins see it."""

    nip = serializers.CharField(source="employee.nip", read_only=True)
    name = serializers.CharField(source="employee.name", read_only=True)
    course = serializers.CharField(source="session.course.code", read_only=True)
    course_title = serializers.CharField(source="session.course.title", read_only=True)
    session_label = serializers.CharField(source="session.label", read_only=True)
    session_status = serializers.CharField(source="session.status", read_only=True)
    starts_at = serializers.DateTimeField(source="session.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="session.ends_at", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    waitlist_position = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="1 = next to get a seat; null unless waitlisted."
    )

    class Meta:
        model = Enrollment
        fields = [
            "id", "nip", "name", "session", "course", "course_title", "session_label", "session_status",
            "starts_at", "ends_at", "status", "status_display", "waitlist_position", "rsvp", "reason",
            "requested_at", "queued_at", "decided_at", "completed_at", "recommendation",
        ]
        read_only_fields = fields


class EnrollmentRequestSerializer(serializers.Serializer):
    """A request for a seat: for yourself, or (a training admin) for someone in your agency."""

    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.select_related("course__agency"))
    nip = serializers.SlugRelatedField(
        slug_field="nip", queryset=Employee.objects.select_related("agency", "supervisor"), required=False,
        help_text="Whose seat; default yourself.", source="employee",
    )
    recommendation = serializers.PrimaryKeyRelatedField(queryset=Recommendation.objects.all(), required=False,
                                                        allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000,
                                 help_text="A word for the supervisor.")


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                   help_text="Required to reject; the person reads it.")


class AttendanceSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(min_value=1, help_text="The meeting's number within the session (1, 2, …).")
    present = serializers.JSONField(help_text='true, false or "excused".')


class EnrollmentResultSerializer(serializers.Serializer):
    """An enrollment with a sentence saying where it stands."""

    detail = serializers.CharField()
    enrollment = EnrollmentSerializer()
