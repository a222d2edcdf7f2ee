"""Background tasks of lms (django-tasks), run by the workers (``manage.py db_worker``): recommendations,
scheduling runs and training evaluation, and the daily evaluation reminders and closing of mentoring pairs.

Whole-cycle work is one task per agency (``recommend_start``), so several workers share it and
one agency's work never waits for another's. Scheduling runs keep their state on the
``ScheduleRun`` row, which the planner's page shows whatever backend ran the task.
"""

from contextlib import nullcontext

from django.db import transaction
from django.db.models import Count, Q
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

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


def recommend_start(*, cycle, agency=None):
    """Queue the recommendations of ``cycle``: ``agency``'s, or one task per agency with active staff
    (largest first, so the long ones start early). Returns the task results."""
    if agency is not None:
        return [recommend_task.enqueue(cycle.year, agency.code)]
    codes = list(Agency.objects.annotate(staff=Count("employees", filter=Q(employees__active=True)))
                 .filter(staff__gt=0).order_by("-staff", "code").values_list("code", flat=True))
    # One transaction: the database backend commits every task row at once (one disk flush, not
    # one per agency); the immediate backend runs each task as it is queued, so not there.
    together = nullcontext() if isinstance(recommend_task.get_backend(), ImmediateBackend) else transaction.atomic()
    with together:
        return [recommend_task.enqueue(cycle.year, code) for code in codes]


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


@task()
def evaluate_training_task(year: int, agency_code: str = "") -> dict:
    """Measure the effect of the courses completed in ``year`` (one agency's when ``agency_code``;
    ``manage.py evaluate_training --queue``). Returns the counts; a missing cycle fails the task."""
    from .services.impact import evaluate_training

    agency = Agency.objects.get(code=agency_code) if agency_code else None
    summary = evaluate_training(year=year, agency=agency)
    return {"year": summary.year, "agency": agency_code, "courses": summary.courses, "enough": summary.enough,
            "near_zero": summary.near_zero, "rows": summary.rows, "trained": summary.trained}


@task()
def schedule_run_task(run_id: int) -> dict:
    """Compute the queued scheduling run ``run_id`` (``lms.services.scheduling.schedule_run_execute``)."""
    from .models import ScheduleRun
    from .services.scheduling import schedule_run_execute

    run = ScheduleRun.objects.select_related("agency").get(pk=run_id)
    if run.state != ScheduleRun.State.QUEUED:
        # Delivered twice, or computed already: nothing to do.
        return {"run": run.pk, "state": run.state, "skipped": True}
    schedule_run_execute(run=run)
    return {"run": run.pk, "state": run.state, "placed": run.figures.get("placed"),
            "classes": run.figures.get("classes")}


def schedule_run_start(**arguments):
    """Queue a scheduling run (``schedule_run_queue``'s keyword arguments) and its task; returns the run.

    With the immediate backend (tests, the demo) the run is done, or failed, when this returns;
    with a worker it is still queued, and its page follows it.
    """
    from .services.scheduling import schedule_run_queue

    run = schedule_run_queue(**arguments)
    schedule_run_task.enqueue(run.pk)
    run.refresh_from_db()
    return run
