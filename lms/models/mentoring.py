"""Mentoring programmes: who may mentor what, who needs it, the pairs the matcher proposes and HR
fixes, and the pairs' sessions (docs/mentoring.md)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tna.models import Agency, Competency, Employee

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class MentoringProgramme(models.Model):
    """An agency's mentoring programme: the competencies it covers, its period and its rules."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="mentoring_programmes",
                               verbose_name=_("agency"))
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    competencies = models.ManyToManyField(Competency, related_name="+", verbose_name=_("competencies"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    target_jp = models.PositiveSmallIntegerField(_("target JP per pair"), default=10)
    min_mentor_level = models.PositiveSmallIntegerField(
        _("lowest level of a mentor"), default=4, validators=LEVEL_VALIDATORS,
        help_text=_("A mentor's observed level in the competency must be at least this."))
    default_capacity = models.PositiveSmallIntegerField(_("mentees per mentor"), default=2)
    prefer_cross_unit = models.BooleanField(_("prefer pairs across units"), default=True)
    credit_mentor = models.BooleanField(_("credit JP to the mentor too"), default=False)

    class Meta:
        ordering = ["agency", "-starts_on", "code"]
        verbose_name = _("mentoring programme")
        verbose_name_plural = _("mentoring programmes")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="lms_mentoring_programme_code_unique"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="lms_mentoring_programme_ends_after_start"),
            models.CheckConstraint(condition=models.Q(min_mentor_level__gte=1, min_mentor_level__lte=5),
                                   name="lms_mentoring_programme_level_1_5"),
        ]

    def __str__(self):
        return "%s (%s)" % (self.name, self.code)


class MentorOffer(models.Model):
    """A mentor in a programme: the competencies they offer and how many mentees they take at once."""

    class Source(models.TextChoices):
        OPT_IN = "opt_in", _("Opted in")
        NOMINATED = "nominated", _("Nominated by HR")
        IMPORTED = "imported", _("Imported")

    programme = models.ForeignKey(MentoringProgramme, on_delete=models.CASCADE, related_name="mentors",
                                  verbose_name=_("programme"))
    mentor = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="mentor_offers",
                               verbose_name=_("mentor"))
    competencies = models.ManyToManyField(Competency, related_name="+", verbose_name=_("competencies"))
    capacity = models.PositiveSmallIntegerField(_("mentees at once"), default=2)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.OPT_IN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentor"], name="lms_mentor_offer_unique"),
            models.CheckConstraint(condition=models.Q(capacity__lte=50), name="lms_mentor_offer_capacity_50"),
        ]

    def __str__(self):
        return "%s: %s" % (self.programme.code, self.mentor)


class MentoringPair(models.Model):
    """A mentor and a mentee working on one competency in a programme."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED = "ended", _("Ended")
        VETOED = "vetoed", _("Vetoed by HR")

    programme = models.ForeignKey(MentoringProgramme, on_delete=models.CASCADE, related_name="pairs",
                                  verbose_name=_("programme"))
    mentor = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="mentoring_given",
                               verbose_name=_("mentor"))
    mentee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="mentoring_received",
                               verbose_name=_("mentee"))
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("competency"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    locked = models.BooleanField(_("locked by HR"), default=False,
                                 help_text=_("A new matching keeps a locked pair as it is."))
    # The numbers behind the match (lms.mentoring.reasons): gap, priority, the mentor's level …
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "mentor", "mentee"]
        verbose_name = _("mentoring pair")
        verbose_name_plural = _("mentoring pairs")
        constraints = [
            models.UniqueConstraint(fields=["programme", "mentor", "mentee"], name="lms_mentoring_pair_unique"),
            # At most one mentor per mentee and competency at a time (a vetoed or ended pair may stay beside it).
            models.UniqueConstraint(fields=["programme", "mentee", "competency"],
                                    condition=models.Q(status__in=["proposed", "active"]),
                                    name="lms_mentoring_one_mentor_per_need"),
            models.CheckConstraint(condition=~models.Q(mentor=models.F("mentee")), name="lms_mentoring_pair_not_self"),
            models.CheckConstraint(condition=models.Q(status__in=["proposed", "active", "completed", "ended", "vetoed"]),
                                   name="lms_mentoring_pair_status_valid"),
        ]

    def __str__(self):
        return "%s → %s (%s)" % (self.mentor, self.mentee, self.competency_id)
