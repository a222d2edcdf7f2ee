"""Panels of the Wagtail dashboard (/admin/): the work waiting for training admins and planners, as on
their home page, with links to where each item is done."""

from django.forms import Media
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from tna.roles import PLANNER, TRAINING_ADMIN
from tna.selectors import open_cycle

from .work import Scope, planner_work, roles_with_work, training_admin_work


class WorkPanel(Component):
    """One role's work waiting, in a dashboard panel; ``work`` builds its data from a ``Scope``."""

    template_name = "cms/admin/home/work_panel.html"
    blocks_template = ""
    heading = ""

    def __init__(self, request):
        self.request = request

    def work(self, scope):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        scope = Scope.of(self.request.user)
        return {"panel_id": self.name, "heading": self.heading, "blocks_template": self.blocks_template,
                "work": self.work(scope), "request": self.request}

    @property
    def media(self):
        return Media(css={"all": [static("cms/admin-work.css")]})


class TrainingAdminWorkPanel(WorkPanel):
    name = "latih_training_admin_work"
    order = 60
    heading = _("Training delivery: work waiting")
    blocks_template = "cms/home/_training_admin_blocks.html"

    def work(self, scope):
        return training_admin_work(scope)


class PlannerWorkPanel(WorkPanel):
    name = "latih_planner_work"
    order = 70
    heading = _("Planning: work waiting")
    blocks_template = "cms/home/_planner_blocks.html"

    def work(self, scope):
        return planner_work(scope, open_cycle())


def add_work_panels(request, panels):
    """``construct_homepage_panels``: a panel for each staff role ``request.user`` works in."""
    roles = roles_with_work(request.user)
    if TRAINING_ADMIN in roles:
        panels.append(TrainingAdminWorkPanel(request))
    if PLANNER in roles:
        panels.append(PlannerWorkPanel(request))
