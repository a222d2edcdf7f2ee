"""Competency pages: my profile (gaps and why), a supervisor's team heatmap, the planner's unit heatmap."""

import re
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from .. import hooks, selectors
from ..conf import settings
from ..infra.formats import join_list, number, percent
from ..infra.scoping import scope_to_agency
from ..infra.xlsx import XLSX_CONTENT_TYPE
from ..models import Agency, CompetencyGap
from ..roles import employee_of
from ..sentences import explain, priority_band, priority_label, rater_label
from .gap_tables import (
    competency_focus,
    gap_band,
    heatmap_table,
    heatmap_xlsx,
    team_focus_items,
    team_table,
    unit_focus,
)

TEAM_PAGE_SIZE = 50
PRIORITY_PART_LABELS = {
    "gap": pgettext_lazy("priority part", "Size of the gap"),
    "weight": pgettext_lazy("priority part", "Weight for the position"),
    "appraisal": pgettext_lazy("priority part", "Appraisal (SKP)"),
    "survey": pgettext_lazy("priority part", "Training-needs survey"),
    "ikm": pgettext_lazy("priority part", "Unit service satisfaction (IKM)"),
}
# ?show= on the heatmaps: one unit (by id) or one competency (by code) instead of the whole table.
SHOW = re.compile(r"^(?:unit-(?P<unit>[0-9]{1,12})|competency-(?P<competency>[A-Za-z0-9._-]{1,20}))$")


def _cycle(request, gaps):
    """(cycle, cycles): the cycle from ``?cycle=`` or the latest with results in ``gaps``, and the
    cycles that have results (400 on a malformed year, 404 on a year with no cycle)."""
    try:
        year = selectors.parse_cycle_year(request.GET.get("cycle"))
    except ValueError as error:
        raise BadRequest(str(error)) from None
    cycles = list(selectors.cycles_with_results(gaps))
    if year is None:
        return (cycles[0] if cycles else None), cycles
    cycle = next((c for c in cycles if c.year == year), None) or selectors.current_cycle(gaps, year)
    if cycle is None:
        raise Http404(_("There is no cycle %(year)s.") % {"year": year})
    return cycle, cycles


def _show(request):
    """``?show=`` as ("unit", id), ("competency", code) or (None, None); 400 when malformed."""
    value = request.GET.get("show") or ""
    if not value:
        return None, None
    match = SHOW.match(value)
    if match is None:
        raise BadRequest("show must be unit-<id> or competency-<code>")
    if match["unit"]:
        return "unit", int(match["unit"])
    return "competency", match["competency"]


def _query(**params):
    """A query string of the non-empty ``params`` ("?cycle=2026&show=unit-3"), or ""."""
    params = {key: value for key, value in params.items() if value not in (None, "")}
    return "?" + urlencode(params) if params else ""


def _show_options(*, units=(), competencies=(), with_agency=False):
    """The optgroups of the "View" selector: [(label, [(value, text)])]; units carry their agency's
    name when several agencies are shown (each has its own "Sekretariat Daerah")."""
    groups = []
    if units:
        groups.append((_("One unit"), [
            ("unit-%d" % unit.pk, "%s · %s" % (unit.name, unit.agency.name) if with_agency else unit.name)
            for unit in units
        ]))
    if competencies:
        groups.append((_("One competency"), [
            ("competency-%s" % c.code, "%s %s" % (c.code, c.display_name)) for c in competencies
        ]))
    return groups


def _show_prefix(**params):
    """The start of a link to one unit or competency: "?cycle=2026&show=" (the template adds the rest)."""
    query = _query(**params)
    return (query + "&" if query else "?") + "show="


# --- the profile -----------------------------------------------------------------------------------

def _rater_heading(role):
    return {
        "supervisor": pgettext("rater group", "Supervisor"),
        "peer": pgettext("rater group", "Peers"),
        "subordinate": pgettext("rater group", "Subordinates"),
        "other": pgettext("rater group", "Other raters"),
        "self": pgettext("rater group", "Self"),
    }.get(role, role)


def _self_note(chosen, raters, *, own):
    """"You chose level 2 for yourself; … it counts as 1.4." when the chosen level is known."""
    corrected = next((r["mean"] for r in raters if r["role"] == "self" and r.get("mean") is not None), None)
    if chosen is None or corrected is None:
        return ""
    values = {"chosen": chosen, "corrected": number(corrected)}
    if own:
        return _(
            "You chose level %(chosen)s for yourself. After the correction for how your self-assessments "
            "compare with what your other raters gave you, it counts as %(corrected)s."
        ) % values
    return _(
        "They chose level %(chosen)s for themselves. After the correction for how their self-assessments "
        "compare with what their other raters gave them, it counts as %(corrected)s."
    ) % values


