"""Evaluation reminders: attendees asked to rate a course, learners and supervisors asked for the
follow-up, each at most ``LATIH_EVALUATION_REMINDERS`` times and ``LATIH_EVALUATION_REMINDER_DAYS``
apart. Every e-mail is recorded as an ``EvaluationReminder``, which is what keeps the next run quiet.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ..conf import settings
from ..models.follow_up import EvaluationReminder, ReminderKind
from ..notify import send_evaluation_reminders
from ..selectors.evaluation import reminders_due


@dataclass
class ReminderSummary:
    """How many reminders of each kind went out (or would have, on a dry run)."""

    reaction: int = 0
    followup_learner: int = 0
    followup_supervisor: int = 0
    sent: bool = True  # False on a dry run or with e-mail notifications off

    @property
    def total(self):
        return self.reaction + self.followup_learner + self.followup_supervisor

    def as_dict(self):
        return {"reaction": self.reaction, "followup_learner": self.followup_learner,
                "followup_supervisor": self.followup_supervisor, "total": self.total, "sent": self.sent}


def evaluation_reminders_send(*, now=None, dry_run=False) -> ReminderSummary:
    """E-mail every reminder due at ``now`` and record each; returns the counts per kind.

    With ``dry_run`` (or ``LATIH_EMAIL_NOTIFICATIONS`` off) nothing is sent or recorded and the
    counts say what would have gone out.
    """
    now = now or timezone.now()
    due = [(enrollment, kind) for kind in ReminderKind.values for enrollment in reminders_due(kind, now)]
    summary = ReminderSummary(sent=not dry_run and settings.EMAIL_NOTIFICATIONS)
    for _enrollment, kind in due:
        setattr(summary, kind, getattr(summary, kind) + 1)
    if not summary.sent or not due:
        return summary
    with transaction.atomic():
        EvaluationReminder.objects.bulk_create(
            EvaluationReminder(enrollment=enrollment, kind=kind, sent_at=now) for enrollment, kind in due
        )
    send_evaluation_reminders(due)
    return summary
