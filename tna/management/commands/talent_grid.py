"""``manage.py talent_grid --cycle YEAR --agency CODE [--format json]``: the 9-box of an agency for a cycle.

Text: the people per box as a 3 × 3 grid, who was not placed and why, and the duration. JSON: an
array of one object per person placed on stdout (docs/talent.md#the-command), the summary on stderr.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tna.infra.commands import cycle_and_agency
from tna.infra.formats import integer, seconds_text
from tna.infra.progress import RunProgress
from tna.models import CompetencyGap
from tna.services.talent import STAGES, talent_grid_run
from tna.services.tna_run import run_tna
from tna.talent.boxes import BOX, Performance, Potential
from tna.talent.grid import UNPLACED_REASONS
from tna.talent.selectors import placements_of

JSON_FIELDS = ("nip", "name", "box", "performance", "potential", "computed_box", "calibrated", "unit", "job_type",
               "reason")


class Progress(RunProgress):
    stages = STAGES


class Command(BaseCommand):
    help = "Place an agency's staff in the 9-box of performance and potential for a cycle, keeping calibration moves."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", required=True, help="Agency code.")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json: an array of one object per person placed on stdout, the summary on stderr.")

    def handle(self, *args, cycle, agency, format="text", **options):
        cycle_obj, agency_obj = cycle_and_agency(cycle, agency)
        as_json = format == "json"
        out = self.stderr if as_json else self.stdout
        if not CompetencyGap.objects.filter(cycle=cycle_obj, agency=agency_obj).exists():
            # Potential is read from the gap analysis: a first look runs it rather than stopping.
            out.write(_("Cycle %(year)s has no gap analysis for %(agency)s yet: running it first.") % {
                "year": cycle_obj.year, "agency": agency_obj.code})
            run = run_tna(cycle=cycle_obj, agency=agency_obj)
            if run.status != run.Status.SUCCEEDED:
                raise CommandError(_("The gap analysis failed: %(error)s") % {"error": run.error})
        progress = Progress(out, bar=out.isatty())
        try:
            summary = talent_grid_run(cycle=cycle_obj, agency=agency_obj, progress=progress)
        except ValidationError as exc:
            progress.finish_line()
            raise CommandError(" ".join(exc.messages)) from exc
        except Exception as exc:
            progress.finish_line()
            raise CommandError(
                _("The talent grid failed; the earlier placements are unchanged: %(error)s") % {"error": exc}
            ) from exc
        progress.finish_line()
        if as_json:
            self.stdout.write(json.dumps(placement_records(cycle_obj, agency_obj), ensure_ascii=False))
        for line in summary_lines(summary, cycle_obj, agency_obj):
            out.write(line)


def placement_records(cycle, agency):
    """One JSON-able dict per placement of ``cycle`` in ``agency``, with ``JSON_FIELDS``."""
    rows = placements_of(cycle, agency).values_list(
        "employee__nip", "employee__name", "box", "performance", "potential", "computed_box", "unit__code",
        "job_type", "reason",
    )
    return [
        {"nip": nip, "name": name, "box": box, "performance": performance, "potential": potential,
         "computed_box": computed, "calibrated": box != computed, "unit": unit, "job_type": job_type,
         "reason": reason}
        for nip, name, box, performance, potential, computed, unit, job_type, reason in rows
    ]


def summary_lines(summary, cycle, agency):
    """The text summary of a run: a headline, the grid of counts, who was not placed, moves kept."""
    timings = ", ".join("%s %s" % (stage, seconds_text(seconds)) for stage, seconds in summary.timings.items())
    lines = [ngettext("9-box %(year)s %(agency)s: %(placed)s person placed, %(duration)s (%(timings)s).",
                      "9-box %(year)s %(agency)s: %(placed)s people placed, %(duration)s (%(timings)s).",
                      summary.placed) % {
        "year": cycle.year, "agency": agency.code, "placed": integer(summary.placed),
        "duration": seconds_text(summary.seconds), "timings": timings,
    }, ""]
    lines += grid_lines(summary.boxes)
    lines.append("")
    missing = [(code, count) for code, count in summary.unplaced.items() if count]
    if not missing:
        lines.append(_("Not placed: nobody."))
    for code, count in missing:
        lines.append(_("Not placed: %(count)s, %(reason)s.") % {"count": integer(count), "reason": UNPLACED_REASONS[code]})
    lines.append(_("Calibration moves kept: %(count)s.") % {"count": integer(summary.calibrated_kept)})
    return lines


def grid_lines(boxes):
    """People per box as a 3 × 3 grid: performance down (above on top), potential across."""
    rows = [(str(label), [("[%d] %s" % (BOX[(value, pot)], integer(boxes.get(BOX[(value, pot)], 0))))
                          for pot in Potential.values])
            for value, label in reversed(Performance.choices)]
    head = [_("Performance ↓ / potential →"), [str(label) for label in Potential.labels]]
    first = max(len(head[0]), *(len(label) for label, _cells in rows)) + 2
    width = max(len(text) for text in [*head[1], *(cell for _label, cells in rows for cell in cells)]) + 3
    return ["".join([label.ljust(first), *(cell.ljust(width) for cell in cells)]).rstrip()
            for label, cells in [head, *rows]]
