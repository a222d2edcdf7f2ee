"""API of the lms learning area: ``me/recommendations/`` (with accept and dismiss) and ``me/learning/``.

Both are about the signed-in person only: another person's recommendation is a 404, whoever
asks. Writes go through ``lms.services.recommendations`` (accepting is ``enrollment_request``).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from tna.infra.api import APIView, EnrollmentWriteThrottle, ListRetrieveViewSet
from tna.roles import employee_of

from ..models import EnrollmentStatus, Recommendation, RecommendationStatus
from ..selectors import learning
from ..services.recommendations import recommendation_accept, recommendation_dismiss
from .filters import MyRecommendationFilter
from .serializers import (
    JP_CREDIT_VALUES,
    LEARNING_ENROLLMENT_VALUES,
    RECOMMENDATION_VALUES,
    AcceptResultSerializer,
    AcceptSerializer,
    LearningYearSerializer,
    RecommendationSerializer,
    SessionBriefSerializer,
    jp_credit_rows,
    learning_enrollment_rows,
    recommendation_rows,
)


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("me/recommendations", MyRecommendationViewSet, basename="my-recommendation")


def _me(request):
    me = employee_of(request.user)
    if me is None:
        raise NotFound(_("This account is not linked to an employee, so it has no learning record."))
    return me


@extend_schema(tags=["learning"])
class MyRecommendationViewSet(ListRetrieveViewSet):
    """My recommended courses for a cycle, best first, each with why (gaps, levels, JP) and its next
    open session. ``accept`` asks for a seat in it; ``dismiss`` sets it aside."""

    serializer_class = RecommendationSerializer
    filterset_class = MyRecommendationFilter
    error_statuses = [404]  # an account not linked to an employee has no recommendations

    def get_throttles(self):
        throttles = super().get_throttles()
        if getattr(self, "action", None) == "accept":  # asks for a seat
            throttles.append(EnrollmentWriteThrottle())
        return throttles

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
        # The page as plain rows (recommendation_rows): the serializer's JSON without model instances.
        queryset = self.filter_queryset(self.get_queryset()).values(*RECOMMENDATION_VALUES)
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        data = recommendation_rows(rows, names=learning.competency_names([r["reason"] for r in rows]),
                                   sessions=learning.next_open_sessions({r["course_id"] for r in rows},
                                                                        SessionBriefSerializer.Meta.fields))
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


@extend_schema(tags=["learning"])
class MyLearningView(APIView):
    """My learning record for a year: JP credited against the minimum, the credits, and my enrollments
    in sessions of that year."""

    error_statuses = [404]  # an account not linked to an employee has no learning record

    @extend_schema(
        parameters=[OpenApiParameter("year", {"type": "integer", "minimum": 1900, "maximum": 2999},
                                    description="Year, e.g. 2026; default this year.")],
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
        # Plain rows (jp_credit_rows, learning_enrollment_rows): the serializers' JSON without model instances,
        # and the year's totals from them (learning.jp_year would ask the database again).
        credits = list(learning.jp_credits(me, year).values(*JP_CREDIT_VALUES))
        enrollments = list(learning.my_enrollments(me, year=year).values(*LEARNING_ENROLLMENT_VALUES))
        totals = learning.JpYear(
            year=year, credited=sum(credit["jp"] for credit in credits),
            held=sum(e["session__course__jp"] for e in enrollments if e["status"] == EnrollmentStatus.ENROLLED),
            minimum=learning.jp_minimum(),
        )
        return Response({
            "year": year,
            "jp_total": totals.credited,
            "jp_held": totals.held,
            "jp_minimum": totals.minimum,
            "jp_remaining": totals.remaining,
            "meets_minimum": totals.meets_minimum,
            "credits": jp_credit_rows(credits),
            "enrollments": learning_enrollment_rows(enrollments),
        })


urlpatterns = [
    path("me/learning/", MyLearningView.as_view(), name="me-learning"),
]
