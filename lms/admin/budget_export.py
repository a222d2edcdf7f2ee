"""A training plan as XLSX (plan, participants, allocations, summary) or CSV (the plan's lines).

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a
leading apostrophe (``tna.infra.xlsx.safe_cell``); NIPs stay text; amounts stay numbers, shown
through a rupiah number format in the workbook (``"Rp" #,##0``) so they can still be summed.
"""

import csv
import io

from django.utils.translation import gettext as _

from tna.infra.xlsx import (
    DECIMAL_2,
    DECIMAL_3,
    RUPIAH,
    SHARE,
    WHOLE,
    XLSX_CONTENT_TYPE,
    Formatted,
    safe_cell,
    workbook_bytes,
)
from tna.models import Employee

from ..budget.summary import allocation, totals
from ..models import PlanParticipant
from ..services import budget as service

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}
BREAKDOWNS = (("unit_name", "Unit"), ("category", "Category"), ("competency_code", "Competency"),
              ("competency_type", "Competency type"), ("account", "Account"))


# Number formats of the plan sheet's columns (see ``item_header``) and of the allocation sheets.
ITEM_FORMATS = {0: WHOLE, 7: WHOLE, 8: WHOLE, 9: WHOLE, 10: RUPIAH, 11: RUPIAH, 12: RUPIAH, 14: DECIMAL_3,
                15: DECIMAL_3}
FIGURE_FORMATS = {1: WHOLE, 2: WHOLE, 3: RUPIAH, 4: WHOLE, 5: DECIMAL_2, 6: DECIMAL_2, 7: RUPIAH, 8: RUPIAH,
                  9: RUPIAH, 10: SHARE}


def item_header():
    return [_("No."), _("Competency type"), _("Course"), _("Target staff"), _("Type and route of development"),
            _("Provider"), _("Schedule"), _("Classes"), _("Participants"), _("JP"), _("Cost per participant (Rp)"),
            _("Fixed cost per class (Rp)"), _("Budget (Rp)"), _("Account"),
            _("Expected gap closure (priority-weighted levels)"), _("Expected gap closure (levels)")]


def item_rows(plan):
    rows = []
    for number, item in enumerate(service.plan_items(plan), start=1):
        rows.append([
            number, item.get_competency_type_display(), f"{item.course.code} — {item.course.display_title}",
            item.target_staff, item.get_route_display(), item.provider, item.schedule, item.classes, item.n, item.jp,
            item.cost_per_participant, item.cost_per_class, item.budget, item.account,
            round(item.expected_closure, 3), round(item.levels_closed, 3),
        ])
    return rows


def plan_csv(plan) -> bytes:
    """The plan's lines as CSV UTF-8 with a BOM, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(item_header())
    for row in item_rows(plan):
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_xlsx(plan) -> bytes:
    """The plan as a workbook: lines, participants, one sheet per allocation, and the summary."""
    title = [_("Training plan %(year)s — %(agency)s: %(name)s (%(status)s)") % {
        "year": plan.fiscal_year, "agency": plan.agency.name, "name": plan.name, "status": plan.get_status_display()}]
    seats = service.plan_seats(plan)
    people = dict(Employee.objects.filter(pk__in=seats["employee"].unique().tolist()).values_list("pk", "nip"))
    names = dict(Employee.objects.filter(pk__in=seats["employee"].unique().tolist()).values_list("pk", "name"))
    participants = [
        [people.get(e), names.get(e), unit, course, competency, round(closure, 3)]
        for e, unit, course, competency, closure in PlanParticipant.objects.filter(item__plan=plan).order_by(
            "unit__name", "employee__name").values_list("employee_id", "unit__name", "item__course__code",
                                                        "competency__code", "expected_closure")
    ]
    sheets = [
        (_("Plan"), [title, item_header()], item_rows(plan), ITEM_FORMATS),
        (_("Participants"), [title, [_("NIP"), _("Name"), _("Unit"), _("Course"), _("Competency"),
                                     _("Expected gap closure")]], participants, {5: DECIMAL_3}),
    ]
    figure_header = [_("Participants"), _("Seats"), _("Cost (Rp)"), _("JP"), _("Gap closed (priority-weighted)"),
                     _("Levels closed"), _("Rp per JP"), _("Rp per participant"), _("Rp per gap point"),
                     _("Share of cost")]
    for column, label in BREAKDOWNS:
        table = allocation(seats, column)
        body = [[row[column], *[_number(row[f]) for f in ("participants", "seats", "cost", "jp", "expected_closure",
                                                            "levels_closed", "cost_per_jp", "cost_per_participant",
                                                            "cost_per_point", "share_of_cost")]]
                for row in table.to_dict("records")]
        sheets.append((_(label), [title, [_(label), *figure_header]], body, FIGURE_FORMATS))
    staff, reaching = service.reaching_minimum(plan, seats)
    summary = totals(seats, staff=staff, reaching=reaching)
    figures = plan.figures or {}
    lines = [
        [_("Budget (Rp)"), Formatted(figures.get("budget"), RUPIAH)],
        [_("Planned cost (Rp)"), Formatted(summary["cost"], RUPIAH)],
        [_("Participants"), Formatted(summary["participants"], WHOLE)], [_("Seats"), Formatted(summary["seats"], WHOLE)],
        [_("JP planned"), Formatted(summary["jp"], WHOLE)],
        [_("Gap closed (priority-weighted levels)"), Formatted(_number(summary["expected_closure"]), DECIMAL_2)],
        [_("Rp per JP"), Formatted(_number(summary["cost_per_jp"]), RUPIAH)],
        [_("Rp per participant"), Formatted(_number(summary["cost_per_participant"]), RUPIAH)],
        [_("Rp per gap point closed"), Formatted(_number(summary["cost_per_point"]), RUPIAH)],
        [_("Staff reaching 20 JP"), Formatted(reaching, WHOLE)], [_("Staff"), Formatted(staff, WHOLE)],
        [_("Method"), plan.get_method_display()], [_("Optimality gap"), Formatted(figures.get("gap"), "0.00%")],
        [_("Seconds"), Formatted(figures.get("seconds"), "0.0")],
    ]
    lines += [[_("Planned, %(account)s") % {"account": row["account"]}, Formatted(row["planned"], RUPIAH)]
              for row in service.planned_vs_spent(plan).to_dict("records")]
    sheets.append((_("Summary"), [title, [_("Figure"), _("Value")]], lines))
    return workbook_bytes(sheets)


def _number(value):
    if value is None:
        return None
    value = float(value)
    return None if value != value else round(value, 4)  # NaN → empty cell
