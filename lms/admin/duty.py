"""Admin viewsets for the duty data the scheduler reads: unit service patterns, closure days and absences.

lms.wagtail_hooks registers VIEWSETS. Training admins and planners keep their own agency's rows
(lms migration 0002_duty_permissions gives both roles add, change, delete and view); superusers
keep every agency's. ``lms.services.scheduling.scheduling_problem`` reads what is saved here.
"""

import django_filters
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets import AdminDateInput
from wagtail.permissions import policy_registry, register_permission_policy

from tna.admin.choosers import employee_chooser
from tna.infra.scoped_admin import AgencyScopedForm, AgencyScopedViewSet, agencies_for, units_for
from tna.infra.scoping import AgencyPermissionPolicy, agency_scope

from ..models import AgencyClosure, ServiceKind, StaffAbsence, UnitDuty


def register_policies():
    """Scope the three duty models to the user's agency; safe to call more than once.

    Must run before a viewset asks Wagtail for these models' policy (it would otherwise create a
    plain, unscoped fallback), hence the call below when lms.wagtail_hooks imports this module.
    """
    policies = {
        UnitDuty: AgencyPermissionPolicy(UnitDuty, agency_field="unit__agency"),
        AgencyClosure: AgencyPermissionPolicy(AgencyClosure, agency_field="agency"),
        StaffAbsence: AgencyPermissionPolicy(StaffAbsence, agency_field="employee__agency"),
    }
    for model, policy in policies.items():
        if not isinstance(policy_registry.get_by_type(model, fallback=False), AgencyPermissionPolicy):
            register_permission_policy(model, policy, exact_class=True)


register_policies()


# Forms: the agency and the unit or person chosen are the user's own (another agency's id fails
# validation as an invalid choice), and the rules come with a message instead of an IntegrityError.


class UnitDutyForm(AgencyScopedForm):
    """A unit has one service pattern, so only units without one are offered."""

    agency_field_name = None
    scoped_fields = {"unit": "agency"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            taken = UnitDuty.objects.exclude(pk=self.instance.pk).values("unit")
            self.fields["unit"].queryset = self.fields["unit"].queryset.exclude(pk__in=taken)
            self.fields["unit"].help_text = _(
                "Units without a service pattern are scheduled as back offices (no peak hours)."
            )


class AgencyClosureForm(AgencyScopedForm):
    """One closure day per agency and date (the database refuses a second)."""

    def clean(self):
        cleaned = super().clean()
        agency, date = cleaned.get("agency"), cleaned.get("date")
        if agency is not None and date is not None:
            clash = AgencyClosure.objects.filter(agency=agency, date=date).exclude(pk=self.instance.pk).first()
            if clash is not None:
                self.add_error("date", _("%(agency)s is already closed on this date: %(reason)s.") % {
                    "agency": agency, "reason": clash.reason})
        return cleaned


class StaffAbsenceForm(AgencyScopedForm):
    """An absence runs from its first day to its last, both included."""

    agency_field_name = None
    scoped_fields = {"employee": "agency"}

    def clean(self):
        cleaned = super().clean()
        first_day, last_day = cleaned.get("first_day"), cleaned.get("last_day")
        if first_day is not None and last_day is not None and last_day < first_day:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return cleaned


# Listing filters; every agency or unit offered is the user's own.


class UnitDutyFilterSet(WagtailFilterSet):
    pattern = django_filters.ChoiceFilter(label=_("service pattern"), choices=ServiceKind.choices)
    agency = django_filters.ModelChoiceFilter(label=_("agency"), field_name="unit__agency", queryset=agencies_for)

    class Meta:
        model = UnitDuty
        fields = []


class AgencyClosureFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=_("year"), field_name="date__year", choices=())
    agency = django_filters.ModelChoiceFilter(label=_("agency"), queryset=agencies_for)

    class Meta:
        model = AgencyClosure
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The years the user's own closure days fall in, latest first.
        closures = agency_scope(AgencyClosure.objects.all(), getattr(self.request, "user", None))
        years = [day.year for day in closures.dates("date", "year", order="DESC")]
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]


class StaffAbsenceFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=StaffAbsence.Kind.choices)
    unit = django_filters.ModelChoiceFilter(label=_("unit"), field_name="employee__unit", queryset=units_for)
    away_on = django_filters.DateFilter(label=_("away on"), method="filter_away_on", widget=AdminDateInput)
    agency = django_filters.ModelChoiceFilter(label=_("agency"), field_name="employee__agency",
                                              queryset=agencies_for)

    class Meta:
        model = StaffAbsence
        fields = []

    def filter_away_on(self, queryset, name, value):
        return queryset.filter(first_day__lte=value, last_day__gte=value)


class UnitDutyViewSet(AgencyScopedViewSet):
    model = UnitDuty
    name = "lms_unitduty"
    url_prefix = "lms/unit-duty"
    icon = "time"
    list_display = ["unit", "pattern",
                    Column("agency", label=capfirst(_("agency")), accessor="unit.agency", sort_key="unit__agency__name")]
    list_select_related = ("unit__agency",)
    ordering = ["unit__agency__name", "unit__name"]
    search_fields = ["unit__name", "unit__code"]
    filterset_class = UnitDutyFilterSet
    edit_handler = ObjectList([FieldPanel("unit"), FieldPanel("pattern")], base_form_class=UnitDutyForm)


class AgencyClosureViewSet(AgencyScopedViewSet):
    model = AgencyClosure
    name = "lms_agencyclosure"
    url_prefix = "lms/closures"
    icon = "calendar-alt"
    list_display = ["date", "reason", "agency"]
    list_select_related = ("agency",)
    ordering = ["-date"]
    search_fields = ["reason"]
    filterset_class = AgencyClosureFilterSet
    edit_handler = ObjectList(
        [FieldPanel("agency"), FieldRowPanel([FieldPanel("date"), FieldPanel("reason")])],
        base_form_class=AgencyClosureForm,
    )


class StaffAbsenceViewSet(AgencyScopedViewSet):
    model = StaffAbsence
    name = "lms_staffabsence"
    url_prefix = "lms/absences"
    icon = "user"
    list_display = [
        "employee", Column("unit", label=capfirst(_("unit")), accessor="employee.unit", sort_key="employee__unit__name"),
        "kind", "first_day", "last_day", "note",
    ]
    list_select_related = ("employee__unit",)
    ordering = ["-first_day", "employee__name"]
    search_fields = ["employee__name", "employee__nip", "note"]
    filterset_class = StaffAbsenceFilterSet
    edit_handler = ObjectList(
        [
            FieldPanel("employee", widget=employee_chooser.widget_class),
            FieldRowPanel([FieldPanel("first_day"), FieldPanel("last_day")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("note")]),
        ],
        base_form_class=StaffAbsenceForm,
    )


class DutyGroup(ViewSetGroup):
    menu_label = _("Duty and availability")
    menu_icon = "calendar-check"
    menu_order = 240  # after tna's TNA menu (230), before the catalogue (250)
    items = (UnitDutyViewSet, AgencyClosureViewSet, StaffAbsenceViewSet)


VIEWSETS = [DutyGroup()]
