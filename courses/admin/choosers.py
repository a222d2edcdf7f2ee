"""Snippet choosers of the catalogue limited to the user's agency, like the listings.

Wagtail's chooser modal (``/admin/snippets/choose/courses/course/``) lists every object of the
model; a training admin could read another agency's draft titles there. Each view here narrows
its objects through the model's ``AgencyPermissionPolicy.scope``.
"""

from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)


def _scoped(view, queryset):
    return policy_registry.get_by_type(view.model_class).scope(queryset, view.request.user)


class ScopedChooseView(ChooseView):
    def get_object_list(self):
        return _scoped(self, super().get_object_list())


class ScopedChooseResultsView(ChooseResultsView):
    def get_object_list(self):
        return _scoped(self, super().get_object_list())


class ScopedChosenView(SnippetChosenView):
    def get_object(self, pk):
        return _scoped(self, self.model_class.objects.all()).get(pk=pk)


class ScopedChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return _scoped(self, super().get_objects(pks))


class AgencyScopedChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
