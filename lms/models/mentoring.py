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
    # The level the pair works towards: the mentee's required level, never above the mentor's own.
    goal_level = models.PositiveSmallIntegerField(_("goal level"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    # Set when the pair closes: whether its goal was met (completed) or not (ended).
    goal_met = models.BooleanField(_("goal met"), null=True, blank=True)
    # HR's word when it ends a pair early (``pair_end``): shown to HR, not to the pair nor the API.
    end_reason = models.CharField(_("why it ended"), max_length=500, blank=True)
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

    def get_additional_data(self):
        """The agency this record belongs to, kept with each audit-trail entry so HR sees their own."""
        return {"agency": self.programme.agency_id}


class MentoringApplication(models.Model):
    """A member of staff asking a programme for a mentor in one competency, whatever the TNA says."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a mentor")
        MATCHED = "matched", _("Matched")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    programme = models.ForeignKey(MentoringProgramme, on_delete=models.CASCADE, related_name="applications",
                                  verbose_name=_("programme"))
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="mentoring_applications",
                                 verbose_name=_("applicant"))
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("competency"))
    note = models.TextField(_("what I want to learn"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "-created_at"]
        verbose_name = _("mentoring application")
        verbose_name_plural = _("mentoring applications")
        constraints = [
            models.UniqueConstraint(fields=["programme", "employee", "competency"],
                                    name="lms_mentoring_application_unique"),
        ]

    def __str__(self):
        return "%s: %s (%s)" % (self.programme.code, self.employee_id, self.competency_id)


class MentoringSession(models.Model):
    """A meeting of a pair: planned in both people's free working time, then logged and confirmed by both.

    Each side keeps private notes the other never sees. A session counts towards JP only once both
    have confirmed it (``confirmed``); the minutes counted are ``minutes`` as logged.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="sessions",
                             verbose_name=_("pair"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    # As logged after the meeting (the planned length until then).
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), validators=[MinValueValidator(5),
                                                                                    MaxValueValidator(480)])
    mentor_notes = models.TextField(_("mentor's private notes"), blank=True, max_length=5000)
    mentee_notes = models.TextField(_("mentee's private notes"), blank=True, max_length=5000)
    mentor_confirmed_at = models.DateTimeField(_("confirmed by the mentor"), null=True, blank=True)
    mentee_confirmed_at = models.DateTimeField(_("confirmed by the mentee"), null=True, blank=True)
    # RFC 5545 SEQUENCE of the invitation: raised on every change sent to calendars.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pair", "starts_at"]
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        indexes = [models.Index(fields=["starts_at"], name="lms_mentoring_session_start")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="lms_mentoring_session_ends_after_start"),
            models.CheckConstraint(condition=models.Q(status__in=["planned", "held", "cancelled"]),
                                   name="lms_mentoring_session_status_valid"),
        ]

    def __str__(self):
        return "%s %s" % (self.pair_id, self.starts_at)

    @property
    def confirmed(self):
        return (self.status == self.Status.HELD and self.mentor_confirmed_at is not None
                and self.mentee_confirmed_at is not None)


class PairFeedback(models.Model):
    """One side's closing word on a pair: how useful it was, whether the goal was met, and (the
    mentor's) the level the mentee reached."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    pair = models.ForeignKey(MentoringPair, on_delete=models.CASCADE, related_name="feedback",
                             verbose_name=_("pair"))
    role = models.CharField(_("from"), max_length=6, choices=Role.choices)
    usefulness = models.PositiveSmallIntegerField(_("how useful (1–5)"), validators=LEVEL_VALIDATORS)
    goal_met = models.BooleanField(_("goal met"))
    # The mentor's judgement of the mentee's level now (what completed mentoring gives as evidence).
    level_reached = models.PositiveSmallIntegerField(_("level reached"), null=True, blank=True,
                                                     validators=LEVEL_VALIDATORS)
    comment = models.TextField(_("comment"), blank=True, max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pair", "role"]
        verbose_name = _("closing feedback")
        verbose_name_plural = _("closing feedback")
        constraints = [
            models.UniqueConstraint(fields=["pair", "role"], name="lms_pair_feedback_once_per_side"),
            models.CheckConstraint(condition=models.Q(usefulness__gte=1, usefulness__lte=5),
                                   name="lms_pair_feedback_usefulness_1_5"),
            models.CheckConstraint(condition=models.Q(level_reached__isnull=True)
                                   | models.Q(level_reached__gte=1, level_reached__lte=5),
                                   name="lms_pair_feedback_level_1_5"),
        ]

    def __str__(self):
        return "%s %s" % (self.pair_id, self.role)


class CoachingConversation(models.Model):
    """A supervisor's coaching conversation with a member of their team (route NKL01).

    The competencies discussed are rated 1–5 (``ratings``); the TNA reads them as evidence with
    weight ``LATIH_COACHING_EVIDENCE_WEIGHT`` (docs/tna-method.md).
    """

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="coaching_received",
                                 verbose_name=_("coached"))
    coach = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="coaching_given",
                              verbose_name=_("coach"))
    held_on = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), validators=[MinValueValidator(5),
                                                                                    MaxValueValidator(480)])
    topic = models.CharField(_("topic"), max_length=200)
    # Shared with the person coached: what was agreed.
    agreed_actions = models.TextField(_("agreed actions"), blank=True, max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("coaching conversation")
        verbose_name_plural = _("coaching conversations")
        indexes = [models.Index(fields=["employee", "held_on"], name="lms_coaching_employee_date")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(coach=models.F("employee")), name="lms_coaching_not_self"),
        ]

    def __str__(self):
        return "%s → %s %s" % (self.coach_id, self.employee_id, self.held_on)

    def get_additional_data(self):
        return {"agency": self.employee.agency_id}


class CoachingRating(models.Model):
    """A competency discussed in a coaching conversation and the level the coach sees (1–5)."""

    conversation = models.ForeignKey(CoachingConversation, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("competency"))
    level = models.PositiveSmallIntegerField(_("level"), validators=LEVEL_VALIDATORS)

    class Meta:
        ordering = ["conversation", "competency"]
        verbose_name = _("coaching rating")
        verbose_name_plural = _("coaching ratings")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "competency"], name="lms_coaching_rating_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="lms_coaching_level_1_5"),
        ]

    def __str__(self):
        return "%s %s=%s" % (self.conversation_id, self.competency_id, self.level)

    def get_additional_data(self):
        return {"agency": self.conversation.employee.agency_id}
