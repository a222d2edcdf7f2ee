"""Views of the catalogue API: published courses and their sessions, readable by any signed-in user."""

from django.db.models import Prefetch

from tna.infra.api import ReadOnlyModelViewSet

from ..models import Meeting, Session
from ..seats import with_seats
from ..selectors import published_courses, with_next_session
from .filters import CourseFilter, SessionFilter
from .serializers import CourseSerializer, SessionSerializer


class CourseViewSet(ReadOnlyModelViewSet):
    """Published courses of every agency's catalogue, with the competencies and levels each develops."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilter

    def get_queryset(self):
        return with_next_session(published_courses()).prefetch_related(
            "competency_targets__competency", "prerequisite_courses"
        ).order_by("agency__code", "title")


class SessionViewSet(ReadOnlyModelViewSet):
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
