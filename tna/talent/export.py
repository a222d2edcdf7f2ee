"""The 9-box as an XLSX workbook: a sheet of people and a sheet of counts per box (numbers stay numbers)."""

from django.utils.translation import gettext as _

from ..grades import JobType
from ..infra.xlsx import DATETIME, SHARE, WHOLE, workbook_bytes
from .boxes import AXES, BOXES, Performance, Potential


def person_of(user):
    """A user as the person behind it: the employee's name, else the full name, else the username."""
    if user is None:
        return ""
    employee = getattr(user, "employee", None)  # a missing one-to-one raises an AttributeError
    if employee is not None and employee.name:
        return employee.name
    return user.get_full_name() or user.get_username()


def job_type_label(code):
    """The job type's name in the active language (the code itself for one no longer listed)."""
    return str(JobType(code).label) if code in JobType.values else code


def people_rows(placements):
    """One row per placement (already filtered; ``employee``, ``unit`` and ``moved_by`` selected)."""
    yes, no = _("yes"), _("no")
    return [[
        p.employee.nip, p.employee.name, p.unit.name, job_type_label(p.job_type),
        str(Performance(p.performance).label), str(Potential(p.potential).label), p.box, p.computed_box,
        yes if p.calibrated else no, person_of(p.moved_by) if p.moved_by_id else "", p.moved_at, p.move_reason,
    ] for p in placements]


def count_rows(counts):
    """Boxes 9 to 1 with their axes, people and share of the total, then the total."""
    total = sum(counts.values())
    rows = []
    for box in reversed(BOXES):
        performance, potential = AXES[box]
        n = counts.get(box, 0)
        rows.append([box, str(Performance(performance).label), str(Potential(potential).label), n,
                     n / total if total else None])
    rows.append([_("All boxes"), "", "", total, 1.0 if total else None])
    return rows


def grid_xlsx(placements, counts, *, title):
    """The workbook as bytes: ``placements`` as people, ``counts`` ({box: people}) per box; ``title`` heads both."""
    people_head = [_("NIP"), _("Name"), _("Unit"), _("Job type"), _("Performance"), _("Potential"), _("Box"),
                   _("Box from the evidence"), _("Calibrated"), _("Moved by"), _("Moved at"),
                   _("Reason for the move")]
    counts_head = [_("Box"), _("Performance"), _("Potential"), _("People"), _("Share")]
    return workbook_bytes([
        (_("People"), [[title], people_head], people_rows(placements), {6: WHOLE, 7: WHOLE, 10: DATETIME}),
        (_("Boxes"), [[title], counts_head], count_rows(counts), {0: WHOLE, 3: WHOLE, 4: SHARE}),
    ])
