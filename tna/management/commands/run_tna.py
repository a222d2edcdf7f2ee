"""``manage.py run_tna --cycle YEAR [--agency CODE] [--queue]``: the gap analysis for a cycle, with progress.

Without ``--queue`` the run happens here and now (the whole cycle in one run, or one agency).
With it, the work goes to the background workers: one run per agency with active staff (or the
one agency given), each queueing its agency's recommendations when it succeeds.
"""

from time import perf_counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tna.infra.commands import cycle_and_agency
from tna.infra.formats import integer, seconds_text
from tna.infra.progress import RunProgress
from tna.models import TnaRun
from tna.services.tna_run import STAGES, run_tna
from tna.tasks import tna_cycle_start, tna_run_start


class Progress(RunProgress):
    stages = STAGES


class Command(BaseCommand):
    help = "Run the training-needs gap analysis for a cycle (optionally one agency) and store the results."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", help="Agency code; other agencies' results are left as they are.")
        parser.add_argument("--queue", action="store_true",
                            help="Queue the work for the background workers (one run per agency) and return.")

    def handle(self, *args, cycle, agency=None, queue=False, **options):
        cycle_obj, agency_obj = cycle_and_agency(cycle, agency)
        if queue:
            return self.queue(cycle_obj, agency_obj)
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

    def queue(self, cycle, agency):
        try:
            runs = [tna_run_start(cycle=cycle, agency=agency)] if agency else tna_cycle_start(cycle=cycle)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        done = sum(run.status == TnaRun.Status.SUCCEEDED for run in runs)
        failed = sum(run.status == TnaRun.Status.FAILED for run in runs)
        self.stdout.write(self.style.SUCCESS(ngettext(
            "TNA %(cycle)s: %(runs)s agency run queued (%(done)s already done, %(failed)s failed); the background "
            "workers execute it.",
            "TNA %(cycle)s: %(runs)s agency runs queued (%(done)s already done, %(failed)s failed); the background "
            "workers execute them.", len(runs)) % {
                "cycle": cycle.year, "runs": integer(len(runs)), "done": integer(done), "failed": integer(failed)}))
