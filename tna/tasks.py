"""Background TNA runs and large imports through Django's Tasks API (django-tasks; the database backend in production).

``tna_run_start`` queues a TnaRun and its task in one go; ``tna_cycle_start`` queues a whole
cycle as one run per agency, so several workers (``manage.py db_worker`` on any machine against
the same database) share it and one agency's run never waits for another's. The TnaRun row, not
the task result, is what the admin shows: it carries the state, counts, timings and error
whatever backend ran the task. Imports work the same way with an ``ImportJob`` row
(``tna.imports.jobs``).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from .conf import settings
from .imports.jobs import import_job_check, import_job_confirm, import_job_create, import_job_write
from .models import Agency, ImportJob, TnaRun
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
        _enqueue_runs([run], committed=False)
    _enqueue_runs([run], committed=True)
    run.refresh_from_db()
    return run


def _enqueue_runs(runs, *, committed):
    """Queue a task for each of ``runs``: before their commit when tasks wait in the same database (the task
    rows then commit with the runs, both or neither, in one commit), after it otherwise (a worker on Redis, or
    the immediate backend running the task right here, must find the run committed)."""
    in_database = isinstance(tna_run_task.get_backend(), DatabaseBackend)
    if in_database != committed:
        for run in runs:
            tna_run_task.enqueue(run.pk)


def agencies_by_staff():
    """The agencies with active staff, largest first (ties by code), each annotated with ``staff``.

    Largest first: with several workers, the long runs start early and the short ones fill in
    around them, so the whole cycle ends sooner than in any other order.
    """
    return (Agency.objects.annotate(staff=Count("employees", filter=Q(employees__active=True)))
            .filter(staff__gt=0).order_by("-staff", "code"))


def tna_cycle_start(*, cycle, requested_by=None):
    """Queue ``cycle`` for every agency with active staff: one TnaRun and one task per agency; returns the runs.

    Agencies whose run is still waiting in the queue keep that run (it will compute the same
    results); when every agency has one waiting, nothing is queued and a ValidationError says so.
    Each agency's run, once finished, queues that agency's recommendations (``results_published``).
    """
    agencies = list(agencies_by_staff())
    with transaction.atomic():
        waiting = set(TnaRun.objects.filter(cycle=cycle, status=TnaRun.Status.QUEUED, agency__isnull=False)
                      .values_list("agency_id", flat=True))
        todo = [agency for agency in agencies if agency.pk not in waiting]
        if agencies and not todo:
            raise ValidationError(_("A run of this cycle is already waiting to start for every agency."))
        runs = [tna_run_queue(cycle=cycle, agency=agency, requested_by=requested_by) for agency in todo]
        _enqueue_runs(runs, committed=False)  # largest agencies first (agencies_by_staff)
    _enqueue_runs(runs, committed=True)
    for run in runs:
        run.refresh_from_db()
    return runs


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
