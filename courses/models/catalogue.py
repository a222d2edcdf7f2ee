"""Courses (a snippet under review before it is public) and the competencies each develops."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from tna.infra.formats import localized
from tna.models import Agency, Competency, TopicCategory, TrainingMode
from tna.talent.ladder import LeadershipProgramme

from .providers import Provider


class Route(models.TextChoices):
    """Development routes (jalur) of PerLAN 10/2018: classical KL01–KL12, non-classical NKL01–NKL13
    (docs/domain.md#routes)."""

    KL01 = "KL01", _("KL01 Leadership training")
    KL02 = "KL02", _("KL02 Managerial training")
    KL03 = "KL03", _("KL03 Technical training")
    KL04 = "KL04", _("KL04 Functional training")
    KL05 = "KL05", _("KL05 Socio-cultural training")
    KL06 = "KL06", _("KL06 Seminar or conference")
    KL07 = "KL07", _("KL07 Workshop")
    KL08 = "KL08", _("KL08 Course")
    KL09 = "KL09", _("KL09 Upgrading (penataran)")
    KL10 = "KL10", _("KL10 Technical guidance (bimtek)")
    KL11 = "KL11", _("KL11 Socialisation")
    KL12 = "KL12", _("KL12 Other classical route")
    NKL01 = "NKL01", _("NKL01 Coaching")
    NKL02 = "NKL02", _("NKL02 Mentoring")
    NKL03 = "NKL03", _("NKL03 E-learning")
    NKL04 = "NKL04", _("NKL04 Distance training")
    NKL05 = "NKL05", _("NKL05 Secondment")
    NKL06 = "NKL06", _("NKL06 Outbound learning")
    NKL07 = "NKL07", _("NKL07 Benchmarking")
    NKL08 = "NKL08", _("NKL08 Exchange with private or state enterprises")
    NKL09 = "NKL09", _("NKL09 Self-learning")
    NKL10 = "NKL10", _("NKL10 Community of practice")
    NKL11 = "NKL11", _("NKL11 On-the-job guidance")
    NKL12 = "NKL12", _("NKL12 Internship")
    NKL13 = "NKL13", _("NKL13 Other non-classical route")

    @classmethod
    def is_classical(cls, code):
        return code.startswith("KL")


class CourseQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def live(self):
        """Published courses (the row holds the live version; drafts stay in revisions)."""
        return self.filter(live=True)

    def of_agency(self, agency):
        return self.filter(agency=agency)


class Course(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, index.Indexed, ClusterableModel
):
    """A course in an agency's catalogue. Amounts are whole rupiah; duration is in JP (45 minutes)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="courses", verbose_name=_("agency"))
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="courses", verbose_name=_("provider")
    )
    code = models.SlugField(
        _("code"), max_length=40,
        help_text=_("Short and unique within the agency; it is the course's web address, e.g. excel-data."),
    )
    title = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=TopicCategory.choices)
    route = models.CharField(_("development route"), max_length=5, choices=Route.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=TrainingMode.choices)
    jp = models.PositiveSmallIntegerField(
        _("JP"), validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Lesson hours (jam pelajaran) a participant is credited with."),
    )
    cost_per_participant = models.PositiveBigIntegerField(_("cost per participant (Rp)"), default=0)
    fixed_cost_per_class = models.PositiveBigIntegerField(
        _("fixed cost per class (Rp)"), default=0,
        help_text=_("Room, trainer fees and the like paid once per session, whatever its size."),
    )
    min_participants = models.PositiveSmallIntegerField(_("minimum class size"), default=1)
    max_participants = models.PositiveSmallIntegerField(_("maximum class size"), default=30)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    requires_approval = models.BooleanField(
        _("needs the supervisor's approval"), default=True,
        help_text=_("Untick for open courses (e.g. self-paced e-learning) that anyone may join at once."),
    )
    has_post_test = models.BooleanField(
        _("has a post-test"), default=False,
        help_text=_("Completion then also needs a passing post-test score."),
    )
    leadership_programme = models.CharField(
        _("leadership programme"), max_length=4, choices=LeadershipProgramme.choices, blank=True,
        help_text=_("When this course is (a class of) the national PKP, PKA or PKN: talent plans send "
                    "high-potential staff to it."),
    )
    prerequisite_courses = ParentalManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for", verbose_name=_("courses to finish first"),
    )

    objects = CourseQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [FieldPanel("agency"), FieldPanel("provider"), FieldPanel("code"), FieldPanel("title"),
             FieldPanel("title_en"), FieldPanel("description"), FieldPanel("description_en")],
            heading=_("Course"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("category"), FieldPanel("route"), FieldPanel("mode")]),
             FieldPanel("leadership_programme"),
             FieldRowPanel([FieldPanel("jp"), FieldPanel("min_participants"), FieldPanel("max_participants")]),
             FieldRowPanel([FieldPanel("cost_per_participant"), FieldPanel("fixed_cost_per_class")]),
             FieldRowPanel([FieldPanel("requires_approval"), FieldPanel("has_post_test")])],
            heading=_("Format and cost"),
        ),
        InlinePanel("competency_targets", heading=_("Competencies developed"), label=_("competency"), min_num=1),
        MultiFieldPanel(
            [FieldPanel("prerequisites"), FieldPanel("prerequisite_courses")], heading=_("Prerequisites")
        ),
    ]

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("title_en", boost=3),
        index.SearchField("code", boost=2),
        index.SearchField("description"),
        index.SearchField("description_en"),
        index.AutocompleteField("title"),
        index.FilterField("agency"),
        index.FilterField("live"),
        index.FilterField("category"),
        index.FilterField("mode"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="courses_course_code_unique_per_agency"),
            models.CheckConstraint(condition=models.Q(jp__gte=1), name="courses_course_jp_positive"),
            models.CheckConstraint(condition=models.Q(min_participants__gte=1), name="courses_course_min_size_1"),
            models.CheckConstraint(
                condition=models.Q(min_participants__lte=models.F("max_participants")),
                name="courses_course_min_le_max",
            ),
            models.CheckConstraint(condition=models.Q(category__in=TopicCategory.values), name="courses_course_category_valid"),
            models.CheckConstraint(condition=models.Q(route__in=Route.values), name="courses_course_route_valid"),
            models.CheckConstraint(condition=models.Q(mode__in=TrainingMode.values), name="courses_course_mode_valid"),
        ]

    def __str__(self):
        return "%s – %s" % (self.code, self.display_title)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.min_participants and self.max_participants and self.min_participants > self.max_participants:
            errors["max_participants"] = _("The maximum class size must be at least the minimum.")
        if self.provider_id and self.agency_id and self.provider.agency_id not in (None, self.agency_id):
            errors["provider"] = _("This provider belongs to another agency.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self):
        return localized(self, "title")

    @property
    def display_description(self):
        return localized(self, "description")

    @property
    def is_classical(self):
        return Route.is_classical(self.route)

    def get_preview_template(self, request, mode_name):
        return "courses/course_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["course"] = self
        context["targets"] = list(self.competency_targets.all())
        return context


class CourseCompetency(Orderable):
    """A competency a course develops and the level (1–5) a participant reaches with it."""

    course = ParentalKey(Course, on_delete=models.CASCADE, related_name="competency_targets")
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="course_targets", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(
        _("level reached"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    panels = [FieldPanel("competency"), FieldPanel("level")]

    class Meta(Orderable.Meta):
        verbose_name = _("competency developed")
        verbose_name_plural = _("competencies developed")
        constraints = [
            models.UniqueConstraint(fields=["course", "competency"], name="courses_target_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="courses_target_level_1_5"),
        ]

    def __str__(self):
        return "%s → %s %s" % (self.course.code, self.competency.code, self.level)
