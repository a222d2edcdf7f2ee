"""``manage.py evaluate_training --year YEAR [--agency CODE] [--format json] [--queue]``: what each course of a year changed.

``--queue`` leaves the measuring to a background worker (``lms.tasks.evaluate_training_task``).
"""

import json
from time import perf_counter

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.services.impact import evaluate_training
from lms.tasks import evaluate_training_task
from tna.infra.commands import cycle_and_agency
from tna.infra.formats import integer, number, seconds_text


class Command(BaseCommand):
    help = ("Measure each course's effect on the observed level of the competencies it targets, for the staff who "
            "completed it in a year, against comparable untrained staff (cycles YEAR and YEAR + 1), and store it.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Training year, e.g. 2025 (cycles 2025 and 2026).")
        parser.add_argument("--agency", help="Agency code: only its courses, measured on its own staff.")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json prints one object per course and a summary.")
        parser.add_argument("--queue", action="store_true", help="Queue it for the background workers and return.")

    def handle(self, *args, year, agency=None, format="text", queue=False, **options):
        _cycle, agency_obj = cycle_and_agency(year, agency)
        if queue:
            result = evaluate_training_task.enqueue(year, agency_obj.code if agency_obj else "")
            self.stdout.write(self.style.SUCCESS(
                _("Training of %(year)s: measuring queued as task %(task)s (%(status)s).")
                % {"year": year, "task": result.id, "status": result.status}))
            return
        started = perf_counter()
        try:
            summary = evaluate_training(year=year, agency=agency_obj)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if format == "json":
            self.stdout.write(json.dumps({
                "year": year, "courses": summary.courses, "enough": summary.enough, "near_zero": summary.near_zero,
                "effects": [{
                    "course": effect.course.code, "agency": effect.course.agency.code, "estimate": effect.estimate,
                    "low": effect.low, "high": effect.high, "n_treated": effect.n_treated,
                    "n_control": effect.n_control, "enough": effect.enough, "reason": effect.reason or None,
                    "prior": round(effect.prior, 4), "shrunk": round(effect.shrunk, 4),
                    "realised": round(effect.realised, 4), "near_zero": effect.near_zero,
                } for effect in summary.effects],
            }, indent=2))
            return
        for effect in summary.effects:
            if effect.enough:
                line = _("%(course)s: %(estimate)s levels [%(low)s; %(high)s], %(trained)s trained against "
                         "%(controls)s untrained; used %(shrunk)s.")
            else:
                line = _("%(course)s: not enough evidence (%(trained)s trained, %(controls)s untrained); "
                         "used %(shrunk)s, close to the expected %(prior)s.")
            self.stdout.write(line % {
                "course": effect.course.code, "estimate": _signed(effect.estimate), "low": _signed(effect.low),
                "high": _signed(effect.high), "trained": integer(effect.n_treated),
                "controls": integer(effect.n_control), "shrunk": _signed(effect.shrunk), "prior": number(effect.prior, 2),
            })
        self.stdout.write(self.style.SUCCESS(
            ngettext("Training of %(year)s: %(courses)s course measured, %(enough)s with enough evidence, "
                     "%(near_zero)s credibly near zero; %(duration)s.",
                     "Training of %(year)s: %(courses)s courses measured, %(enough)s with enough evidence, "
                     "%(near_zero)s credibly near zero; %(duration)s.", summary.courses) % {
                "year": year, "courses": integer(summary.courses), "enough": integer(summary.enough),
                "near_zero": integer(summary.near_zero), "duration": seconds_text(perf_counter() - started)}))


def _signed(value):
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + number(value, 2)
