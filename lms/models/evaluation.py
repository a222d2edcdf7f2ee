"""Post-training reaction survey, one per attended enrollment, with each agency's own extra questions,
and the pre-test score."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tna.models import Agency

from .enrollment import Enrollment

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Evaluation(models.Model):
    """How a participant who attended rated the course afterwards (reaction, 1–5 each)."""

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="evaluation")
    relevance = models.PositiveSmallIntegerField(_("relevant to my work"), validators=SCORE)
    trainer = models.PositiveSmallIntegerField(_("trainer quality"), validators=SCORE)
    organisation = models.PositiveSmallIntegerField(_("organisation"), validators=SCORE)
    overall = models.PositiveSmallIntegerField(_("overall"), validators=SCORE)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("course evaluation")
        verbose_name_plural = _("course evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relevance__range=(1, 5), trainer__range=(1, 5), organisation__range=(1, 5),
                                   overall__range=(1, 5)),
                name="lms_evaluation_scores_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment_id}: {self.overall}/5"


class ReactionQuestion(models.Model):
    """A 1–5 question an agency adds to the four every evaluation asks, for the courses it runs.

    Once answered a question cannot be deleted (its answers would go with it): turn it off instead.
    """

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="reaction_questions",
                               verbose_name=_("agency"))
    text = models.CharField(_("question"), max_length=300,
                            help_text=_("Answered from 1 (poor) to 5 (excellent), e.g. \"The materials were up to date\"."))
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0,
                                                  help_text=_("Lower numbers come first, after the four standard questions."))
    active = models.BooleanField(_("asked"), default=True,
                                 help_text=_("Turn off to stop asking it; answers already given are kept."))

    class Meta:
        ordering = ["agency", "sort_order", "pk"]
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")

    def __str__(self):
        return self.text


class ReactionAnswer(models.Model):
    """A participant's score (1–5) on one of the agency's extra questions, part of their evaluation."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ReactionQuestion, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), validators=SCORE)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "question"], name="lms_reaction_answer_unique"),
            models.CheckConstraint(condition=models.Q(score__range=(1, 5)), name="lms_reaction_answer_1_5"),
        ]

    def __str__(self):
        return f"{self.evaluation_id} q{self.question_id}: {self.score}/5"


class PreTest(models.Model):
    """A participant's pre-test score (0–100), recorded by the training admin before the course.

    The post-test score sits on the enrollment because completion depends on it; the two together
    show what was learnt.
    """

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="pre_test")
    score = models.PositiveSmallIntegerField(_("pre-test score"))
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = _("pre-test score")
        verbose_name_plural = _("pre-test scores")
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=100), name="lms_pre_test_0_100"),
        ]

    def __str__(self):
        return f"{self.enrollment_id}: {self.score}"
