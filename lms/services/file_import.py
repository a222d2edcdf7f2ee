"""The run every lms import shares: read the file, check its header and rows, write all or nothing."""

from dataclasses import replace
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from tna.conf import settings as tna_settings
from tna.infra.cells import normalise_nips
from tna.infra.row_errors import ErrorList, ImportRejected, RowError
from tna.infra.scoping import import_scope
from tna.infra.spreadsheets import read_table


def run_file_import(*, file, user, agency, dry_run, filename, progress, max_rows, check_header, plan, write):
    """Check every row of ``file`` and, unless ``dry_run``, write them in one transaction; returns
    ``(table, plan)``.

    ``check_header(columns, errors)`` and ``plan(table, errors, scope=…)`` are the format's checks;
    ``write(plan)`` its write, which returns how many records it wrote. ``user`` and ``agency``
    give the scope (``import_scope``). Raises ``ImportRejected`` with every problem, its columns
    named as the file spells them (then nothing was written), and ``PermissionDenied``.
    """
    scope = import_scope(user, agency)
    if isinstance(file, str):
        file = Path(file)
    table = read_table(file, filename=filename or getattr(file, "name", ""), max_rows=max_rows)
    errors = ErrorList(limit=tna_settings.IMPORT_MAX_ERRORS)
    try:
        check_header(table.columns, errors)
        errors.raise_if_any()
        if not table.rows[:1]:
            raise ImportRejected([RowError(2, "", "", _("The file has a header but no data rows."))])
        normalise_nips(table, ("nip",))
        table.rows.progress, table.rows.stage = progress, "read"
        if dry_run:
            planned = plan(table, errors, scope=scope)
            errors.raise_if_any()
        else:
            with transaction.atomic():
                planned = plan(table, errors, scope=scope)
                errors.raise_if_any()
                written = write(planned)
                progress("write", written, written)
    except ImportRejected as rejected:
        raise ImportRejected([replace(e, column=table.label(e.column)) for e in rejected.errors],
                             total=rejected.total, bad_rows=rejected.row_count) from None
    table.rows.progress = None
    return table, planned
