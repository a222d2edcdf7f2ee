"""Courses recommended to an employee for a cycle's gaps, with the reason."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from tna.models import Competency, Cycle, Employee


class RecommendationStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class Recommendation(models.Model):
    """One course suggested to one employee in a cycle; ``rank`` 1 is the best fit."""

    # No index of its own on the cycle, nor on (cycle, employee): the unique constraint's
    # (cycle, employee, course) serves both, and every index is paid for on each run's write.
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="recommendations", db_index=False)
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="recommendations")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="recommendations")
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        help_text=_("The gap this course mainly closes; empty for a top-up towards the 20 JP."),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    expected_closure = models.FloatField(_("expected gap closure (levels)"), default=0)
    in_plan = models.BooleanField(_("in the year's plan"), default=False,
                                  help_text=_("Chosen to reach the yearly JP minimum."))
    status = models.CharField(_("status"), max_length=10, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.SUGGESTED)
    reason = models.JSONField(_("reason"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "rank"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee", "course"], name="lms_recommendation_unique"),
            models.CheckConstraint(condition=models.Q(rank__gte=1), name="lms_recommendation_rank_positive"),
        ]

    def __str__(self):
        return "%s → %s (#%s)" % (self.employee_id, self.course_id, self.rank)
