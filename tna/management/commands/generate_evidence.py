"""``manage.py generate_evidence --cycle YEAR [--agency CODE] --seed S``: a cycle's synthetic evidence."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tna.generate.evidence import generate_evidence
from tna.infra.formats import integer, number, seconds_text
from tna.infra.progress import StageProgress


class Command(BaseCommand):
    help = (
        "Generate a cycle's evidence for the active employees of one agency (or all): competency ratings "
        "from self, supervisor, 2-3 peers and up to 3 subordinates (about 5 raters each), the peer "
        "assignments, SKP appraisals by the supervisor, the training-needs survey of about 60% of staff "
        "and the IKM of each top unit. Creates the cycle (open) if needed. Re-running replaces that "
        "evidence of the cycle and agency; the same seed gives the same evidence."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="Cycle year, e.g. 2026.")
        parser.add_argument("--agency", help="Agency code; default: every agency.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, cycle, agency=None, seed, verbosity=1, **options):
        progress = StageProgress(self.stdout) if verbosity else None
        try:
            counts = generate_evidence(cycle_year=cycle, agency=agency, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = progress.close() if progress else 0
        if verbosity:
            self.stdout.write(self.style.SUCCESS(_(
                "Cycle %(cycle)s%(scope)s: %(employees)s employees, %(ratings)s ratings "
                "(%(raters)s raters per person), %(appraisals)s appraisals, %(survey)s survey answers, "
                "%(ikm)s unit IKM scores, in %(duration)s."
            ) % {
                "cycle": counts["cycle"], "scope": " %s" % agency if agency else "",
                "employees": integer(counts["employees"]), "ratings": integer(counts["ratings"]),
                "raters": number(counts["raters_per_person"]), "appraisals": integer(counts["appraisals"]),
                "survey": integer(counts["survey_responses"]), "ikm": integer(counts["unit_scores"]),
                "duration": seconds_text(seconds),
            }))
