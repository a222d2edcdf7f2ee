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

from wagtail.permissions import policy_registry, register_permission_policy

from .infra.scoping import AgencyPermissionPolicy
from .roles import PLANNER, TRAINING_ADMIN

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
