"""Background tasks of lms (django-tasks), run by ``manage.py db_worker``: recommendations for a cycle, and
the daily evaluation reminders and the daily closing of mentoring pairs past their programme."""

from django_tasks import task

from tna.models import Agency, Cycle


@task()
def recommend_task(cycle_year: int, agency_code: str = "") -> dict:
    """Recompute the recommendations of cycle ``cycle_year`` (one agency's staff when ``agency_code``).

    Enqueue with ``recommend_task.enqueue(2026)`` after a TNA run or a catalogue change; returns
    the run's summary (counts and seconds per stage) as the task's return value.
    """
    from .services.recommendations import recommend_cycle

    cycle = Cycle.objects.get(year=cycle_year)
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    return recommend_cycle(cycle=cycle, agency=agency).as_dict()


@task()
def evaluation_reminders_task() -> dict:
    """E-mail the evaluation reminders due now (``manage.py send_evaluation_reminders`` as a task).

    Enqueue once a day; returns the counts per kind (``lms.services.reminders.ReminderSummary``).
    """
    from .services.reminders import evaluation_reminders_send

    return evaluation_reminders_send().as_dict()


@task()
def mentoring_close_task() -> dict:
    """Close the active mentoring pairs whose programme has ended (``manage.py close_mentoring_pairs`` as a task).

    Enqueue once a day; returns the counts (``lms.services.mentoring_people.CloseSummary``).
    """
    from .services.mentoring_people import pairs_close_expired

    return pairs_close_expired().as_dict()
