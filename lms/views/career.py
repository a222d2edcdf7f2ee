"""The career page (``/karier/saya/``: a person's next steps, the criteria and where they stand) and the
succession page for HR and the talent committee (``/karier/suksesi/``: key positions and their candidates).

Both only show: the career page says so to its reader, and readiness is evidence for the talent
committee, not a decision (docs/talent.md#career-page-and-succession).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from courses.links import course_url
from tna.models import Agency, Employee, Unit
from tna.roles import employee_of, sees_talent
from tna.talent.ladder import PROGRAMME_OF_LEVEL, next_steps

from .. import career
from ..models import DevelopmentStatus
from ..selectors import career as selectors
from ..selectors.development import development_plan
from ..succession import READINESS, readiness_label

STATUS_CLASS = {career.MET: "done", career.MISSING: "pending", career.UNKNOWN: "unknown"}


class _Links:
    """Course page URLs, each resolved once per request."""

    def __init__(self, request):
        self.request, self.urls = request, {}

    def __call__(self, course):
        if course.pk not in self.urls:
            self.urls[course.pk] = course_url(course, self.request)
        return self.urls[course.pk]


def _criterion_item(criterion, step, *, names, courses, leadership, link):
    item = {
        "criterion": criterion, "code": criterion.code, "status": criterion.status,
        "css": STATUS_CLASS[criterion.status], "title": career.criterion_title(criterion.code),
        "status_label": career.status_label(criterion.status), "summary": career.criterion_summary(criterion, step),
        "to_close": career.criterion_to_close(criterion),
    }
    if criterion.code == "appraisal":
        item["years"] = list(criterion.rows)
    elif criterion.code == "competencies":
        def row(r):
            found = courses.get((r.competency_id, r.required), []) if r.status == career.MISSING else []
            return {"row": r, "name": names.get(r.competency_id, ""),
                    "courses": [{"course": c, "url": link(c)} for c in found]}
        met = [r for r in criterion.rows if r.status == career.MET]
        item["levels"] = [row(r) for r in criterion.missing_rows + criterion.unknown_rows + met]
    elif criterion.code == "leadership_training" and criterion.status == career.MISSING:
        course = leadership.get(criterion.numbers["programme"])
        item["course"] = {"course": course, "url": link(course)} if course else None
    return item


@login_required
@require_GET
def mine(request):
    """The signed-in person's position, plan, projects and, for each next step, the criteria and where they stand."""
    me = employee_of(request.user)
    if me is None:
        return render(request, "lms/career/no_employee.html")
    me = Employee.objects.select_related("position", "unit", "agency").get(pk=me.pk)
    rules = career.Rules.from_settings()
    today = selectors.today_of(me.agency)
    person = selectors.person_inputs(me, today=today, rules=rules)
    steps = next_steps(me.position.job_type)
    standards = selectors.step_standards(me.agency, steps)
    assessed = [career.assess_step(person, step, standards[step], today=today, rules=rules) for step in steps]

    needs, programmes = set(), set()
    for step in assessed:
        needs.update((r.competency_id, r.required) for r in step.criterion("competencies").missing_rows)
        training = step.criterion("leadership_training")
        if training is not None and training.status == career.MISSING:
            programmes.add(training.numbers["programme"])
    courses = selectors.closing_courses(me.agency, needs)
    leadership = selectors.leadership_courses(me.agency, programmes)
    names = selectors.competency_names({cid for standard in standards.values() for cid in standard})
    link = _Links(request)

    cards = [{
        "job_type": step.job_type, "label": career.job_type_label(step.job_type), "step": step,
        "total": len(step.criteria),
        "criteria": [_criterion_item(c, step.job_type, names=names, courses=courses, leadership=leadership, link=link)
                     for c in step.criteria],
    } for step in assessed]
    items = list(development_plan(me).exclude(status=DevelopmentStatus.DROPPED))
    return render(request, "lms/career/mine.html", {
        "employee": me,
        "job_type_label": career.job_type_label(me.position.job_type),
        "steps": cards,
        "plan_year": items[0].cycle.year if items else None,
        "plan": [{"item": item, "url": link(item.course) if item.course_id else ""} for item in items],
        "box": selectors.own_box(me),
        "assignments": selectors.my_assignments(me),
        "rules": rules,
    })


# --- succession --------------------------------------------------------------------------------------

def succession_agency(request):
    """(agency, agencies): a superuser's choice (``?agency=CODE``, else the first agency), or the agency
    of a training admin or talent-committee member; 403 for everyone else."""
    user = request.user
    if user.is_superuser:
        agencies = list(Agency.objects.order_by("name"))
        code = request.GET.get("agency") or ""
        if code:
            agency = next((a for a in agencies if a.code == code), None)
            if agency is None:
                raise Http404(_("There is no agency with code %(code)s.") % {"code": code})
            return agency, agencies
        return (agencies[0] if agencies else None), agencies
    me = employee_of(user)
    if me is None or not sees_talent(user):
        raise PermissionDenied(_("The succession page is for the training admins and the talent committee of the agency."))
    return me.agency, []


def _unit(request, agency):
    value = request.GET.get("unit") or ""
    if not value:
        return None
    if not value.isdigit() or len(value) > 12:
        raise Http404(_("There is no such unit."))
    unit = Unit.objects.filter(agency=agency, pk=int(value)).first()
    if unit is None:
        raise Http404(_("There is no such unit."))
    return unit


@login_required
@require_GET
def succession(request):
    """Every key position of the agency with its holders and candidates by readiness; the ones with no
    successor ready now first. ``?unit=`` keeps the key positions held in one unit (and its sub-units)."""
    agency, agencies = succession_agency(request)
    rules = career.Rules.from_settings()
    if agency is None:
        return render(request, "lms/career/succession.html", {"agency": None, "agencies": agencies, "rules": rules})
    unit = _unit(request, agency)
    board = selectors.succession_board(agency, unit=unit, today=selectors.today_of(agency), rules=rules)
    for entry in board:
        entry.label = career.job_type_label(entry.position.job_type)
        entry.programme_label = career.programme_label(PROGRAMME_OF_LEVEL.get(entry.position.job_type))
        entry.groups = [{"level": level, "label": readiness_label(level), "count": entry.counts.get(level, 0),
                         "candidates": entry.candidates.get(level, []), "more": entry.more[level]}
                        for level in READINESS]
    return render(request, "lms/career/succession.html", {
        "agency": agency, "agencies": agencies, "unit": unit,
        "units": Unit.objects.filter(agency=agency).order_by("name", "pk"),
        "board": board, "without_successor": [entry for entry in board if not entry.ready_now],
        "rules": rules,
    })
