"""The training-history import: training people completed before or outside Latih, as JP credits.

``training_history_import(file=…, user=…, dry_run=…)`` is the one write path (the command
``import_training_history`` calls it). Each row becomes a ``JpCredit`` (``source`` import) with
its ``CreditedCompetency`` levels, so it counts in the JP ledger, the learning record, the
national export and, through ``lms.training_evidence``, the next TNA run, like a completion in
Latih. Checking lives in ``training_history_rows``; the rules are in docs/imports.md#training-history.
"""

from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy

from tna.infra.cells import chunked
from tna.infra.progress import no_progress

from ..models.ledger import CreditedCompetency, CreditSource, JpCredit
from .file_import import run_file_import
from .training_history_rows import COLUMNS, FIELDS, REQUIRED, check_header, plan_history

KIND = "training_history"


@dataclass
class HistoryResult:
    """The outcome of an accepted file (written, or only checked when ``dry_run``).

    ``warnings`` are ``RowError``s of rows that were accepted but left out (a training Latih
    already recorded); ``actions`` maps each row number to ``create``, ``update`` or ``unchanged``.
    """

    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    actions: dict = field(default_factory=dict)


def training_history_import(*, file, user=None, agency=None, dry_run=False, filename="", progress=no_progress,
                            max_rows=None):
    """Check every row of ``file`` and, unless ``dry_run``, write them all in one transaction.

    ``file`` is a path, bytes or a seekable file object (CSV or XLSX). ``user`` limits the rows
    to the people they may touch (None is the command line: everyone), ``agency`` to the staff
    of one agency. Returns a ``HistoryResult``; raises ``ImportRejected`` listing every problem as
    row + column (then nothing was written) and ``PermissionDenied`` for users who may not import.
    """
    def write(plan):
        history_write(plan.credits)
        return len(plan.credits)

    table, plan = run_file_import(file=file, user=user, agency=agency, dry_run=dry_run, filename=filename,
                                  progress=progress, max_rows=max_rows, check_header=check_header,
                                  plan=plan_history, write=write)
    return HistoryResult(
        dry_run=dry_run, rows=len(table.rows), created=plan.created, updated=plan.updated,
        unchanged=plan.unchanged, notes=plan.notes, actions=plan.actions,
        warnings=[replace(w, column=table.label(w.column)) for w in plan.warnings],
    )


def history_write(credits):
    """Write planned ``(Credit, action, stored pk)`` triples in bulk: new credits with their
    competency levels, and the fields and levels of updated ones (their levels rewritten whole)."""
    new = [credit for credit, action, _pk in credits if action == "create"]
    changed = [(pk, credit) for credit, action, pk in credits if action == "update"]
    created = JpCredit.objects.bulk_create(
        [JpCredit(employee_id=c.employee_id, source=CreditSource.IMPORT, **c.values()) for c in new], batch_size=2000)
    JpCredit.objects.bulk_update([JpCredit(pk=pk, **c.values()) for pk, c in changed], list(FIELDS), batch_size=500)
    for chunk in chunked([pk for pk, _credit in changed]):
        CreditedCompetency.objects.filter(credit__in=chunk).delete()
    written = [*((row.pk, credit) for row, credit in zip(created, new, strict=True)), *changed]
    CreditedCompetency.objects.bulk_create(
        [CreditedCompetency(credit_id=pk, competency_id=competency_id, level=level)
         for pk, credit in written for competency_id, level in credit.levels],
        batch_size=2000,
    )


class TrainingHistoryFormat:
    """The training history as one of the admin's import formats (``tna.hooks.register_import_format``):
    the same checks and write as ``training_history_import``, run by tna's upload, preview and
    background jobs, with the scope tna's import gives (all agencies, or a training admin's own)."""

    kind = KIND
    label = gettext_lazy("Training history")
    required = REQUIRED
    optional = tuple(column for column in COLUMNS if column not in REQUIRED)
    nip_columns = ("nip",)

    def check_header(self, table, errors):
        check_header(table.columns, errors)

    def preview_columns(self, table):
        return [column for column in ("nip", "course", "title", "competency", "jp", "start", "end")
                if column in table.columns]

    def validate(self, table, errors, *, scope, progress):
        return plan_history(table, errors, scope=scope)

    def write(self, plan, *, progress):
        history_write(plan.credits)
        progress("write", len(plan.credits), len(plan.credits))
