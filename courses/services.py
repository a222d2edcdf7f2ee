"""Write paths for sessions: create, edit, reschedule, postpone, cancel, complete.

One function per operation, called by the admin, the API and the demo command alike. Sessions
are never deleted; every change is recorded as a ``SessionChange``. ``Session.sequence`` (the
iCalendar SEQUENCE) rises only when participants' calendars must change — meeting times, place,
online link or status — so fixing a typo or raising the capacity re-sends nothing.
"""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tna.infra.formats import datetime_text

from .models import Meeting, Session, SessionChange, SessionStatus
from .recurrence import Slot
from .signals import session_changed

#: Fields whose change moves participants' calendars (with the meetings themselves).
CALENDAR_FIELDS = ("place", "online_url")
#: Fields that change nothing in a calendar.
COSMETIC_FIELDS = ("label", "trainer", "capacity", "enrollment_opens", "enrollment_closes")
EDITABLE_FIELDS = CALENDAR_FIELDS + COSMETIC_FIELDS


def session_create(
    *, course, meetings: Sequence[Slot], capacity: int, place: str = "", online_url: str = "", label: str = "",
    trainer: str = "", enrollment_opens=None, enrollment_closes=None, user=None,
) -> Session:
    """Schedule a new session of ``course`` with its meetings (at least one)."""
    slots = _checked_slots(meetings)
    session = Session(
        course=course, capacity=capacity, place=place, online_url=online_url, label=label, trainer=trainer,
        enrollment_opens=enrollment_opens, enrollment_closes=enrollment_closes,
        starts_at=slots[0].start, ends_at=slots[-1].end,
    )
    _validate(session)
    with transaction.atomic():
        session.save()
        Meeting.objects.bulk_create(
            Meeting(session=session, number=n, starts_at=s.start, ends_at=s.end) for n, s in enumerate(slots, 1)
        )
        change = SessionChange.objects.create(session=session, kind=SessionChange.Kind.CREATED, sequence=0, user=user)
    _send(session, change, calendar_update=True)
    return session


