"""One sign-in page everywhere, the site's own: for views behind a sign-in and for Wagtail's private pages."""

import pytest
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from tna.factories import EmployeeFactory


@pytest.fixture(autouse=True)
def english(client):
    """These pages are checked in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"


@pytest.mark.parametrize("path", ["/learning/", "/kompetensi/", "/evidence/", "/learning/enrollments/", "/beranda/"])
def test_pages_behind_a_sign_in_send_visitors_to_the_site_sign_in_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=" + path


def test_a_private_wagtail_page_uses_the_same_sign_in_page(client, db):
    home = Page.objects.get(depth=2)
    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(home.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_sign_in_page_is_a_page_of_the_site(client, db):
    response = client.get("/accounts/login/?next=/learning/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<link rel="stylesheet" href="/static/cms/latih.css">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<h1>Sign in to Latih</h1>" in html
    assert '<label for="id_username">NIP</label>' in html and '<label for="id_password">Password</label>' in html
    assert "Your username is your NIP" in html and 'aria-describedby="username-help"' in html
    assert 'name="next" value="/learning/"' in html
    assert 'href="/">← Back to the home page</a>' in html


def test_wagtails_own_login_address_shows_the_same_page(client, db):
    html = client.get("/_util/login/").content.decode()
    assert "<h1>Sign in to Latih</h1>" in html and "Your username is your NIP" in html


def test_a_wrong_password_says_so_and_keeps_the_nip(client, db):
    employee = EmployeeFactory()
    response = client.post("/accounts/login/", {"username": employee.nip, "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert">Your NIP or password is not right. Please try again.' in html
    assert 'value="%s"' % employee.nip in html and 'aria-invalid="true"' in html


def test_signing_in_goes_to_next_when_given(client, db):
    employee = EmployeeFactory()
    response = client.post("/accounts/login/", {"username": employee.nip, "password": "latih-test-pass",
                                                "next": "/learning/enrollments/"})
    assert response.status_code == 302 and response["Location"] == "/learning/enrollments/"


def test_signing_in_without_next_goes_to_the_role_home(client, db):
    employee = EmployeeFactory()
    response = client.post("/accounts/login/", {"username": employee.nip, "password": "latih-test-pass"})
    assert response["Location"] == reverse("home")
