"""The 9-box pages for HR and the talent committee: the grid with its filters and XLSX export, the
people of one box, and one placement with the reason in words and its calibration."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors
from ..grades import JobType
from ..infra.formats import percent
from ..infra.xlsx import XLSX_CONTENT_TYPE
from ..models import Agency, TalentPlacement, Unit
from ..roles import TRAINING_ADMIN, employee_of, has_role
from ..services.talent import talent_move
from ..talent.access import require_talent_staff, staff_placements
from ..talent.boxes import AXES, BOX, BOXES, Performance, Potential, box_actions
from ..talent.export import grid_xlsx, job_type_label
from .talent_reasons import reason_sections

PAGE_SIZE = 50
# The national 9-box is drawn with potential rising upwards and performance rising to the right.
ROWS = [Potential.HIGH, Potential.MEDIUM, Potential.LOW]
COLUMNS = [Performance.BELOW, Performance.MEETS, Performance.ABOVE]


# --- what the request asks for ---------------------------------------------------------------------

def _query(**params):
    """A query string of the non-empty ``params`` ("?cycle=2026&box=9"), or ""."""
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return "?" + urlencode(params) if params else ""


def _agency(request):
    """(agency, agencies): a superuser's choice (``?agency=CODE``, else the first agency with
    placements), or the agency of the training admin or committee member."""
    user = request.user
    if not user.is_superuser:
        return employee_of(user).agency, []
    agencies = list(Agency.objects.order_by("name"))
    code = request.GET.get("agency") or ""
    if code:
        agency = next((a for a in agencies if a.code == code), None)
        if agency is None:
            raise Http404(_("There is no agency with code %(code)s.") % {"code": code})
        return agency, agencies
    placed = Agency.objects.filter(Exists(TalentPlacement.objects.filter(agency=OuterRef("pk")))).order_by("name")
    return placed.first() or (agencies[0] if agencies else None), agencies


def _cycle(request, placements):
    """(cycle, cycles): ``?cycle=YEAR`` or the latest cycle with placements, and the cycles that have some."""
    try:
        year = selectors.parse_cycle_year(request.GET.get("cycle"))
    except ValueError as error:
        raise BadRequest(str(error)) from None
    cycles = list(selectors.cycles_with_results(placements))
    if year is None:
        return (cycles[0] if cycles else None), cycles
    cycle = next((c for c in cycles if c.year == year), None)
    if cycle is None:
        raise Http404(_("There are no placements in cycle %(year)s.") % {"year": year})
    return cycle, cycles


def _unit(request, agency):
    code = request.GET.get("unit") or ""
    if not code or agency is None:
        return None
    unit = Unit.objects.filter(agency=agency, code=code).first()
    if unit is None:
        raise Http404(_("There is no unit %(code)s in this agency.") % {"code": code})
    return unit


def _job_type(request):
    value = request.GET.get("job_type") or ""
    if value and value not in JobType.values:
        raise BadRequest("job_type must be one of %s" % ", ".join(JobType.values))
    return value


def _box(request):
    value = request.GET.get("box") or ""
    if not value:
        return None
    if value not in {str(box) for box in BOXES}:
        raise BadRequest("box must be a number from 1 to 9")
    return int(value)


# --- the grid ----------------------------------------------------------------------------------------

def box_counts(placements):
    """{box: people} of ``placements``, in one aggregate query."""
    return dict(placements.order_by().values_list("box").annotate(n=Count("pk")).values_list("box", "n"))


def box_label(box):
    """"Box 9" in the active language."""
    return _("Box %(box)s") % {"box": box}


def grid_rows(counts, link_prefix):
    """The 3 × 3 grid: rows of potential (high first), each a label and its cells from low to high
    performance; a cell has its box, actions, people, share and link (``link_prefix`` + box)."""
    total = sum(counts.values())
    rows = []
    for potential in ROWS:
        cells = []
        for performance in COLUMNS:
            box = BOX[(performance, potential)]
            n = counts.get(box, 0)
            cells.append({
                "box": box, "label": box_label(box), "count": n, "share": percent(n / total) if total else "",
                "actions": [action.label for action in box_actions(box)],
                "performance": performance.label, "potential": potential.label,
                "url": "%s%d" % (link_prefix, box),
            })
        rows.append({"potential": potential.label, "cells": cells})
    return rows


def _people(placements):
    return placements.select_related("employee", "employee__position", "unit", "moved_by", "moved_by__employee")


@login_required
@require_GET
def grid(request):
    """The 9-box of an agency for a cycle, filtered by unit and job type; ``?box=N`` lists that box's
    people, ``?format=xlsx`` downloads the grid and its people."""
    require_talent_staff(request.user)
    agency, agencies = _agency(request)
    placements = TalentPlacement.objects.filter(agency=agency) if agency else TalentPlacement.objects.none()
    cycle, cycles = _cycle(request, placements)
    unit, job_type, box = _unit(request, agency), _job_type(request), _box(request)
    shown = placements.filter(cycle=cycle) if cycle else placements.none()
    if unit is not None:
        shown = shown.filter(unit=unit)
    if job_type:
        shown = shown.filter(job_type=job_type)
    counts = box_counts(shown) if cycle else {}
    params = {
        "agency": agency.code if agency and request.user.is_superuser else None,
        "cycle": cycle.year if cycle else None, "unit": unit.code if unit else None, "job_type": job_type,
    }
    if cycle and request.GET.get("format") == "xlsx":
        people = _people(shown.filter(box=box) if box else shown).order_by("-box", "employee__name", "pk")
        title = _("9-box %(year)s — %(agency)s") % {"year": cycle.year, "agency": agency.name}
        response = HttpResponse(grid_xlsx(people, counts, title=title), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="talenta-%s-%s.xlsx"' % (cycle.year, agency.code)
        return response
    base = _query(**params)
    context = {
        "agency": agency, "agencies": agencies, "cycle": cycle, "cycles": cycles,
        "unit": unit, "units": Unit.objects.filter(agency=agency).order_by("name") if agency else [],
        "job_type": job_type, "job_types": JobType.choices,
        "columns": [c.label for c in COLUMNS],
        "rows": grid_rows(counts, (base + "&" if base else "?") + "box="),
        "total": sum(counts.values()),
        "base_query": base, "xlsx_query": _query(**params, box=box, format="xlsx"),
        "box": box,
        # HR sets the policy; the talent committee only reads the grid.
        "policy_url": reverse("tna:talent_policy") + _query(agency=agency.code if request.user.is_superuser and agency
                                                            else None)
        if has_role(request.user, TRAINING_ADMIN) else None,
    }
    if box is not None:
        performance, potential = AXES[box]
        page = Paginator(_people(shown.filter(box=box)).order_by("employee__name", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page"))
        for item in page:
            item.job_type_label = job_type_label(item.job_type)
        context.update(
            page=page, box_title=box_label(box), box_actions=[a.label for a in box_actions(box)],
            box_performance=Performance(performance).label, box_potential=Potential(potential).label,
            page_query=_query(**params, box=box), detail_query=_query(cycle=cycle.year),
        )
    return render(request, "tna/talent/grid.html", context)


# --- one placement -----------------------------------------------------------------------------------

def box_choices():
    """(box, "9 — above expectations, high potential") for boxes 9 to 1."""
    return [(box, _("%(box)s — performance %(performance)s, potential %(potential)s") % {
        "box": box, "performance": Performance(AXES[box][0]).label.lower(),
        "potential": Potential(AXES[box][1]).label.lower(),
    }) for box in reversed(BOXES)]


class CalibrationForm(forms.Form):
    """A move in the calibration meeting: the new box and why, in words."""

    box = forms.TypedChoiceField(label=gettext_lazy("New box"), coerce=int, choices=box_choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason for the move"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required: what the committee weighed that the evidence does not show."),
        error_messages={"required": gettext_lazy("Write why the committee moves this person.")},
    )

    def add_service_error(self, error):
        """Show a ``ValidationError`` of ``talent_move`` on the field it names, or on the whole form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


