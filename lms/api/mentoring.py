"""API of mentoring: ``mentoring/``, the mentoring pairs a user may see (read-only; docs/mentoring.md#the-api).

Training admins see every pair of their agency's programmes, superusers every agency's; anyone
else sees only the pairs they are the mentor or the mentee of (supervisors get nothing more).
Pairs are proposed by ``manage.py match_mentors``; locks and vetoes are HR's, on the site.
"""

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from tna.infra.api import GenericViewSet
from tna.roles import TRAINING_ADMIN, employee_of, has_role

from ..models.mentoring import MentoringPair

urlpatterns = []


def register(router):
    """Register this area's viewsets on the lms router."""
    router.register("mentoring", MentoringPairViewSet, basename="mentoring")


def visible_pairs(user):
    """The mentoring pairs ``user`` may see: superusers all, training admins their agency's, others their own."""
    pairs = MentoringPair.objects.all()
    if getattr(user, "is_superuser", False):
        return pairs
    employee = employee_of(user)
    if employee is None:
        return pairs.none()
    if has_role(user, TRAINING_ADMIN):
        return pairs.filter(programme__agency_id=employee.agency_id)
    return pairs.filter(Q(mentor=employee) | Q(mentee=employee))


class MentoringPairSerializer(serializers.ModelSerializer):
    """A mentor and a mentee working on one competency in a programme, and why the matcher paired them."""

    programme = serializers.CharField(source="programme.code", help_text="Programme code.")
    mentor_nip = serializers.CharField(source="mentor.nip")
    mentor_name = serializers.CharField(source="mentor.name")
    mentee_nip = serializers.CharField(source="mentee.nip")
    mentee_name = serializers.CharField(source="mentee.name")
    competency = serializers.CharField(source="competency.code", help_text="Competency code.")
    reason = serializers.DictField(
        help_text="The numbers behind the match (docs/mentoring.md#reasons): competency, gap, priority, weight, "
                  "mentor_level, same_location, cross_unit, locked and text; empty for a pair made by hand.")

    class Meta:
        model = MentoringPair
        fields = ["id", "programme", "mentor_nip", "mentor_name", "mentee_nip", "mentee_name", "competency",
                  "status", "locked", "goal_level", "started_on", "ended_on", "goal_met", "reason"]
        read_only_fields = fields


class MentoringFilter(filters.FilterSet):
    programme = filters.CharFilter(field_name="programme__code", help_text="Programme code.")
    status = filters.ChoiceFilter(choices=MentoringPair.Status.choices)

    class Meta:
        model = MentoringPair
        fields = []


@extend_schema_view(list=extend_schema(
    tags=["mentoring"],
    summary="Mentoring pairs you may see",
    description=(
        "The pairs of mentoring programmes (docs/mentoring.md). Training admins see every pair of their "
        "agency's programmes, superusers every agency's; anyone else sees only the pairs they are the mentor "
        "or the mentee of, with the reason (supervisors see no more). Read-only: pairs are proposed by "
        "`manage.py match_mentors`, locked and vetoed by HR."
    ),
))
class MentoringPairViewSet(mixins.ListModelMixin, GenericViewSet):
    """Mentoring pairs scoped by role, by programme, then mentor and mentee."""

    serializer_class = MentoringPairSerializer
    filterset_class = MentoringFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting the view
            return MentoringPair.objects.none()
        return visible_pairs(self.request.user).select_related("programme", "mentor", "mentee", "competency").order_by(
            "programme__code", "mentor__name", "mentee__name", "pk")
