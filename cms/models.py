"""Page models of the Latih site: home, an agency's training catalogue, career information."""

import datetime
import hashlib
import secrets
from zoneinfo import ZoneInfo

from django.db import models
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction

from tna.infra.formats import localized
from tna.models import Agency, Competency, TopicCategory, TrainingMode
from tna.roles import employee_of

from .page_permissions import AgencyPageMixin

# A catalogue's rendered list is keyed by what it shows (CataloguePage.catalogue) and by this token,
# drawn once per start of the site: a new release, whose templates or translations may differ, is a
# restart (docs/deploy.md), so it never serves a fragment rendered by the old code.
RENDERING = secrets.token_hex(8)
CATALOGUE_CACHE_SECONDS = 3600


class LatihPageMixin:
    """What every page type of the site shares: where no page is private (the usual case), no
    queries for view restrictions on each request (``cms.sites.any_view_restrictions``)."""

    def get_view_restrictions(self):
        from .sites import any_view_restrictions

        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(LatihPageMixin, Page):
    """The site's front page: what Latih offers and where to go next."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        agencies = list(Agency.objects.annotate(staff=models.Count("employees")).order_by("name"))
        catalogues = {p.agency_id: p for p in CataloguePage.objects.live().filter(agency__in=agencies)}
        careers = {p.agency_id: p for p in CareerInfoPage.objects.live().filter(agency__in=agencies)}
        for agency in agencies:
            agency.catalogue_page = catalogues.get(agency.pk)
            agency.career_page = careers.get(agency.pk)
        context["agencies"] = agencies
        return context

    def route(self, request, path_components):
        # The catalogues, the site's busiest pages, are found with their own type in one query;
        # Wagtail's Page.route reads the child page, then its type's row. Other children as Wagtail does.
        if path_components:
            page = CataloguePage.objects.child_of(self).filter(slug=path_components[0]).first()
            if page is not None:
                page._cached_parent_obj = self
                return page.route(request, path_components[1:])
        return super().route(request, path_components)


class CataloguePage(LatihPageMixin, AgencyPageMixin, RoutablePageMixin, Page):
    """One agency's training catalogue: its published courses, filters, search, course pages, a feed.

    Routes: ``/`` the list (``?category=&competency=&mode=&month=YYYY-MM&q=``), ``<code>/`` a
    course, ``feed/`` the agency's iCalendar feed (also at /catalogue/<agency>/feed.ics).
    """

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, related_name="catalogue_page", verbose_name=_("agency")
    )
    intro = RichTextField(_("introduction"), blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro_en = RichTextField(_("introduction (English)"), blank=True)

    # Only superusers (who alone may change agencies) move a page to another agency.
    content_panels = [
        *Page.content_panels, FieldPanel("agency", permission="tna.change_agency"), FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("intro_en")], heading=_("English"),
            help_text=_("Shown to people who chose English. An empty field shows the Indonesian text instead."),
        ),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("catalogue page")

    @property
    def display_title(self):
        return localized(self, "title")

    @property
    def display_intro(self):
        return localized(self, "intro")

    def _agency_of_reader(self, request):
        """Staff reading their own agency's catalogue (most readers) bring the agency with them
        (``cms.auth.UserBackend``): use it rather than read it again."""
        employee = employee_of(getattr(request, "user", None))
        if (employee is not None and employee.agency_id == self.agency_id
                and not type(self).agency.is_cached(self) and type(employee).agency.is_cached(employee)):
            self.agency = employee.agency

    @path("")
    def catalogue(self, request):
        from courses.selectors import (
            catalogue_signature,
            filter_courses,
            published_courses,
            with_next_session,
        )

        self._agency_of_reader(request)
        filters = catalogue_filters(request.GET)
        filtered = any(filters.values())
        selected = published_courses(self.agency)
        if filtered:
            selected = filter_courses(selected, **filters, tz=ZoneInfo(self.agency.time_zone))
        base = self.get_url(request)
        feed_url = request.build_absolute_uri(reverse("courses:agency_feed", args=[self.agency.code]))

        def courses():
            found = with_next_session(selected).prefetch_related("competency_targets__competency")
            # Under way first, then by the next start; courses with no date last.
            found = sorted(found, key=lambda c: (c.running_since is None and c.next_start is None,
                                                 c.running_since or c.next_start or timezone.now(), c.title))
            for course in found:
                course.page_url = base + self.reverse_subpage("course", args=[course.code])
            return found

        # The list and its filters are the same for everyone who may see the page: rendered once per
        # language, filters and state of the catalogue (catalogue_signature), then taken from the cache.
        # Its parts are read only when the fragment is rendered (cms/catalogue_page.html).
        key = (RENDERING, self.pk, get_language(), self.agency.time_zone, base, feed_url,
               timezone.localdate().isoformat(), sorted((k, str(v)) for k, v in filters.items()),
               catalogue_signature(self.agency, selected if filtered else None))
        return self.render(request, context_overrides={
            "catalogue_key": hashlib.sha256(repr(key).encode()).hexdigest(),
            "catalogue_timeout": CATALOGUE_CACHE_SECONDS,
            "courses": SimpleLazyObject(courses),
            "filters": filters,
            "filter_query": request.GET.urlencode(),
            "filtered": filtered,
            "categories": SimpleLazyObject(self._categories),
            "competencies": SimpleLazyObject(lambda: list(Competency.objects.filter(
                course_targets__course__agency=self.agency, course_targets__course__live=True
            ).distinct().order_by("sort_order", "code"))),
            "modes": TrainingMode.choices,
            "months": upcoming_months(),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        })

    @path("feed/", name="feed")
    def feed(self, request):
        from courses.views import agency_feed_body, calendar_response

        return calendar_response(agency_feed_body(self.agency, request), "katalog-%s" % self.agency.code)

    @path("<slug:code>/", name="course")
    def course(self, request, code):
        from courses.selectors import course_detail, course_upcoming_sessions

        course = course_detail(self.agency, code)
        if course is None:
            raise Http404
        sessions = list(course_upcoming_sessions(course))
        can_enrol = employee_of(request.user) is not None  # an ASN; a plain superuser has no employee record
        for session in sessions:
            session.enrol_url = enrol_url(session) if can_enrol else None
            session.ics_url = reverse("courses:session_ics", args=[session.uid])
        return self.render(request, template="cms/course_page.html", context_overrides={
            "course": course,
            "targets": list(course.competency_targets.all()),
            "sessions": sessions,
            "back_url": self.url + ("?" + request.GET.urlencode() if request.GET else ""),
        })

    def _categories(self):
        used = set(self.agency.courses.live().values_list("category", flat=True))
        return [(value, label) for value, label in TopicCategory.choices if value in used]

    def course_url(self, course, request=None):
        return self.get_url(request) + self.reverse_subpage("course", args=[course.code])


def catalogue_filters(params):
    """The catalogue's filters from query parameters; unknown values are ignored, not errors."""
    category = params.get("category", "")
    mode = params.get("mode", "")
    month = None
    try:
        month = datetime.datetime.strptime(params.get("month", ""), "%Y-%m").date()
    except ValueError:
        pass
    return {
        "category": category if category in TopicCategory.values else "",
        "competency": params.get("competency", "").strip()[:20],
        "mode": mode if mode in TrainingMode.values else "",
        "month": month,
        "q": params.get("q", "").strip()[:100],
    }


