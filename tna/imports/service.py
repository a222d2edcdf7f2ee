"""The one write path of every import: ``import_file(kind=…, file=…, user=…, dry_run=…)``."""

from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..conf import settings
from ..hooks import IMPORT_FORMATS
from ..infra.cells import normalise_nips
from ..infra.row_errors import ErrorList, ImportRejected, RowError
from ..infra.scoping import import_scope
from ..infra.spreadsheets import read_table
from .appraisals import AppraisalsFormat
from .assessments import AssessmentsFormat
from .assignments import AssignmentsFormat
from .base import PREVIEW_ROWS, no_progress
from .employees import EmployeesFormat
from .org import OrgFormat
from .positions import PositionsFormat
from .ratings import RatingsFormat
from .survey import SurveyFormat

# One dict with tna.hooks.IMPORT_FORMATS: tna's formats first, in the order a new deployment imports
# them, then those apps to the right register (lms: training history), whenever they register.
FORMATS = IMPORT_FORMATS
_registered = dict(FORMATS)
FORMATS.clear()
FORMATS.update({f.kind: f for f in (OrgFormat, PositionsFormat, EmployeesFormat, RatingsFormat, AppraisalsFormat,
                                    SurveyFormat, AssignmentsFormat, AssessmentsFormat)})
FORMATS.update(_registered)
KINDS = list(FORMATS)  # tna's own; FORMATS may hold more


@dataclass
class ImportResult:
    """The outcome of an accepted file (written, or only checked when ``dry_run``)."""

    kind: str
    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    preview_columns: list = field(default_factory=list)
    preview: list = field(default_factory=list)  # [(row number, action, [cell texts])]


def _source(file):
    """What ``read_table`` reads: bytes, a path, or a file object (read again on each pass)."""
    if isinstance(file, (bytes, bytearray, memoryview, Path)):
        return file, getattr(file, "name", "")
    if isinstance(file, str):
        return Path(file), Path(file).name
    return file, getattr(file, "name", "") or ""


def _run(fmt, table, *, scope, dry_run, progress):
    errors = ErrorList(limit=settings.IMPORT_MAX_ERRORS)
    fmt.check_header(table, errors)
    errors.raise_if_any()
    if not table.rows[:1]:
        raise ImportRejected([RowError(2, "", "", _("The file has a header but no data rows."))])
    normalise_nips(table, fmt.nip_columns)
    table.rows.progress, table.rows.stage = progress, "read"
    if dry_run:
        # Only reads: no transaction, so that the progress a background check writes is seen.
        plan = fmt.validate(table, errors, scope=scope, progress=progress)
        errors.raise_if_any()
        return plan
    with transaction.atomic():
        plan = fmt.validate(table, errors, scope=scope, progress=progress)
        errors.raise_if_any()
        table.rows.stage = "write"
        fmt.write(plan, progress=progress)
    return plan


def import_file(*, kind, file, user=None, dry_run=False, filename="", progress=no_progress, max_rows=None,
                agency=None):
    """Validate every row of ``file`` and, unless ``dry_run``, write them all in one transaction.

    ``file`` is a path, bytes or a seekable file object (CSV or XLSX), read row by row (twice
    or more: once to check, again to write). ``user`` limits the rows to what they may touch
    (``None`` is the command line: everything); ``agency`` (an ``Agency``) narrows that to one
    agency (``import_scope``). ``max_rows`` refuses longer files.
    ``progress(stage, done, total)`` hears about long work. Returns an ``ImportResult``; raises
    ``ImportRejected`` listing the problems (then nothing was written) and ``PermissionDenied``
    for users who may not import.
    """
    if kind not in FORMATS:
        raise ValueError("Unknown import kind %r; choose from %s" % (kind, ", ".join(FORMATS)))
    scope = import_scope(user, agency)
    source, name = _source(file)
    table = read_table(source, filename=filename or name, max_rows=max_rows)
    fmt = FORMATS[kind]()
    try:
        plan = _run(fmt, table, scope=scope, dry_run=dry_run, progress=progress)
    except ImportRejected as rejected:
        # Name columns as the file spells them ("Supervisor NIP", "M.01").
        raise ImportRejected(
            [replace(e, column=table.label(e.column)) for e in rejected.errors],
            total=rejected.total, bad_rows=rejected.row_count,
        ) from None
    columns = fmt.preview_columns(table)
    table.rows.progress = None
    return ImportResult(
        kind=kind, dry_run=dry_run, rows=len(table.rows),
        created=plan.created, updated=plan.updated, unchanged=plan.unchanged,
        notes=plan.notes, warnings=[replace(w, column=table.label(w.column)) for w in plan.warnings],
        preview_columns=[table.label(c) for c in columns],
        preview=[(r.number, plan.actions.get(r.number, ""), [r.get(c) for c in columns])
                 for r in table.rows[:PREVIEW_ROWS]],
    )
