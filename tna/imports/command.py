"""The shared body of the ``import_*`` management commands: run, print a summary or every error."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..infra.formats import integer, seconds_text
from ..infra.row_errors import ImportRejected
from ..models import Agency
from .service import FORMATS, import_file


class ImportCommand(BaseCommand):
    """``manage.py import_<kind> FILE [--agency CODE] [--dry-run] [--max-rows N]``; subclasses only set ``kind``
    (any kind ``import_file`` knows, the formats of apps to the right included) and, where the
    kind's code reads badly in the summary line, ``title``."""

    kind = ""
    title = ""

    @property
    def help(self):
        fmt = FORMATS[self.kind]
        columns = ", ".join(fmt.required) + (" [+ %s]" % ", ".join(fmt.optional) if fmt.optional else "")
        return "Import %s from a CSV or XLSX file (columns: %s). All rows or none." % (fmt.label, columns)

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8, , or ;) or XLSX file; the first row is the header")
        parser.add_argument("--dry-run", action="store_true", help="check every row and report, write nothing")
        parser.add_argument(
            "--max-rows", type=int, default=None,
            help="refuse a file with more data rows (default: no limit; LATIH_IMPORT_MAX_ROWS is for uploads)",
        )
        parser.add_argument("--agency", help="only staff of the agency with this code may appear in the file")

    def handle(self, *args, file, dry_run, max_rows=None, agency=None, verbosity=1, **options):
        self.verbosity = verbosity
        self._last = None
        started = time.monotonic()
        try:
            # The file is read row by row, as often as the import needs; no size limit here.
            result = import_file(kind=self.kind, file=file, dry_run=dry_run, progress=self.progress,
                                 max_rows=max_rows, agency=agency_of(agency))
        except FileNotFoundError:
            raise CommandError(_("No such file: %s") % file) from None
        except ImportRejected as rejected:
            self.end_progress()
            for error in rejected.errors:
                self.stderr.write(str(error))
            if rejected.hidden:
                self.stderr.write(_("… and %d more problems (LATIH_IMPORT_MAX_ERRORS are listed).") % rejected.hidden)
            raise CommandError(_("%(file)s rejected: %(problems)s in %(rows)s; nothing was written.") % {
                "file": file,
                "problems": ngettext("%d problem", "%d problems", rejected.total) % rejected.total,
                "rows": ngettext("%d row", "%d rows", rejected.row_count) % rejected.row_count,
            }) from None
        self.end_progress()
        for warning in result.warnings:
            self.stderr.write(_("warning: %s") % warning)
        for note in result.notes:
            self.stdout.write(str(note))
        counts = {"created": integer(result.created), "updated": integer(result.updated),
                  "unchanged": integer(result.unchanged)}
        if dry_run:
            summary = _("would create %(created)s, update %(updated)s, leave %(unchanged)s unchanged; "
                        "dry run, nothing written") % counts
        else:
            summary = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % counts
        self.stdout.write(self.style.SUCCESS(_("%(kind)s: %(rows)s rows checked — %(summary)s (%(time)s).") % {
            "kind": self.title or self.kind, "rows": integer(result.rows), "summary": summary,
            "time": seconds_text(time.monotonic() - started),
        }))

    def progress(self, stage, done, total):
        if self.verbosity < 1 or total < 1000:
            return
        if self.stdout.isatty():
            self.stdout.write("\r%s: %d/%d (%d%%)" % (stage, done, total, 100 * done // total), ending="")
            self.stdout.flush()
            self._last = stage
        elif done == total and stage != self._last:
            self.stdout.write("%s: %d rows" % (stage, total))
            self._last = stage

    def end_progress(self):
        if self._last and self.stdout.isatty():
            self.stdout.write("")
        self._last = None


def agency_of(code):
    """The agency with ``code`` (any case), None for no code; a CommandError for an unknown one."""
    if not code:
        return None
    agency = Agency.objects.filter(code__iexact=code).first()
    if agency is None:
        raise CommandError(_("There is no agency with code %(code)s.") % {"code": code})
    return agency
