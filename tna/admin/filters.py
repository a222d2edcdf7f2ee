"""Listing filters of the tna admin; every choice of agency, unit or position is the user's own."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.widgets import BooleanRadioSelect

from ..grades import GRADE_CHOICES, JobType
from ..infra.scoped_admin import agencies_for, positions_for, units_for
from ..models import (
    Competency,
    CompetencyGroup,
    Employee,
    Position,
    TopicCategory,
    Unit,
    UnitSatisfaction,
)
from ..models.people import EmploymentType


class EmployeeFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(label=_("agency"), queryset=agencies_for)
    unit = django_filters.ModelChoiceFilter(label=_("unit"), queryset=units_for)
    position = django_filters.ModelChoiceFilter(label=_("position"), queryset=positions_for)
    job_type = django_filters.ChoiceFilter(
        label=_("job type"), field_name="position__job_type", choices=JobType.choices
    )
    grade = django_filters.MultipleChoiceFilter(
        label=_("grade (golongan/ruang)"), choices=GRADE_CHOICES,
    )
    employment = django_filters.ChoiceFilter(label=_("employment"), choices=EmploymentType.choices)
    active = django_filters.BooleanFilter(label=_("active"), widget=BooleanRadioSelect)

    class Meta:
        model = Employee
        fields = []


class UnitFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(label=_("agency"), queryset=agencies_for)
    parent = django_filters.ModelChoiceFilter(label=_("parent unit"), queryset=units_for)
    top_level = django_filters.BooleanFilter(
        label=_("top-level units only"), field_name="parent", lookup_expr="isnull", widget=BooleanRadioSelect
    )

    class Meta:
        model = Unit
        fields = []


class PositionFilterSet(WagtailFilterSet):
    agency = django_filters.ModelChoiceFilter(label=_("agency"), queryset=agencies_for)
    job_type = django_filters.ChoiceFilter(label=_("job type"), choices=JobType.choices)

    class Meta:
        model = Position
        fields = []


class CompetencyFilterSet(WagtailFilterSet):
    group = django_filters.ChoiceFilter(label=_("group"), choices=CompetencyGroup.choices)
    category = django_filters.ChoiceFilter(label=_("topic category"), choices=TopicCategory.choices)
    applies_to_all = django_filters.BooleanFilter(label=_("applies to every position"), widget=BooleanRadioSelect)
    active = django_filters.BooleanFilter(label=_("active"), widget=BooleanRadioSelect)

    class Meta:
        model = Competency
        fields = []


class UnitSatisfactionFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(label=_("unit"), queryset=units_for)
    agency = django_filters.ModelChoiceFilter(label=_("agency"), field_name="unit__agency", queryset=agencies_for)

    class Meta:
        model = UnitSatisfaction
        fields = ["cycle"]
