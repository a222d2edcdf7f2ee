"""Progress lines for the generator commands: one line per stage, a live bar on a terminal."""

from time import perf_counter


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
            line = "%s%-18s%s %s  %.1f s" % (self.indent, stage, bar, _count(done, total), elapsed)
            self.stdout.write("\r" + line + "\x1b[K", ending="")  # \x1b[K: clear what a longer line left
            self.stdout.flush()
            self.stage = stage
            return
        tenth = 10 * done // total if total else 10
        if stage == self.stage and tenth == self.tenth:
            return
        self.stage, self.tenth = stage, tenth
        self.stdout.write("%s%-18s %s  %.1f s" % (self.indent, stage, _count(done, total), elapsed))

    def close(self):
        """End the live line on a terminal; returns the seconds since the start."""
        if self.tty and self.stage is not None:
            self.stdout.write("")
        self.stage = None
        return perf_counter() - self.started


def _count(done, total):
    if total and done != total:
        return f"{done:,}/{total:,}"
    return f"{total or done:,}" if (total or done) else ""
