"""iCalendar (RFC 5545) files for sessions and catalogue feeds, built with ``icalendar``.

Pure: ``CalendarSession``/``CalendarMeeting`` dataclasses in, bytes out; no ORM (the adapter is
``courses.selectors.calendar_session``). The conventions, explained for users in
docs/calendars.md:

- one VEVENT per meeting; its UID is ``<session uuid>-<meeting number>@<domain>`` and never
  changes, so calendars update the event in place;
- DTSTART/DTEND carry the agency's TZID (Asia/Jakarta = WIB, Asia/Makassar = WITA,
  Asia/Jayapura = WIT) and the file holds the matching VTIMEZONE;
- SEQUENCE is the session's sequence, raised only on changes of time, place or status;
- a cancelled session is sent as METHOD:CANCEL with every event STATUS:CANCELLED; a meeting
  dropped from a schedule stays in the file as STATUS:CANCELLED; a postponed session stays at
  its old dates as STATUS:TENTATIVE until it is rescheduled;
- a catalogue feed is METHOD:PUBLISH and keeps cancelled events (STATUS:CANCELLED) so that
  subscribed calendars remove them instead of silently keeping them.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vText, vUri

PRODID = "-//Latih//Katalog Pelatihan ASN//ID"
STATUS = {"scheduled": "CONFIRMED", "completed": "CONFIRMED", "postponed": "TENTATIVE", "cancelled": "CANCELLED"}


@dataclass(frozen=True)
class CalendarMeeting:
    """One meeting: its number within the session (1, 2, …), aware start and end."""

    number: int
    start: datetime.datetime
    end: datetime.datetime
    cancelled: bool = False


@dataclass(frozen=True)
class CalendarSession:
    """What a calendar needs to know about a session.

    ``status`` is one of scheduled, postponed, cancelled, completed; ``tz`` an IANA zone name;
    ``url`` the course page; ``online_url`` the meeting link, if any; ``reason`` why it was
    cancelled or postponed.
    """

    uid: str
    summary: str
    tz: str
    sequence: int
    status: str
    meetings: tuple[CalendarMeeting, ...]
    description: str = ""
    location: str = ""
    url: str = ""
    online_url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    categories: tuple[str, ...] = ()
    reason: str = ""
    updated: datetime.datetime | None = None
    labels: dict = field(default_factory=dict)


def meeting_uid(session_uid: str, number: int, domain: str) -> str:
    """The stable UID of meeting ``number`` of a session."""
    return "%s-%d@%s" % (session_uid, number, domain)


def session_calendar(
    session: CalendarSession, *, domain: str, stamp: datetime.datetime | None = None, number: int | None = None
) -> bytes:
    """The .ics of one session: METHOD:PUBLISH, or METHOD:CANCEL once it is cancelled.

    ``number`` limits the file to one meeting (an iMIP message carries one UID).
    """
    cancelled = session.status == "cancelled"
    calendar = _calendar(method="CANCEL" if cancelled else "PUBLISH")
    meetings = [m for m in session.meetings if number is None or m.number == number]
    if not meetings:
        raise ValueError("Session %s has no meeting to put in a calendar." % session.uid)
    calendar.add_component(_timezone(session.tz, meetings))
    for meeting in meetings:
        calendar.add_component(_event(session, meeting, domain=domain, stamp=stamp))
    return calendar.to_ical()


def feed_calendar(
    sessions: Iterable[CalendarSession],
    *,
    name: str,
    domain: str,
    description: str = "",
    stamp: datetime.datetime | None = None,
    refresh: datetime.timedelta = datetime.timedelta(hours=12),
) -> bytes:
    """A subscribable feed of many sessions (METHOD:PUBLISH, cancelled events kept as CANCELLED)."""
    sessions = [s for s in sessions if s.meetings]
    calendar = _calendar(method="PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(refresh))
    by_zone = {}
    for session in sessions:
        by_zone.setdefault(session.tz, []).extend(session.meetings)
    for tz, meetings in sorted(by_zone.items()):
        calendar.add_component(_timezone(tz, meetings))
    for session in sessions:
        for meeting in session.meetings:
            calendar.add_component(_event(session, meeting, domain=domain, stamp=stamp))
    return calendar.to_ical()


def _calendar(*, method):
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _timezone(tzid, meetings):
    """The VTIMEZONE for ``tzid`` covering the meetings' dates (WIB/WITA/WIT have no DST)."""
    last = max(m.end for m in meetings).date() + datetime.timedelta(days=366)
    timezone = Timezone.from_tzid(tzid, first_date=datetime.date(1970, 1, 1), last_date=last)
    timezone.pop("COMMENT", None)  # "only works until …" would change with every file
    return timezone


def _event(session, meeting, *, domain, stamp):
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(session.tz)
    total = len(session.meetings)
    labels = {"meeting": "Pertemuan", "postponed": "DITUNDA", "cancelled": "DIBATALKAN", "online": "Daring",
              "reason": "Alasan", **session.labels}
    event = Event()
    event.add("uid", meeting_uid(session.uid, meeting.number, domain))
    event.add("dtstamp", (stamp or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC))
    event.add("sequence", session.sequence)
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    status = "CANCELLED" if meeting.cancelled else STATUS.get(session.status, "CONFIRMED")
    summary = session.summary
    if total > 1:
        summary = "%s (%s %d/%d)" % (summary, labels["meeting"], meeting.number, total)
    if status == "CANCELLED":
        summary = "[%s] %s" % (labels["cancelled"], summary)
    elif status == "TENTATIVE":
        summary = "[%s] %s" % (labels["postponed"], summary)
    event.add("summary", summary)
    event.add("status", status)
    event.add("transp", "OPAQUE" if status != "CANCELLED" else "TRANSPARENT")
    lines = []
    if session.reason and session.status in ("cancelled", "postponed"):
        lines.append("%s: %s" % (labels["reason"], session.reason))
    if session.description:
        lines.append(session.description)
    if session.online_url:
        lines.append("%s: %s" % (labels["online"], session.online_url))
    if session.url:
        lines.append(session.url)
    if lines:
        event.add("description", "\n\n".join(lines))
    location = session.location or (session.online_url and "%s: %s" % (labels["online"], session.online_url))
    if location:
        event.add("location", vText(location))
    if session.url:
        event.add("url", vUri(session.url), parameters={"VALUE": "URI"})
    if session.online_url:
        event.add("conference", vUri(session.online_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    if session.categories:
        event.add("categories", list(session.categories))
    if session.organizer_email:
        organizer = vCalAddress("mailto:%s" % session.organizer_email)
        if session.organizer_name:
            organizer.params["cn"] = vText(session.organizer_name)
        event.add("organizer", organizer)
    if session.updated:
        event.add("last-modified", session.updated.astimezone(datetime.UTC))
    return event
