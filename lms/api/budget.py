"""API of budget planning: ``plans/`` with allocation summaries, and the plan's status moves.

Planners see their own agency's plans, superusers every agency's; nobody else sees any.
Writes go through ``lms.services.budget``.
"""

import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from tna.infra.scoping import scope_to_agency
from tna.roles import PLANNER, has_role

from ..budget.summary import allocation, totals
from ..models import TrainingPlan
from ..services import budget as service

urlpatterns = []
BREAKDOWNS = {"unit": "unit_name", "category": "category", "competency": "competency_code",
              "competency_type": "competency_type", "account": "account"}


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("plans", PlanViewSet, basename="plan")


class IsPlanner(IsAuthenticated):
    message = "Only planners and superusers see training plans."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and (
            request.user.is_superuser or has_role(request.user, PLANNER))


def _clean(records):
    """JSON-safe rows: NaN and infinities become null, numpy numbers plain ones."""
    out = []
    for row in records:
        out.append({k: (None if isinstance(v, float) and not math.isfinite(v) else
                        (v.item() if hasattr(v, "item") else v)) for k, v in row.items()})
    return out


class PlanSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code")
    # Plain strings, not enums: "status" and "method" would collide with other areas' enums in the schema.
    status = serializers.CharField(read_only=True, help_text="draft, submitted or approved.")
    method = serializers.CharField(read_only=True, help_text="optimised or greedy.")
    cycle = serializers.IntegerField(source="cycle.year", allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True, default=None)
    approved_by = serializers.CharField(source="approved_by.username", allow_null=True, default=None)
    figures = serializers.JSONField(help_text="The run: objective, value (priority-weighted gap closure), bound, gap, "
                                              "lp_bound, lp_gap, seconds, seats, classes, spent, budget, "
                                              "reaching_minimum, employees.")

    class Meta:
        model = TrainingPlan
        fields = ["id", "agency", "fiscal_year", "cycle", "name", "method", "status", "figures", "parameters",
                  "envelopes", "created_by", "created_at", "submitted_by", "submitted_at", "approved_by",
                  "approved_at"]


class PlanDetailSerializer(PlanSerializer):
    summary = serializers.SerializerMethodField(help_text="Totals: cost, seats, participants, JP, closure, cost per "
                                                          "JP / participant / gap point, staff reaching 20 JP.")
    allocation = serializers.SerializerMethodField(help_text="Rows per unit, category, competency, competency type "
                                                             "and account: participants, seats, cost, jp, "
                                                             "expected_closure, cost_per_jp, cost_per_participant, "
                                                             "cost_per_point, share_of_cost.")
    planned_vs_spent = serializers.SerializerMethodField(help_text="Per account: planned, committed (enrolled), "
                                                                   "spent (completed), rupiah.")
    items = serializers.SerializerMethodField(help_text="The plan's lines with the national development plan's columns.")
    events = serializers.SerializerMethodField(help_text="Who did what, when.")

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "summary", "allocation", "planned_vs_spent", "items", "events"]

    def _seats(self, plan):
        cache = self.context.setdefault("seats", {})
        if plan.pk not in cache:
            cache[plan.pk] = service.plan_seats(plan)
        return cache[plan.pk]

    @extend_schema_field(serializers.DictField())
    def get_summary(self, plan):
        staff, reaching = service.reaching_minimum(plan)
        return _clean([totals(self._seats(plan), staff=staff, reaching=reaching)])[0]

    @extend_schema_field(serializers.DictField(child=serializers.ListField(child=serializers.DictField())))
    def get_allocation(self, plan):
        seats = self._seats(plan)
        return {name: _clean(allocation(seats, column).rename(columns={column: name}).to_dict("records"))
                for name, column in BREAKDOWNS.items()}

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_planned_vs_spent(self, plan):
        return _clean(service.planned_vs_spent(plan).to_dict("records"))

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_items(self, plan):
        return [{
            "course": item.course.code, "title": item.course.display_title, "classes": item.classes,
            "participants": item.n, "cost_per_participant": item.cost_per_participant,
            "cost_per_class": item.cost_per_class, "jp": item.jp, "expected_closure": item.expected_closure,
            "account": item.account, "competency_type": item.competency_type, "target_staff": item.target_staff,
            "route": item.route, "provider": item.provider, "schedule": item.schedule, "budget": item.budget,
        } for item in service.plan_items(plan)]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_events(self, plan):
        return [{"action": e.action, "user": e.user.username if e.user else None, "at": e.at, "note": e.note}
                for e in plan.events.select_related("user")]


class PlanFilter(filters.FilterSet):
    fiscal_year = filters.NumberFilter()
    status = filters.CharFilter(help_text="draft, submitted or approved.")
    method = filters.CharFilter(help_text="optimised or greedy.")
    agency = filters.CharFilter(field_name="agency__code", help_text="Agency code (superusers).")

    class Meta:
        model = TrainingPlan
        fields = []


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["budget"])
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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

