"""Write path of project assignments (task forces, programme teams) as career evidence.

``assignment_save`` is the one place an ``Assignment`` is created or changed: the supervisor's
page (``tna.views.assignments``) and the ``assignments`` import (``tna.imports.assignments``)
both call it, so the rules below hold however the record arrives. Its key is the employee, the
cycle, the title (any case) and the start date (docs/imports.md#assignments).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import Assignment, AssignmentRole, Competency
from ..roles import SUPERVISOR, TRAINING_ADMIN, has_role, subordinate_ids

TITLE_MAX = 200

# The role as a team's decree (SK tim) writes it: English codes and the Indonesian words.
ROLE_WORDS = {
    "lead": AssignmentRole.LEAD, "ketua": AssignmentRole.LEAD,
    "secretary": AssignmentRole.SECRETARY, "sekretaris": AssignmentRole.SECRETARY,
    "member": AssignmentRole.MEMBER, "anggota": AssignmentRole.MEMBER,
    "adviser": AssignmentRole.ADVISER, "advisor": AssignmentRole.ADVISER, "pengarah": AssignmentRole.ADVISER,
}


def tidy_title(text):
    """The title as stored and compared: runs of spaces as one, none at the ends."""
    return " ".join((text or "").split())


def may_enter_assignments(*, by, employee):
    """True when ``by`` (an Employee) may enter ``employee``'s project assignments on the site.

    Anyone above them in the supervisor chain (who holds the supervisor role), and a training
    admin of their agency; nobody their own (the supervisor vouches for the participation).
    """
    if by is None or employee is None or by.pk == employee.pk or not by.active:
        return False
    user = by.user
    if has_role(user, TRAINING_ADMIN) and (user.is_superuser or by.agency_id == employee.agency_id):
        return True
    return has_role(user, SUPERVISOR) and employee.pk in subordinate_ids(by)


def assignment_problems(*, cycle, title, role, start, end):
    """``{field: message}`` for what is wrong with these values on their own (no database)."""
    problems = {}
    if cycle is not None and not cycle.is_open:
        problems["cycle"] = _("Cycle %(year)s is closed: its evidence can no longer be entered or changed.") % {
            "year": cycle.year}
    if not title:
        problems["title"] = _("Give the project's title.")
    elif len(title) > TITLE_MAX:
        problems["title"] = _("At most %(n)d characters.") % {"n": TITLE_MAX}
    if role not in AssignmentRole.values:
        problems["role"] = _("Not a role of a project team; allowed: %(allowed)s.") % {
            "allowed": ", ".join(AssignmentRole.values)}
    if start is None:
        problems["start"] = _("Give the date the assignment started.")
    elif end is not None and end < start:
        problems["end"] = _("The assignment ends before it starts.")
    return problems


def same_assignment(*, employee, cycle, title, start, exclude=None):
    """The stored assignment with the same key (title in any case), or None."""
    found = Assignment.objects.filter(employee=employee, cycle=cycle, title__iexact=title, start=start)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.first()


@transaction.atomic
def assignment_save(*, employee, cycle, title, role, start, end, competencies, entered_by, assignment=None):
    """Create ``employee``'s assignment in ``cycle`` (or change ``assignment``) and return it.

    ``competencies`` are ``Competency`` instances or keys (replacing those stored); ``entered_by``
    is the Employee saving it on the site, who must be allowed to (``may_enter_assignments``),
    or None for an import, whose scope its caller has checked. The cycle must be open, the end
    not before the start, and no other assignment of the person in the cycle may have the same
    title (any case) and start. Raises ``ValidationError`` (a dict by field) otherwise.
    """
    title = tidy_title(title)
    if entered_by is not None and not may_enter_assignments(by=entered_by, employee=employee):
        raise ValidationError(_("You may only enter project assignments of people who report to you."),
                              code="not_allowed")
    if assignment is not None and (assignment.employee_id != employee.pk or assignment.cycle_id != cycle.pk):
        raise ValidationError(_("This assignment belongs to another person or cycle."), code="wrong_assignment")
    problems = assignment_problems(cycle=cycle, title=title, role=role, start=start, end=end)
    if not problems and same_assignment(employee=employee, cycle=cycle, title=title, start=start,
                                        exclude=assignment.pk if assignment else None):
        problems["title"] = _("%(name)s already has an assignment with this title starting on the same day.") % {
            "name": employee.name}
    ids = [getattr(c, "pk", c) for c in competencies or ()]
    if ids and Competency.objects.filter(pk__in=ids).count() != len(set(ids)):
        problems["competencies"] = _("Some of these competencies are not in the dictionary.")
    if problems:
        raise ValidationError(problems)
    if assignment is None:
        assignment = Assignment(employee=employee, cycle=cycle)
    assignment.title, assignment.role, assignment.start, assignment.end = title, role, start, end
    assignment.entered_by = entered_by
    assignment.save()
    assignment.competencies.set(ids)
    return assignment


@transaction.atomic
def assignment_delete(*, assignment, deleted_by):
    """Delete ``assignment``: for those who may enter it, while its cycle is open."""
    if not may_enter_assignments(by=deleted_by, employee=assignment.employee):
        raise ValidationError(_("You may only enter project assignments of people who report to you."),
                              code="not_allowed")
    if not assignment.cycle.is_open:
        raise ValidationError(_("Cycle %(year)s is closed: its evidence can no longer be entered or changed.") % {
            "year": assignment.cycle.year}, code="cycle_closed")
    assignment.delete()
