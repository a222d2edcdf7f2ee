"""``manage.py close_mentoring_pairs [--date YYYY-MM-DD]``: close the active mentoring pairs whose programme has
ended; run it daily (docs/mentoring.md#closing-a-pair)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.services.mentoring_people import pairs_close_expired
from tna.infra.formats import integer


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("%(value)s is not a date (YYYY-MM-DD).") % {"value": value}) from None


class Command(BaseCommand):
    help = ("Close the active mentoring pairs whose programme ended before today: completed where both sides said "
            "the goal was met, ended otherwise.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="close as on this day (YYYY-MM-DD) instead of each agency's today")

    def handle(self, *args, date=None, **options):
        summary = pairs_close_expired(today=_date(date) if date else None)
        self.stdout.write(_("Mentoring pairs closed: %(completed)s completed, %(ended)s ended.") % {
            "completed": integer(summary.completed), "ended": integer(summary.ended)})
