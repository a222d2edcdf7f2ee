"""Roles (Django groups), the employee behind a user, and the supervisor chain (scoping: ``tna.infra.scoping``)."""

ASN = "asn"
SUPERVISOR = "supervisor"
TRAINING_ADMIN = "training_admin"
PLANNER = "planner"
# The agency's talent committee (tim penilai kinerja / talent review): sees and calibrates the 9-box.
TALENT_COMMITTEE = "talent_committee"
ROLES = [ASN, SUPERVISOR, TRAINING_ADMIN, PLANNER, TALENT_COMMITTEE]


def employee_of(user):
    """The Employee behind ``user``, or None (anonymous users, plain superusers)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.employee
    except Exception:  # RelatedObjectDoesNotExist
        return None


def user_agency(user):
    """The agency whose data ``user`` works on, or None."""
    employee = employee_of(user)
    return employee.agency if employee else None


def has_role(user, role):
    """True when the user is in the role's group (superusers have every role)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_latih_roles", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._latih_roles = cache
    return role in cache


def is_agency_staff(user):
    """HR staff of their agency: training admins and planners see every person in it."""
    return has_role(user, TRAINING_ADMIN) or has_role(user, PLANNER)


def sees_talent(user):
    """HR (training admins) and the talent committee see and calibrate their agency's 9-box."""
    return has_role(user, TRAINING_ADMIN) or has_role(user, TALENT_COMMITTEE)


def subordinate_ids(employee, *, max_depth=10):
    """IDs of everyone below ``employee`` in the supervisor chain (one query per level)."""
    from .models import Employee

    found, frontier = set(), {employee.pk}
    for _ in range(max_depth):
        frontier = set(
            Employee.objects.filter(supervisor__in=frontier).exclude(pk__in=found).values_list("pk", flat=True)
        )
        if not frontier:
            break
        found |= frontier
    return found
