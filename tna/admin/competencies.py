"""Admin viewset for the competency dictionary, with its levels 1–5 edited inline in both languages."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn

from ..infra.scoped_admin import AgencyScopedViewSet
from ..models import Competency
from .filters import CompetencyFilterSet
from .inspect import CompetencyInspectView
from .panels import level_select


class CompetencyViewSet(AgencyScopedViewSet):
    model = Competency
    name = "tna_competency"
    url_prefix = "tna/competencies"
    icon = "crosshairs"
    menu_label = _("Competencies")
    menu_order = 210
    add_to_admin_menu = True
    inspect_view_enabled = True  # everyone but superusers reads the dictionary here
    list_display = [
        "code", "name", "name_en", "group", "category",
        BooleanColumn("applies_to_all", label=_("All positions")), BooleanColumn("active", label=capfirst(_("active"))),
    ]
    ordering = ["sort_order", "code"]
    search_fields = ["code", "name", "name_en"]
    filterset_class = CompetencyFilterSet
    list_export = ["code", "name", "name_en", "group", "category", "applies_to_all", "is_service", "active"]
    export_filename = "competencies"
    inspect_view_fields = [
        "code", "name", "name_en", "group", "category", "description", "description_en",
        "applies_to_all", "is_service", "active", "levels",
    ]
    inspect_view_class = CompetencyInspectView
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("code"), FieldPanel("sort_order")]),
                    FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
                    FieldRowPanel([FieldPanel("group"), FieldPanel("category")]),
                    FieldRowPanel([FieldPanel("description"), FieldPanel("description_en")]),
                ],
                heading=_("Competency"),
            ),
            MultiFieldPanel(
                [FieldPanel("applies_to_all"), FieldPanel("is_service"), FieldPanel("active")],
                heading=_("Use"),
            ),
            InlinePanel(
                "levels",
                heading=_("Levels 1–5"),
                label=_("level"),
                max_num=5,
                panels=[
                    FieldPanel("level", widget=level_select()),
                    FieldRowPanel([FieldPanel("descriptor"), FieldPanel("descriptor_en")]),
                ],
            ),
        ]
    )
