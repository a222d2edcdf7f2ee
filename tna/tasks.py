"""Background TNA runs and large imports through Django's Tasks API (django-tasks; the database backend in production).

``tna_run_start`` queues a TnaRun and its task in one go; ``manage.py db_worker`` (on any machine
against the same database) executes it. The TnaRun row, not the task result, is what the admin
shows: it carries the state, counts, timings and error whatever backend ran the task. Imports
work the same way with an ``ImportJob`` row (``tna.imports.jobs``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tasks import task

from .conf import settings
from .imports.jobs import import_job_check, import_job_confirm, import_job_create, import_job_write
from .models import ImportJob, TnaRun
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


@task()
def import_check_task(job_id):
    """Check the waiting upload ``job_id`` without writing (a preview or its errors come of it)."""
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return {"job": job.pk, "status": job.status, "skipped": True}
    import_job_check(job=job)
    return {"job": job.pk, "status": job.status, "errors": job.error_count}


@task()
def import_write_task(job_id):
    """Write the confirmed upload ``job_id``, all rows or none."""
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status != ImportJob.Status.IMPORT_QUEUED:
        return {"job": job.pk, "status": job.status, "skipped": True}
    import_job_write(job=job)
    return {"job": job.pk, "status": job.status, "errors": job.error_count}


def import_start(*, kind, upload, user):
    """Store ``upload`` and check it: inside this request when it is small, else as a task.

    Returns the ``ImportJob``; a small file's job is already CHECKED or REJECTED, a large one's
    is QUEUED (or further, with the immediate backend of the tests).
    """
    job = import_job_create(kind=kind, upload=upload, user=user)
    if job.size <= settings.IMPORT_BACKGROUND_BYTES:
        return import_job_check(job=job)
    import_check_task.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_confirm(*, job, user):
    """Confirm the checked ``job`` for ``user`` and write it: now when small, else as a task."""
    import_job_confirm(job=job, user=user)
    if job.size <= settings.IMPORT_BACKGROUND_BYTES:
        return import_job_write(job=job)
    import_write_task.enqueue(job.pk)
    job.refresh_from_db()
    return job
