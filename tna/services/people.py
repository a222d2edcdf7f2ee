"""Employees: the checks an employee record must pass and its one write path (record + login)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Employee
from ..nip import parse_nip
from ..roles import ASN

# Deeper than any real chain of command; bounds the walk if the data already holds a loop.
MAX_CHAIN_DEPTH = 100


def supervisor_chain_has_loop(*, employee, supervisor):
    """True when making ``supervisor`` the direct supervisor of ``employee`` would close a loop.

    Walks up from ``supervisor`` (one query per level) looking for ``employee``. A new employee
    (no pk) has no reports yet, so it cannot be above anyone.
    """
    if supervisor is None:
        return False
    if employee is not None and employee.pk is not None and supervisor.pk == employee.pk:
        return True
    if employee is None or employee.pk is None:
        return False
    seen, current = {supervisor.pk}, supervisor.supervisor_id
    for _level in range(MAX_CHAIN_DEPTH):
        if current is None:
            return False
        if current == employee.pk or current in seen:
            return True
        seen.add(current)
        current = Employee.objects.filter(pk=current).values_list("supervisor_id", flat=True).first()
    return True


def employee_validate(*, nip, employment, agency, unit=None, position=None, supervisor=None, employee=None):
    """Check one employee's data; raise ``ValidationError`` with a message per field at fault.

    ``employee`` is the existing record when editing (None when creating). Checks the NIP
    (PNS strictly, PPPK leniently, see tna.nip), that unit, position and supervisor belong to
    ``agency``, that the supervisor is not the employee or below them, and that no other login
    already uses the NIP as its username. Returns the NIP stripped of spaces.
    """
    errors = {}
    try:
        parse_nip(nip, employment=employment)
        nip = nip.strip()
    except ValidationError as error:
        errors["nip"] = error.messages
    agency_id = getattr(agency, "pk", None)
    if agency_id is not None:
        if unit is not None and unit.agency_id != agency_id:
            errors["unit"] = [_("Unit %(unit)s belongs to another agency.") % {"unit": unit}]
        if position is not None and position.agency_id != agency_id:
            errors["position"] = [_("Position %(position)s belongs to another agency.") % {"position": position}]
        if supervisor is not None and supervisor.agency_id != agency_id:
            errors["supervisor"] = [
                _("Supervisor %(supervisor)s works in another agency.") % {"supervisor": supervisor}
            ]
    if "supervisor" not in errors and supervisor is not None:
        if employee is not None and employee.pk is not None and supervisor.pk == employee.pk:
            errors["supervisor"] = [_("An employee cannot be their own supervisor.")]
        elif supervisor_chain_has_loop(employee=employee, supervisor=supervisor):
            errors["supervisor"] = [
                _("%(supervisor)s reports (directly or further up) to this employee; choosing them as "
                  "supervisor would make a loop.") % {"supervisor": supervisor}
            ]
    if "nip" not in errors:
        users = get_user_model().objects.filter(username=nip)
        if employee is not None and employee.user_id is not None:
            users = users.exclude(pk=employee.user_id)
        if users.exists():
            errors["nip"] = [_("Another login already uses NIP %(nip)s as its username.") % {"nip": nip}]
    if errors:
        raise ValidationError(errors)
    return nip


@transaction.atomic
def employee_save(*, employee, validate=True):
    """Save ``employee`` together with its login and return it.

    A new employee gets a Django user named after the NIP, with an unusable password (they sign
    in once a password is set or through the agency's single sign-on); a changed NIP renames the
    user. The user's email follows the employee's, and the user is always in the ``asn`` group.
    Raises ``ValidationError`` (see ``employee_validate``) unless ``validate`` is false.
    """
    if validate:
        employee.nip = employee_validate(
            nip=employee.nip, employment=employee.employment, agency=employee.agency,
            unit=employee.unit, position=employee.position, supervisor=employee.supervisor,
            employee=employee,
        )
    User = get_user_model()
    if employee.user_id is None:
        user = User(username=employee.nip, email=employee.email)
        user.set_unusable_password()
        user.save()
        employee.user = user
    else:
        user = employee.user
        wanted = {"username": employee.nip, "email": employee.email}
        changed = [name for name, value in wanted.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, wanted[name])
        if changed:
            user.save(update_fields=changed)
    employee.save()
    user.groups.add(Group.objects.get_or_create(name=ASN)[0])
    return employee