def _percent_of_scale(level):
    # SVG coordinates, not shown text: a point, always.
    return "%.1f" % (min(max(float(level or 0), 0.0), 5.0) * 20)


def _profile_rows(user, employee, cycle, *, own):
    gaps = selectors.profile_gaps(employee, cycle) if cycle else []
    descriptors = selectors.level_descriptors((g.competency_id, g.required_level) for g in gaps)
    detail = bool(gaps) and selectors.sees_rater_detail(user, employee_id=employee.pk, agency_id=gaps[0].agency_id)
    # The level one chose oneself is one's own input; HR sees every rating anyway.
    chosen = selectors.self_levels(employee, cycle) if gaps and (own or detail) else {}
    rows = []
    for gap in gaps:
        reason = gap.reason or {}
        raters = selectors.rater_view(user, gap)
        observed = gap.observed_level
        own_choice = chosen.get(gap.competency_id)
        rows.append({
            "gap": gap,
            "competency": gap.competency,
            "descriptor": descriptors.get((gap.competency_id, gap.required_level)),
            "observed": observed,
            "no_evidence": observed is None or bool(reason.get("no_evidence")),
            "confidence": percent(gap.confidence),
            "priority_label": priority_label(gap.priority) if priority_band(gap.priority) else "",
            "priority_band": priority_band(gap.priority),
            "band": gap_band(gap.gap, observed is not None),
            "raters": [
                {**r, "label": _rater_heading(r["role"]), "chosen": own_choice if r["role"] == "self" else None}
                for r in raters
            ],
            "sentences": explain(reason, raters, gap.priority, own=own),
            "self_note": _self_note(own_choice, raters, own=own),
            "priority_parts": [
                (PRIORITY_PART_LABELS.get(key, key), value)
                for key, value in (reason.get("priority_parts") or {}).items() if value
            ],
            "bar": {"observed": _percent_of_scale(observed), "required": _percent_of_scale(gap.required_level)},
        })
    return rows


def _rater_weights_text():
    """The configured rater-group weights as the explanation writes them ("supervisor 40%, …")."""
    weights = settings.RATER_WEIGHTS
    return join_list(
        "%s %s" % (rater_label(role), percent(weights[role]))
        for role in selectors.RATER_ROLE_ORDER if weights.get(role)
    )


def _back_links(request, employee, *, own):
    """Where a supervisor or planner viewing someone's profile goes back to (their team, the unit)."""
    if own:
        return []
    links = []
    me = employee_of(request.user)
    cycle = request.GET.get("cycle") if (request.GET.get("cycle") or "").isdigit() else None
    if me is not None and selectors.is_team_lead(request.user) and selectors.team_members(me).filter(pk=employee.pk).exists():
        page = request.GET.get("page") if (request.GET.get("page") or "").isdigit() else None
        show = request.GET.get("show") if SHOW.match(request.GET.get("show") or "") else None
        links.append((reverse("tna:team") + _query(cycle=cycle, show=show, page=page), _("Back to my team")))
    if selectors.is_planner(request.user):
        query = _query(cycle=cycle, show="unit-%d" % employee.unit_id)
        links.append((reverse("tna:planner") + query, _("%(unit)s on the competency map") % {"unit": employee.unit.name}))
    return links


@login_required
def profile(request, nip=None):
    """One person's required vs observed level per competency, with the reasons (own by default)."""
    if nip is None:
        employee = employee_of(request.user)
        if employee is None:
            return render(request, "tna/gaps/no_employee.html", status=404)
    else:
        # 404 rather than 403: people outside one's scope should not learn who exists.
        employee = selectors.visible_employee(request.user, nip)
        if employee is None:
            raise Http404(_("No profile you may see has this NIP."))
    me = employee_of(request.user)
    own = me is not None and me.pk == employee.pk
    cycle, cycles = _cycle(request, CompetencyGap.objects.filter(employee=employee))
    rows = _profile_rows(request.user, employee, cycle, own=own)
    return render(request, "tna/gaps/profile.html", {
        "employee": employee,
        "own": own,
        "cycle": cycle,
        "cycles": cycles,
        "rows": rows,
        "scale": range(6),
        "rater_weights_text": _rater_weights_text(),
        "min_raters": settings.MIN_RATERS_PER_ROLE_SHOWN,
        "extra_sections": hooks.profile_sections(request=request, employee=employee),
        "team_link": own and selectors.is_team_lead(request.user),
        "planner_link": own and selectors.is_planner(request.user),
        "back_links": _back_links(request, employee, own=own),
    })


# --- the team --------------------------------------------------------------------------------------

