"""Progress of long commands: a run's numbered stages with a bar for the rows being written
(``run_tna``, ``recommend``), and a generator's stages with counts (``generate_*``, ``demo``)."""

from time import perf_counter

from .formats import integer, seconds_text


def no_progress(stage, done, total):
    """The default progress callback of imports and runs: says nothing."""


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
                    self.stdout.write("\r[%d/%d] %s [%s%s] %s" % (
                        number, len(self.stages), stage, "#" * filled, "." * (self.WIDTH - filled), _count(done, total),
                    ), ending="")
                else:
                    self.stdout.write("      %s" % _count(done, total))
                self.stdout.flush()

    def finish_line(self):
        if self.stage is not None and self.bar:
            self.stdout.write("  " + seconds_text(perf_counter() - self.started))



class StageProgress:
    """A ``progress(stage, done, total)`` callable that writes to a command's ``self.stdout``.

    On a terminal each stage redraws one line with a bar; otherwise (logs, tests, pipes) it
    writes a line whenever a stage starts a new tenth of its total or changes, so a log shows
    movement without thousands of lines.
    """

    WIDTH = 24

    def __init__(self, stdout, *, indent="  "):
        self.stdout, self.indent = stdout, indent
        self.tty = stdout.isatty()
        self.started = perf_counter()
        self.stage, self.tenth = None, -1

    def __call__(self, stage, done=0, total=0):
        elapsed = perf_counter() - self.started
        if self.tty:
            if stage != self.stage and self.stage is not None:
                self.stdout.write("")
            bar = ""
            if total:
                filled = self.WIDTH * min(done, total) // total
                bar = " [%s%s]" % ("#" * filled, "." * (self.WIDTH - filled))
            line = "%s%-18s%s %s  %s" % (self.indent, stage, bar, _count(done, total), seconds_text(elapsed))
            self.stdout.write("\r" + line + "\x1b[K", ending="")  # \x1b[K: clear what a longer line left
            self.stdout.flush()
            self.stage = stage
            return
        tenth = 10 * done // total if total else 10
        if stage == self.stage and tenth == self.tenth:
            return
        self.stage, self.tenth = stage, tenth
        self.stdout.write("%s%-18s %s  %s" % (self.indent, stage, _count(done, total), seconds_text(elapsed)))

    def close(self):
        """End the live line on a terminal; returns the seconds since the start."""
        if self.tty and self.stage is not None:
            self.stdout.write("")
        self.stage = None
        return perf_counter() - self.started


def _count(done, total):
    """``1.234/6.897`` while going, ``6.897`` when done, grouped in the active language."""
    if total and done != total:
        return "%s/%s" % (integer(done), integer(total))
    return integer(total or done) if (total or done) else ""
