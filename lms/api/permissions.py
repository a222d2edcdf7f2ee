"""Permissions of the lms API: who may act on an enrollment (reading is scoped by the queryset)."""

from rest_framework.permissions import IsAuthenticated

from ..services.enrollment import may_cancel, may_decide


class EnrollmentPermission(IsAuthenticated):
    """Reading: anyone who can see the enrollment (``lms.selectors.visible_enrollments``).
    Approve/reject: the person's supervisors and training admins; cancel: the person or a training admin."""

    message = "You cannot do this with this enrollment."

    def has_object_permission(self, request, view, obj):
        if view.action in ("approve", "reject"):
            return may_decide(request.user, obj)
        if view.action == "cancel":
            return may_cancel(request.user, obj)
        return True
