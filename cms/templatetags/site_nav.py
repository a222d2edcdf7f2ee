"""The site's menu: one group of links per role the signed-in person holds, the current page marked."""

import re
from dataclasses import dataclass, field

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Pages under an item that have no menu entry of their own, so the item is marked while on them.
# Every other item also marks the pages below its address, except these, whose address is the
# root of pages that are not theirs (/learning/ holds every lms page, /kompetensi/ everyone's profile).
NOT_SECTIONS = {"home", "lms:dashboard", "tna:profile"}
SECTIONS = {
    "lms:enrollment-list": (r"^/learning/sessions/", r"^/learning/invitation/", r"^/learning/calendar/"),
    "lms:my-training": (r"^/learning/evaluation/", r"^/learning/follow-up/"),
    "tna:team": (r"^/kompetensi/[0-9]{18}/$",),
    "lms_mentoring:mine": (r"^/mentoring/coaching/mine/",),
}


@dataclass
class Link:
    label: str
    url: str
    name: str = ""
    current: str = ""  # "page" on the page itself, "true" on a page inside its section


@dataclass
class Group:
    key: str
    label: str
    links: list = field(default_factory=list)

    @property
    def current(self):
        return any(link.current for link in self.links)


@dataclass
class Menu:
    home: Link
    catalogue: Link
    groups: list
    admin: Link | None = None

    @property
    def links(self):
        return [self.home, self.catalogue, *(link for group in self.groups for link in group.links),
                *([self.admin] if self.admin else [])]


def _link(label, name, *args):
    """A Link to the URL named ``name``, or None where it does not exist (an app not installed)."""
    try:
        return Link(label, reverse(name, args=args), name)
    except NoReverseMatch:
        return None


def _groups(user, roles, has_employee):
    groups = []
    if has_employee:
        groups.append(Group("me", _("Me"), [
            _link(_("My learning"), "lms:dashboard"),
            _link(_("My enrollments"), "lms:enrollment-list"),
            _link(_("My learning record"), "lms:my-training"),
            _link(_("My competencies"), "tna:profile"),
            _link(_("My career"), "lms_career:mine"),
            _link(_("My mentoring"), "lms_mentoring:mine"),
            _link(_("My assessments"), "tna:evidence"),
        ]))
    if "supervisor" in roles:
        groups.append(Group("team", _("My team"), [
            _link(_("Requests to approve"), "lms:enrollment-approvals"),
            _link(_("My team's competencies"), "tna:team") if has_employee else None,
            _link(_("Coaching my team"), "lms_mentoring:coaching") if has_employee else None,
        ]))
    if "training_admin" in roles:
        groups.append(Group("delivery", _("Delivery"), [
            _link(_("Training delivery"), "lms:delivery-sessions"),
            _link(_("Requests to approve"), "lms:enrollment-approvals"),
            _link(_("Schedule training"), "lms:schedule-runs"),
            _link(_("Courses and sessions"), "wagtailsnippets_courses_course:list"),
            _link(_("Mentoring programmes"), "lms_mentoring:programmes"),
            _link(_("Export for the national record"), "lms:national-export"),
            _link(_("Did the training work?"), "lms:evaluation-report"),
        ]))
    if "training_admin" in roles or "talent_committee" in roles:
        groups.append(Group("talent", _("Talent"), [
            _link(_("Talent 9-box"), "tna:talent"),
            _link(_("Succession"), "lms_career:succession"),
            _link(_("Talent policy"), "tna:talent_policy") if "training_admin" in roles else None,
        ]))
    if "planner" in roles:
        groups.append(Group("planning", _("Planning"), [
            _link(_("Competency map"), "tna:planner"),
            _link(_("Training-needs analysis"), "tna_runs"),
            _link(_("Schedule training"), "lms:schedule-runs"),
            _link(_("Training budget"), "lms_budget"),
            _link(_("Did the training work?"), "lms:evaluation-report"),
        ]))
    seen = set()
    for group in groups:  # a page reached from two roles is listed once, under the first
        group.links = [link for link in group.links if link and link.url not in seen and not seen.add(link.url)]
    return [group for group in groups if group.links]


def _mark_current(links, path):
    """Mark the link of the page at ``path``: itself, else the section it lies in, else the longest prefix."""
    best, best_score = None, (0, 0)
    for link in links:
        url = link.url.split("#", 1)[0]
        if not url or "://" in url:
            continue
        if path == url:
            score = (3, len(url))
        elif any(re.search(pattern, path) for pattern in SECTIONS.get(link.name, ())):
            score = (2, len(url))
        elif url != "/" and link.name not in NOT_SECTIONS and path.startswith(url):
            score = (1, len(url))
        else:
            continue
        if score > best_score:
            best, best_score = link, score
    if best is not None:
        best.current = "page" if best_score[0] == 3 else "true"


@register.simple_tag(takes_context=True)
def site_menu(context):
    """The signed-in person's (or a visitor's) ``Menu``: home, catalogue, a group per role, the admin."""
    from tna.roles import employee_of

    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = getattr(user, "is_authenticated", False)
    home = _link(_("Home"), "home") if signed_in else None
    menu = Menu(
        home=home or Link(_("Home"), "/"),
        catalogue=Link(_("Catalogue"), catalogue_nav_url(context)),
        groups=[],
    )
    if signed_in:
        roles = user_roles(user)
        menu.groups = _groups(user, roles, employee_of(user) is not None)
        if user.is_superuser or "training_admin" in roles or "planner" in roles:
            menu.admin = _link(_("Admin"), "wagtailadmin_home")
    if request is not None:
        _mark_current(menu.links, request.path)
    return menu


@register.simple_tag(takes_context=True)
def catalogue_nav_url(context):
    """The signed-in user's agency catalogue, else the list of agencies on the home page."""
    from tna.roles import user_agency

    from ..models import CataloguePage

    request = context.get("request")
    agency = user_agency(getattr(request, "user", None))
    if agency is not None:
        page = context.get("page")
        if isinstance(page, CataloguePage) and page.live and page.agency_id == agency.pk:
            return page.get_url(request)  # on the person's own catalogue already: no query to find it
        page = CataloguePage.objects.live().filter(agency=agency).first()
        if page is not None:
            return page.get_url(request)
    return "/#katalog"


@register.simple_tag
def user_roles(user):
    """The Latih roles the user holds, as a set of names (superusers hold them all)."""
    from tna.roles import has_role

    if not getattr(user, "is_authenticated", False):
        return set()
    return {role for role in ("asn", "supervisor", "training_admin", "planner", "talent_committee")
            if has_role(user, role)}


@register.simple_tag(takes_context=True)
def home_url(context):
    """Where the brand and "Home" lead: the signed-in person's role home, else the public landing page."""
    request = context.get("request")
    if getattr(getattr(request, "user", None), "is_authenticated", False):
        try:
            return reverse("home")
        except NoReverseMatch:
            pass
    return "/"
