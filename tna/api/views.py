"""Views of the tna API."""

from django_filters import rest_framework as filters

from ..infra.api import ReadOnlyModelViewSet
from ..models import Competency
from .serializers import CompetencySerializer


class CompetencyFilter(filters.FilterSet):
    class Meta:
        model = Competency
        fields = ["group", "category"]


class CompetencyViewSet(ReadOnlyModelViewSet):
    """The competency dictionary with level descriptors; readable by any signed-in user."""

    queryset = Competency.objects.filter(active=True).prefetch_related("levels")
    serializer_class = CompetencySerializer
    filterset_class = CompetencyFilter
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
