"""A searchable employee chooser (by NIP or name) limited to the user's agency, for supervisor fields.

An agency can have tens of thousands of people, too many for a dropdown; the chooser pages through
them instead. It is not registered as the default widget for every ForeignKey to Employee, so other
apps opt in with ``employee_chooser.widget_class``.
"""

from django import forms
from django.contrib.admin.utils import unquote
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from ..infra.scoping import policy_for
from ..models import Employee

ACTIONS = ["add", "change", "view"]


def choosable_employees(user):
    """Active people of the user's agency (everyone for superusers), for the user's role."""
    policy = policy_for(Employee)
    return policy.instances_user_has_any_permission_for(user, ACTIONS).filter(active=True)


class EmployeeSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("NIP or name"), required=False,
        widget=forms.TextInput(attrs={"placeholder": _("NIP or name")}),
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            self.is_searching, self.search_query = True, query
            objects = objects.filter(Q(nip__startswith=query) | Q(name__icontains=query))
        return objects


class EmployeeChooseMixin:
    filter_form_class = EmployeeSearchForm
    ordering = ["name"]

    def get_object_list(self):
        return choosable_employees(self.request.user).select_related("unit", "position")

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("Person")
        return column

    @property
    def columns(self):
        return [
            *super().columns,
            Column("unit", label=capfirst(_("unit")), accessor="unit"),
            Column("position", label=capfirst(_("position")), accessor="position"),
        ]


class EmployeeChooseView(EmployeeChooseMixin, chooser_views.ChooseView):
    pass


class EmployeeChooseResultsView(EmployeeChooseMixin, chooser_views.ChooseResultsView):
    pass


class EmployeeChosenView(chooser_views.ChosenView):
    def get_object(self, pk):
        return choosable_employees(self.request.user).get(pk=unquote(str(pk)))


class EmployeeChosenMultipleView(chooser_views.ChosenMultipleView):
    def get_objects(self, pks):
        return choosable_employees(self.request.user).filter(pk__in=pks)


class EmployeeChooserViewSet(ChooserViewSet):
    model = Employee
    name = "tna_employee_chooser"
    url_prefix = "tna/employee-chooser"
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    register_widget = False
    choose_view_class = EmployeeChooseView
    choose_results_view_class = EmployeeChooseResultsView
    chosen_view_class = EmployeeChosenView
    chosen_multiple_view_class = EmployeeChosenMultipleView


employee_chooser = EmployeeChooserViewSet()
