"""``manage.py recommend --cycle YEAR [--agency CODE]``: course recommendations for a cycle's gaps, with progress."""

from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.recommendations import STAGES, recommend_cycle
from tna.infra.commands import cycle_and_agency
from tna.infra.formats import integer, seconds_text
from tna.infra.progress import RunProgress


class Progress(RunProgress):
    stages = STAGES


class Command(BaseCommand):
    help = "Recommend courses for each employee's gaps in a cycle (optionally one agency) and store them."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", help="Agency code; other agencies' recommendations are left as they are.")

    def handle(self, *args, cycle, agency=None, **options):
        cycle_obj, agency_obj = cycle_and_agency(cycle, agency)
        progress = Progress(self.stdout, bar=self.stdout.isatty())
        started = perf_counter()
        try:
            summary = recommend_cycle(cycle=cycle_obj, agency=agency_obj, progress=progress)
        except Exception as exc:
            progress.finish_line()
            raise CommandError(
                _("The recommendations failed; earlier ones are unchanged: %(error)s") % {"error": exc}) from exc
        progress.finish_line()
        self.stdout.write(self.style.SUCCESS(
            _("Recommendations %(cycle)s%(scope)s: %(count)s for %(employees)s employees, %(in_plan)s in plans; "
              "%(reaching)s plans reach the JP minimum; %(duration)s (%(timings)s).") % {
                "cycle": cycle_obj.year,
                "scope": " %s" % agency_obj.code if agency_obj else "",
                "count": integer(summary.recommendations),
                "employees": integer(summary.employees),
                "in_plan": integer(summary.in_plan),
                "reaching": integer(summary.reaching_minimum),
                "duration": seconds_text(perf_counter() - started),
                "timings": ", ".join("%s %s" % (stage, seconds_text(seconds))
                                     for stage, seconds in summary.timings.items()),
            }
        ))
