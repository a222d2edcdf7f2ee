"""Who sees the 9-box: HR (training admins) and the talent committee of an agency, superusers, and
a person their own placement when the agency's ``TalentPolicy.show_own_box`` says so (docs/talent.md)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ..models import TalentPlacement, TalentPolicy
from ..roles import employee_of, sees_talent


def is_talent_staff(user):
    """True for superusers, and for training admins and talent-committee members linked to an agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return sees_talent(user) and employee_of(user) is not None


def require_talent_staff(user):
    """Refuse (403) anyone who may not open the 9-box pages."""
    if not is_talent_staff(user):
        raise PermissionDenied(_("The 9-box is for the training admins and the talent committee of the agency."))


def staff_placements(user):
    """The placements ``user`` sees as HR: every agency's for a superuser, their agency's for the
    training admins and the talent committee, none for anyone else."""
    placements = TalentPlacement.objects.all()
    if getattr(user, "is_superuser", False):
        return placements
    if not is_talent_staff(user):
        return placements.none()
    return placements.filter(agency_id=employee_of(user).agency_id)


def own_box_shown(employee):
    """Whether ``employee``'s agency lets people see their own box (off without a policy)."""
    return TalentPolicy.objects.filter(agency_id=employee.agency_id, show_own_box=True).exists()


def visible_placements(user):
    """The placements ``user`` may read: HR's (``staff_placements``), else the person's own when their
    agency shows people their box, else none. Supervisors and planners see no one else's box."""
    if is_talent_staff(user):
        return staff_placements(user)
    me = employee_of(user)
    if me is None or not own_box_shown(me):
        return TalentPlacement.objects.none()
    return TalentPlacement.objects.filter(employee=me)
