"""``manage.py recommend --cycle YEAR [--agency CODE]``: course recommendations for a cycle's gaps, with progress."""

from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.recommendations import STAGES, recommend_cycle
from tna.models import Agency, Cycle


class Progress:
    """Prints each stage as it starts and a bar for the rows being written."""

    WIDTH = 30

    def __init__(self, stdout, *, bar):
        self.stdout, self.bar = stdout, bar
        self.stage, self.started, self.shown = None, perf_counter(), -1

    def __call__(self, stage, done=0, total=0):
        number = STAGES.index(stage) + 1
        if stage != self.stage:
            self.finish_line()
            self.stage, self.started, self.shown = stage, perf_counter(), -1
            self.stdout.write("[%d/%d] %s" % (number, len(STAGES), stage), ending="" if self.bar else "\n")
            self.stdout.flush()
        if total and (self.bar or done == total):
            filled = self.WIDTH * done // total
            if filled != self.shown:
                self.shown = filled
                if self.bar:
                    self.stdout.write("\r[%d/%d] %s [%s%s] %d/%d" % (
                        number, len(STAGES), stage, "#" * filled, "." * (self.WIDTH - filled), done, total), ending="")
                else:
                    self.stdout.write("      %d/%d rows" % (done, total))
                self.stdout.flush()

    def finish_line(self):
        if self.stage is not None and self.bar:
            self.stdout.write("  %.1f s" % (perf_counter() - self.started))


class Command(BaseCommand):
    help = "Recommend courses for each employee's gaps in a cycle (optionally one agency) and store them."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", help="Agency code; other agencies' recommendations are left as they are.")

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
            summary = recommend_cycle(cycle=cycle_obj, agency=agency_obj, progress=progress)
        except Exception as exc:
            progress.finish_line()
            raise CommandError(
                _("The recommendations failed; earlier ones are unchanged: %(error)s") % {"error": exc}) from exc
        progress.finish_line()
        self.stdout.write(self.style.SUCCESS(
            _("Recommendations %(cycle)s%(scope)s: %(count)s for %(employees)s employees, %(in_plan)s in plans; "
              "%(reaching)s plans reach the JP minimum; %(seconds).1f s (%(timings)s).") % {
                "cycle": cycle_obj.year,
                "scope": " %s" % agency_obj.code if agency_obj else "",
                "count": summary.recommendations,
                "employees": summary.employees,
                "in_plan": summary.in_plan,
                "reaching": summary.reaching_minimum,
                "seconds": perf_counter() - started,
                "timings": ", ".join("%s %.1f s" % item for item in summary.timings.items()),
            }
        ))
