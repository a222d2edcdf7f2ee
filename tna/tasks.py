"""Background TNA runs through Django's Tasks API (django-tasks; the database backend in production).

``tna_run_start`` queues a TnaRun and its task in one go; ``manage.py db_worker`` (on any machine
against the same database) executes it. The TnaRun row, not the task result, is what the admin
shows: it carries the state, counts, timings and error whatever backend ran the task.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from .models import TnaRun
from .services.tna_run import tna_run_execute, tna_run_queue


@task()
def tna_run_task(run_id):
    """Execute the queued TnaRun ``run_id``; returns its outcome (a failure re-raises, so the task fails too)."""
    run = TnaRun.objects.select_related("cycle", "agency").get(pk=run_id)
    if run.status != TnaRun.Status.QUEUED:
        # A task delivered twice, or a run someone already executed by hand: nothing to do.
        return {"run": run.pk, "status": run.status, "skipped": True}
    tna_run_execute(run=run)
    return {"run": run.pk, "status": run.status, "employees": run.employees, "gaps": run.gaps}


def tna_run_start(*, cycle, agency=None, requested_by=None):
    """Queue a run of ``cycle`` (optionally one agency) as a background task; returns the TnaRun.

    Refuses a second run of the same scope while one is still waiting in the queue (a double
    click would only compute the same results twice).
    """
    with transaction.atomic():
        waiting = TnaRun.objects.filter(cycle=cycle, agency=agency, status=TnaRun.Status.QUEUED)
        if waiting.exists():
            raise ValidationError(_("A run of this cycle and scope is already waiting to start."))
        run = tna_run_queue(cycle=cycle, agency=agency, requested_by=requested_by)
    # Outside the transaction: the immediate backend runs the task right here, and a worker
    # must find the run committed.
    tna_run_task.enqueue(run.pk)
    run.refresh_from_db()
    return run
