"""Who runs a session's delivery, one rule for every page, API call and service that writes it.

Attendance, test scores, completion and certificate withdrawal belong to whoever runs the
session: a training admin of the course's agency, or a superuser. A training admin of the
participant's own agency (when the course is another agency's) may see their staff's
certificates and records, but never marks, scores or completes them: the grid on the site and
``POST /api/v1/enrollments/{id}/attendance/`` both ask ``require_delivers``.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from tna.roles import TRAINING_ADMIN, employee_of, has_role


def delivers(user, session):
    """True when ``user`` runs ``session``'s delivery: a training admin of the course's agency or a superuser."""
    if getattr(user, "is_superuser", False):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == session.course.agency_id)


def require_delivers(user, session):
    """Raise PermissionDenied unless ``delivers(user, session)``: the check before every delivery write."""
    if not delivers(user, session):
        raise PermissionDenied(_("Only a training admin of the course's agency can do this."))


def require_delivery(user, enrollment):
    """``require_delivers`` for the enrollment's session (attendance, scores, completion of one person)."""
    require_delivers(user, enrollment.session)


def delivers_for(user, enrollment):
    """Reading only: ``delivers`` for the enrollment's session, or a training admin of the participant's agency."""
    if delivers(user, enrollment.session):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == enrollment.employee.agency_id)


def delivered_sessions_q(user, prefix=""):
    """A ``Q`` over ``<prefix>course__agency`` matching the sessions ``user`` delivers (``delivers`` as a filter)."""
    if getattr(user, "is_superuser", False):
        return Q()
    me = employee_of(user)
    if me is None or not has_role(user, TRAINING_ADMIN):
        return Q(pk__in=[])
    return Q(**{prefix + "course__agency": me.agency_id})
