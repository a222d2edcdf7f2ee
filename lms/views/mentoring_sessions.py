"""Mentoring session pages: plan a session in a time free for both, record a meeting held, log and
confirm it, cancel it, and download its .ics.

Only the pair's mentor and mentee reach these pages; for anyone else (HR included, who read a
pair's sessions without notes on the pair page) they are a 404, as for another agency's pair.
Every write goes through ``lms.services.mentoring_sessions``.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.views import calendar_response
from tna.roles import employee_of

from ..mentoring_notify import session_ics
from ..models.mentoring import MentoringPair, MentoringSession
from ..services import mentoring_sessions as service

SLOT_FORMAT = "%Y-%m-%dT%H:%M"
LOOK_AHEAD_DAYS = 21
# Browsers' date and time inputs read and write ISO values, whatever the page's language.
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


def _error_text(error):
    return " ".join(error.messages)


def _me(request):
    me = employee_of(request.user)
    if me is None or not me.active:
        raise Http404(_("There is no such mentoring pair."))
    return me


def _pair(request, pair_id):
    """(pair, me, role) for the pair's mentor or mentee; 404 for everyone else."""
    me = _me(request)
    pair = (MentoringPair.objects.select_related("programme__agency", "mentor__unit", "mentee__unit", "competency")
            .filter(pk=pair_id).first())
    role = service.pair_role(pair, me) if pair is not None else None
    if role is None:
        raise Http404(_("There is no such mentoring pair."))
    return pair, me, role


def _session(request, session_id):
    """(session, me, role) for the session's mentor or mentee; 404 for everyone else."""
    me = _me(request)
    session = (MentoringSession.objects
               .select_related("pair__programme__agency", "pair__mentor", "pair__mentee", "pair__competency")
               .filter(pk=session_id).first())
    role = service.pair_role(session.pair, me) if session is not None else None
    if role is None:
        raise Http404(_("There is no such mentoring session."))
    return session, me, role


def _pair_url(pair):
    """The pair's page, or the planning page where the site has no pair page."""
    try:
        return reverse("lms_mentoring:pair", args=[pair.pk])
    except NoReverseMatch:
        return reverse("lms_mentoring:session-plan", args=[pair.pk])


