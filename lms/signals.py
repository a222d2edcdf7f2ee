"""Reactions to catalogue events: tell participants about significant session changes, fill raised capacity."""

from courses.models import SessionStatus

from .notify import notify_session_change


def on_session_changed(sender, session, kind, calendar_update, **kwargs):
    """``courses.signals.session_changed`` (sent after commit).

    A change of time, place or status (``calendar_update``) is emailed to the participants with
    the updated .ics; a cosmetic edit is not. Any edit may have raised the capacity, so the
    waitlist gets the free seats.
    """
    from .services.enrollment import waitlist_promote

    if kind == "created":
        return
    if calendar_update:
        notify_session_change(session, kind)
    if kind in ("edited", "rescheduled") and session.status == SessionStatus.SCHEDULED:
        waitlist_promote(session=session)
