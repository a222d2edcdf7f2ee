"""API of the lms learning area: ``me/recommendations/`` (with accept and dismiss) and ``me/learning/``.

Both are about the signed-in person only: another person's recommendation is a 404, whoever
asks. Writes go through ``lms.services.recommendations`` (accepting is ``enrollment_request``).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from courses.models import Session
from tna.roles import employee_of

from ..explain import explain_recommendation
from ..models import Enrollment, JpCredit, Recommendation, RecommendationStatus
from ..services import learning
from ..services.recommendations import recommendation_accept, recommendation_dismiss


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("me/recommendations", MyRecommendationViewSet, basename="my-recommendation")


def _me(request):
    me = employee_of(request.user)
    if me is None:
        raise NotFound(_("This account is not linked to an employee, so it has no learning record."))
    return me


# --- serializers ---------------------------------------------------------------------------------

class SessionBriefSerializer(serializers.ModelSerializer):
    seats_left = serializers.IntegerField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Session
        fields = ["id", "label", "starts_at", "ends_at", "place", "enrollment_opens", "enrollment_closes", "seats_left"]


class RecommendationSerializer(serializers.ModelSerializer):
    """One recommended course with the reason as numbers (``reason``) and as sentences (``explanation``)."""

    cycle = serializers.IntegerField(source="cycle.year")
    course = serializers.CharField(source="course.code", help_text="Course code (unique within its agency).")
    course_id = serializers.IntegerField()
    course_title = serializers.CharField(source="course.display_title")
    course_agency = serializers.CharField(source="course.agency.code")
    provider = serializers.CharField(source="course.provider.name")
    mode = serializers.CharField(source="course.mode")
    jp = serializers.IntegerField(source="course.jp")
    cost_per_participant = serializers.IntegerField(source="course.cost_per_participant")
    competency = serializers.CharField(source="competency.code", allow_null=True, default=None,
                                       help_text="The gap it mainly closes; null for a top-up towards the JP minimum.")
    kind = serializers.SerializerMethodField(help_text="gap (best course for a gap), alternative, or top_up.")
    explanation = serializers.SerializerMethodField(help_text="Why, as sentences in the request's language.")
    next_session = serializers.SerializerMethodField(help_text="The next session open for enrollment, if any.")
    reason = serializers.JSONField(help_text="The numbers behind the recommendation (gaps, course, score parts, plan).")

    class Meta:
        model = Recommendation
        fields = [
            "id", "cycle", "rank", "status", "in_plan", "kind", "course", "course_id", "course_title", "course_agency",
            "provider", "mode", "jp", "cost_per_participant", "competency", "score", "expected_closure",
            "explanation", "next_session", "reason",
        ]

    @extend_schema_field(serializers.ChoiceField(choices=["gap", "alternative", "top_up"]))
    def get_kind(self, recommendation):
        return (recommendation.reason or {}).get("kind", "gap")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_explanation(self, recommendation):
        return explain_recommendation(recommendation.reason, mode=recommendation.course.mode,
                                      names=self.context.get("names", {}))

    @extend_schema_field(SessionBriefSerializer(allow_null=True))
    def get_next_session(self, recommendation):
        upcoming = self.context.get("sessions", {}).get(recommendation.course_id)
        session = upcoming.open if upcoming else None
        return SessionBriefSerializer(session).data if session else None


class AcceptSerializer(serializers.Serializer):
    session = serializers.PrimaryKeyRelatedField(
        queryset=Session.objects.all(), required=False, allow_null=True,
        help_text="Session id; default: the course's next session open for enrollment.",
    )


AcceptResultSerializer = inline_serializer(name="RecommendationAccepted", fields={
    "detail": serializers.CharField(),
    "enrollment": serializers.IntegerField(help_text="Id of the enrollment (see enrollments/)."),
    "status": serializers.CharField(help_text="requested, enrolled or waitlisted."),
})


class MyRecommendationFilter(filters.FilterSet):
    cycle = filters.NumberFilter(field_name="cycle__year", help_text="Cycle year; default the latest with recommendations.")
    status = filters.MultipleChoiceFilter(choices=RecommendationStatus.choices,
                                          help_text="Default: suggested only.")
    in_plan = filters.BooleanFilter(help_text="true: only the year's plan.")

    class Meta:
        model = Recommendation
        fields = []


# --- views ---------------------------------------------------------------------------------------

@extend_schema(tags=["learning"])
class MyRecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """My recommended courses for a cycle, best first, each with why (gaps, levels, JP) and its next
    open session. ``accept`` asks for a seat in it; ``dismiss`` sets it aside."""

    serializer_class = RecommendationSerializer
    filterset_class = MyRecommendationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return Recommendation.objects.none()
        me = _me(self.request)
        return Recommendation.objects.filter(employee=me).select_related(
            "cycle", "course__agency", "course__provider", "competency").order_by("rank", "pk")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if getattr(self, "action", None) != "list":
            return queryset
        params = self.request.query_params
        if not params.get("status"):
            queryset = queryset.filter(status=RecommendationStatus.SUGGESTED)
        if not params.get("cycle"):
            cycle = learning.recommendation_cycle(_me(self.request))
            queryset = queryset.filter(cycle=cycle) if cycle else queryset.none()
        return queryset

    def _context(self, rows):
        """The serializer context with what the rows need, read in a fixed number of queries."""
        context = self.get_serializer_context()
        context["names"] = learning.competency_names([r.reason for r in rows])
        context["sessions"] = learning.next_sessions({r.course_id for r in rows})
        return context

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = RecommendationSerializer(rows, many=True, context=self._context(rows)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        recommendation = self.get_object()
        return Response(RecommendationSerializer(recommendation, context=self._context([recommendation])).data)

    @extend_schema(request=AcceptSerializer, responses={201: AcceptResultSerializer, 200: AcceptResultSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Ask for a seat in the recommended course (its next open session unless ``session`` is given)."""
        recommendation = self.get_object()
        payload = AcceptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            enrollment = recommendation_accept(recommendation=recommendation, user=request.user,
                                               session=payload.validated_data.get("session"))
        except DjangoValidationError as error:
            raise ValidationError({"detail": " ".join(error.messages)}) from None
        created = getattr(enrollment, "created", True)  # False: a live enrollment already existed
        return Response({
            "detail": _("Seat requested: %(status)s.") % {"status": enrollment.get_status_display()},
            "enrollment": enrollment.pk,
            "status": enrollment.status,
        }, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses=RecommendationSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Set the recommendation aside; the next run does not suggest the course again this cycle."""
        recommendation = self.get_object()
        try:
            recommendation_dismiss(recommendation=recommendation, user=request.user)
        except DjangoValidationError as error:
            raise ValidationError({"detail": " ".join(error.messages)}) from None
        return Response(RecommendationSerializer(recommendation, context=self._context([recommendation])).data)


class JpCreditSerializer(serializers.ModelSerializer):
    competencies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = JpCredit
        fields = ["id", "title", "jp", "year", "competency_type", "route", "provider", "start_date", "end_date",
                  "certificate_number", "competencies"]


class LearningEnrollmentSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="session.course.code")
    course_title = serializers.CharField(source="session.course.display_title")
    jp = serializers.IntegerField(source="session.course.jp")
    session = serializers.IntegerField(source="session_id")
    session_label = serializers.CharField(source="session.label")
    starts_at = serializers.DateTimeField(source="session.starts_at")
    ends_at = serializers.DateTimeField(source="session.ends_at")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Enrollment
        fields = ["id", "status", "status_display", "course", "course_title", "jp", "session", "session_label",
                  "starts_at", "ends_at", "requested_at", "completed_at"]


LearningYearSerializer = inline_serializer(name="LearningYear", fields={
    "year": serializers.IntegerField(),
    "jp_total": serializers.IntegerField(help_text="JP credited in the year."),
    "jp_held": serializers.IntegerField(help_text="JP of sessions of the year in which you hold a seat, not yet credited."),
    "jp_minimum": serializers.IntegerField(help_text="The yearly minimum (20 JP for a PNS by default)."),
    "jp_remaining": serializers.IntegerField(help_text="JP still to be credited to reach the minimum."),
    "meets_minimum": serializers.BooleanField(),
    "credits": JpCreditSerializer(many=True),
    "enrollments": LearningEnrollmentSerializer(many=True),
})


@extend_schema(tags=["learning"])
class MyLearningView(APIView):
    """My learning record for a year: JP credited against the minimum, the credits, and my enrollments
    in sessions of that year."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Year, e.g. 2026; default this year.")],
        responses=LearningYearSerializer,
    )
    def get(self, request):
        me = _me(request)
        raw = request.query_params.get("year")
        try:
            year = int(raw) if raw else learning.current_year(me)
        except ValueError:
            raise ValidationError({"year": [_("The year must be a number such as 2026.")]}) from None
        if not 1900 <= year <= 2999:
            raise ValidationError({"year": [_("The year must be a number such as 2026.")]})
        totals = learning.jp_year(me, year)
        credits = learning.jp_credits(me, year).prefetch_related("competencies")
        enrollments = learning.my_enrollments(me, year=year)
        return Response({
            "year": year,
            "jp_total": totals.credited,
            "jp_held": totals.held,
            "jp_minimum": totals.minimum,
            "jp_remaining": totals.remaining,
            "meets_minimum": totals.meets_minimum,
            "credits": JpCreditSerializer(credits, many=True).data,
            "enrollments": LearningEnrollmentSerializer(enrollments, many=True).data,
        })


urlpatterns = [
    path("me/learning/", MyLearningView.as_view(), name="me-learning"),
]
