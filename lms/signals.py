"""Reactions to other apps' events: tell participants about significant session changes, fill raised capacity,
refresh recommendations after a TNA run, write development plans after a talent placement."""

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

    An agency's run queues that agency's; a whole-cycle run queues one task per agency
    (``lms.tasks.recommend_start``), so several workers share them. With the database task
    backend they wait for a worker; the immediate backend runs them at once.
    """
    from .conf import settings
    from .tasks import recommend_start

    if not settings.RECOMMEND_AFTER_TNA:
        return
    recommend_start(cycle=run.cycle, agency=run.agency if run.agency_id else None)


def on_talent_placed(sender, cycle, agency, **kwargs):
    """``tna.signals.talent_placed`` (sent after commit): write the agency's development plans of the cycle.

    Synchronous: one bulk read and write (``lms.services.development``). When a leadership course or
    its priority changed, the agency's recommendations of the cycle are queued again (as after a TNA
    run, and under the same ``LATIH_RECOMMEND_AFTER_TNA``), so the plans reach the recommendations.
    """
    from .conf import settings
    from .services.development import development_plan_write
    from .tasks import recommend_task

    summary = development_plan_write(cycle=cycle, agency=agency)
    if summary.leadership_changed and settings.RECOMMEND_AFTER_TNA:
        recommend_task.enqueue(cycle.year, agency.code)
    return summary
