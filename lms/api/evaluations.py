"""API of training evaluation: ``evaluations/`` (each course's measured effect) and ``evaluations/report/``.

Course effects are figures about courses, not people: everyone signed in sees those of their own
agency's courses, superusers every agency's. The report (reaction, learning gain, follow-up and
effect per course, provider, trainer or competency) is for the agency's training admins and
planners, with the same hiding of small groups as the page.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tna.infra.api import ListRetrieveViewSet
from tna.infra.scoping import scope_to_agency

from ..models import CourseEffect
from ..selectors.impact import GROUPINGS, evaluation_report
from ..views.impact import report_agency, report_year

urlpatterns = []


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("evaluations", EvaluationViewSet, basename="evaluation")


class CourseEffectSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code", read_only=True, help_text="Course code.")
    title = serializers.CharField(source="course.display_title", read_only=True)
    agency = serializers.CharField(source="course.agency.code", read_only=True)

    class Meta:
        model = CourseEffect
        fields = ["id", "course", "title", "agency", "year", "estimate", "low", "high", "n_treated", "n_control",
                  "enough", "reason", "prior", "shrunk", "realised", "near_zero", "computed_at"]


class EvaluationFilter(filters.FilterSet):
    year = filters.NumberFilter(help_text="Training year.")
    course = filters.CharFilter(field_name="course__code", help_text="Course code.")
    enough = filters.BooleanFilter(help_text="true: only effects with enough evidence.")
    near_zero = filters.BooleanFilter(help_text="true: only courses credibly near zero.")

    class Meta:
        model = CourseEffect
        fields = []


class ReportRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    attended = serializers.IntegerField()
    respondents = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True)
    reaction = serializers.FloatField(allow_null=True, help_text="Mean of 1–5; null when hidden or unanswered.")
    hidden = serializers.BooleanField(help_text="Fewer than five answers, or a mean the others would give away.")
    gain = serializers.FloatField(allow_null=True, help_text="Mean normalised gain (post − pre) ÷ (100 − pre).")
    gain_low = serializers.FloatField(allow_null=True)
    gain_high = serializers.FloatField(allow_null=True)
    gain_n = serializers.IntegerField()
    follow_learner = serializers.FloatField(allow_null=True)
    follow_supervisor = serializers.FloatField(allow_null=True)
    effect = serializers.DictField(allow_null=True)


@extend_schema(tags=["evaluation"])
class EvaluationViewSet(ListRetrieveViewSet):
    """Each course's measured effect on observed level by training year (``manage.py evaluate_training``)."""

    serializer_class = CourseEffectSerializer
    filterset_class = EvaluationFilter
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CourseEffect.objects.none()
        queryset = CourseEffect.objects.select_related("course__agency")
        return scope_to_agency(queryset, self.request.user, "course__agency").order_by("-year", "course__code")

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Training year; default the latest."),
                    OpenApiParameter("by", str, enum=GROUPINGS, default="course"),
                    OpenApiParameter("agency", str, description="Agency code (superusers only).")],
        responses=ReportRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def report(self, request):
        """The evaluation report of a training year per course, provider, trainer or competency."""
        try:
            agency = report_agency(request)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        by = request.query_params.get("by") if request.query_params.get("by") in GROUPINGS else "course"
        if agency is None:
            return Response([])
        report = evaluation_report(agency, report_year(request, agency), by=by)
        rows = [{**row, "key": str(row["key"]), "label": str(row["label"])} for row in report["rows"]]
        return Response(ReportRowSerializer(rows, many=True).data)
