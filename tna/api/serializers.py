"""Serializers of the tna API: the competency dictionary, gap rows and gap summaries."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from .. import selectors
from ..models import Competency, CompetencyGap, CompetencyLevel
from ..roles import employee_of
from ..sentences import explain

SUMMARY_BY = list(selectors.SUMMARY_KEYS)


class CompetencyLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyLevel
        fields = ["level", "descriptor", "descriptor_en"]


class CompetencySerializer(serializers.ModelSerializer):
    levels = CompetencyLevelSerializer(many=True, read_only=True)

    class Meta:
        model = Competency
        fields = ["code", "name", "name_en", "group", "category", "description", "description_en", "levels"]


class RaterGroupSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=["supervisor", "peer", "subordinate", "other", "self"],
        help_text="Rater group; 'other' pools the groups with fewer raters than the privacy minimum.",
    )
    n = serializers.IntegerField(help_text="Number of raters in the group.")
    mean = serializers.FloatField(
        allow_null=True,
        help_text="Mean level given by the group, after leniency correction; null for a peer or subordinate "
                  "group too small to be anonymous (authorised HR only: it counts in the 'other' pool).",
    )
    weight = serializers.FloatField(
        required=False, allow_null=True,
        help_text="Weight used (authorised HR only); null for the 'other' pool, whose groups carry their own.",
    )


class GapSerializer(serializers.ModelSerializer):
    """One gap row with the privacy-filtered rater view and the reason in words."""

    cycle = serializers.IntegerField(source="cycle.year")
    nip = serializers.CharField(source="employee.nip")
    name = serializers.CharField(source="employee.name")
    agency = serializers.CharField(source="agency.code")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    competency = serializers.CharField(source="competency.code")
    competency_name = serializers.CharField(source="competency.display_name")
    competency_group = serializers.CharField(source="competency.group")
    raters = serializers.SerializerMethodField(help_text="Average per rater group, merged for privacy.")
    reason = serializers.SerializerMethodField(help_text="The numbers behind the gap (without per-role raters).")
    explanation = serializers.SerializerMethodField(help_text="The reason as sentences in the request's language.")

    class Meta:
        model = CompetencyGap
        fields = [
            "id", "cycle", "nip", "name", "agency", "unit", "unit_name", "competency", "competency_name",
            "competency_group", "required_level", "observed_level", "confidence", "gap", "priority",
            "raters", "reason", "explanation",
        ]

    def _raters(self, gap):
        if not hasattr(gap, "_visible_raters"):
            gap._visible_raters = selectors.rater_view(self.context["request"].user, gap)
        return gap._visible_raters

    @extend_schema_field(RaterGroupSerializer(many=True))
    def get_raters(self, gap):
        return self._raters(gap)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_reason(self, gap):
        return selectors.public_reason(gap.reason)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_explanation(self, gap):
        me = employee_of(self.context["request"].user)
        own = me is not None and me.pk == gap.employee_id
        return explain(gap.reason or {}, self._raters(gap), gap.priority, own=own)


GapSummarySerializer = inline_serializer(
    name="GapSummary",
    fields={
        "cycle": serializers.IntegerField(allow_null=True),
        "by": serializers.ChoiceField(choices=SUMMARY_BY),
        "results": inline_serializer(
            name="GapSummaryRow",
            many=True,
            fields={
                "key": serializers.IntegerField(help_text="Database id of the unit, competency or agency."),
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "count": serializers.IntegerField(help_text="Assessed rows (person × competency with ratings)."),
                "unassessed": serializers.IntegerField(help_text="Rows without any rating yet (left out of the means)."),
                "mean_gap": serializers.FloatField(allow_null=True),
                "share_gap_ge_1": serializers.FloatField(allow_null=True, help_text="Share (0–1) with a gap of 1 or more."),
                "mean_priority": serializers.FloatField(allow_null=True),
            },
        ),
    },
)
