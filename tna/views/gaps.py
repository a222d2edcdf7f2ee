"""Competency pages: my profile (gaps and why), a supervisor's team heatmap, the planner's unit heatmap."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from .. import hooks, selectors
from ..infra.formats import number, percent
from ..infra.scoping import scope_to_agency
from ..infra.xlsx import XLSX_CONTENT_TYPE, workbook_bytes
from ..models import Agency, Competency, CompetencyGap, CompetencyGroup, Unit
from ..roles import employee_of
from ..sentences import explain, priority_band, priority_label

# Chart geometry (SVG user units): label column, then 0–5 levels.
CHART_LABEL = 70
CHART_LEVEL = 100
CHART_ROW = 30
TEAM_PAGE_SIZE = 50
GROUP_ORDER = list(CompetencyGroup.values)
PRIORITY_PART_LABELS = {
    "gap": pgettext_lazy("priority part", "Size of the gap"),
    "weight": pgettext_lazy("priority part", "Weight for the position"),
    "appraisal": pgettext_lazy("priority part", "Appraisal (SKP)"),
    "survey": pgettext_lazy("priority part", "Training-needs survey"),
    "ikm": pgettext_lazy("priority part", "Unit service satisfaction (IKM)"),
}


def _cycle(request, gaps):
    """The cycle from ``?cycle=`` or the latest with results in ``gaps`` (400/404 on a bad one)."""
    try:
        year = selectors.parse_cycle_year(request.GET.get("cycle"))
    except ValueError as error:
        raise BadRequest(str(error)) from None
    cycle = selectors.current_cycle(gaps, year)
    if year is not None and cycle is None:
        raise Http404(_("There is no cycle %(year)s.") % {"year": year})
    return cycle


def gap_band(gap, observed=True):
    """CSS class for a gap value: none (no ratings), 0 (met), 1 (<0.5), 2 (<1), 3 (<2), 4 (≥2)."""
    if not observed or gap is None:
        return "gap-none"
    if gap <= 0:
        return "gap-0"
    if gap < 0.5:
        return "gap-1"
    if gap < 1:
        return "gap-2"
    return "gap-3" if gap < 2 else "gap-4"


def _profile_rows(user, employee, cycle):
    own = employee_of(user) is not None and employee_of(user).pk == employee.pk
    gaps = selectors.profile_gaps(employee, cycle) if cycle else []
    descriptors = selectors.level_descriptors((g.competency_id, g.required_level) for g in gaps)
    rows = []
    for index, gap in enumerate(gaps):
        reason = gap.reason or {}
        raters = selectors.rater_view(user, gap)
        observed = gap.observed_level
        y = index * CHART_ROW
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
            "raters": [{**r, "label": _rater_heading(r["role"])} for r in raters],
            "sentences": explain(reason, raters, gap.priority, own=own),
            "priority_parts": [
                (PRIORITY_PART_LABELS.get(key, key), value)
                for key, value in (reason.get("priority_parts") or {}).items() if value
            ],
            "chart": {
                "y": y,
                "text_y": y + 19,
                "bar_width": round((observed or 0) * CHART_LEVEL, 1),
                "required_x": CHART_LABEL + gap.required_level * CHART_LEVEL,
                "value_x": CHART_LABEL + (observed or 0) * CHART_LEVEL + 6,
            },
        })
    return rows, own


def _rater_heading(role):
    return {
        "supervisor": pgettext("rater group", "Supervisor"),
        "peer": pgettext("rater group", "Peers"),
        "subordinate": pgettext("rater group", "Subordinates"),
        "other": pgettext("rater group", "Other raters"),
        "self": pgettext("rater group", "Self"),
    }.get(role, role)


def _chart_description(rows):
    parts = []
    for row in rows:
        if row["no_evidence"]:
            observed = _("no ratings yet")
        else:
            observed = _("observed %(level)s") % {"level": number(row["observed"])}
        parts.append(_("%(code)s: required %(required)s, %(observed)s") % {
            "code": row["competency"].code, "required": row["gap"].required_level, "observed": observed,
        })
    return "; ".join(parts)


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
    gaps = CompetencyGap.objects.filter(employee=employee)
    cycle = _cycle(request, gaps)
    rows, own = _profile_rows(request.user, employee, cycle)
    return render(request, "tna/gaps/profile.html", {
        "employee": employee,
        "own": own,
        "cycle": cycle,
        "cycles": selectors.cycles_with_results(gaps),
        "rows": rows,
        "chart": {
            "height": len(rows) * CHART_ROW + 30,
            "axis_y": len(rows) * CHART_ROW + 18,
            "ticks": [(level, CHART_LABEL + level * CHART_LEVEL) for level in range(6)],
            "description": _chart_description(rows),
            "label_x": CHART_LABEL - 6,
        },
        "min_raters": selectors.settings.MIN_RATERS_PER_ROLE_SHOWN,
        "extra_sections": hooks.profile_sections(request=request, employee=employee),
        "team_link": own and selectors.is_team_lead(request.user),
        "planner_link": own and selectors.is_planner(request.user),
    })


@login_required
def team(request):
    """Heatmap of a supervisor's direct and indirect reports × competencies for a cycle."""
    if not selectors.is_team_lead(request.user):
        raise PermissionDenied(_("Only supervisors have a team view."))
    me = employee_of(request.user)
    members = selectors.team_members(me)
    member_gaps = CompetencyGap.objects.filter(employee__in=members.order_by().values("pk"))
    cycle = _cycle(request, member_gaps)
    page = Paginator(members, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    cells = selectors.team_cells([p.pk for p in page], cycle) if cycle else {}
    competencies = list(Competency.objects.filter(pk__in={c for _, c in cells}).order_by("sort_order", "code"))
    rows = []
    for person in page:
        row_cells = []
        for competency in competencies:
            cell = cells.get((person.pk, competency.pk))
            if cell is None:
                row_cells.append(None)
                continue
            assessed = cell["observed_level"] is not None
            row_cells.append({**cell, "assessed": assessed, "band": gap_band(cell["gap"], assessed)})
        rows.append({"person": person, "direct": person.supervisor_id == me.pk, "cells": row_cells})
    return render(request, "tna/gaps/team.html", {
        "cycle": cycle,
        "cycles": selectors.cycles_with_results(member_gaps),
        "competencies": competencies,
        "rows": rows,
        "page": page,
    })


def _heatmap_table(gaps):
    """Units × competencies table for the planner page and its export: one grouped query, then the
    competency and group totals rolled up from its cells."""
    sums = selectors.heatmap_sums(gaps)
    competencies = sorted(
        Competency.objects.filter(pk__in={row["competency_id"] for row in sums}),
        key=lambda c: (GROUP_ORDER.index(c.group) if c.group in GROUP_ORDER else 99, c.sort_order, c.code),
    )
    group_of = {c.pk: c.group for c in competencies}
    units = Unit.objects.filter(pk__in={row["unit_id"] for row in sums}).select_related("agency")
    units = sorted(units, key=lambda u: (u.agency.name, u.name))
    by_cell = {(row["unit_id"], row["competency_id"]): _cell(row) for row in sums}
    totals = {k: _cell(v) for k, v in selectors.roll_up(sums, lambda row: row["competency_id"]).items()}
    groups = {k: _cell(v) for k, v in selectors.roll_up(sums, lambda row: group_of[row["competency_id"]]).items()}
    rows = [{"unit": unit, "cells": [by_cell.get((unit.pk, c.pk)) for c in competencies]} for unit in units]
    column_groups = []
    for competency in competencies:
        if column_groups and column_groups[-1]["group"] == competency.group:
            column_groups[-1]["span"] += 1
        else:
            column_groups.append({"group": competency.group, "label": competency.get_group_display(), "span": 1})
    group_rows = [
        {"group": group, "label": CompetencyGroup(group).label, "cell": groups[group]}
        for group in GROUP_ORDER if group in groups
    ]
    return {
        "competencies": competencies,
        "column_groups": column_groups,
        "rows": rows,
        "totals": [totals.get(c.pk) for c in competencies],
        "group_rows": group_rows,
    }


def _cell(sums):
    # Text is formatted here once: a province-wide page has thousands of cells.
    cell = selectors.finish(sums)
    cell["band"] = gap_band(cell["mean_gap"], cell["count"] > 0)
    if cell["count"]:
        cell["gap_text"] = number(cell["mean_gap"])
        cell["share_text"] = percent(cell["share_gap_ge_1"])
        cell["count_text"] = ngettext("%(n)s assessed", "%(n)s assessed", cell["count"]) % {"n": cell["count"]}
    return cell


def _round(value, digits=2):
    return None if value is None else round(float(value), digits)


def _share(cell):
    return None if cell is None or cell["share_gap_ge_1"] is None else round(float(cell["share_gap_ge_1"]) * 100, 1)


def heatmap_xlsx(table, *, cycle, agency_label):
    """The planner heatmap as an .xlsx file (bytes): one sheet per table on the page."""
    head_1 = [_("Unit"), _("Agency")]
    head_2 = ["", ""]
    for competency in table["competencies"]:
        head_1 += [f"{competency.code} {competency.display_name}", None]
        head_2 += [_("Mean gap"), _("% with gap ≥ 1")]
    body = []
    for row in table["rows"]:
        line = [row["unit"].name, row["unit"].agency.name]
        for cell in row["cells"]:
            line += [_round(cell and cell["mean_gap"]), _share(cell)]
        body.append(line)
    total_line = [_("All units"), agency_label]
    for cell in table["totals"]:
        total_line += [_round(cell and cell["mean_gap"]), _share(cell)]
    body.append(total_line)
    group_head = [[_("Competency group"), _("Assessed"), _("Not yet rated"), _("Mean gap"), _("% with gap ≥ 1"), _("Mean priority")]]
    group_body = [
        [g["label"], g["cell"]["count"], g["cell"]["unassessed"], _round(g["cell"]["mean_gap"]), _share(g["cell"]),
         _round(g["cell"]["mean_priority"], 1)]
        for g in table["group_rows"]
    ]
    title = [_("Competency gaps %(cycle)s — %(agency)s") % {"cycle": cycle.year, "agency": agency_label}]
    return workbook_bytes([
        (_("Units"), [title, head_1, head_2], body),
        (_("Groups"), [title, *group_head], group_body),
    ])


@login_required
def planner(request):
    """Units × competencies heatmap (mean gap, share with gap ≥ 1) with group totals; XLSX export."""
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
    cycle = _cycle(request, gaps)
    table = _heatmap_table(gaps.filter(cycle=cycle)) if cycle else None
    agency_label = agency.name if agency else _("All agencies")
    if cycle and table and request.GET.get("format") == "xlsx":
        response = HttpResponse(heatmap_xlsx(table, cycle=cycle, agency_label=agency_label), content_type=XLSX_CONTENT_TYPE)
        filename = f"gaps-{cycle.year}-{agency.code if agency else 'all'}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "tna/gaps/planner.html", {
        "cycle": cycle,
        "cycles": selectors.cycles_with_results(gaps),
        "agency": agency,
        "agency_label": agency_label,
        "agencies": agencies,
        "table": table,
    })
