"""Roles (Django groups) and the one place that scopes querysets to what a user may see."""

from django.db.models import Q

ASN = "asn"
SUPERVISOR = "supervisor"
TRAINING_ADMIN = "training_admin"
PLANNER = "planner"
ROLES = [ASN, SUPERVISOR, TRAINING_ADMIN, PLANNER]


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


def visible_agencies_q(user, field="agency"):
    """A Q object restricting to the user's agency (always true for superusers)."""
    if getattr(user, "is_superuser", False):
        return Q()
    agency = user_agency(user)
    return Q(**{field: agency}) if agency else Q(pk__in=[])
