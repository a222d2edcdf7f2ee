"""The Wagtail admin, scoped to the user's agency: a ModelViewSet base and its views, a form base
whose choices follow the agency, and the agency, unit and position choices for listing filters.

Every view asks the model's permission policy (``tna.infra.scoping.AgencyPermissionPolicy``) to scope
its queryset, so a listing holds only the user's agency and the edit, delete, inspect, history
and usage pages of another agency's object answer 404.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr

from ..models import Agency, Position, Unit
from ..roles import user_agency
from .scoping import agency_scope, is_superuser


class ScopedQuerysetMixin:
    """``scoped(queryset)``: the part of ``queryset`` the requesting user may see."""

    def scoped(self, queryset):
        return self.permission_policy.scope(queryset, self.request.user)


def follow(item, path):
    """Follow a dotted ``path`` from ``item`` like multigetattr, but give None past an empty relation."""
    for bit in path.split("."):
        if item is None:
            return None
        item = multigetattr(item, bit)
    return item


class ScopedIndexView(ScopedQuerysetMixin, generic.IndexView):
    list_select_related = ()

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return self.scoped(queryset)

    def to_row_dict(self, item):
        # An export column such as "supervisor.nip" is empty for someone without a supervisor.
        return {field: follow(item, field) for field in self.list_export}


class ScopedEditView(ScopedQuerysetMixin, generic.EditView):
    def get_queryset(self):
        return self.scoped(super().get_queryset())


class ScopedDeleteView(ScopedQuerysetMixin, generic.DeleteView):
    def get_queryset(self):
        return self.scoped(super().get_queryset())


class ScopedInspectView(ScopedQuerysetMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.scoped(self.model._default_manager.all()), pk=self.pk)

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return value


class ScopedHistoryView(ScopedQuerysetMixin, history.HistoryView):
    def get_base_object_queryset(self):
        return self.scoped(super().get_base_object_queryset())


class ScopedUsageView(ScopedQuerysetMixin, usage.UsageView):
    def get_base_object_queryset(self):
        return self.scoped(super().get_base_object_queryset())


class AgencyScopedViewSet(ModelViewSet):
    """A ModelViewSet whose views honour the agency scoping of the model's permission policy.

    Copying is off: the copied form would carry unique codes and NIPs.
    """

    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    inspect_view_class = ScopedInspectView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    search_backend_name = None  # search with the ORM over ``search_fields``
    #: Relations the listing (and its export) follows, fetched in the same query.
    list_select_related = ()

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(list_select_related=self.list_select_related, **kwargs)


class AgencyScopedForm(WagtailAdminModelForm):
    """A form whose agency is fixed to a non-superuser's own, and whose other choices follow it.

    ``scoped_fields`` maps a form field to the lookup from its model to the agency; those
    choices are limited to the user's agency. ``agency_field_name`` names the field holding
    the agency itself, shown but not editable for non-superusers.
    """

    agency_field_name = "agency"
    scoped_fields = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None or is_superuser(user):
            return
        for name, lookup in self.scoped_fields.items():
            if name in self.fields:
                field = self.fields[name]
                field.queryset = agency_scope(field.queryset, user, field=lookup)
        agency_field = self.fields.get(self.agency_field_name)
        if agency_field is not None:
            agency = user_agency(user)
            agency_field.queryset = Agency.objects.filter(pk=agency.pk if agency else None)
            agency_field.initial = agency.pk if agency else None
            agency_field.disabled = True

    def add_validation_error(self, error):
        """Attach a ValidationError's messages to the fields they name (or to the form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error)


def _user(request):
    return getattr(request, "user", None)


def agencies_for(request):
    return agency_scope(Agency.objects.all(), _user(request), field="pk")


def units_for(request):
    return agency_scope(Unit.objects.select_related("agency"), _user(request))


def positions_for(request):
    return agency_scope(Position.objects.all(), _user(request))
