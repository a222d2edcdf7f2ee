"""`manage.py import_mentors FILE [--agency CODE] [--dry-run] [--max-rows N]`: see docs/imports.md#mentors."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.mentor_import import COLUMNS, mentor_import
from tna.infra.formats import integer, seconds_text
from tna.infra.row_errors import ImportRejected
from tna.models import Agency


class Command(BaseCommand):
    help = (
        "Import the mentors of mentoring programmes from a CSV or XLSX file (columns: %s). All rows or none."
        % ", ".join(COLUMNS)
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8, , or ;) or XLSX file; the first row is the header")
        parser.add_argument("--agency", help="only rows of the agency with this code are accepted")
        parser.add_argument("--dry-run", action="store_true", help="check every row and report, write nothing")
        parser.add_argument("--max-rows", type=int, default=None, help="refuse a file with more data rows")

    def handle(self, *args, file, agency=None, dry_run=False, max_rows=None, verbosity=1, **options):
        self.verbosity, self.last_stage = verbosity, None
        started = time.monotonic()
        try:
            result = mentor_import(file=file, agency=self.agency_of(agency), dry_run=dry_run,
                                   progress=self.progress, max_rows=max_rows)
        except FileNotFoundError:
            raise CommandError(_("No such file: %s") % file) from None
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(str(error))
            if rejected.hidden:
                self.stderr.write(_("… and %(count)s more problems (LATIH_IMPORT_MAX_ERRORS are listed).")
                                  % {"count": integer(rejected.hidden)})
            raise CommandError(_("%(file)s rejected: %(problems)s problem(s) in %(rows)s row(s); nothing was written.")
                               % {"file": file, "problems": integer(rejected.total),
                                  "rows": integer(rejected.row_count)}) from None
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
        self.stdout.write(self.style.SUCCESS(_("mentors: %(rows)s rows checked — %(summary)s (%(time)s).") % {
            "rows": integer(result.rows), "summary": summary, "time": seconds_text(time.monotonic() - started),
        }))

    def agency_of(self, code):
        if not code:
            return None
        agency = Agency.objects.filter(code__iexact=code).first()
        if agency is None:
            raise CommandError(_("There is no agency with code %(code)s.") % {"code": code})
        return agency

    def progress(self, stage, done, total):
        """One line per stage of a long file (1,000 rows or more), like the other import commands."""
        if self.verbosity >= 1 and total >= 1000 and done == total and stage != self.last_stage:
            self.stdout.write(_("%(stage)s: %(rows)s rows") % {"stage": stage, "rows": integer(total)})
            self.last_stage = stage
