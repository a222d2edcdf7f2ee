"""Read-only pages (inspect views) that also show a competency's levels and a position's standard."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..infra.scoped_admin import ScopedInspectView

LEVELS_TEMPLATE = "tna/admin/organisation/levels.html"


def levels_table(headings, rows):
    return render_to_string(LEVELS_TEMPLATE, {"headings": headings, "rows": rows})


class CompetencyInspectView(ScopedInspectView):
    def get_levels_display_value(self):
        rows = [(level.level, level.display_descriptor) for level in self.object.levels.order_by("level")]
        return levels_table([_("Level"), _("Descriptor")], rows)


class PositionInspectView(ScopedInspectView):
    def get_required_levels_display_value(self):
        required = self.object.required_levels.select_related("competency").order_by("competency__sort_order", "competency__code")
        rows = [
            (r.competency, r.level, r.weight, _("Job type's default") if r.is_default else _("Set for this position"))
            for r in required
        ]
        return levels_table([_("Competency"), _("Required level"), _("Weight"), _("Origin")], rows)
