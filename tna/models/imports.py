"""An uploaded import file on its way through check, preview, confirmation and write."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..conf import settings as latih


def import_storage():
    """The storage holding waiting uploads (``LATIH_IMPORT_STORAGE``): any machine's worker reads it."""
    return storages[latih.IMPORT_STORAGE]


def upload_path(job, filename):
    # The job's random id, never the uploaded name: the path must not be guessable.
    return "latih-imports/%s" % job.token.hex


class ImportJob(models.Model):
    """One uploaded file: checked (dry run), shown as a preview or its errors, then written.

    Large files go through both steps as background tasks (``tna.tasks``); the row carries the
    state, the progress, the outcome and the errors whatever ran it. The file itself is deleted
    as soon as it cannot be confirmed any more.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked: waiting for confirmation")
        REJECTED = "rejected", _("Rejected")
        IMPORT_QUEUED = "import_queued", _("Waiting to be imported")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    WORKING = (Status.QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING)

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to=upload_path, storage=import_storage, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The uploader's language: a worker writes the problems in it, as the page would have.
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The outcome: ImportResult's counts, notes, warnings and preview (see tna.imports.jobs).
    result = models.JSONField(default=dict, blank=True)
    # The problems kept (row, column, value, message), with every problem counted.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="tna_importjob_user_recent")]

    def __str__(self):
        return "%s (%s, %s)" % (self.filename, self.kind, self.get_status_display())

    @property
    def working(self):
        return self.status in self.WORKING
