"""Admin viewset for employees: searchable by NIP and name, filtered, exported in the import format."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn

from ..infra.scoped_admin import AgencyScopedViewSet
from ..models import Employee
from .choosers import employee_chooser
from .filters import EmployeeFilterSet
from .forms import EmployeeForm

# Export columns named as in the employees import file, so an export can be edited and re-imported.
EMPLOYEE_EXPORT = {
    "nip": "nip",
    "name": "name",
    "agency.code": "agency",
    "unit.code": "unit",
    "position.code": "position",
    "grade": "grade",
    "employment": "employment",
    "supervisor.nip": "supervisor_nip",
    "email": "email",
    "pangkat": "pangkat",
    "unit.name": "unit_name",
    "position.name": "position_name",
    "position.job_type": "job_type",
    "active": "active",
}


class EmployeeViewSet(AgencyScopedViewSet):
    model = Employee
    name = "tna_employee"
    url_prefix = "tna/employees"
    icon = "user"
    inspect_view_enabled = True  # planners read people here
    list_display = ["name", "nip", "unit", "position", "grade", "employment", BooleanColumn("active", label=capfirst(_("active")))]
    list_select_related = ("agency", "unit", "position", "supervisor")
    ordering = ["name"]
    search_fields = ["nip", "name"]
    filterset_class = EmployeeFilterSet
    list_export = list(EMPLOYEE_EXPORT)
    export_headings = EMPLOYEE_EXPORT
    export_filename = "employees"
    inspect_view_fields = [
        "nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor", "email", "active",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("nip"), FieldPanel("employment")]),
                    FieldPanel("name"),
                    FieldPanel("email"),
                ],
                heading=_("Person"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("agency"),
                    FieldRowPanel([FieldPanel("unit"), FieldPanel("position")]),
                    FieldRowPanel([FieldPanel("grade"), FieldPanel("grade_since")]),
                    FieldPanel("supervisor", widget=employee_chooser.widget_class),
                ],
                heading=_("Placement"),
            ),
            FieldPanel("active"),
        ],
        base_form_class=EmployeeForm,
    )
