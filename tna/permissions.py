"""Who may do what in the tna admin: permission policies that scope every object to the user's agency.

Roles (Django groups, created by migration 0002 and given permissions by 0004_role_permissions):

================  =====================================================================
superuser         everything, in every agency; the only one who edits agencies and the
                  competency dictionary.
training_admin    in their own agency: add, change and view units, positions (with their
                  required levels) and employees; add, change and view cycles and unit IKM
                  scores; view the competency dictionary. Nobody but a superuser deletes:
                  people leave by being marked inactive, so their history stays.
planner           in their own agency: view units, positions and employees (the admin shows
                  them read-only through the inspect view); add, change and view cycles and
                  unit IKM scores, which are the evidence they plan with; view competencies.
asn, supervisor   no admin access; they work on the public site.
================  =====================================================================

Cycles are national (one per year), so they are not scoped. The model permissions come from the
groups; the agency comes from ``tna.roles.user_agency``. A non-superuser without an employee
record (hence without an agency) sees nothing.
"""

from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .roles import PLANNER, TRAINING_ADMIN, scope_to_agency, user_agency

# The permissions migration 0004_role_permissions grants (kept here as the reference table).
ROLE_PERMISSIONS = {
    TRAINING_ADMIN: {
        "unit": ["add", "change", "view"],
        "position": ["add", "change", "view"],
        "requiredlevel": ["add", "change", "view"],
        "employee": ["add", "change", "view"],
        "cycle": ["add", "change", "view"],
        "unitsatisfaction": ["add", "change", "view"],
        "competency": ["view"],
        "competencylevel": ["view"],
    },
    PLANNER: {
        "unit": ["view"],
        "position": ["view"],
        "requiredlevel": ["view"],
        "employee": ["view"],
        "cycle": ["add", "change", "view"],
        "unitsatisfaction": ["add", "change", "view"],
        "competency": ["view"],
        "competencylevel": ["view"],
    },
}


def is_superuser(user):
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def agency_scope(queryset, user, field="agency"):
    """tna.roles.scope_to_agency, also for ``field="pk"`` (a queryset of agencies themselves)."""
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


def _policies():
    from . import models

    superuser_only = ("add", "change", "delete")
    return {
        models.Agency: AgencyPermissionPolicy(models.Agency, agency_field="pk", superuser_actions=superuser_only),
        models.Unit: AgencyPermissionPolicy(models.Unit),
        models.Position: AgencyPermissionPolicy(models.Position),
        models.Employee: AgencyPermissionPolicy(models.Employee),
        models.UnitSatisfaction: AgencyPermissionPolicy(models.UnitSatisfaction, agency_field="unit__agency"),
        models.Cycle: AgencyPermissionPolicy(models.Cycle, agency_field=None),
        models.Competency: AgencyPermissionPolicy(
            models.Competency, agency_field=None, superuser_actions=superuser_only
        ),
    }


def register_policies():
    """Register the tna policies with Wagtail; safe to call more than once.

    Must run before anything asks Wagtail for these models' policy (it would otherwise create a
    plain fallback): tna.admin.organisation calls it when wagtail_hooks imports it.
    """
    for model, policy in _policies().items():
        if not isinstance(policy_registry.get_by_type(model, fallback=False), AgencyPermissionPolicy):
            register_permission_policy(model, policy, exact_class=True)
