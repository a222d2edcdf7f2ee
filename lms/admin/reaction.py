"""Admin viewset for an agency's own evaluation questions, asked after the four standard ones.

lms.wagtail_hooks registers VIEWSETS. Training admins and planners keep their own agency's questions
(lms migration 0006 gives both roles add, change, delete and view); superusers every agency's.
A question already answered is turned off rather than deleted, so its answers stay.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.permissions import policy_registry, register_permission_policy

from tna.infra.scoped_admin import AgencyScopedForm, AgencyScopedViewSet, ScopedDeleteView
from tna.infra.scoping import AgencyPermissionPolicy

from ..models.evaluation import ReactionQuestion


def register_policies():
    """Scope the questions to the user's agency; safe to call more than once (see lms.admin.duty)."""
    if not isinstance(policy_registry.get_by_type(ReactionQuestion, fallback=False), AgencyPermissionPolicy):
        register_permission_policy(ReactionQuestion, AgencyPermissionPolicy(ReactionQuestion, agency_field="agency"),
                                   exact_class=True)


register_policies()


class ReactionQuestionDeleteView(ScopedDeleteView):
    """Deleting an answered question would delete its answers: say so and keep it."""

    def form_valid(self, form):
        if self.object.answers.exists():
            messages.error(self.request, _("This question has been answered, so it is kept with its answers. "
                                           "Untick \"asked\" to stop asking it."))
            return redirect(self.edit_url_name, self.object.pk)
        return super().form_valid(form)


class ReactionQuestionViewSet(AgencyScopedViewSet):
    model = ReactionQuestion
    name = "lms_reactionquestion"
    url_prefix = "lms/evaluation-questions"
    icon = "help"
    menu_label = gettext_lazy("Evaluation questions")
    menu_order = 255  # after the catalogue (250): the questions are about its courses
    add_to_admin_menu = True
    delete_view_class = ReactionQuestionDeleteView
    list_display = ["text", "sort_order", BooleanColumn("active", label=capfirst(gettext_lazy("asked"))), "agency"]
    list_filter = ["active"]
    list_select_related = ("agency",)
    ordering = ["agency__name", "sort_order", "pk"]
    search_fields = ["text", "text_en"]
    edit_handler = ObjectList(
        [FieldPanel("agency"), FieldPanel("text"), FieldPanel("text_en"),
         FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")])],
        base_form_class=AgencyScopedForm,
    )


VIEWSETS = [ReactionQuestionViewSet()]
