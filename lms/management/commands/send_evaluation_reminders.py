"""``manage.py send_evaluation_reminders [--dry-run]``: e-mail the evaluation reminders due; run it daily."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.services.reminders import evaluation_reminders_send
from tna.infra.formats import integer


class Command(BaseCommand):
    help = ("E-mail attendees who have not rated a course, and learners and supervisors whose follow-up is due; "
            "each at most LATIH_EVALUATION_REMINDERS times, LATIH_EVALUATION_REMINDER_DAYS apart.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count the reminders due, send and record nothing")

    def handle(self, *args, dry_run=False, **options):
        summary = evaluation_reminders_send(dry_run=dry_run)
        counts = {
            "total": integer(summary.total), "reaction": integer(summary.reaction),
            "learners": integer(summary.followup_learner), "supervisors": integer(summary.followup_supervisor),
        }
        if dry_run:
            text = ngettext(
                "Dry run, nothing sent: %(total)s evaluation reminder is due (%(reaction)s to rate a course, "
                "%(learners)s follow-ups to learners, %(supervisors)s to supervisors).",
                "Dry run, nothing sent: %(total)s evaluation reminders are due (%(reaction)s to rate a course, "
                "%(learners)s follow-ups to learners, %(supervisors)s to supervisors).",
                summary.total,
            ) % counts
        elif summary.sent:
            text = _("Evaluation reminders sent: %(total)s (%(reaction)s to rate a course, %(learners)s follow-ups "
                     "to learners, %(supervisors)s to supervisors).") % counts
        else:
            text = ngettext(
                "E-mail notifications are off (LATIH_EMAIL_NOTIFICATIONS), nothing sent: %(total)s evaluation "
                "reminder is due.",
                "E-mail notifications are off (LATIH_EMAIL_NOTIFICATIONS), nothing sent: %(total)s evaluation "
                "reminders are due.",
                summary.total,
            ) % counts
        self.stdout.write(self.style.SUCCESS(text) if summary.sent else text)
