"""``manage.py match_mentors --agency CODE [--programme CODE|ID] [--cycle YEAR] [--format json]``: propose mentors.

Matches each programme (``lms.services.mentor_matching.match_programme``): without ``--programme``,
every programme of the agency whose period includes today, or, when none is current, all of the
agency's programmes. Text: per programme the counts and the coverage beside the greedy
baseline's. JSON: one object on stdout, ``{"pairs": [...], "summary": {...}, "programmes": [...]}``
(docs/mentoring.md#the-command).
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from tna.infra.commands import cycle_and_agency
from tna.models import Agency

from ...models.mentoring import MentoringProgramme
from ...services.mentor_matching import MatchingViolation, match_programme

SUMMED = ("pairs", "needs", "mentors", "infeasible_locks")


def agency_of(code):
    """The Agency of ``code``, or a CommandError."""
    try:
        return Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        raise CommandError(_("There is no agency with code %(code)s.") % {"code": code}) from None


def programmes_of(agency, programme=None, today=None):
    """The programmes to match: the one named (code or numeric id), else the current ones, else all."""
    programmes = MentoringProgramme.objects.filter(agency=agency).select_related("agency")
    if programme:
        found = programmes.filter(code=programme).first()
        if found is None and str(programme).isdigit():
            found = programmes.filter(pk=int(programme)).first()
        if found is None:
            raise CommandError(_("There is no mentoring programme %(programme)s in %(agency)s.") % {
                "programme": programme, "agency": agency.code})
        return [found]
    today = today or timezone.localdate()
    current = list(programmes.filter(starts_on__lte=today, ends_on__gte=today).order_by("code"))
    return current or list(programmes.order_by("code"))


class Command(BaseCommand):
    help = "Propose mentors for an agency's mentoring programmes from the latest TNA results."

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Agency code.")
        parser.add_argument("--programme", help="Programme code (or id). Default: the programmes running today, "
                                                "or all of the agency's when none is.")
        parser.add_argument("--cycle", type=int, help="Cycle year. Default: the latest cycle with TNA results.")
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="json: one object with the pairs and the summary on stdout.")

    def handle(self, *args, agency, programme=None, cycle=None, format="text", **options):
        if cycle is not None:
            cycle_obj, agency_obj = cycle_and_agency(cycle, agency)
        else:
            cycle_obj, agency_obj = None, agency_of(agency)
        programmes = programmes_of(agency_obj, programme)
        if not programmes:
            raise CommandError(_("%(agency)s has no mentoring programme.") % {"agency": agency_obj.code})
        summaries = []
        for item in programmes:
            try:
                summaries.append(match_programme(programme=item, cycle=cycle_obj))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            except MatchingViolation as exc:
                raise CommandError(_("The matching of %(programme)s broke a rule; nothing was written: %(error)s") % {
                    "programme": item.code, "error": exc}) from exc
        if format == "json":
            self.stdout.write(json.dumps(json_document(summaries), ensure_ascii=False))
            return
        for summary in summaries:
            for line in summary_lines(summary):
                self.stdout.write(line)


def json_document(summaries):
    """The command's JSON: every programme's pairs, the summed summary and the per-programme summaries."""
    total = {"covered": round(sum(s.covered for s in summaries), 6),
             "greedy_covered": round(sum(s.greedy_covered for s in summaries), 6),
             **{name: sum(getattr(s, name) for s in summaries) for name in SUMMED}, "violations": 0}
    return {"pairs": [row for s in summaries for row in s.rows], "summary": total,
            "programmes": [s.as_dict() for s in summaries]}


def summary_lines(summary):
    """The text of one programme's run."""
    lines = [_("%(programme)s (cycle %(year)s): %(pairs)d pairs for %(needs)d needs from %(mentors)d mentors, "
               "%(seconds).1f s.") % {
        "programme": summary.programme.code, "year": getattr(summary.cycle, "year", "-"), "pairs": summary.pairs,
        "needs": summary.needs, "mentors": summary.mentors, "seconds": summary.seconds},
        _("Covered %(covered).2f of priority-weighted gap; the greedy baseline %(greedy).2f.") % {
        "covered": summary.covered, "greedy": summary.greedy_covered}]
    if summary.infeasible_locks:
        lines.append(_("Locks not honoured: %(count)d.") % {"count": summary.infeasible_locks})
        for lock in summary.locks_refused:
            lines.append("  %s → %s (%s): %s" % (lock["mentor_nip"], lock["mentee_nip"], lock["competency"],
                                                lock["reason"]))
    return lines
