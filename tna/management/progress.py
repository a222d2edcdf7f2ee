"""What the run commands (tna's ``run_tna``, lms's ``recommend``) share: looking up the cycle and
agency they were given, and printing their stages with a bar for the rows being written."""

from time import perf_counter

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ..models import Agency, Cycle


def cycle_and_agency(year, code=None):
    """The Cycle of ``year`` and the Agency of ``code`` (None without one), or a CommandError."""
    try:
        cycle = Cycle.objects.get(year=year)
    except Cycle.DoesNotExist:
        raise CommandError(_("There is no cycle %(year)s.") % {"year": year}) from None
    if not code:
        return cycle, None
    try:
        return cycle, Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        raise CommandError(_("There is no agency with code %(code)s.") % {"code": code}) from None


class RunProgress:
    """Prints each stage as it starts and, on a terminal, a bar for the rows being written.

    Subclasses name their ``stages`` in order. Without a terminal (``bar=False``) a stage is one
    line, and the row count is printed once the rows are all written.
    """

    stages = ()
    WIDTH = 30

    def __init__(self, stdout, *, bar):
        self.stdout, self.bar = stdout, bar
        self.stage, self.started, self.shown = None, perf_counter(), -1

    def __call__(self, stage, done=0, total=0):
        number = self.stages.index(stage) + 1 if stage in self.stages else 0
        if stage != self.stage:
            self.finish_line()
            self.stage, self.started, self.shown = stage, perf_counter(), -1
            self.stdout.write("[%d/%d] %s" % (number, len(self.stages), stage), ending="" if self.bar else "\n")
            self.stdout.flush()
        if total and (self.bar or done == total):
            filled = self.WIDTH * done // total
            if filled != self.shown:
                self.shown = filled
                if self.bar:
                    self.stdout.write("\r[%d/%d] %s [%s%s] %d/%d" % (
                        number, len(self.stages), stage, "#" * filled, "." * (self.WIDTH - filled), done, total,
                    ), ending="")
                else:
                    self.stdout.write("      %d/%d rows" % (done, total))
                self.stdout.flush()

    def finish_line(self):
        if self.stage is not None and self.bar:
            self.stdout.write("  %.1f s" % (perf_counter() - self.started))
