"""A training plan as XLSX (plan, participants, allocations, summary) or CSV (the plan's lines).

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a
leading apostrophe (``tna.infra.xlsx.safe_cell``); numbers stay numbers; NIPs stay text.
"""

import csv
import io

from django.utils.translation import gettext as _

from tna.infra.xlsx import XLSX_CONTENT_TYPE, safe_cell, workbook_bytes
from tna.models import Employee

from ..budget.summary import allocation, totals
from ..models import PlanParticipant
from ..services import budget as service

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}
BREAKDOWNS = (("unit_name", "Unit"), ("category", "Category"), ("competency_code", "Competency"),
              ("competency_type", "Competency type"), ("account", "Account"))


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
        (_("Plan"), [title, item_header()], item_rows(plan)),
        (_("Participants"), [title, [_("NIP"), _("Name"), _("Unit"), _("Course"), _("Competency"),
                                     _("Expected gap closure")]], participants),
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
        sheets.append((_(label), [title, [_(label), *figure_header]], body))
    staff, reaching = service.reaching_minimum(plan)
    summary = totals(seats, staff=staff, reaching=reaching)
    figures = plan.figures or {}
    lines = [
        [_("Budget (Rp)"), figures.get("budget")], [_("Planned cost (Rp)"), summary["cost"]],
        [_("Participants"), summary["participants"]], [_("Seats"), summary["seats"]], [_("JP planned"), summary["jp"]],
        [_("Gap closed (priority-weighted levels)"), _number(summary["expected_closure"])],
        [_("Rp per JP"), _number(summary["cost_per_jp"])], [_("Rp per participant"), _number(summary["cost_per_participant"])],
        [_("Rp per gap point closed"), _number(summary["cost_per_point"])],
        [_("Staff reaching 20 JP"), reaching], [_("Staff"), staff],
        [_("Method"), plan.get_method_display()], [_("Optimality gap"), figures.get("gap")],
        [_("Seconds"), figures.get("seconds")],
    ]
    lines += [[_("Planned, %(account)s") % {"account": row["account"]}, row["planned"]]
              for row in service.planned_vs_spent(plan).to_dict("records")]
    sheets.append((_("Summary"), [title, [_("Figure"), _("Value")]], lines))
    return workbook_bytes(sheets)


def _number(value):
    if value is None:
        return None
    value = float(value)
    return None if value != value else round(value, 4)  # NaN → empty cell
