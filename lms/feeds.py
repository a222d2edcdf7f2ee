"""The personal calendar feed at a secret, revocable URL (calendar apps cannot sign in)."""

import dataclasses
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.ics import feed_calendar
from courses.links import CALENDAR_DOMAIN, course_url
from courses.models import SessionStatus
from courses.selectors import calendar_session
from courses.views import calendar_response
from tna.roles import employee_of

from .conf import settings
from .models import CalendarToken, EnrollmentStatus
from .selectors.enrollments import feed_enrollments


def personal_feed_body(employee, request=None) -> bytes:
    """The person's sessions as one calendar: seats held, and recently given-up seats as cancelled."""
    sessions = []
    for enrollment in feed_enrollments(employee):
        data = calendar_session(enrollment.session, course_url=course_url(enrollment.session.course, request))
        if enrollment.status == EnrollmentStatus.CANCELLED:
            data = dataclasses.replace(data, status=SessionStatus.CANCELLED)
        sessions.append(data)
    return feed_calendar(
        sessions, name=_("My training: %(name)s") % {"name": employee.name},
        description=_("Sessions in which %(name)s has a seat (Latih).") % {"name": employee.name},
        domain=CALENDAR_DOMAIN,
    )


def feed_token_owner(token, *, now=None):
    """The employee whose feed ``token`` opens, or None: unknown, revoked, idle too long, or left."""
    found = CalendarToken.objects.select_related("employee").filter(token=token).first()
    if found is None or not found.employee.active:
        return None
    now = now or timezone.now()
    last = found.last_used_at or found.created_at
    if now - last > datetime.timedelta(days=settings.CALENDAR_FEED_IDLE_DAYS):
        return None
    if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(days=1):
        # Calendar apps poll every few hours: one write a day is enough to keep the link alive.
        CalendarToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.employee


@require_GET
def personal_feed(request, token):
    """The feed behind a secret token; a revoked, regenerated or long-unused token is a 404 at once."""
    employee = feed_token_owner(token)
    if employee is None:
        raise Http404
    response = calendar_response(personal_feed_body(employee, request), "latih-%s" % employee.nip)
    # The URL is a secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, no-cache"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def calendar_token(request):
    """Create, regenerate (the old link stops working) or revoke the signed-in person's feed link."""
    me = employee_of(request.user)
    if me is None:
        raise Http404
    action = request.POST.get("action")
    if action == "revoke":
        CalendarToken.objects.filter(employee=me).delete()
        messages.success(request, _("Your calendar link is revoked; calendars subscribed to it stop updating."))
    elif action in ("create", "regenerate"):
        token, created = CalendarToken.objects.get_or_create(employee=me)
        if not created:
            token.revoke()
        messages.success(request, _("Your new calendar link is ready; any previous link no longer works.")
                         if not created else _("Your calendar link is ready."))
    return redirect("lms:enrollment-list")
