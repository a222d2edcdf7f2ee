"""The 9-box in the API: placements scoped by role (HR and the talent committee their agency, a person
their own when the agency shows it), read-only; calibration is on the site (docs/talent.md)."""

from django.db.models import Max
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from ..grades import JobType
from ..infra.api import GenericViewSet, IdFilter
from ..models import TalentPlacement
from ..talent.access import is_talent_staff, visible_placements
from ..talent.boxes import Performance, Potential

CYCLE_HELP = "Cycle year, e.g. 2026. Default: the latest cycle among the placements you may see."


class TalentPlacementSerializer(serializers.ModelSerializer):
    """One person's place in the 9-box of a cycle; ``reason`` for HR and the talent committee only."""

    nip = serializers.CharField(source="employee.nip")
    name = serializers.CharField(source="employee.name")
    cycle = serializers.IntegerField(source="cycle.year", help_text="Cycle year.")
    agency = serializers.CharField(source="agency.code", help_text="Agency code.")
    unit = serializers.CharField(source="unit.code", help_text="Unit code (where the person sat when placed).")
    job_type = serializers.ChoiceField(choices=JobType.choices, help_text="Job type when placed.")
    performance = serializers.ChoiceField(choices=Performance.choices)
    potential = serializers.ChoiceField(choices=Potential.choices)
    box = serializers.IntegerField(min_value=1, max_value=9, help_text="The box, after any calibration move (1–9).")
    computed_box = serializers.IntegerField(min_value=1, max_value=9, help_text="The box the evidence gave (1–9).")
    calibrated = serializers.BooleanField(help_text="Moved by the talent committee away from the box of the evidence.")
    reason = serializers.SerializerMethodField(
        help_text="The numbers behind the placement (docs/talent.md): for training admins, the talent committee "
                  "and superusers; null for a person reading their own placement.",
    )

    class Meta:
        model = TalentPlacement
        fields = ["nip", "name", "cycle", "agency", "unit", "job_type", "performance", "potential", "box",
                  "computed_box", "calibrated", "reason"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_reason(self, placement):
        return placement.reason if self.context.get("hr") else None


class TalentFilter(filters.FilterSet):
    cycle = IdFilter(field_name="cycle__year", max_value=9999, help_text=CYCLE_HELP)
    box = IdFilter(field_name="box", max_value=9, help_text="Box 1–9 (after calibration).")
    unit = filters.CharFilter(field_name="unit__code", help_text="Unit code (codes are unique within an agency).")
    job_type = filters.ChoiceFilter(choices=JobType.choices, help_text="Job type when placed.")

    class Meta:
        model = TalentPlacement
        fields = []


@extend_schema_view(list=extend_schema(
    tags=["talent"],
    summary="9-box placements you may see",
    description=(
        "Where people stand in the talent 9-box (performance × potential, PermenPANRB 3/2020). Training "
        "admins and the talent committee see their agency, superusers every agency; anyone else sees only "
        "their own placement, and only when their agency's talent policy shows people their box (an empty "
        "list otherwise, also for supervisors and planners). Read-only: calibration moves are made on the site."
    ),
))
class TalentViewSet(mixins.ListModelMixin, GenericViewSet):
    """9-box placements scoped by role; newest box first within a cycle."""

    serializer_class = TalentPlacementSerializer
    filterset_class = TalentFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return TalentPlacement.objects.none()
        return visible_placements(self.request.user).select_related("cycle", "employee", "agency", "unit").order_by(
            "-cycle__year", "-box", "employee__name", "pk")

    def filter_queryset(self, queryset):
        filtered = super().filter_queryset(queryset)
        if self.request.query_params.get("cycle"):
            return filtered
        # Without ?cycle=, the latest cycle among what the caller may see (not among the filtered rows,
        # so ?box=9 does not jump to another year).
        latest = queryset.order_by().aggregate(year=Max("cycle__year"))["year"]
        return filtered.filter(cycle__year=latest) if latest is not None else filtered.none()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["hr"] = is_talent_staff(self.request.user)
        return context
