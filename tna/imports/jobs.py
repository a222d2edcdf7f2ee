"""Uploads through the admin as ``ImportJob`` rows: stored, checked, previewed, confirmed, written.

The upload is kept in ``LATIH_IMPORT_STORAGE`` (Django's default storage unless set), so a
worker on another machine can read it, with its SHA-256: the bytes written are the bytes that
were checked. Small files are checked and written inside the request; files larger than
``LATIH_IMPORT_BACKGROUND_BYTES`` by the tasks in ``tna.tasks``. The file is deleted when the job
ends (rejected, imported, failed) or after ``LATIH_IMPORT_KEEP_HOURS`` without a confirmation.
"""

import datetime
import hashlib
import logging
from dataclasses import asdict
from time import monotonic

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..conf import settings
from ..infra.row_errors import ImportRejected
from ..models import ImportJob
from .service import import_file

logger = logging.getLogger("latih.tna")
Status = ImportJob.Status
# Finished jobs (their counts and errors, never their files) are kept this long for the list.
KEEP_FINISHED = datetime.timedelta(days=30)


def import_job_create(*, kind, upload, user):
    """Store ``upload`` (a Django ``UploadedFile``) for ``kind`` and return the queued ``ImportJob``.

    The file is copied to the storage chunk by chunk, never read whole into memory.
    """
    import_jobs_sweep()
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    job = ImportJob(kind=kind, filename=upload.name[:255], size=upload.size, sha256=digest.hexdigest(),
                    requested_by=user, language=translation.get_language() or "")
    upload.seek(0)
    job.file.save("upload", upload, save=False)
    job.save()
    return job


def import_job_check(*, job):
    """Check every row of ``job``'s file without writing: CHECKED with a preview, or REJECTED."""
    _start(job, Status.CHECKING)
    _run(job, dry_run=True)
    return job


def import_job_confirm(*, job, user):
    """Accept ``user``'s confirmation of the checked ``job``; it is then waiting to be imported.

    Only the uploader may confirm, only a checked job, and only while the stored file still
    hashes to what was checked. Raises ``PermissionDenied`` otherwise (the job expires when
    its file was lost or changed).
    """
    if job.requested_by_id != user.pk or job.status != Status.CHECKED:
        raise PermissionDenied(_("That upload is no longer waiting for confirmation; upload the file again."))
    if not _file_intact(job):
        _finish(job, Status.EXPIRED)
        raise PermissionDenied(_("That upload is no longer waiting for confirmation; upload the file again."))
    # One confirmation wins, even when a double click sends two at once.
    won = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
        status=Status.IMPORT_QUEUED, stage="", done=0, total=0)
    if not won:
        raise PermissionDenied(_("That upload is no longer waiting for confirmation; upload the file again."))
    job.refresh_from_db()
    return job


def import_job_write(*, job):
    """Check ``job``'s file again (the database may have moved on) and write it, all or nothing."""
    _start(job, Status.IMPORTING)
    _run(job, dry_run=False)
    return job


def import_jobs_sweep(now=None):
    """Expire uploads left waiting past ``LATIH_IMPORT_KEEP_HOURS`` and forget old finished jobs."""
    now = now or timezone.now()
    stale = ImportJob.objects.filter(
        status__in=[Status.QUEUED, Status.CHECKED],
        created_at__lt=now - datetime.timedelta(hours=settings.IMPORT_KEEP_HOURS),
    )
    for job in stale:
        _finish(job, Status.EXPIRED)
    ImportJob.objects.filter(finished_at__lt=now - KEEP_FINISHED).exclude(status__in=ImportJob.WORKING).delete()


def _start(job, status):
    job.status, job.stage, job.done, job.total = status, "", 0, 0
    job.started_at, job.failure = timezone.now(), ""
    job.save(update_fields=["status", "stage", "done", "total", "started_at", "failure"])


def _run(job, *, dry_run):
    progress = JobProgress(job)
    try:
        with translation.override(job.language or None):
            _import(job, dry_run=dry_run, progress=progress)
    finally:
        progress.close()


def _import(job, *, dry_run, progress):
    try:
        with job.file.open("rb") as file:
            result = import_file(
                kind=job.kind, file=file, filename=job.filename, user=job.requested_by, dry_run=dry_run,
                progress=progress, max_rows=settings.IMPORT_MAX_ROWS,
            )
    except ImportRejected as rejected:
        job.errors = [[e.row, e.column, e.value, e.message] for e in rejected.errors]
        job.error_count, job.bad_rows = rejected.total, rejected.row_count
        _finish(job, Status.REJECTED)
    except PermissionDenied as denied:
        job.failure = str(denied)
        _finish(job, Status.FAILED)
    except Exception as exc:
        logger.exception("Import %s failed", job.pk)
        job.failure = _("The import stopped on an unexpected error and nothing was written: %s") % exc
        _finish(job, Status.FAILED)
        raise
    else:
        job.result = _result_dict(result)
        _finish(job, Status.CHECKED if dry_run else Status.DONE)


def _result_dict(result):
    data = asdict(result)
    data["notes"] = [str(n) for n in result.notes]
    data["warnings"] = [[w.row, w.column, w.value, w.message] for w in result.warnings]
    data["preview"] = [list(p) for p in result.preview]
    return data


def _finish(job, status):
    """Set the job's final (or waiting) state; the file goes as soon as it cannot be confirmed."""
    job.status = status
    if status != Status.CHECKED:
        job.finished_at = timezone.now()
        if job.file:
            try:
                job.file.delete(save=False)
            except OSError:
                logger.warning("Import %s: could not delete %s", job.pk, job.file.name)
        job.file = ""
    job.save()


def _file_intact(job):
    if not job.file:
        return False
    digest = hashlib.sha256()
    try:
        with job.file.open("rb") as file:
            for chunk in iter(lambda: file.read(1024 * 1024), b""):
                digest.update(chunk)
    except (OSError, ValueError):
        return False
    return digest.hexdigest() == job.sha256


class JobProgress:
    """The ``progress(stage, done, total)`` of an import, written to its job at most twice a second.

    The write runs in one transaction, whose changes no one else sees until it ends; its
    progress then goes through a second connection (not on SQLite, where it would wait for the
    transaction's lock: the page shows the stage reached before it).
    """

    EVERY = 0.5  # seconds

    def __init__(self, job):
        self.pk, self.stage, self.last = job.pk, None, 0.0
        self.side = None
        self.side_failed = False

    def __call__(self, stage, done=0, total=0):
        now = monotonic()
        if stage == self.stage and now - self.last < self.EVERY:
            return
        self.stage, self.last = stage, now
        values = {"stage": stage[:40], "done": min(done, 2**31 - 1), "total": min(max(total, done), 2**31 - 1)}
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.pk).update(**values)
        elif connection.vendor != "sqlite" and not self.side_failed:
            self._side_update(values)

    def _side_update(self, values):
        try:
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.side.cursor() as cursor:
                    # Never wait for a lock: a progress line is not worth holding up the import.
                    cursor.execute("SET lock_timeout = 200")
            table, qn = ImportJob._meta.db_table, self.side.ops.quote_name
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE %s SET %s = %%s, %s = %%s, %s = %%s WHERE %s = %%s"
                    % (qn(table), qn("stage"), qn("done"), qn("total"), qn("id")),
                    [values["stage"], values["done"], values["total"], self.pk],
                )
        except Exception:  # a lock timeout, a refused connection: go on without progress
            logger.info("Import %s: progress not written", self.pk, exc_info=True)
            self.side_failed = True

    def close(self):
        if self.side is not None:
            self.side.close()
            self.side = None
