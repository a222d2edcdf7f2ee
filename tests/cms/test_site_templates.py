"""The site's templates load nothing from elsewhere, and a visitor can switch to English and back."""

import re
from pathlib import Path

import pytest

import cms
import courses

TEMPLATE_DIRS = [Path(cms.__file__).parent / "templates", Path(courses.__file__).parent / "templates"]


@pytest.mark.parametrize("path", sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html")), ids=lambda p: p.name)
def test_templates_name_no_outside_address(path):
    # A CDN link would fail on an office network without internet and leak visitors to third parties.
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", path.read_text()), path


def test_pages_link_only_their_own_assets(client, catalogue_page, courses):
    for url in ["/", catalogue_page.url, catalogue_page.url + "excel-data/"]:
        html = client.get(url).content.decode()
        assets = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="([^"]+)"', html)
        assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), (url, assets)


def test_indonesian_by_default_and_english_on_request(client, catalogue_page, courses):
    html = client.get(catalogue_page.url).content.decode()
    assert '<html lang="id">' in html and "Tampilkan pelatihan" in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": catalogue_page.url})
    assert response.status_code == 302 and response["Location"] == catalogue_page.url
    html = client.get(catalogue_page.url).content.decode()
    assert '<html lang="en">' in html and "Show courses" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "Tampilkan pelatihan" in client.get(catalogue_page.url).content.decode()


def test_rupiah_is_grouped_the_way_of_the_chosen_language(client, catalogue_page, courses):
    for language, fee, budget in (("id", "Rp 1.250.000", "Rp 5.000.000"), ("en", "Rp 1,250,000", "Rp 5,000,000")):
        client.cookies["django_language"] = language
        html = client.get(catalogue_page.url + "public-speaking/").content.decode()
        assert fee in html and budget in html, language


def test_a_signed_in_persons_choice_follows_them_to_another_browser(client, catalogue_page, courses):
    from django.test import Client

    from tna.factories import EmployeeFactory

    person = EmployeeFactory(agency=catalogue_page.agency).user
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "en", "next": catalogue_page.url})
    elsewhere = Client()  # no language cookie: a phone, another office PC
    elsewhere.force_login(person)
    assert '<html lang="en">' in elsewhere.get(catalogue_page.url).content.decode()
    assert '<html lang="id">' in Client().get(catalogue_page.url).content.decode()  # a visitor: Indonesian


def test_the_api_follows_the_language_a_program_asks_for(client, catalogue_page, courses):
    assert client.get("/api/v1/courses/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    assert client.get(catalogue_page.url, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "id"
