"""Create the demo catalogue (providers, courses, sessions over six months) for every agency."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from tna.models import Agency

from ...demo import generate_catalogue
from ...signals import catalogue_generated


class Command(BaseCommand):
    help = "Create a demo catalogue for each agency (or --agency CODE); agencies with courses are skipped."

    def add_arguments(self, parser):
        parser.add_argument("--agency", action="append", help="Agency code (repeatable); default: all agencies.")
        parser.add_argument("--today", type=datetime.date.fromisoformat, help="Date to schedule from (YYYY-MM-DD).")

    def handle(self, *args, agency=None, today=None, verbosity=1, **options):
        agencies = Agency.objects.order_by("code")
        if agency:
            agencies = agencies.filter(code__in=agency)
            missing = set(agency) - set(agencies.values_list("code", flat=True))
            if missing:
                raise CommandError("Unknown agency: %s" % ", ".join(sorted(missing)))
        agencies = list(agencies)
        if not agencies:
            raise CommandError("No agency yet: load the seed regions (loaddata seed_regions) or import_org first.")

        def progress(agency, counts):
            if verbosity:
                self.stdout.write("  %s: %d courses, %d sessions" % (agency.code, *counts))

        try:
            results = generate_catalogue(agencies=agencies, today=today, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for code, counts in results.items():
            if counts is None and verbosity:
                self.stdout.write("  %s: already has a catalogue, left as it is" % code)
        catalogue_generated.send(sender=self.__class__, agencies=agencies)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Catalogue ready for %d agencies." % len(agencies)))
