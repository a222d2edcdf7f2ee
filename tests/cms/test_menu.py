"""The site menu: a group of links per role, every site page reachable, one name per page, the current
page marked, a compact disclosure on phones that works without script."""

import html as htmllib
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from tna.factories import CycleFactory, EmployeeFactory, UserFactory


@pytest.fixture(autouse=True)
def english(client):
    """These pages are checked in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"


def menu_links(html):
    """[(label, href, aria-current)] of the main navigation."""
    nav = html.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    return [(htmllib.unescape(label.strip()), href, current) for href, current, label in
            re.findall(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>', nav)]


def menu_of(client, user, path="/beranda/"):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def person(*roles):
    return EmployeeFactory(roles=list(roles)).user


@pytest.fixture
def everyone(db):
    return {"asn": person(), "supervisor": person("supervisor"), "training_admin": person("training_admin"),
            "planner": person("planner"), "talent_committee": person("talent_committee")}


def test_each_role_gets_its_group_and_nothing_of_other_roles(client, everyone):
    labels = {role: {label for label, _href, _c in menu_links(menu_of(client, user))} for role, user in everyone.items()}
    mine = {"Home", "Catalogue", "My learning", "My enrollments", "My learning record", "My competencies", "My career",
            "My mentoring", "My assessments"}
    assert labels["asn"] == mine
    assert labels["supervisor"] == mine | {"Requests to approve", "My team's competencies", "Coaching my team"}
    assert labels["training_admin"] == mine | {"Training delivery", "Requests to approve", "Schedule training",
                                              "Courses and sessions", "Mentoring programmes", "Export for the national record",
                                              "Did the training work?", "Talent 9-box", "Succession", "Talent policy",
                                              "Admin"}
    # The talent committee sees the agency's 9-box and succession, and nothing else of HR's.
    assert labels["talent_committee"] == mine | {"Talent 9-box", "Succession"}
    assert labels["planner"] == mine | {"Competency map", "Training-needs analysis", "Schedule training",
                                       "Training budget", "Did the training work?", "Admin"}


def test_no_two_menu_entries_share_a_name_or_a_page(client, db):
    superuser = UserFactory(is_superuser=True)
    EmployeeFactory(user=superuser)
    links = menu_links(menu_of(client, superuser))
    labels = [label for label, _h, _c in links]
    hrefs = [href for _l, href, _c in links]
    assert len(labels) == len(set(labels)) and len(hrefs) == len(set(hrefs)), links


def site_pages():
    """Names of the site's own pages a person opens (GET, no argument): every one needs a menu entry."""
    # Downloads, POSTs (a calendar token, measuring a training year again from its report), the footer, a form
    # opened from its list (the mentoring programmes) and the coaching a person received, opened from My mentoring.
    not_pages = {"record-pdf", "record-json", "calendar-token", "evaluation-measure", "certificate-verify",
                 "programme-new", "coaching-mine"}
    names = set()
    for namespace in ("lms", "lms_career", "lms_mentoring", "tna"):
        resolver = get_resolver().namespace_dict[namespace][1]

        def walk(patterns):
            for pattern in patterns:
                if isinstance(pattern, URLResolver):
                    yield from walk(pattern.url_patterns)
                elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                    yield pattern.name
        names |= {"%s:%s" % (namespace, name) for name in walk(resolver.url_patterns) if name not in not_pages}
    return names


def test_every_site_page_is_in_some_roles_menu(client, db):
    from django.urls import reverse

    pages = {reverse(name) for name in site_pages()}
    assert "/learning/history/" in pages and "/learning/scheduling/" in pages
    superuser = UserFactory(is_superuser=True)
    EmployeeFactory(user=superuser)
    linked = {href for _l, href, _c in menu_links(menu_of(client, superuser))}
    assert pages <= linked, pages - linked


@pytest.mark.parametrize("role", ["asn", "supervisor", "training_admin", "planner", "talent_committee"])
def test_every_menu_link_opens_for_its_role(client, everyone, role):
    user = everyone[role]
    for label, href, _current in menu_links(menu_of(client, user)):
        response = client.get(href)
        assert response.status_code == 200, (role, label, href, response.status_code)


def test_the_planner_reaches_the_scheduler_and_the_budget(client, everyone):
    links = dict((label, href) for label, href, _c in menu_links(menu_of(client, everyone["planner"])))
    assert links["Schedule training"] == "/learning/scheduling/"
    assert links["Training budget"] == "/admin/latih/budget/"


def test_the_current_page_is_marked(client, everyone):
    user = everyone["supervisor"]
    marked = [(label, c) for label, _h, c in menu_links(menu_of(client, user, "/learning/enrollments/")) if c]
    assert marked == [("My enrollments", "page")]
    marked = [(label, c) for label, _h, c in menu_links(menu_of(client, user, "/learning/history/")) if c]
    assert marked == [("My learning record", "page")]
    marked = [(label, c) for label, _h, c in menu_links(menu_of(client, user, "/learning/")) if c]
    assert marked == [("My learning", "page")]
    CycleFactory(year=2026)
    marked = [(label, c) for label, _h, c in menu_links(menu_of(client, user, "/evidence/2026/")) if c]
    assert marked == [("My assessments", "true")]  # a page inside the section


def test_a_page_outside_the_persons_menu_marks_nothing(client, everyone):
    client.force_login(everyone["asn"])
    html = client.get("/learning/delivery/").content.decode()  # refused: not a training admin
    assert not [label for label, _h, c in menu_links(html) if c]


def test_the_page_titles_match_their_menu_names(client, everyone):
    user = everyone["asn"]
    for path, title in [("/learning/", "My learning"), ("/learning/enrollments/", "My enrollments"),
                        ("/learning/history/", "My learning record")]:
        assert "<h1>%s</h1>" % title in menu_of(client, user, path), path


def test_phones_get_a_menu_button_that_needs_no_script(client, everyone):
    html = menu_of(client, everyone["planner"])
    header = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert '<details class="site-menu">' in header and '<summary class="menu-button">' in header
    assert "Menu</summary>" in header
    assert "<script" not in header and " style=" not in header and " onclick" not in header
    assert 'name="language"' in header  # the language switch stays in the menu


def test_a_visitor_gets_home_catalogue_sign_in_and_the_language_switch(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert [label for label, _h, _c in menu_links(html)] == ["Home", "Catalogue"]
    assert '>Sign in</a>' in html and 'name="language"' in html


def test_the_menu_names_the_signed_in_person(client, everyone):
    user = everyone["asn"]
    html = menu_of(client, user)
    assert "Signed in as %s" % user.employee.name in html and user.employee.nip not in html.split("<main", 1)[0]


def test_groups_are_listed_once_per_person(client, db):
    user = person("supervisor", "training_admin", "planner")
    user.groups.add(Group.objects.get_or_create(name="asn")[0])
    html = menu_of(client, user)
    assert [label for label, _h, _c in menu_links(html)].count("Schedule training") == 1
    assert [label for label, _h, _c in menu_links(html)].count("Requests to approve") == 1