def _back(request, pair):
    """Where a POST returns: the page it came from when that is on this site, else the pair's page."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(_pair_url(pair))


def _base_context(pair, role, me):
    return {
        "pair": pair, "programme": pair.programme, "me_role": role, "tz": pair.programme.agency.time_zone,
        "other": pair.mentee if role == service.MENTOR else pair.mentor,
        "sessions": list(pair.sessions.order_by("starts_at", "pk")),
        "pair_url": _pair_url(pair),
    }


# --- planning -----------------------------------------------------------------------------------

def _length(value):
    try:
        value = int(value)
    except (TypeError, ValueError):
        return 60
    return value if value in service.PLAN_LENGTHS else 60


def _first_day(value, pair):
    tomorrow = service.agency_today(pair) + datetime.timedelta(days=1)
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return tomorrow
    return max(day, tomorrow)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pair_id):
    """GET: the times free for both of us (length 30, 60 or 90 minutes); POST: plan the chosen one."""
    pair, me, role = _pair(request, pair_id)
    tz = service.pair_zone(pair)
    if request.method == "POST":
        minutes = _length(request.POST.get("minutes"))
        try:
            starts_at = datetime.datetime.strptime(request.POST.get("slot", ""), SLOT_FORMAT).replace(tzinfo=tz)
        except ValueError:
            messages.error(request, _("Choose one of the times offered."))
            return redirect("%s?minutes=%d" % (reverse("lms_mentoring:session-plan", args=[pair.pk]), minutes))
        try:
            session = service.session_plan(pair=pair, starts_at=starts_at, minutes=minutes, by=me,
                                           topic=request.POST.get("topic", ""), place=request.POST.get("place", ""))
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("%s?minutes=%d" % (reverse("lms_mentoring:session-plan", args=[pair.pk]), minutes))
        messages.success(request, _("Session planned. You and %(name)s get the invitation by e-mail.")
                         % {"name": (pair.mentee if role == service.MENTOR else pair.mentor).name})
        return redirect(_pair_url(session.pair))
    minutes = _length(request.GET.get("minutes"))
    first_day = _first_day(request.GET.get("from"), pair)
    active = pair.status == MentoringPair.Status.ACTIVE
    free = service.free_slots(pair=pair, first_day=first_day, days=LOOK_AHEAD_DAYS, minutes=minutes) if active else []
    later = first_day + datetime.timedelta(days=LOOK_AHEAD_DAYS)
    context = _base_context(pair, role, me)
    context.update({
        "active": active, "minutes": minutes, "lengths": service.PLAN_LENGTHS, "first_day": first_day,
        "last_day": min(later - datetime.timedelta(days=1), pair.programme.ends_on),
        "later": later.isoformat() if later <= pair.programme.ends_on else "",
        "slots": [{"value": timezone.localtime(s.starts_at, tz).strftime(SLOT_FORMAT), "slot": s} for s in free],
    })
    return render(request, "lms/mentoring/session_plan.html", context)


# --- recording and logging ----------------------------------------------------------------------

class RecordForm(forms.Form):
    """A meeting that was held without being planned in Latih."""

    held_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=gettext_lazy("Start time"), widget=TIME_INPUT)
    minutes = forms.IntegerField(label=gettext_lazy("Length (minutes)"), min_value=service.MIN_MINUTES,
                                 max_value=service.MAX_MINUTES, initial=60)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    notes = forms.CharField(label=gettext_lazy("My private notes (only you see them)"), required=False,
                            max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class LogForm(forms.Form):
    """What took place: its length, topic, the day if it moved, and my private notes."""

    held_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    minutes = forms.IntegerField(label=gettext_lazy("Length (minutes)"), min_value=service.MIN_MINUTES,
                                 max_value=service.MAX_MINUTES)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    notes = forms.CharField(label=gettext_lazy("My private notes (only you see them)"), required=False,
                            max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


@login_required
@require_http_methods(["GET", "POST"])
def record(request, pair_id):
    """Record a meeting held but never planned; the other side is asked to confirm it."""
    pair, me, role = _pair(request, pair_id)
    form = RecordForm(request.POST or None, initial={"held_on": service.agency_today(pair)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.session_record(pair=pair, by=me, held_on=data["held_on"], start_time=data["start_time"],
                                   minutes=data["minutes"], topic=data["topic"], notes=data["notes"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting recorded. %(name)s is asked to confirm it.")
                             % {"name": (pair.mentee if role == service.MENTOR else pair.mentor).name})
            return redirect(_pair_url(pair))
    context = _base_context(pair, role, me)
    context.update({"form": form, "active": pair.status == MentoringPair.Status.ACTIVE})
    return render(request, "lms/mentoring/session_record.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def log(request, session_id):
    """GET: the session, my log form (and the confirm form when the other side logged it); POST: log it."""
    session, me, role = _session(request, session_id)
    pair = session.pair
    tz = service.pair_zone(pair)
    actions = service.available_actions(session, role)
    initial = {"held_on": timezone.localtime(session.starts_at, tz).date(), "minutes": session.minutes,
               "topic": session.topic, "notes": service.own_notes(session, role)}
    form = LogForm(request.POST or None, initial=initial)
    if session.confirmed:
        for name in ("held_on", "minutes", "topic"):
            form.fields[name].disabled = True
    if request.method == "POST":
        if not actions & {"log", "confirm", "correct", "edit", "notes"}:
            messages.error(request, _("This session cannot be logged now."))
            return redirect("lms_mentoring:session-log", session_id=session.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = service.session_log(session=session, by=me, minutes=data["minutes"], topic=data["topic"],
                                              notes=data["notes"], held_on=data["held_on"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved. The session counts once both of you have confirmed it.")
                                 if not session.confirmed else _("Saved."))
                return redirect(_pair_url(pair))
    context = _base_context(pair, role, me)
    context.update({"session": session, "form": form, "actions": actions,
                    "my_confirmed": getattr(session, "%s_confirmed_at" % role),
                    "other_confirmed": getattr(session, "%s_confirmed_at" % (
                        service.MENTEE if role == service.MENTOR else service.MENTOR))})
    return render(request, "lms/mentoring/session_log.html", context)


@login_required
@require_POST
def confirm(request, session_id):
    """Confirm a session the other side logged (optionally with my private notes)."""
    session, me, _role = _session(request, session_id)
    notes = request.POST.get("notes")
    try:
        session = service.session_confirm(session=session, by=me, notes=notes[:5000] if notes else None)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Confirmed. Its JP are credited to your learning record.")
                         if session.confirmed else _("Confirmed."))
    return _back(request, session.pair)


@login_required
@require_POST
def cancel(request, session_id):
    """Cancel a planned session; both of us get the cancellation for our calendars."""
    session, me, _role = _session(request, session_id)
    try:
        service.session_cancel(session=session, by=me)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Session cancelled. The e-mail to both of you removes it from your calendars."))
    return _back(request, session.pair)


@login_required
@require_GET
def ics(request, session_id):
    """The session's .ics for my calendar (a cancelled one removes it)."""
    session, _me_, _role = _session(request, session_id)
    return calendar_response(session_ics(session, method="PUBLISH"), "mentoring-%d" % session.pk)
