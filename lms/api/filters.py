"""Query-parameter filters of the lms API."""

from django_filters import rest_framework as filters

from tna.infra.api import IdFilter

from ..models import Enrollment, EnrollmentStatus, Recommendation, RecommendationStatus, TrainingPlan
from ..selectors.enrollments import pending_approvals


class EnrollmentFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=EnrollmentStatus.choices)
    session = IdFilter(field_name="session_id")
    course = filters.CharFilter(field_name="session__course__code", help_text="Course code.")
    nip = filters.CharFilter(field_name="employee__nip", help_text="NIP of one person.")
    awaiting_me = filters.BooleanFilter(method="filter_awaiting_me",
                                        help_text="true: only requests waiting for your decision.")

    class Meta:
        model = Enrollment
        fields = []

    def filter_awaiting_me(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=pending_approvals(self.request.user).values("pk"))


class MyRecommendationFilter(filters.FilterSet):
    cycle = filters.NumberFilter(field_name="cycle__year", help_text="Cycle year; default the latest with recommendations.")
    status = filters.MultipleChoiceFilter(choices=RecommendationStatus.choices,
                                          help_text="Default: suggested only.")
    in_plan = filters.BooleanFilter(help_text="true: only the year's plan.")

    class Meta:
        model = Recommendation
        fields = []


class PlanFilter(filters.FilterSet):
    fiscal_year = filters.NumberFilter()
    status = filters.CharFilter(help_text="draft, submitted or approved.")
    method = filters.CharFilter(help_text="optimised or greedy.")
    agency = filters.CharFilter(field_name="agency__code", help_text="Agency code (superusers).")

    class Meta:
        model = TrainingPlan
        fields = []