@login_required
def team(request):
    """Heatmap of a supervisor's direct and indirect reports × competencies for a cycle; with
    ``?show=competency-CODE`` one competency across the team as a list, largest gap first."""
    if not selectors.is_team_lead(request.user):
        raise PermissionDenied(_("Only supervisors have a team view."))
    me = employee_of(request.user)
    cycle, cycles = _cycle(request, selectors.team_gaps(me))
    kind, key = _show(request)
    if kind == "unit":
        raise Http404(_("The team page shows one competency at a time, not one unit."))
    competencies = list(selectors.team_competencies(me, cycle)) if cycle else []
    context = {
        "cycle": cycle, "cycles": cycles, "show": request.GET.get("show") or "",
        "show_options": _show_options(competencies=competencies),
        "show_all_label": _("Whole table: everyone and every competency"),
    }
    if kind == "competency":
        competency = next((c for c in competencies if c.code == key), None)
        if competency is None:
            raise Http404(_("Nobody in your team needs competency %(code)s in this cycle.") % {"code": key})
        page = Paginator(selectors.team_competency_gaps(me, cycle, competency), TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(focus={
            "kind": "team", "title": "%s %s" % (competency.code, competency.display_name),
            "subtitle": competency.get_group_display(), "items": team_focus_items(page),
        }, page=page, has_members=True)
    else:
        members = selectors.team_members(me)
        page = Paginator(members, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
        cells = selectors.team_cells([p.pk for p in page], cycle) if cycle else {}
        columns, rows = team_table(page, cells, me)
        context.update(competencies=columns, rows=rows, page=page, has_members=bool(rows))
    cycle_param = cycle.year if cycle else None
    context["profile_query"] = _query(cycle=cycle_param, show=context["show"], page=page.number if page.number > 1 else None)
    context["page_query"] = _query(cycle=cycle_param, show=context["show"])
    context["show_prefix"] = _show_prefix(cycle=cycle_param)
    context["base_query"] = _query(cycle=cycle_param)
    return render(request, "tna/gaps/team.html", context)


# --- the planner's map -----------------------------------------------------------------------------

def _focus(table, kind, key):
    if kind is None or table is None:
        return None
    focus = unit_focus(table, key) if kind == "unit" else competency_focus(table, key)
    if focus is None:
        raise Http404(_("There is nothing to show for %(what)s in this cycle.") % {"what": key})
    return focus


@login_required
def planner(request):
    """Units × competencies heatmap (mean gap, share with gap ≥ 1) with group totals; XLSX export;
    ``?show=unit-ID`` or ``?show=competency-CODE`` shows one unit or one competency as a list."""
    user = request.user
    if not selectors.is_planner(user):
        raise PermissionDenied(_("Only planners and training admins see the agency heatmap."))
    gaps = scope_to_agency(CompetencyGap.objects.all(), user, field="agency")
    agency = None
    agencies = []
    if user.is_superuser:
        agencies = list(Agency.objects.order_by("name"))
        code = request.GET.get("agency") or ""
        if code:
            agency = next((a for a in agencies if a.code == code), None)
            if agency is None:
                raise Http404(_("There is no agency with code %(code)s.") % {"code": code})
            gaps = gaps.filter(agency=agency)
    else:
        agency = employee_of(user).agency
    cycle, cycles = _cycle(request, gaps)
    kind, key = _show(request)
    table = heatmap_table(selectors.cycle_heatmap_sums(cycle, agency)) if cycle else None
    table = table if table and table["rows"] else None
    agency_label = agency.name if agency else _("All agencies")
    if cycle and table and request.GET.get("format") == "xlsx":
        response = HttpResponse(heatmap_xlsx(table, cycle=cycle, agency_label=agency_label), content_type=XLSX_CONTENT_TYPE)
        filename = f"gaps-{cycle.year}-{agency.code if agency else 'all'}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    focus = _focus(table, kind, key)
    cycle_param = cycle.year if cycle else None
    agency_param = agency.code if agency and user.is_superuser else None
    return render(request, "tna/gaps/planner.html", {
        "cycle": cycle,
        "cycles": cycles,
        "agency": agency,
        "agency_label": agency_label,
        "agencies": agencies,
        "table": table,
        "focus": focus,
        "show": request.GET.get("show") or "",
        "show_options": _show_options(
            units=[row["unit"] for row in table["rows"]] if table else [],
            competencies=table["competencies"] if table else [],
            with_agency=agency is None,
        ),
        "show_all_label": _("Whole table: every unit and competency"),
        "base_query": _query(cycle=cycle_param, agency=agency_param),
        "xlsx_query": _query(cycle=cycle_param, agency=agency_param, format="xlsx"),
        "show_prefix": _show_prefix(cycle=cycle_param, agency=agency_param),
    })

