"""Permissions of the lms API: who may act on an enrollment (reads are scoped by the queryset), who sees plans."""

from rest_framework.permissions import IsAuthenticated

from tna.roles import PLANNER, has_role

from ..services.delivery_access import delivers
from ..services.enrollment import may_cancel, may_decide


class EnrollmentPermission(IsAuthenticated):
    """Reading: anyone who can see the enrollment (``lms.selectors.enrollments.visible_enrollments``).
    Approve/reject: the person's supervisors and training admins; cancel: the person or a training admin;
    attendance: whoever runs the session (``lms.services.delivery_access.delivers``)."""

    message = "You cannot do this with this enrollment."

    def has_object_permission(self, request, view, obj):
        if view.action in ("approve", "reject"):
            return may_decide(request.user, obj)
        if view.action == "cancel":
            return may_cancel(request.user, obj)
        if view.action == "attendance":
            # The same rule as the session's attendance grid on the site.
            return delivers(request.user, obj.session)
        return True


class IsPlanner(IsAuthenticated):
    message = "Only planners and superusers see training plans."

    def has_permission(self, request, view):
        return super().has_permission(request, view) and (
            request.user.is_superuser or has_role(request.user, PLANNER))
