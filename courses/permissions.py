"""Who may edit the catalogue: the tna agency policy applied to providers, courses and sessions.

training_admin edits their agency's providers, courses and sessions and submits courses for
review; planner reviews and publishes their agency's courses (courses/migrations/0002). Only
superusers delete, and only they edit shared providers (LAN, universities).
"""

from wagtail.permissions import policy_registry, register_permission_policy

from tna.infra.scoping import AgencyPermissionPolicy


def register_policies():
    """Register the catalogue's policies with Wagtail (from CoursesConfig.ready, before any lookup)."""
    from .models import Course, Provider, Session

    policies = {
        Provider: AgencyPermissionPolicy(Provider, agency_field="agency", superuser_actions=("delete",)),
        Course: AgencyPermissionPolicy(Course, agency_field="agency", superuser_actions=("delete",)),
        Session: AgencyPermissionPolicy(Session, agency_field="course__agency", superuser_actions=("delete",)),
    }
    for model, policy in policies.items():
        if not isinstance(policy_registry.get_by_type(model, fallback=False), AgencyPermissionPolicy):
            register_permission_policy(model, policy, exact_class=True)
