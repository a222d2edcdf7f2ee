"""Admin viewsets for agencies, units and positions, and the admin menu groups of the tna app.

tna.wagtail_hooks registers VIEWSETS (viewsets and menu groups), ADMIN_URLS and MENU_ITEMS.
Who may see and change what is described in tna.permissions.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from .. import permissions
from ..infra.scoped_admin import AgencyScopedForm, AgencyScopedViewSet
from ..models import Agency, Position, Unit
from .choosers import employee_chooser
from .competencies import CompetencyViewSet
from .cycles import CycleViewSet, UnitSatisfactionViewSet
from .filters import PositionFilterSet, UnitFilterSet
from .forms import PositionForm, UnitForm
from .inspect import PositionInspectView
from .panels import RequiredLevelOriginPanel, level_select
from .people import EmployeeViewSet

# Wagtail must know the tna policies before any viewset asks for one (see register_policies).
permissions.register_policies()


class AgencyViewSet(AgencyScopedViewSet):
    model = Agency
    name = "tna_agency"
    url_prefix = "tna/agencies"
    icon = "site"
    list_display = ["name", "code", "kind", "seat", "time_zone"]
    ordering = ["name"]
    search_fields = ["name", "code", "seat"]
    list_filter = ["kind", "time_zone"]
    list_export = ["code", "name", "kind", "seat", "time_zone"]
    export_filename = "agencies"
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("seat")]),
            FieldPanel("time_zone"),
        ],
        base_form_class=AgencyScopedForm,
    )


# Columns named as in the org import file (agency, unit, unit_name, parent_unit).
UNIT_EXPORT = {
    "agency.code": "agency",
    "agency.name": "agency_name",
    "code": "unit",
    "name": "unit_name",
    "parent.code": "parent_unit",
    "min_on_duty_share": "min_on_duty_share",
}


class UnitViewSet(AgencyScopedViewSet):
    model = Unit
    name = "tna_unit"
    url_prefix = "tna/units"
    icon = "folder-open-inverse"
    inspect_view_enabled = True
    list_display = ["name", "code", "agency", "parent"]
    list_select_related = ("agency", "parent")
    ordering = ["agency", "name"]
    search_fields = ["name", "code"]
    filterset_class = UnitFilterSet
    list_export = list(UNIT_EXPORT)
    export_headings = UNIT_EXPORT
    export_filename = "units"
    edit_handler = ObjectList(
        [
            FieldPanel("agency"),
            FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
            FieldPanel("parent"),
            FieldPanel("min_on_duty_share"),
        ],
        base_form_class=UnitForm,
    )


POSITION_EXPORT = {
    "agency.code": "agency",
    "code": "position",
    "name": "position_name",
    "job_type": "job_type",
    "is_key": "key",
}


class PositionViewSet(AgencyScopedViewSet):
    model = Position
    name = "tna_position"
    url_prefix = "tna/positions"
    icon = "tag"
    inspect_view_enabled = True
    list_display = ["name", "code", "agency", "job_type", BooleanColumn("is_key", label=capfirst(_("key position")))]
    list_select_related = ("agency",)
    ordering = ["agency", "name"]
    search_fields = ["name", "code"]
    filterset_class = PositionFilterSet
    list_export = list(POSITION_EXPORT)
    export_headings = POSITION_EXPORT
    export_filename = "positions"
    inspect_view_class = PositionInspectView
    inspect_view_fields = ["agency", "code", "name", "job_type", "is_key", "required_levels"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("agency"),
                    FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
                    FieldPanel("job_type"),
                    FieldPanel("is_key"),
                ],
                heading=_("Position"),
            ),
            InlinePanel(
                "required_levels",
                heading=_("Competency standard"),
                label=_("required level"),
                help_text=_(
                    "Levels 1–5 and weight per competency. Rows marked as the job type's default follow "
                    "the job type; changing their level or weight makes them this position's own."
                ),
                panels=[
                    FieldRowPanel([
                        FieldPanel("competency"), FieldPanel("level", widget=level_select()), RequiredLevelOriginPanel(),
                    ]),
                    FieldPanel("weight"),
                ],
            ),
        ],
        base_form_class=PositionForm,
    )


class OrganisationGroup(ViewSetGroup):
    menu_label = _("Organisation")
    menu_icon = "group"
    menu_order = 200
    items = (AgencyViewSet, UnitViewSet, PositionViewSet, EmployeeViewSet)


class CyclesGroup(ViewSetGroup):
    menu_label = _("Cycles and IKM")
    menu_icon = "date"
    menu_order = 220
    items = (CycleViewSet, UnitSatisfactionViewSet)


VIEWSETS = [OrganisationGroup(), CompetencyViewSet(), CyclesGroup(), employee_chooser]
ADMIN_URLS = []
