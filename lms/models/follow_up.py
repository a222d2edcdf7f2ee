"""Behaviour follow-up some months after completion (Kirkpatrick level 3), and the reminders sent about
evaluations, so that nobody is asked more often than ``LATIH_EVALUATION_REMINDERS`` times."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enrollment import Enrollment
from .evaluation import SCORE


class Respondent(models.TextChoices):
    LEARNER = "learner", _("learner")
    SUPERVISOR = "supervisor", _("supervisor")


class FollowUp(models.Model):
    """How much of a completed course the learner uses at work (1–5), as the learner or their direct
    supervisor answered ``LATIH_FOLLOW_UP_DAYS`` after completion, with an example.

    A supervisor's answer is shown to HR only in aggregate; the learner never sees it.
    """

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="follow_ups")
    respondent = models.CharField(_("answered as"), max_length=10, choices=Respondent.choices)
    score = models.PositiveSmallIntegerField(_("used at work"), validators=SCORE)
    example = models.TextField(_("example"), blank=True)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("training follow-up")
        verbose_name_plural = _("training follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "respondent"], name="lms_follow_up_once"),
            models.CheckConstraint(condition=models.Q(score__range=(1, 5)), name="lms_follow_up_score_1_5"),
            models.CheckConstraint(condition=models.Q(respondent__in=Respondent.values),
                                   name="lms_follow_up_respondent_valid"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} {self.respondent}: {self.score}/5"


class ReminderKind(models.TextChoices):
    REACTION = "reaction", _("rate the course")
    FOLLOW_UP_LEARNER = "followup_learner", _("follow-up, learner")
    FOLLOW_UP_SUPERVISOR = "followup_supervisor", _("follow-up, supervisor")


class EvaluationReminder(models.Model):
    """One e-mail asking about an enrollment: to rate the course, or to answer its follow-up."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="evaluation_reminders")
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation reminder")
        verbose_name_plural = _("evaluation reminders")
        indexes = [models.Index(fields=["enrollment", "kind"], name="lms_eval_reminder_enrollment")]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=ReminderKind.values), name="lms_eval_reminder_kind_valid"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} {self.kind} {self.sent_at:%Y-%m-%d}"
