"""Planner pages for scheduling: run the scheduler, see the proposal and units' on-duty share, move, lock, re-run, publish.

A run is a background task (``lms.tasks.schedule_run_start``): its page shows it waiting or
running and reloads itself until the proposal is there, or shows the error when it failed.
"""

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tna.models import Agency, Cycle
from tna.roles import TRAINING_ADMIN, has_role, is_agency_staff, user_agency

from ..models import ProposedClass, ScheduleRun
from ..scheduling import Reason, on_duty_by_day
from ..services.scheduling import (
    proposed_class_lock,
    proposed_class_move,
    proposed_session,
    run_problem,
    schedule_publish,
)
from ..tasks import schedule_run_start

#: Seconds between reloads of a run's page while it is queued or running.
RELOAD_SECONDS = 5

REASONS = {
    Reason.COURSE_TOO_LONG: gettext_lazy("No class of an allowed format fits the period."),
    Reason.PERSON_UNAVAILABLE: gettext_lazy("Their declared days, leave or other training rule out every class."),
    Reason.UNIT_MINIMUM: gettext_lazy("Their unit's minimum on duty leaves nobody free to train."),
    Reason.PERSON_BUSY: gettext_lazy("Their other classes take every possible time."),
    Reason.UNIT_BUSY: gettext_lazy("Colleagues' training already uses their unit's free share."),
    Reason.ROOMS: gettext_lazy("No classroom is free at the possible times."),
    Reason.TOO_FEW: gettext_lazy("Too few people could share a class to reach the course's minimum."),
    Reason.NOT_SCHEDULED: gettext_lazy("A class was possible but was not formed; run again with more time."),
}
WEEKDAYS = [gettext_lazy("Monday"), gettext_lazy("Tuesday"), gettext_lazy("Wednesday"), gettext_lazy("Thursday"),
            gettext_lazy("Friday")]


