"""``manage.py run_tna --cycle YEAR [--agency CODE]``: the gap analysis for a cycle, with progress."""

from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tna.infra.commands import cycle_and_agency
from tna.infra.formats import integer, seconds_text
from tna.infra.progress import RunProgress
from tna.services.tna_run import STAGES, run_tna


class Progress(RunProgress):
    stages = STAGES


class Command(BaseCommand):
    help = "Run the training-needs gap analysis for a cycle (optionally one agency) and store the results."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", help="Agency code; other agencies' results are left as they are.")

    def handle(self, *args, cycle, agency=None, **options):
        cycle_obj, agency_obj = cycle_and_agency(cycle, agency)
        progress = Progress(self.stdout, bar=self.stdout.isatty())
        started = perf_counter()
        try:
            run = run_tna(cycle=cycle_obj, agency=agency_obj, progress=progress)
        except Exception as exc:
            progress.finish_line()
            raise CommandError(_("The TNA run failed; earlier results are unchanged: %(error)s") % {"error": exc}) from exc
        progress.finish_line()
        timings = ", ".join("%s %s" % (stage, seconds_text(seconds)) for stage, seconds in run.timings.items())
        self.stdout.write(self.style.SUCCESS(
            _("TNA %(cycle)s%(scope)s: %(employees)s employees, %(gaps)s gaps > 0, %(duration)s (%(timings)s).") % {
                "cycle": cycle_obj.year,
                "scope": " %s" % agency_obj.code if agency_obj else "",
                "employees": integer(run.employees),
                "gaps": integer(run.gaps),
                "duration": seconds_text(perf_counter() - started),
                "timings": timings,
            }
        ))
