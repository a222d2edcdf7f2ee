"""API of budget planning: ``plans/`` with allocation summaries, and the plan's status moves.

Planners see their own agency's plans, superusers every agency's; nobody else sees any.
Writes go through ``lms.services.budget``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from tna.infra.api import ListRetrieveViewSet
from tna.infra.scoping import scope_to_agency

from ..models import TrainingPlan
from ..services import budget as service
from .filters import PlanFilter
from .permissions import IsPlanner
from .serializers import NoteSerializer, PlanDetailSerializer, PlanSerializer

urlpatterns = []


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("plans", PlanViewSet, basename="plan")


@extend_schema(tags=["budget"])
class PlanViewSet(ListRetrieveViewSet):
    """Training plans of the planner's agency, newest first; one plan carries its allocation by unit,
    category, competency and account, unit costs, staff reaching 20 JP, planned vs spent, items
    and history. ``submit``, ``approve`` and ``return`` move it on."""

    permission_classes = [IsPlanner]
    filterset_class = PlanFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrainingPlan.objects.none()
        queryset = TrainingPlan.objects.select_related("agency", "cycle", "created_by", "submitted_by", "approved_by")
        return scope_to_agency(queryset, self.request.user).order_by("-fiscal_year", "-created_at", "-pk")

    def get_serializer_class(self):
        return PlanDetailSerializer if self.action == "retrieve" else PlanSerializer

    def _move(self, request, mover):
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            plan = mover(plan=self.get_object(), user=request.user, note=body.validated_data["note"])
        except DjangoValidationError as error:
            raise ValidationError({"detail": error.messages}) from error
        return Response(PlanSerializer(plan).data)

    @extend_schema(request=NoteSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Draft → submitted."""
        return self._move(request, service.plan_submit)

    @extend_schema(request=NoteSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Submitted → approved (one approved plan per agency and year)."""
        return self._move(request, service.plan_approve)

    @extend_schema(request=NoteSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_to_draft(self, request, pk=None):
        """Submitted or approved → draft, with the reason in ``note``."""
        return self._move(request, service.plan_return)