def upcoming_months(count=6, today=None):
    """The first day of this month and the ``count - 1`` following ones."""
    day = (today or timezone.localdate()).replace(day=1)
    months = []
    for _i in range(count):
        months.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return months


def enrol_url(session):
    """Where an ASN asks for a place in ``session``: lms's ``lms:enrollment-request`` view, or None.

    courses and the site do not depend on lms being installed; without that URL the course page
    simply shows no enrol button.
    """
    try:
        return reverse("lms:enrollment-request", args=[session.pk])
    except NoReverseMatch:
        return None


class CriteriaRowBlock(blocks.StructBlock):
    criterion = blocks.CharBlock(label=_("criterion"))
    requirement = blocks.TextBlock(label=_("requirement"))
    note = blocks.CharBlock(label=_("note or legal basis"), required=False)


class CriteriaTableBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    rows = blocks.ListBlock(CriteriaRowBlock(), label=_("rows"))

    class Meta:
        icon = "table"
        template = "cms/blocks/criteria_table.html"
        label = _("Criteria table")


class RightsCalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul"])
    jp = blocks.IntegerBlock(label=_("JP"), required=False, min_value=0, help_text=_("e.g. 20 JP a year"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/rights_callout.html"
        label = _("Rights callout")


def career_blocks():
    """The blocks of a career page's content; a fresh list for each StreamField (Indonesian, English)."""
    return [
        ("heading", blocks.CharBlock(form_classname="title", icon="title", label=_("Heading"),
                                     template="cms/blocks/heading.html")),
        ("text", blocks.RichTextBlock(label=_("Text"))),
        ("criteria", CriteriaTableBlock()),
        ("rights", RightsCalloutBlock()),
    ]


class CareerInfoPage(LatihPageMixin, AgencyPageMixin, Page):
    """What an agency publishes about careers: promotion and appraisal criteria, development rights."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="career_pages",
        verbose_name=_("agency"), help_text=_("Empty for information that applies to every agency."),
    )
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(career_blocks(), blank=True, verbose_name=_("content"))
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    intro_en = RichTextField(_("introduction (English)"), blank=True)
    body_en = StreamField(career_blocks(), blank=True, verbose_name=_("content (English)"))

    content_panels = [
        *Page.content_panels, FieldPanel("agency", permission="tna.change_agency"), FieldPanel("intro"), FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("title_en"), FieldPanel("intro_en"), FieldPanel("body_en")], heading=_("English"),
            help_text=_("Shown to people who chose English. An empty field shows the Indonesian text instead."),
        ),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("career information page")

    @property
    def display_title(self):
        return localized(self, "title")

    @property
    def display_intro(self):
        return localized(self, "intro")

    @property
    def display_body(self):
        return localized(self, "body")


def catalogue_course_url(course, request=None):
    """The URL of ``course`` on its agency's live catalogue page, or '' (registered with courses.links)."""
    page = CataloguePage.objects.live().filter(agency_id=course.agency_id).first()
    return page.course_url(course, request) if page else ""
