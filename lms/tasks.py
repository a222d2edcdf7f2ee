"""Background tasks of lms (django-tasks), run by ``manage.py db_worker``: recommendations for a cycle, and
the daily evaluation reminders."""

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
