"""``manage.py run_tna --cycle YEAR [--agency CODE]``: the gap analysis for a cycle, with progress."""

from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tna.models import Agency, Cycle
from tna.services.tna_run import STAGES, run_tna


class Progress:
    """Prints each stage as it starts and a bar for the rows being written."""

    WIDTH = 30

    def __init__(self, stdout, *, bar):
        self.stdout, self.bar = stdout, bar
        self.stage, self.started, self.shown = None, perf_counter(), -1

    def __call__(self, stage, done=0, total=0):
        if stage != self.stage:
            self.finish_line()
            self.stage, self.started, self.shown = stage, perf_counter(), -1
            number = STAGES.index(stage) + 1 if stage in STAGES else 0
            self.stdout.write("[%d/%d] %s" % (number, len(STAGES), stage), ending="\n" if not self.bar else "")
            self.stdout.flush()
        if self.bar and total:
            filled = self.WIDTH * done // total
            if filled != self.shown:
                self.shown = filled
                self.stdout.write(
                    "\r[%d/%d] %s [%s%s] %d/%d" % (
                        STAGES.index(stage) + 1, len(STAGES), stage, "#" * filled, "." * (self.WIDTH - filled), done, total,
                    ),
                    ending="",
                )
                self.stdout.flush()

    def finish_line(self):
        if self.stage is not None and self.bar:
            self.stdout.write("  %.1f s" % (perf_counter() - self.started))


class Command(BaseCommand):
    help = "Run the training-needs gap analysis for a cycle (optionally one agency) and store the results."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", help="Agency code; other agencies' results are left as they are.")

    def handle(self, *args, cycle, agency=None, **options):
        try:
            cycle_obj = Cycle.objects.get(year=cycle)
        except Cycle.DoesNotExist:
            raise CommandError(_("There is no cycle %(year)s.") % {"year": cycle}) from None
        agency_obj = None
        if agency:
            try:
                agency_obj = Agency.objects.get(code=agency)
            except Agency.DoesNotExist:
                raise CommandError(_("There is no agency with code %(code)s.") % {"code": agency}) from None
        progress = Progress(self.stdout, bar=self.stdout.isatty())
        started = perf_counter()
        try:
            run = run_tna(cycle=cycle_obj, agency=agency_obj, progress=progress)
        except Exception as exc:
            progress.finish_line()
            raise CommandError(_("The TNA run failed; earlier results are unchanged: %(error)s") % {"error": exc}) from exc
        progress.finish_line()
        timings = ", ".join("%s %.1f s" % (stage, seconds) for stage, seconds in run.timings.items())
        self.stdout.write(self.style.SUCCESS(
            _("TNA %(cycle)s%(scope)s: %(employees)s employees, %(gaps)s gaps > 0, %(seconds).1f s (%(timings)s).") % {
                "cycle": cycle_obj.year,
                "scope": " %s" % agency_obj.code if agency_obj else "",
                "employees": run.employees,
                "gaps": run.gaps,
                "seconds": perf_counter() - started,
                "timings": timings,
            }
        ))
