"""The heatmaps' data as pages show it: units × competencies, a team page, one unit or one
competency at a time as a list of bars, and the planner heatmap's XLSX export."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import selectors
from ..infra.formats import number, percent
from ..infra.xlsx import workbook_bytes
from ..models import Competency, CompetencyGroup, Unit

GROUP_ORDER = list(CompetencyGroup.values)
# A bar in the one-unit / one-competency lists is full at this mean gap (levels): the top band.
BAR_FULL_GAP = 2.0


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


def bar_width(gap):
    """Length of a gap's bar as an SVG percentage string ("0"–"100"), full at ``BAR_FULL_GAP``."""
    if not gap or gap <= 0:
        return "0"
    return "%.1f" % (min(float(gap) / BAR_FULL_GAP, 1.0) * 100)


def _group_key(competency):
    group = GROUP_ORDER.index(competency.group) if competency.group in GROUP_ORDER else 99
    return (group, competency.sort_order, competency.code)


def _cell(sums):
    # Text is formatted here once: a province-wide page has thousands of cells.
    cell = selectors.finish(sums)
    cell["band"] = gap_band(cell["mean_gap"], cell["count"] > 0)
    if cell["count"]:
        cell["gap_text"] = number(cell["mean_gap"])
        cell["share_text"] = percent(cell["share_gap_ge_1"])
        cell["count_text"] = ngettext("%(n)s assessed", "%(n)s assessed", cell["count"]) % {"n": number(cell["count"], 0)}
        cell["bar"] = bar_width(cell["mean_gap"])
    return cell


def heatmap_table(sums):
    """Units × competencies for the planner page and its export from ``selectors.heatmap_sums`` rows:
    the competency and group totals are rolled up from the cells (two more queries: names)."""
    competencies = sorted(Competency.objects.filter(pk__in={row["competency_id"] for row in sums}), key=_group_key)
    group_of = {c.pk: c.group for c in competencies}
    units = Unit.objects.filter(pk__in={row["unit_id"] for row in sums}).select_related("agency")
    units = sorted(units, key=lambda u: (u.agency.name, u.name))
    by_cell = {(row["unit_id"], row["competency_id"]): _cell(row) for row in sums}
    totals = {k: _cell(v) for k, v in selectors.roll_up(sums, lambda row: row["competency_id"]).items()}
    groups = {k: _cell(v) for k, v in selectors.roll_up(sums, lambda row: group_of[row["competency_id"]]).items()}
    rows = [{"unit": unit, "cells": [by_cell.get((unit.pk, c.pk)) for c in competencies]} for unit in units]
    return {
        "competencies": competencies,
        "column_groups": column_groups(competencies),
        "rows": rows,
        "totals": [totals.get(c.pk) for c in competencies],
        "group_rows": [
            {"group": group, "label": CompetencyGroup(group).label, "cell": groups[group]}
            for group in GROUP_ORDER if group in groups
        ],
    }


def column_groups(competencies):
    """Runs of competencies of one group, for a header row: [{"group", "label", "span"}]."""
    runs = []
    for competency in competencies:
        if runs and runs[-1]["group"] == competency.group:
            runs[-1]["span"] += 1
        else:
            runs.append({"group": competency.group, "label": competency.get_group_display(), "span": 1})
    return runs


def unit_focus(table, unit_pk):
    """One unit of ``table`` as a list: its competencies by group, each with the unit's cell; None
    when the unit is not in the table."""
    row = next((r for r in table["rows"] if r["unit"].pk == unit_pk), None)
    if row is None:
        return None
    items, group = [], None
    for competency, cell in zip(table["competencies"], row["cells"], strict=True):
        if cell is None:
            continue  # not required of anyone in the unit
        if competency.group != group:
            group = competency.group
            items.append({"heading": competency.get_group_display()})
        items.append({"code": competency.code, "label": competency.display_name, "cell": cell,
                      "show": "competency-%s" % competency.code})
    return {"kind": "unit", "title": row["unit"].name, "subtitle": row["unit"].agency.name, "items": items}


def competency_focus(table, code):
    """One competency of ``table`` as a list of units, largest mean gap first (units without ratings
    last); None when the competency is not in the table."""
    index = next((i for i, c in enumerate(table["competencies"]) if c.code == code), None)
    if index is None:
        return None
    competency = table["competencies"][index]
    rows = [(r["unit"], r["cells"][index]) for r in table["rows"] if r["cells"][index] is not None]
    rows.sort(key=lambda pair: (pair[1]["mean_gap"] is None, -(pair[1]["mean_gap"] or 0), pair[0].name))
    items = [{"label": unit.name, "cell": cell, "show": "unit-%d" % unit.pk} for unit, cell in rows]
    total = table["totals"][index]
    return {"kind": "competency", "title": "%s %s" % (competency.code, competency.display_name),
            "subtitle": competency.get_group_display(), "items": items, "total": total}


def team_table(page, cells, me):
    """Rows of a team page: each person with one cell per competency seen on the page."""
    competencies = sorted(Competency.objects.filter(pk__in={c for _, c in cells}), key=_group_key)
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
    return competencies, rows


def team_focus_items(gaps):
    """A page of one competency's gap rows (``selectors.team_competency_gaps``) as bar-list items."""
    items = []
    for gap in gaps:
        assessed = gap.observed_level is not None
        person = gap.employee
        cell = {"band": gap_band(gap.gap, assessed), "count": 1 if assessed else 0}
        if assessed:
            cell.update(gap_text=number(gap.gap), bar=bar_width(gap.gap))
        items.append({
            "label": person.name, "person": person, "cell": cell,
            "detail": _("required %(required)s, observed %(observed)s") % {
                "required": gap.required_level, "observed": number(gap.observed_level),
            } if assessed else _("required %(required)s, no ratings yet") % {"required": gap.required_level},
        })
    return items


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
