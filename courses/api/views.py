"""Views of the catalogue API: published courses and their sessions, readable by any signed-in user."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend

from tna.infra.api import ReadOnlyModelViewSet

from ..models import Meeting, Session
from ..seats import with_seats
from ..selectors import published_courses, with_next_session
from .filters import CourseFilter, SessionFilter
from .serializers import (
    COURSE_VALUES,
    SESSION_VALUES,
    CourseSerializer,
    SessionSerializer,
    course_rows,
    session_rows,
)


class IdleFiltersSkipped:
    """A list asked without any of its filters' parameters skips the filter set, which would change
    nothing: building it (a form, a copy of every filter) cost more than the rest of the query."""

    def filter_queryset(self, queryset):
        asked = set(self.request.query_params) & set(self.filterset_class.base_filters)
        for backend in self.filter_backends:
            if asked or not issubclass(backend, DjangoFilterBackend):
                queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset


class CourseViewSet(IdleFiltersSkipped, ReadOnlyModelViewSet):
    """Published courses of every agency's catalogue, with the competencies and levels each develops."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self):
        return with_next_session(published_courses()).prefetch_related(
            "competency_targets__competency", "prerequisite_courses"
        ).order_by("agency__code", "title")

    def list(self, request, *args, **kwargs):
        # The page as plain rows (courses.api.serializers.course_rows): the same JSON, a fraction of the work.
        queryset = self.filter_queryset(self.get_queryset().prefetch_related(None))
        page = self.paginate_queryset(queryset.values(*COURSE_VALUES))
        return self.get_paginated_response(course_rows(page))


class SessionViewSet(IdleFiltersSkipped, ReadOnlyModelViewSet):
    """Sessions of published courses (cancelled and past ones included; ``upcoming=true`` for the rest)."""

    serializer_class = SessionSerializer
    filterset_class = SessionFilter

    def get_queryset(self):
        return (
            with_seats(Session.objects.public())
            .select_related("course", "course__agency")
            .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.order_by("number")))
            .order_by("starts_at", "pk")
        )

    def list(self, request, *args, **kwargs):
        # The page as plain rows (courses.api.serializers.session_rows): the same JSON, a fraction of the work.
        queryset = self.filter_queryset(self.get_queryset().prefetch_related(None))
        page = self.paginate_queryset(queryset.values(*SESSION_VALUES))
        return self.get_paginated_response(session_rows(page, request))
