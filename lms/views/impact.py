"""The evaluation report: what a year's training did, at each of Kirkpatrick's levels, for training admins and planners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from tna.models import Agency
from tna.roles import PLANNER, TRAINING_ADMIN, employee_of, has_role

from ..conf import settings
from ..evaluation_export import CONTENT_TYPES, association_sentence, grouping_labels, report_pdf, report_xlsx
from ..selectors.impact import (
    GROUPINGS,
    evaluation_cycles,
    evaluation_report,
    latest_measured_year,
    report_years,
)
from ..tasks import evaluate_training_task

#: Where the session keeps the measuring the person last started: task id, agency code, year.
MEASURING = "lms.evaluation.measuring"


def report_agency(request):
    """The agency whose report ``request.user`` may read: their own (training admin, planner), any for a superuser."""
    user = request.user
    if user.is_superuser:
        code = request.GET.get("agency")
        agency = Agency.objects.filter(code=code).first() if code else None
        return agency or Agency.objects.order_by("name").first()
    employee = employee_of(user)
    if employee is None or not (has_role(user, TRAINING_ADMIN) or has_role(user, PLANNER)):
        raise PermissionDenied(_("The evaluation report is for your agency's training admins and planners."))
    return employee.agency


def report_year(request, agency, years=None):
    """The year asked for (``?year=``), else the latest whose effects were measured, else the latest in which
    the agency's sessions ended, else this year."""
    years = report_years(agency) if years is None and agency else (years or [])
    measured = latest_measured_year(agency) if agency else None
    try:
        year = int(request.GET.get("year"))
    except (TypeError, ValueError):
        year = None
    if year is None or not 1900 <= year <= 2200:
        return measured or (years[0] if years else timezone.localdate().year)
    return year


@login_required
@require_GET
def evaluation_report_view(request):
    """``?year=&by=course|provider|trainer|competency&format=xlsx|pdf``: the report, on the page or as a file."""
    agency = report_agency(request)
    years = report_years(agency) if agency else []
    year = report_year(request, agency, years)
    by = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "course"
    report = evaluation_report(agency, year, by=by) if agency else None
    kind = request.GET.get("format")
    if report is not None and kind in CONTENT_TYPES:
        body = report_xlsx(report) if kind == "xlsx" else report_pdf(report)
        response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
        response["Content-Disposition"] = 'attachment; filename="evaluasi-pelatihan-%s-%s.%s"' % (
            agency.code, year, kind)
        return response
    forest = effect_forest(report["rows"]) if report is not None else []
    return render(request, "lms/evaluation/report.html", {
        "measuring": measuring_state(request, agency, year),
        "report": report, "agency": agency, "year": year, "years": years, "by": by,
        "groupings": grouping_labels(), "forest": forest,
        "association": association_sentence(report["association"]) if report else "",
        "agencies": Agency.objects.order_by("name") if request.user.is_superuser else [],
        "minimum": settings.IMPACT_MIN_GROUP,
    })


def measuring_state(request, agency, year):
    """The measuring this person started for ``agency`` and ``year`` while it waits or runs (a task result), or
    None; once it is over the session forgets it (the figures on the page are then the new ones)."""
    started = request.session.get(MEASURING)
    if not started or agency is None or started["agency"] != agency.code or started["year"] != year:
        return None
    try:
        result = evaluate_training_task.get_result(started["id"])
    except TaskResultDoesNotExist:
        result = None
    if result is None or result.is_finished:
        del request.session[MEASURING]
        if result is not None and result.status == TaskResultStatus.FAILED:
            messages.error(request, _("Measuring the training of %(year)s failed: %(error)s")
                           % {"year": year, "error": result.errors[-1].exception_class_path if result.errors else ""})
        return None
    return result


@login_required
@require_POST
def evaluation_measure_view(request):
    """Measure what a year's training changed for the agency (``evaluate_training``), as a background task."""
    agency = report_agency(request)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    target = reverse("lms:evaluation-report")
    if agency is None or year is None or not 1900 <= year <= 2200:
        return redirect(target)
    target += "?year=%d" % year + ("&agency=%s" % agency.code if request.user.is_superuser else "")
    before, after = evaluation_cycles(year)
    if before is None or after is None:
        messages.error(request, _("Training of %(year)s is measured between the cycles %(year)s and %(next)s; run "
                                  "the training-needs analysis of both first.") % {"year": year, "next": year + 1})
        return redirect(target)
    result = evaluate_training_task.enqueue(year, agency.code)
    if result.status == TaskResultStatus.SUCCESSFUL:
        measured = result.return_value
        messages.success(request, ngettext(
            "Measured: %(courses)d course of %(year)s, %(enough)d with enough evidence.",
            "Measured: %(courses)d courses of %(year)s, %(enough)d with enough evidence.", measured["courses"])
            % {**measured, "year": year})
    elif result.status == TaskResultStatus.FAILED:
        messages.error(request, _("Measuring the training of %(year)s failed: %(error)s")
                       % {"year": year, "error": result.errors[-1].exception_class_path if result.errors else ""})
    else:
        request.session[MEASURING] = {"id": str(result.id), "agency": agency.code, "year": year}
        messages.success(request, _("Measuring the training of %(year)s is queued; the page shows the new figures "
                                    "once a background worker has done it.") % {"year": year})
    return redirect(target)


def effect_forest(rows, *, limit=20):
    """The measured effects of ``rows`` as a forest plot: per row its label, and the estimate and
    interval as x positions (0–100) on one scale that holds zero, drawn by the template in SVG."""
    measured = [row for row in rows if row["effect"] and row["effect"]["estimate"] is not None
                and row["effect"]["enough"]][:limit]
    if not measured:
        return []
    values = [v for row in measured for v in (row["effect"]["estimate"], row["effect"]["low"], row["effect"]["high"])
              if v is not None]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    low, span = low - 0.05 * span, 1.1 * span

    def x(value):
        return round(100 * (value - low) / span, 2)

    return [{
        "label": row["label"], "effect": row["effect"], "x": x(row["effect"]["estimate"]), "zero": x(0.0),
        "low": x(row["effect"]["low"]) if row["effect"]["low"] is not None else None,
        "high": x(row["effect"]["high"]) if row["effect"]["high"] is not None else None,
    } for row in measured]