def session_update(*, session: Session, meetings: Sequence[Slot] | None = None, user=None, reason: str = "", **fields) -> Session:
    """Edit a session; ``meetings`` (if given) replaces its schedule.

    Meetings are matched to the existing ones in order and keep their numbers (hence their
    calendar UIDs); meetings no longer needed stay as cancelled rows. A postponed session given
    new meetings is scheduled again. Raises ValidationError for unknown fields, a cancelled or
    completed session, or an invalid schedule.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These session fields cannot be changed here: %s.") % ", ".join(sorted(unknown)))
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
        if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
            raise ValidationError(
                _("A %(status)s session cannot be changed; schedule a new session instead.")
                % {"status": session.get_status_display().lower()}
            )
        changed = {}
        for name, value in fields.items():
            before = getattr(session, name)
            if before != value:
                changed[name] = [_plain(before), _plain(value)]
                setattr(session, name, value)
        if meetings is not None:
            slots = _checked_slots(meetings)
            meeting_changes = _apply_meetings(session, slots)
            if meeting_changes:
                changed["meetings"] = meeting_changes
        calendar_update = any(name in changed for name in (*CALENDAR_FIELDS, "meetings"))
        kind = SessionChange.Kind.EDITED
        if session.status == SessionStatus.POSTPONED and "meetings" in changed:
            session.status = SessionStatus.SCHEDULED
            calendar_update = True
        if calendar_update:
            session.sequence += 1
            kind = SessionChange.Kind.RESCHEDULED
        _validate(session)
        if not changed:
            return session
        session.save()
        change = SessionChange.objects.create(
            session=session, kind=kind, sequence=session.sequence, reason=reason, changed=changed, user=user
        )
    _send(session, change, calendar_update=calendar_update)
    return session


def session_postpone(*, session: Session, reason: str, user=None) -> Session:
    """Postpone a scheduled session until new dates are known; participants keep their places."""
    return _change_status(session, SessionStatus.POSTPONED, reason=reason, user=user,
                          allowed_from=(SessionStatus.SCHEDULED,))


def session_cancel(*, session: Session, reason: str, user=None) -> Session:
    """Cancel a session: it stays, with its meetings and enrollments, and calendars get a cancellation."""
    return _change_status(session, SessionStatus.CANCELLED, reason=reason, user=user,
                          allowed_from=(SessionStatus.SCHEDULED, SessionStatus.POSTPONED))


def session_complete(*, session: Session, user=None) -> Session:
    """Mark a held session as completed (nothing changes in calendars)."""
    return _change_status(session, SessionStatus.COMPLETED, reason="", user=user,
                          allowed_from=(SessionStatus.SCHEDULED,), calendar_update=False)


def _change_status(session, status, *, reason, user, allowed_from, calendar_update=True):
    reason = (reason or "").strip()
    if calendar_update and not reason:
        raise ValidationError({"cancel_reason": _("Give the reason; participants will see it.")})
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status not in allowed_from:
            raise ValidationError(
                _("A %(status)s session cannot be %(action)s.")
                % {"status": session.get_status_display().lower(), "action": SessionStatus(status).label.lower()}
            )
        before = session.status
        session.status = status
        if reason:
            session.cancel_reason = reason
        if calendar_update:
            session.sequence += 1
        session.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
        change = SessionChange.objects.create(
            session=session, kind=status, sequence=session.sequence, reason=reason,
            changed={"status": [before, status]}, user=user,
        )
    _send(session, change, calendar_update=calendar_update)
    return session


def _checked_slots(meetings):
    slots = sorted(meetings)
    if not slots:
        raise ValidationError({"meetings": _("A session needs at least one meeting.")})
    for earlier, later in zip(slots, slots[1:], strict=False):
        if later.start < earlier.end:
            raise ValidationError({"meetings": _("Meetings overlap: %(a)s and %(b)s.") % {
                "a": datetime_text(earlier.start, earlier.start.tzinfo),
                "b": datetime_text(later.start, later.start.tzinfo)}})
    return slots


def _apply_meetings(session, slots):
    """Match ``slots`` to the session's active meetings in order; return {number: [before, after]}."""
    existing = list(session.meetings.order_by("number"))
    active = [m for m in existing if not m.cancelled]
    next_number = max((m.number for m in existing), default=0) + 1
    changes, to_update, to_create = {}, [], []
    for meeting, slot in zip(active, slots, strict=False):
        if (meeting.starts_at, meeting.ends_at) != (slot.start, slot.end):
            changes[str(meeting.number)] = [_span(meeting.starts_at, meeting.ends_at), _span(slot.start, slot.end)]
            meeting.starts_at, meeting.ends_at = slot.start, slot.end
            to_update.append(meeting)
    for meeting in active[len(slots):]:
        changes[str(meeting.number)] = [_span(meeting.starts_at, meeting.ends_at), None]
        meeting.cancelled = True
        to_update.append(meeting)
    for slot in slots[len(active):]:
        changes[str(next_number)] = [None, _span(slot.start, slot.end)]
        to_create.append(Meeting(session=session, number=next_number, starts_at=slot.start, ends_at=slot.end))
        next_number += 1
    Meeting.objects.bulk_update(to_update, ["starts_at", "ends_at", "cancelled"])
    Meeting.objects.bulk_create(to_create)
    session.starts_at, session.ends_at = slots[0].start, slots[-1].end
    return changes


def _validate(session):
    errors = {}
    course = session.course
    if session.capacity is None or session.capacity < 1:
        errors["capacity"] = _("The capacity must be at least 1.")
    elif session.capacity > course.max_participants:
        errors["capacity"] = _("The capacity (%(n)d) is above the course's maximum class size (%(max)d).") % {
            "n": session.capacity, "max": course.max_participants}
    if course.mode in ("classroom", "blended") and not session.place:
        errors["place"] = _("A classroom or blended session needs a place.")
    if course.mode == "online" and not session.online_url:
        errors["online_url"] = _("An online session needs its link.")
    opens, closes = session.enrollment_opens, session.enrollment_closes
    if opens and closes and opens > closes:
        errors["enrollment_closes"] = _("Enrollment must close after it opens.")
    if closes and session.starts_at and closes > session.starts_at:
        errors["enrollment_closes"] = _("Enrollment must close before the first meeting starts.")
    if errors:
        raise ValidationError(errors)


def _span(start, end):
    return "%s/%s" % (start.isoformat(), end.isoformat())


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _send(session, change, *, calendar_update):
    # After commit: a receiver that mails invitations must never announce a rolled-back change.
    transaction.on_commit(lambda: session_changed.send(
        sender=Session, session=session, change=change, kind=change.kind,
        significant=calendar_update, calendar_update=calendar_update,
    ))
