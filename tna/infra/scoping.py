"""Agency scoping, the one rule for admin, API and site alike: what part of a queryset a user may see.

Superusers see every agency; a training admin or planner their own agency; a supervisor
themselves and the people below them; anyone else themselves. Wagtail's admin asks the same rule
through ``AgencyPermissionPolicy``.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from ..roles import (
    SUPERVISOR,
    TRAINING_ADMIN,
    employee_of,
    has_role,
    is_agency_staff,
    subordinate_ids,
    user_agency,
)


def scope_to_agency(queryset, user, field="agency"):
    """Limit ``queryset`` to the user's agency via ``field`` (a lookup path); superusers see all."""
    if getattr(user, "is_superuser", False):
        return queryset
    agency = user_agency(user)
    if agency is None:
        return queryset.none()
    return queryset.filter(**{field: agency})


def scope_people(queryset, user, employee_field="employee"):
    """Limit a queryset about people to those ``user`` may see.

    Superusers: everyone. Training admins and planners: their agency. Supervisors: themselves
    and everyone below them in the supervisor chain. Anyone else: themselves.
    """
    if getattr(user, "is_superuser", False):
        return queryset
    employee = employee_of(user)
    if employee is None:
        return queryset.none()
    prefix = employee_field + "__" if employee_field else ""
    if is_agency_staff(user):
        return queryset.filter(**{prefix + "agency": employee.agency_id})
    if has_role(user, SUPERVISOR):
        ids = subordinate_ids(employee)
        ids.add(employee.pk)
        return queryset.filter(**{prefix + "pk__in": ids}) if prefix else queryset.filter(pk__in=ids)
    return queryset.filter(**{(prefix + "pk") if prefix else "pk": employee.pk})


def visible_agencies_q(user, field="agency"):
    """A Q object restricting to the user's agency (always true for superusers)."""
    if getattr(user, "is_superuser", False):
        return Q()
    agency = user_agency(user)
    return Q(**{field: agency}) if agency else Q(pk__in=[])


def is_superuser(user):
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def agency_scope(queryset, user, field="agency"):
    """``scope_to_agency``, also for ``field="pk"`` (a queryset of agencies themselves)."""
    if field == "pk" and not is_superuser(user):
        agency = user_agency(user)
        return queryset.filter(pk=agency.pk) if agency else queryset.none()
    return scope_to_agency(queryset, user, field=field)


class AgencyPermissionPolicy(ModelPermissionPolicy):
    """Model permissions from the user's groups, limited to objects of the user's agency.

    ``agency_field`` is the lookup path from the model to its agency (``"agency"``,
    ``"unit__agency"``, ``"pk"`` for Agency itself) or None for unscoped models.
    Actions listed in ``superuser_actions`` are refused to everyone but superusers, whatever
    their groups say.
    """

    def __init__(self, model, *, agency_field="agency", superuser_actions=()):
        super().__init__(model)
        self.agency_field = agency_field
        self.superuser_actions = frozenset(superuser_actions)

    def user_has_permission(self, user, action):
        if action in self.superuser_actions:
            return is_superuser(user)
        return super().user_has_permission(user, action)

    def scope(self, queryset, user):
        """``queryset`` limited to the objects of ``user``'s agency (all of them for superusers)."""
        if self.agency_field is None or is_superuser(user):
            return queryset
        return agency_scope(queryset, user, field=self.agency_field)

    def agency_id_of(self, instance):
        """The id of the agency ``instance`` belongs to, following ``agency_field``."""
        *relations, last = self.agency_field.split("__")
        obj = instance
        for name in relations:
            obj = getattr(obj, name, None)
            if obj is None:
                return None
        if last == "pk":
            return obj.pk
        return getattr(obj, obj._meta.get_field(last).attname)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if self.agency_field is None or is_superuser(user):
            return True
        agency = user_agency(user)
        return agency is not None and self.agency_id_of(instance) == agency.pk

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.scope(self.model._default_manager.all(), user)


def policy_for(model):
    """The registered policy of ``model`` (an AgencyPermissionPolicy for the tna models)."""
    return policy_registry.get_by_type(model)


@dataclass
class ImportScope:
    """Whose rows an import may touch: every agency (``agency_id`` None) or one agency.

    Shared by tna's imports and the training-history import of lms.
    """

    agency_id: int | None = None
    agency_code: str | None = None

    @property
    def limited(self):
        return self.agency_id is not None

    def refuse(self, errors, row, column, value=None):
        errors.add(row, column, _(
            "Your account may only import data of agency %(agency)s."
        ) % {"agency": self.agency_code}, value)


def import_scope(user, agency=None):
    """Whose rows ``user`` may import: every agency (no user: the command line; superusers) or a training
    admin's own; ``agency`` narrows it to one agency, which a training admin may only name as their own."""
    if user is None or user.is_superuser:
        own = None
    elif not has_role(user, TRAINING_ADMIN):
        raise PermissionDenied(_("Only superusers and training admins may import files."))
    else:
        own = user_agency(user)
        if own is None:
            raise PermissionDenied(_("Your account is not linked to an employee of an agency."))
        if agency is not None and agency.pk != own.pk:
            raise PermissionDenied(_("Your account may only import data of agency %(agency)s.") % {"agency": own.code})
    agency = agency or own
    return ImportScope(agency_id=agency.pk, agency_code=agency.code) if agency else ImportScope()