class RunForm(forms.Form):
    first_day = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    cycle = forms.ModelChoiceField(Cycle.objects.all(), label=gettext_lazy("Cycle (demand from its accepted "
                                                                           "recommendations)"), to_field_name="year")
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=ScheduleRun.Method.choices)
    time_limit = forms.IntegerField(label=gettext_lazy("Time limit (seconds)"), min_value=2, max_value=55, initial=20)
    rooms = forms.IntegerField(label=gettext_lazy("Classrooms free at once (empty: not limiting)"), min_value=1,
                               required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and not first <= last <= first + datetime.timedelta(days=366):
            raise ValidationError(_("The period must run forwards and last at most a year."))
        return data


def _agency_for(request):
    if request.user.is_superuser and request.GET.get("agency"):
        return get_object_or_404(Agency, code=request.GET["agency"])
    agency = user_agency(request.user)
    if agency is None or not (request.user.is_superuser or is_agency_staff(request.user)):
        raise PermissionDenied(_("Only the agency's planners and training admins schedule training."))
    return agency


def _run_for(request, pk):
    run = get_object_or_404(ScheduleRun.objects.select_related("agency"), pk=pk)
    if not request.user.is_superuser and not (is_agency_staff(request.user) and user_agency(request.user) == run.agency):
        raise PermissionDenied(_("This schedule belongs to another agency."))
    return run


@login_required
def runs(request):
    """The agency's scheduling runs, and a form to start a new one."""
    agency = _agency_for(request)
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = schedule_run_start(agency=agency, first_day=data["first_day"], last_day=data["last_day"],
                                     cycle=data["cycle"], method=data["method"], time_limit=data["time_limit"],
                                     rooms=data["rooms"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("lms:schedule-run", pk=run.pk)
    return render(request, "lms/scheduling/runs.html", {
        "agency": agency, "form": form,
        "runs": ScheduleRun.objects.filter(agency=agency).select_related("created_by")[:50],
    })


@login_required
def run_detail(request, pk):
    """The proposal on a calendar, each unit's on-duty share by week, and who was left out and why."""
    run = _run_for(request, pk)
    if run.state != ScheduleRun.State.DONE:
        return render(request, "lms/scheduling/run_state.html", {
            "run": run, "reload_seconds": RELOAD_SECONDS, "error_summary": run.error.split("\n", 1)[0]})
    tz = ZoneInfo(run.agency.time_zone)
    classes = list(run.classes.select_related("course").prefetch_related("meetings", "participants__unit"))
    problem = run_problem(run)
    sessions = _sessions(classes, tz)
    return render(request, "lms/scheduling/run.html", {
        "run": run, "classes": _class_rows(classes, tz), "weeks": _calendar(run, classes, tz, problem),
        "duty": _duty_table(problem, sessions), "unplaced": _unplaced(run),
        "can_publish": run.status == ScheduleRun.Status.DRAFT and not run.violations and (
            request.user.is_superuser or has_role(request.user, TRAINING_ADMIN)),
        "draft": run.status == ScheduleRun.Status.DRAFT,
    })


def _sessions(classes, tz):
    return [proposed_session(pc, tz) for pc in classes]


def _class_rows(classes, tz):
    rows = []
    for pc in classes:
        meetings = sorted(m.starts_at.astimezone(tz) for m in pc.meetings.all())
        rows.append({"pc": pc, "first": meetings[0] if meetings else None, "last": meetings[-1] if meetings else None,
                     "count": len(meetings), "size": len(pc.participants.all())})
    return sorted(rows, key=lambda r: (r["first"] or timezone.now(), r["pc"].key))


def _calendar(run, classes, tz, problem):
    """Weeks (Monday first) of the period, each day with its holiday or closure and its classes."""
    by_day = defaultdict(list)
    for pc in classes:
        for m in pc.meetings.all():
            start, end = m.starts_at.astimezone(tz), m.ends_at.astimezone(tz)
            by_day[start.date()].append({"pc": pc, "start": start, "end": end, "size": len(pc.participants.all())})
    closed = {**problem.calendar.holidays, **problem.calendar.closures}
    monday = run.first_day - datetime.timedelta(days=run.first_day.weekday())
    weeks = []
    while monday <= run.last_day:
        days = []
        for offset in range(5):
            day = monday + datetime.timedelta(days=offset)
            days.append({"date": day, "in_period": run.first_day <= day <= run.last_day, "closed": closed.get(day, ""),
                         "ramadan": day in problem.calendar.ramadan,
                         "items": sorted(by_day.get(day, []), key=lambda i: (i["start"], i["pc"].key))})
        weeks.append({"monday": monday, "days": days})
        monday += datetime.timedelta(days=7)
    return weeks


def _duty_table(problem, sessions):
    """Units with anyone in training: lowest share on duty in each week, against their minimum."""
    shares = on_duty_by_day(problem, sessions)
    units = {u.id: u for u in problem.units}
    weeks = sorted({d - datetime.timedelta(days=d.weekday()) for days in shares.values() for d in days})
    rows = []
    for uid, days in shares.items():
        unit = units[uid]
        worst = defaultdict(lambda: 1.0)
        for d, share in days.items():
            monday = d - datetime.timedelta(days=d.weekday())
            worst[monday] = min(worst[monday], share)
        cells = [{"share": worst[w], "below": worst[w] < unit.min_on_duty_share - 1e-9} if w in worst else None
                 for w in weeks]
        rows.append({"unit": unit, "cells": cells, "lowest": min(days.values())})
    rows.sort(key=lambda r: (r["lowest"] - r["unit"].min_on_duty_share, r["unit"].name))
    return {"weeks": weeks, "rows": rows}


def _unplaced(run):
    items = list(run.unplaced.select_related("employee", "course", "unit").order_by("reason", "course__code"))
    by_reason = defaultdict(list)
    for u in items:
        by_reason[u.reason].append(u)
    return [{"reason": reason, "text": REASONS.get(Reason(reason), reason), "items": rows}
            for reason, rows in by_reason.items()]


@login_required
@require_POST
def class_move(request, pk):
    pc = get_object_or_404(ProposedClass.objects.select_related("run__agency"), pk=pk)
    _run_for(request, pc.run_id)
    try:
        days = int(request.POST.get("days", "0"))
        found = proposed_class_move(proposed_class=pc, days=days)
    except (ValueError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        if found:
            messages.error(request, _("Moved and locked, but the schedule now breaks %(n)d constraints: %(first)s")
                           % {"n": len(found), "first": found[0].message})
        else:
            messages.success(request, _("Moved and locked; every constraint still holds."))
    return redirect("lms:schedule-run", pk=pc.run_id)


@login_required
@require_POST
def class_lock(request, pk):
    pc = get_object_or_404(ProposedClass.objects.select_related("run__agency"), pk=pk)
    _run_for(request, pc.run_id)
    try:
        proposed_class_lock(proposed_class=pc, locked=not pc.locked)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("lms:schedule-run", pk=pc.run_id)


@login_required
@require_POST
def rerun(request, pk):
    """Run again over the same period, keeping the locked classes as they are."""
    run = _run_for(request, pk)
    cycle = Cycle.objects.filter(year=request.POST.get("cycle")).first()
    try:
        again = schedule_run_start(agency=run.agency, first_day=run.first_day, last_day=run.last_day, cycle=cycle,
                                   demand=None if cycle else _demand_of(run), method=run.method, previous=run,
                                   user=request.user, time_limit=20)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("lms:schedule-run", pk=run.pk)
    return redirect("lms:schedule-run", pk=again.pk)


def _demand_of(run):
    """Everything the run was asked to place: its classes' participants and those it left out."""
    demand = defaultdict(set)
    for course_id, employee_id in run.classes.values_list("course_id", "participants"):
        if employee_id:
            demand[course_id].add(employee_id)
    for course_id, employee_id in run.unplaced.values_list("course_id", "employee_id"):
        demand[course_id].add(employee_id)
    return {c: sorted(e) for c, e in demand.items()}


@login_required
@require_POST
def publish(request, pk):
    run = _run_for(request, pk)
    try:
        sessions = schedule_publish(run=run, user=request.user, place=request.POST.get("place", "").strip(),
                                    online_url=request.POST.get("online_url", "").strip())
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("%(n)d sessions created; participants are invited by email with the calendar "
                                    "file.") % {"n": len(sessions)})
    return redirect("lms:schedule-run", pk=run.pk)
