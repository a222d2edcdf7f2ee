"""Reads of development plans (``lms.services.development``): a person's own, and a supervisor's team.

The box an item came from (``DevelopmentItem.box``) is for HR and the talent committee: the team
view leaves it out altogether, and a person's own view shows it only where their agency's
``TalentPolicy.show_own_box`` allows.
"""

from tna.models import Cycle

from ..models import DevelopmentItem

#: What a supervisor sees of their reports' items: everything but the box.
TEAM_FIELDS = (
    "id", "cycle_id", "cycle__year", "employee_id", "employee__name", "employee__nip", "action", "source",
    "course_id", "course__code", "course__title", "course__title_en", "course__leadership_programme",
    "competency_id", "priority", "status", "note", "updated_at",
)


def _latest_cycle(items):
    """The newest cycle among ``items`` (a DevelopmentItem queryset), or None."""
    cycle_id = items.order_by("-cycle__year").values_list("cycle_id", flat=True).first()
    return Cycle.objects.filter(pk=cycle_id).first() if cycle_id else None


def development_plan(employee, cycle=None):
    """``employee``'s development items of ``cycle`` (default: the latest cycle they have items in),
    with course and cycle, highest priority first. Empty when there are none.

    The rows carry ``box``: show it to the person only when their agency's
    ``TalentPolicy.show_own_box`` is on.
    """
    mine = DevelopmentItem.objects.filter(employee=employee)
    if cycle is None:
        cycle = _latest_cycle(mine)
        if cycle is None:
            return DevelopmentItem.objects.none()
    return mine.filter(cycle=cycle).select_related("course", "cycle", "competency").order_by("-priority", "action")


def team_development(supervisor, cycle=None):
    """The development items of ``supervisor``'s active direct reports in ``cycle`` (default: the latest
    cycle any of them has items in), as dicts of ``TEAM_FIELDS`` — never the box — by name, then
    highest priority first."""
    team = DevelopmentItem.objects.filter(employee__supervisor=supervisor, employee__active=True)
    if cycle is None:
        cycle = _latest_cycle(team)
        if cycle is None:
            return DevelopmentItem.objects.none().values(*TEAM_FIELDS)
    return team.filter(cycle=cycle).order_by("employee__name", "employee_id", "-priority", "action").values(*TEAM_FIELDS)
