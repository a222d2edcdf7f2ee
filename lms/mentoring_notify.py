"""E-mails about mentoring sessions, with the session's .ics, to the mentor and the mentee only.

The .ics is built like every calendar file of Latih (``courses.ics``: VTIMEZONE of the agency's
zone, a UID that never changes, SEQUENCE raised on every change) and carries the invitation's
iTIP method: REQUEST when a session is planned, CANCEL when it is called off, PUBLISH for a plain
download. The organizer is the address Latih sends from, as for training sessions, so both
people's calendars accept the later cancellation; the two people are its attendees. Private notes
never go into a file or an e-mail.
"""

import logging
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, vCalAddress, vText

from courses.ics import CalendarMeeting, CalendarSession, session_calendar
from courses.links import CALENDAR_DOMAIN
from tna.infra.formats import localized, span_text

from .conf import settings
from .links import absolute

logger = logging.getLogger("latih.lms")

PLANNED, CANCELLED, LOGGED = "planned", "cancelled", "logged"

SUBJECTS = {
    PLANNED: gettext_lazy("Mentoring session planned: %(when)s"),
    CANCELLED: gettext_lazy("Mentoring session cancelled: %(when)s"),
    LOGGED: gettext_lazy("Please confirm your mentoring session of %(when)s"),
}
LEADS = {
    PLANNED: gettext_lazy("%(by)s planned a mentoring session for the two of you. The attached file puts it "
                          "in your calendar."),
    CANCELLED: gettext_lazy("%(by)s cancelled this mentoring session. The attached file removes it from your "
                            "calendar."),
    LOGGED: gettext_lazy("%(by)s logged this mentoring session. Please check its length and topic and confirm "
                         "it: its JP are credited once both of you have confirmed."),
}
# Which messages carry the calendar file, and with which iTIP method.
METHODS = {PLANNED: "REQUEST", CANCELLED: "CANCEL"}


def session_uid(session) -> str:
    """The session's calendar UID stem, stable for its life (``courses.ics`` adds ``-1@<domain>``)."""
    return "mentoring-%d" % session.pk


def _summary(pair):
    return _("Mentoring: %(competency)s") % {"competency": localized(pair.competency, "name")}


def calendar_data(session) -> CalendarSession:
    """The plain calendar data of ``session`` (pair, people, competency and agency loaded or loadable)."""
    pair = session.pair
    agency = pair.programme.agency
    lines = [_("Mentor: %s") % pair.mentor.name, _("Mentee: %s") % pair.mentee.name,
             _("Programme: %s") % pair.programme.name]
    if session.topic:
        lines.insert(0, _("Topic: %s") % session.topic)
    link = absolute("lms_mentoring:pair", pair.pk)
    return CalendarSession(
        uid=session_uid(session),
        summary=_summary(pair),
        description="\n".join(lines),
        tz=agency.time_zone,
        sequence=session.sequence,
        status="cancelled" if session.status == session.Status.CANCELLED else "scheduled",
        meetings=(CalendarMeeting(number=1, start=session.starts_at, end=session.ends_at),),
        location=session.place,
        url=link,
        organizer_name=agency.name,
        organizer_email=django_settings.DEFAULT_FROM_EMAIL,
        updated=session.updated_at,
        labels={"cancelled": _("CANCELLED"), "reason": _("Reason"), "online": _("Online")},
    )


def session_ics(session, *, method=None) -> bytes:
    """The .ics of one mentoring session (RFC 5545, one VEVENT with the agency's VTIMEZONE).

    ``method``: REQUEST (default for a planned or held session), CANCEL (default for a cancelled
    one) or PUBLISH (a download: no attendees, as RFC 5546 wants). REQUEST and CANCEL name the two
    people with an e-mail address as attendees.
    """
    cancelled = session.status == session.Status.CANCELLED
    method = method or ("CANCEL" if cancelled else "REQUEST")
    calendar = Calendar.from_ical(session_calendar(calendar_data(session), domain=CALENDAR_DOMAIN))
    calendar.pop("METHOD", None)
    calendar.add("method", "CANCEL" if cancelled else method)
    if method != "PUBLISH":
        pair = session.pair
        for event in calendar.walk("VEVENT"):
            for person in (pair.mentor, pair.mentee):
                if person.email:
                    attendee = vCalAddress("mailto:%s" % person.email)
                    attendee.params["CN"] = vText(person.name)
                    attendee.params["ROLE"] = "REQ-PARTICIPANT"
                    attendee.params["RSVP"] = "FALSE"
                    event.add("attendee", attendee)
    return calendar.to_ical()


def _body(session, kind, by):
    pair = session.pair
    tz = ZoneInfo(pair.programme.agency.time_zone)
    lines = [str(LEADS[kind]) % {"by": by.name}, "",
             _("Competency: %s") % localized(pair.competency, "name"),
             _("Mentor: %s") % pair.mentor.name, _("Mentee: %s") % pair.mentee.name,
             _("When: %s") % span_text(session.starts_at, session.ends_at, tz)]
    if kind == LOGGED:
        lines.append(_("Length: %(minutes)d minutes") % {"minutes": session.minutes})
    if session.topic:
        lines.append(_("Topic: %s") % session.topic)
    if session.place and kind != LOGGED:
        lines.append(_("Place: %s") % session.place)
    lines.append("")
    link = absolute("lms_mentoring:session-log", session.pk) if kind == LOGGED else absolute("lms_mentoring:pair",
                                                                                               pair.pk)
    if link:
        lines.append((_("Confirm here: %s") if kind == LOGGED else _("Your mentoring: %s")) % link)
    return "\n".join(lines)


def _message(session, kind, by, recipient):
    tz = ZoneInfo(session.pair.programme.agency.time_zone)
    subject = str(SUBJECTS[kind]) % {"when": span_text(session.starts_at, session.ends_at, tz)}
    message = EmailMessage(subject=subject, body=_body(session, kind, by), to=[recipient.email])
    method = METHODS.get(kind)
    if method:
        message.attach("mentoring-%d.ics" % session.pk, session_ics(session, method=method),
                       "text/calendar; charset=utf-8; method=%s" % method)
    return message


def notify_session(session, kind, *, by):
    """E-mail the pair about ``session`` once the transaction commits.

    ``kind``: ``planned`` (both, with the invitation), ``cancelled`` (both, with the cancellation)
    or ``logged`` (the other side, asked to confirm). ``by`` is the person who acted. Nobody but
    the mentor and the mentee is written to, and only at the address they have.
    """
    if kind not in SUBJECTS:
        raise ValueError("Unknown mentoring e-mail %r." % kind)
    if not settings.EMAIL_NOTIFICATIONS:
        return

    def send():
        pair = session.pair
        recipients = [pair.mentor, pair.mentee]
        if kind == LOGGED:
            recipients = [p for p in recipients if p.pk != by.pk]
        with translation.override(django_settings.LANGUAGE_CODE):
            messages = [_message(session, kind, by, person) for person in recipients if person.email]
        if messages:
            with get_connection(fail_silently=True) as connection:
                connection.send_messages(messages)
        logger.info("Mentoring session %s %s: %d e-mailed", session.pk, kind, len(messages))

    transaction.on_commit(send)
