"""Admin viewsets for cycles (one per year) and the units' service-satisfaction (IKM) scores."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn

from ..infra.scoped_admin import AgencyScopedViewSet
from ..models import Cycle, UnitSatisfaction
from .filters import UnitSatisfactionFilterSet
from .forms import UnitSatisfactionForm


class CycleViewSet(AgencyScopedViewSet):
    model = Cycle
    name = "tna_cycle"
    url_prefix = "tna/cycles"
    icon = "date"
    # "__str__" writes the year as 2026; the integer column would be grouped as 2.026.
    list_display = ["__str__", BooleanColumn("is_open", label=capfirst(_("open for entries")))]
    ordering = ["-year"]
    list_filter = ["is_open"]
    panels = [FieldPanel("year"), FieldPanel("is_open")]


class UnitSatisfactionViewSet(AgencyScopedViewSet):
    model = UnitSatisfaction
    name = "tna_unitsatisfaction"
    url_prefix = "tna/ikm"
    icon = "success"
    menu_label = _("Unit IKM scores")
    list_display = ["unit", "unit__agency", "cycle", "score"]
    list_select_related = ("unit__agency", "cycle")
    ordering = ["unit__name"]
    search_fields = ["unit__name", "unit__code"]
    filterset_class = UnitSatisfactionFilterSet
    list_export = ["cycle.year", "unit.agency.code", "unit.code", "unit.name", "score"]
    export_headings = {"cycle.year": "cycle", "unit.agency.code": "agency", "unit.code": "unit",
                       "unit.name": "unit_name", "score": "score"}
    export_filename = "unit_ikm"
    edit_handler = ObjectList(
        [FieldPanel("cycle"), FieldPanel("unit"), FieldPanel("score")],
        base_form_class=UnitSatisfactionForm,
    )
