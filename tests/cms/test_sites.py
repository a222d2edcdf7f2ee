"""The request's site and whether any page is private come from the cache (cms.sites); a change
to either shows on the next request, and the catalogues are routed in one query."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from cms.models import CareerInfoPage, HomePage


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    cache.clear()
    yield
    cache.clear()  # Wagtail's and Latih's cached sites name this test's pages, gone after it


def test_a_catalogue_is_routed_without_asking_for_the_site_again(client, catalogue_page, courses):
    client.get(catalogue_page.url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(catalogue_page.url)
    assert response.status_code == 200 and "Excel for data analysis" in response.content.decode()
    queries = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in queries if '"wagtailcore_site"' in sql]
    assert not [sql for sql in queries if '"wagtailcore_pageviewrestriction"' in sql]
    assert len([sql for sql in queries if '"wagtailcore_page"' in sql]) == 1  # the catalogue, with its own type


def test_other_pages_and_unknown_addresses_route_as_before(client, catalogue_page, courses, agency):
    HomePage.objects.get().add_child(instance=CareerInfoPage(title="Career", slug="karier-contoh", agency=agency))
    assert client.get("/karier-contoh/").status_code == 200
    assert client.get(catalogue_page.url + "excel-data/").status_code == 200
    assert client.get("/no-such-page/").status_code == 404
    catalogue_page.unpublish()
    assert client.get(catalogue_page.url).status_code == 404


def test_a_page_made_private_after_the_cache_filled_is_private_at_once(client, catalogue_page, courses):
    assert client.get(catalogue_page.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=catalogue_page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.create(name="inspectors"))
    response = client.get(catalogue_page.url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    restriction.delete()
    assert client.get(catalogue_page.url).status_code == 200


def test_a_changed_site_is_used_at_once(client, catalogue_page, courses):
    assert client.get(catalogue_page.url).status_code == 200
    site = Site.objects.get()
    site.root_page = catalogue_page  # the catalogue becomes the site's front page
    site.save()
    response = client.get("/")
    assert response.status_code == 200 and "Excel for data analysis" in response.content.decode()
