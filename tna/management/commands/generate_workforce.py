"""``manage.py generate_workforce --agency CODE --employees N --seed S``: realistic staff, written in bulk."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tna.generate.workforce import generate_workforce
from tna.infra.formats import integer, seconds_text
from tna.infra.progress import StageProgress
from tna.models import Agency, Employee


class Command(BaseCommand):
    help = (
        "Generate realistic staff for an agency whose units and positions exist: valid unique NIPs, "
        "grades that fit each job level, supervisor chains from the unit heads down, and a user per person "
        "(username = NIP, unusable password, group asn; leaders also in supervisor). The same seed gives "
        "the same people on an empty agency. An agency that already has employees is refused, so re-running "
        "changes nothing; with --add, N more people are added as a further staffing of its units (heads "
        "included) with fresh NIPs and other names."
    )

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="Agency code, e.g. lampung-selatan.")
        parser.add_argument("--employees", type=int, required=True, help="How many people to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--add", action="store_true", help="Add to an agency that already has employees instead of refusing."
        )

    def handle(self, *args, agency, employees, seed, add, verbosity=1, **options):
        if employees < 1:
            raise CommandError(_("--employees must be at least 1."))
        try:
            agency_obj = Agency.objects.get(code=agency)
        except Agency.DoesNotExist:
            raise CommandError(_("There is no agency with code %(code)s.") % {"code": agency}) from None
        existing = Employee.objects.filter(agency=agency_obj).count()
        if existing and not add:
            raise CommandError(_(
                "%(agency)s already has %(count)s employees; nothing was generated. "
                "Pass --add to add %(employees)s more with fresh NIPs."
            ) % {"agency": agency_obj.code, "count": integer(existing), "employees": integer(employees)})
        progress = StageProgress(self.stdout) if verbosity else None
        try:
            created = generate_workforce(agency=agency_obj, employees=employees, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        seconds = progress.close() if progress else 0
        if verbosity:
            self.stdout.write(self.style.SUCCESS(
                _("%(agency)s: %(created)s employees generated in %(duration)s (%(total)s in the agency).") % {
                    "agency": agency_obj.code, "created": integer(created), "duration": seconds_text(seconds),
                    "total": integer(existing + created),
                }
            ))
