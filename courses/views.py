"""Public calendar files of the catalogue (no login: calendar apps cannot sign in)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from .ics import feed_calendar, session_calendar
from .links import CALENDAR_DOMAIN, course_url
from .models import Session
from .selectors import calendar_session, feed_sessions


def calendar_response(body: bytes, filename: str) -> HttpResponse:
    """An .ics download that calendar apps and phones open directly."""
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="%s.ics"' % filename
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def session_ics(request, uid):
    """The .ics of one session of a published course: every meeting, or a cancellation."""
    session = get_object_or_404(
        Session.objects.public().select_related("course", "course__agency").prefetch_related("meetings"), uid=uid
    )
    if not session.meetings.all():
        raise Http404
    data = calendar_session(session, course_url=course_url(session.course, request))
    name = slugify("%s %s" % (session.course.code, session.label or session.starts_at.date().isoformat()))
    return calendar_response(session_calendar(data, domain=CALENDAR_DOMAIN), name)


@require_GET
def agency_feed(request, agency_code):
    """The catalogue feed of one agency: a calendar to subscribe to (upcoming and recently cancelled)."""
    from tna.models import Agency

    agency = get_object_or_404(Agency, code=agency_code)
    return calendar_response(agency_feed_body(agency, request), "katalog-%s" % agency.code)


def agency_feed_body(agency, request=None) -> bytes:
    """The bytes of ``agency``'s catalogue feed (shared by this view and the catalogue page)."""
    from django.utils.translation import gettext

    sessions = [
        calendar_session(session, course_url=course_url(session.course, request))
        for session in feed_sessions(agency)
    ]
    return feed_calendar(
        sessions, name=gettext("Training catalogue: %(agency)s") % {"agency": agency.name},
        description=gettext("Sessions of the published courses of %(agency)s.") % {"agency": agency.name},
        domain=CALENDAR_DOMAIN,
    )
