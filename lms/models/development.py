"""Each person's development plan: the items their talent box (and later other sources) gives them."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from tna.models import Competency, Cycle, Employee
from tna.talent.boxes import DevelopmentAction


class DevelopmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class DevelopmentSource(models.TextChoices):
    TALENT = "talent", _("Talent review")
    SUPERVISOR = "supervisor", _("Supervisor")


class DevelopmentItem(models.Model):
    """One action in a person's development plan for a cycle, e.g. leadership training or coaching."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="development_items",
                              verbose_name=_("cycle"))
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="development_items",
                                 verbose_name=_("employee"))
    action = models.CharField(_("action"), max_length=30, choices=DevelopmentAction.choices)
    source = models.CharField(_("source"), max_length=12, choices=DevelopmentSource.choices,
                              default=DevelopmentSource.TALENT)
    # The box that asked for it (kept so the plan explains itself even after a new placement).
    box = models.PositiveSmallIntegerField(_("box"), null=True, blank=True)
    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("course"))
    competency = models.ForeignKey(Competency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                   verbose_name=_("competency"))
    priority = models.PositiveSmallIntegerField(_("priority"), default=0, validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=12, choices=DevelopmentStatus.choices,
                              default=DevelopmentStatus.PLANNED)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "action"]
        verbose_name = _("development item")
        verbose_name_plural = _("development items")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "employee", "action"], name="lms_development_item_unique"),
            models.CheckConstraint(condition=models.Q(action__in=DevelopmentAction.values),
                                   name="lms_development_action_valid"),
            models.CheckConstraint(condition=models.Q(status__in=DevelopmentStatus.values),
                                   name="lms_development_status_valid"),
            models.CheckConstraint(condition=models.Q(priority__lte=100), name="lms_development_priority_0_100"),
            models.CheckConstraint(condition=models.Q(box__isnull=True) | models.Q(box__gte=1, box__lte=9),
                                   name="lms_development_box_1_9"),
        ]

    def __str__(self):
        return "%s %s: %s" % (self.cycle_id, self.employee, self.get_action_display())
