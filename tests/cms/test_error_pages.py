"""Errors in the site's design, saying what happened and where to go; the demo shows no debug pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.utils import translation
from django.views import defaults

from tna.factories import EmployeeFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english(client):
    """These pages are checked in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"


def test_a_missing_page_is_a_404_in_the_site_design(client, db):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>We cannot find that page</h1>" in html and "Error 404" in html
    assert '<link rel="stylesheet" href="/static/cms/latih.css">' in html and '<nav aria-label="Main">' in html
    assert 'class="button" href="/">Go to the home page</a>' in html
    assert "Browse the training catalogue" in html
    assert "URLconf" not in html and "Using the URLconf" not in html  # never the debug page's list of URLs


def test_a_signed_in_person_is_sent_to_their_home_from_a_404(client, db):
    client.force_login(EmployeeFactory().user)
    html = client.get("/learning/no-such-page/").content.decode()
    assert 'class="button" href="/beranda/">Go to my home</a>' in html


def test_a_refused_page_is_a_403_that_says_why_and_who_is_signed_in(client, db):
    employee = EmployeeFactory()  # an ASN, not a training admin
    client.force_login(employee.user)
    response = client.get("/learning/delivery/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>This page is not open to your account</h1>" in html
    assert "This page is for your agency&#x27;s training admins." in html  # the view's own reason
    assert "You are signed in as %s." % employee.name in html
    assert 'href="/beranda/">Go to my home</a>' in html and "403 Forbidden" not in html


def test_a_visitor_refused_a_page_is_offered_the_sign_in(rf, db):
    request = rf.get("/learning/delivery/")
    request.user = AnonymousUser()
    with translation.override("en"):
        response = defaults.permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Please sign in to see this page</h1>" in html
    assert 'href="/accounts/login/?next=/learning/delivery/">Sign in</a>' in html


def test_the_500_page_needs_no_database_nor_request(rf):
    # No db fixture: any query would raise, as it may when the database is what failed.
    with translation.override("en"):
        response = defaults.server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong on our side</h1>" in html and "Go to the home page" in html
    assert '<link rel="stylesheet" href="/static/cms/latih.css">' in html and 'href="/"' in html


def test_the_400_page_needs_no_database_nor_request(rf):
    with translation.override("en"):
        response = defaults.bad_request(rf.get("/"), SuspiciousOperation())
    assert response.status_code == 400
    html = response.content.decode()
    assert "Error 400" in html and "Latih could not understand that request" in html


def test_an_expired_form_gets_a_page_that_explains_and_leads_back(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": "x", "password": "y"},
                           HTTP_REFERER="http://testserver/accounts/login/?next=/learning/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "<h1>Your form could not be sent</h1>" in html and "Nothing was saved." in html
    assert 'class="button" href="http://testserver/accounts/login/?next=/learning/">Back to the form</a>' in html
    assert "CSRF verification failed" not in html


def test_an_expired_form_from_elsewhere_gets_no_back_link(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    html = client.post("/accounts/login/", {}, HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in html and "Back to the form" not in html


def test_views_refuse_with_permission_denied_not_a_bare_forbidden_response():
    offenders = [
        str(path.relative_to(ROOT)) for app in ("tna", "courses", "lms", "cms") for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and re.search(r"HttpResponseForbidden\(", path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def test_the_demo_serves_without_debug_and_with_its_static_files(tmp_path):
    assert "cms.settings.demo" in (ROOT / "dev.py").read_text(encoding="utf-8")
    script = (
        "import django, os; django.setup()\n"
        "from django.conf import settings; from django.test import Client\n"
        "assert settings.DEBUG is False, 'debug on'\n"
        "assert settings.LATIH_DEMO_DATA, 'manage.py demo would refuse to load the demo'\n"
        "assert '127.0.0.1' in settings.ALLOWED_HOSTS and 'localhost' in settings.ALLOWED_HOSTS\n"
        "r = Client().get('/static/cms/latih.css', HTTP_HOST='127.0.0.1')\n"
        "assert r.status_code == 200, r.status_code\n"
        "r = Client().get('/static/wagtailadmin/css/core.css', HTTP_HOST='127.0.0.1')\n"
        "assert r.status_code == 200, ('admin css', r.status_code)\n"
        "print('ok')\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cms.settings.demo", "DATABASE_URL": "sqlite://:memory:",
           "DJANGO_SECRET_KEY": "demo-settings-test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


@pytest.mark.parametrize("template", ["400.html", "403.html", "403_csrf.html", "404.html", "500.html"])
def test_each_error_template_exists_in_the_site(template):
    assert (ROOT / "cms" / "templates" / template).exists()
