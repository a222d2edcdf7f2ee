"""What training changed: each course's measured effect on observed level, per training year."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course


class CourseEffect(models.Model):
    """A course's effect on the observed level of the competencies it targets (Kirkpatrick level 3).

    Written by ``lms.services.impact.evaluate_training`` for the staff who completed the course in
    ``year``: the change of their observed level (ratings only, training evidence taken out)
    between the cycle of that year and the next, against comparable untrained colleagues —
    a difference in differences (``lms.impact.did``). ``shrunk`` pulls the estimate toward
    ``prior`` (what the catalogue promised those participants) by the evidence behind it;
    ``realised`` = shrunk ÷ prior is what the recommender and the budget optimiser multiply the
    assumed closure by. A re-run of a year replaces its rows.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="effects", verbose_name=_("course"))
    year = models.PositiveSmallIntegerField(_("training year"))
    estimate = models.FloatField(_("estimated effect (levels)"), null=True, blank=True)
    low = models.FloatField(_("interval, lower bound"), null=True, blank=True)
    high = models.FloatField(_("interval, upper bound"), null=True, blank=True)
    n_treated = models.PositiveIntegerField(_("trained staff"), default=0)
    n_control = models.PositiveIntegerField(_("comparable untrained staff"), default=0)
    enough = models.BooleanField(_("enough evidence"), default=False)
    reason = models.CharField(_("why not enough"), max_length=30, blank=True)
    prior = models.FloatField(_("expected effect (levels)"))
    shrunk = models.FloatField(_("effect used (levels)"))
    realised = models.FloatField(_("share of the expected effect realised"))
    near_zero = models.BooleanField(_("credibly near zero"), default=False)
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        ordering = ["course", "-year"]
        verbose_name = _("course effect")
        verbose_name_plural = _("course effects")
        constraints = [models.UniqueConstraint(fields=["course", "year"], name="lms_course_effect_unique")]

    def __str__(self):
        return f"{self.course_id} {self.year}: {self.shrunk:+.2f}"
