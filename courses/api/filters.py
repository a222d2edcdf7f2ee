"""Query-parameter filters of the catalogue API."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_filters import rest_framework as filters

from tna.infra.api import IdFilter
from tna.models import TopicCategory, TrainingMode

from ..models import Course, Route, Session, SessionStatus
from ..seats import with_seats
from ..selectors import filter_courses

UPCOMING = [SessionStatus.SCHEDULED, SessionStatus.POSTPONED]


def _day_start(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


class CourseFilter(filters.FilterSet):
    agency = filters.CharFilter(field_name="agency__code", help_text="Agency code.")
    category = filters.ChoiceFilter(choices=TopicCategory.choices)
    mode = filters.ChoiceFilter(choices=TrainingMode.choices)
    route = filters.ChoiceFilter(choices=Route.choices)
    competency = filters.CharFilter(method="filter_competency", help_text="Competency code, e.g. M.03.")
    starts_after = filters.DateFilter(method="filter_noop", help_text="Has a session starting on or after this date.")
    starts_before = filters.DateFilter(method="filter_noop", help_text="Has a session starting on or before this date.")
    has_seats = filters.BooleanFilter(method="filter_has_seats", help_text="Has an upcoming session with seats left.")
    q = filters.CharFilter(method="filter_search", help_text="Full-text search in titles, codes and descriptions.")

    class Meta:
        model = Course
        fields = ["agency", "category", "mode", "route"]

    def filter_competency(self, queryset, name, value):
        return filter_courses(queryset, competency=value)

    def filter_search(self, queryset, name, value):
        return filter_courses(queryset, q=value)

    def filter_noop(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_has_seats(self, queryset, name, value):
        sessions = with_seats(Session.objects.filter(
            course=OuterRef("pk"), status=SessionStatus.SCHEDULED, starts_at__gt=timezone.now()
        )).filter(seats_left__gt=0)
        return queryset.filter(Exists(sessions)) if value else queryset.exclude(Exists(sessions))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        after, before = self.form.cleaned_data.get("starts_after"), self.form.cleaned_data.get("starts_before")
        if after or before:
            sessions = Session.objects.filter(course=OuterRef("pk"), status__in=UPCOMING, ends_at__gte=timezone.now())
            if after:
                sessions = sessions.filter(starts_at__gte=_day_start(after))
            if before:
                sessions = sessions.filter(starts_at__lt=_day_start(before + datetime.timedelta(days=1)))
            queryset = queryset.filter(Exists(sessions))
        return queryset


class SessionFilter(filters.FilterSet):
    agency = filters.CharFilter(field_name="course__agency__code", help_text="Agency code.")
    course = IdFilter(field_name="course_id")
    category = filters.ChoiceFilter(field_name="course__category", choices=TopicCategory.choices)
    mode = filters.ChoiceFilter(field_name="course__mode", choices=TrainingMode.choices)
    competency = filters.CharFilter(
        field_name="course__competency_targets__competency__code", distinct=True, help_text="Competency code, e.g. M.03."
    )
    status = filters.ChoiceFilter(choices=SessionStatus.choices)
    starts_after = filters.DateFilter(method="filter_starts_after", help_text="Starts on or after this date.")
    starts_before = filters.DateFilter(method="filter_starts_before", help_text="Starts on or before this date.")
    has_seats = filters.BooleanFilter(method="filter_has_seats", help_text="Seats left (after enrollments).")
    upcoming = filters.BooleanFilter(method="filter_upcoming", help_text="Not ended, not cancelled or completed.")

    class Meta:
        model = Session
        fields = ["agency", "course", "category", "mode", "status"]

    def filter_starts_after(self, queryset, name, value):
        return queryset.filter(starts_at__gte=_day_start(value))

    def filter_starts_before(self, queryset, name, value):
        return queryset.filter(starts_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_has_seats(self, queryset, name, value):
        return queryset.filter(seats_left__gt=0) if value else queryset.filter(seats_left=0)

    def filter_upcoming(self, queryset, name, value):
        upcoming = Session.objects.upcoming().values("pk")
        return queryset.filter(pk__in=upcoming) if value else queryset.exclude(pk__in=upcoming)
