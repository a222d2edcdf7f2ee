"""Who runs a session's delivery: a training admin of the course's or the participant's agency, or a superuser."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tna.roles import TRAINING_ADMIN, employee_of, has_role


def delivers(user, session):
    """True when ``user`` runs ``session``'s delivery: a training admin of the course's agency or a superuser."""
    if getattr(user, "is_superuser", False):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == session.course.agency_id)


def delivers_for(user, enrollment):
    """``delivers`` for the enrollment's session, or a training admin of the participant's own agency."""
    if delivers(user, enrollment.session):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == enrollment.employee.agency_id)


def require_delivery(user, enrollment):
    """Raise PermissionDenied unless ``delivers_for(user, enrollment)``."""
    if not delivers_for(user, enrollment):
        raise PermissionDenied(_("Only a training admin of the course's or the participant's agency can do this."))
