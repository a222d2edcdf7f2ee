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


def on_tna_results_published(sender, run, **kwargs):
    """``tna.signals.results_published`` (sent after commit): queue fresh recommendations.

    The task recomputes the run's cycle for the run's agency (every agency for an all-agency
    run). With the database task backend it waits for ``manage.py db_worker``; the immediate
    backend runs it at once.
    """
    from .conf import settings
    from .tasks import recommend_task

    if not settings.RECOMMEND_AFTER_TNA:
        return
    recommend_task.enqueue(run.cycle.year, run.agency.code if run.agency_id else "")