def _placement(request, nip):
    """(placement, cycles): the person's placement in ``?cycle=`` (else their latest) among those the
    user sees as HR; 404 for anyone outside them, so NIPs do not tell who is placed."""
    placements = staff_placements(request.user).filter(employee__nip=nip)
    cycle, cycles = _cycle(request, placements)
    placement = (placements.filter(cycle=cycle).select_related(
        "cycle", "employee", "employee__position", "agency", "unit", "moved_by", "moved_by__employee",
    ).first() if cycle else None)
    if placement is None:
        raise Http404(_("No placement you may see has this NIP."))
    return placement, cycles


@login_required
@require_http_methods(["GET", "POST"])
def placement(request, nip):
    """One person's placement: the axes, the reason in words, the moves, and the calibration form."""
    require_talent_staff(request.user)
    placement, cycles = _placement(request, nip)
    form = CalibrationForm(request.POST or None, initial={"box": placement.box})
    if request.method == "POST" and form.is_valid():
        try:
            placement = talent_move(placement=placement, box=form.cleaned_data["box"],
                                    reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(name)s moved to box %(box)s.") % {
                "name": placement.employee.name, "box": placement.box})
            return redirect(reverse("tna:talent_placement", args=[nip]) + _query(cycle=placement.cycle.year))
    performance, potential = AXES[placement.box]
    grid_query = _query(agency=placement.agency.code if request.user.is_superuser else None,
                        cycle=placement.cycle.year)
    return render(request, "tna/talent/placement.html", {
        "placement": placement, "employee": placement.employee, "cycle": placement.cycle, "cycles": cycles,
        "box_title": box_label(placement.box), "box_actions": [a.label for a in box_actions(placement.box)],
        "box_performance": Performance(performance).label, "box_potential": Potential(potential).label,
        "performance": Performance(placement.performance).label, "potential": Potential(placement.potential).label,
        "computed_title": box_label(placement.computed_box),
        "job_type": job_type_label(placement.job_type),
        "reason": reason_sections(placement.reason or {}),
        "moves": placement.moves.select_related("author", "author__employee"),
        "form": form,
        "grid_url": reverse("tna:talent") + grid_query,
        "box_url": reverse("tna:talent") + (grid_query + "&" if grid_query else "?") + "box=%d" % placement.box,
    })
