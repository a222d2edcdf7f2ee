"""CI's probe of the host site (not part of what an integrator writes): admin, pages and API answer.

Run from the host site's directory after ``migrate``, with the ``factories`` extra installed:
``python check_site.py``. Exits non-zero, naming every URL whose answer was not the one expected.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostsite.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from tna.factories import AgencyFactory, EmployeeFactory  # noqa: E402


def main():
    call_command("loaddata", "competencies", verbosity=0)  # the fixture shipped in tna/fixtures
    admin = get_user_model().objects.create_superuser("hostadmin", "hostadmin@example.com", "hostadmin-pass")
    # The apps' pages are about the signed-in employee, so the superuser is one too.
    EmployeeFactory(user=admin, agency=AgencyFactory(code="host-agency", name="Kabupaten Tuan Rumah"))
    token = Token.objects.create(user=admin)
    anonymous, signed_in, api = Client(), Client(), Client(HTTP_AUTHORIZATION="Token %s" % token.key)
    signed_in.force_login(admin)

    probes = [
        ("Wagtail admin login", anonymous, reverse("wagtailadmin_login"), 200),
        ("Wagtail admin home", signed_in, reverse("wagtailadmin_home"), 200),
        ("tna admin: TNA runs", signed_in, reverse("tna_runs"), 200),
        ("courses admin: courses", signed_in, reverse("wagtailsnippets_courses_course:list"), 200),
        ("lms admin: training budget", signed_in, reverse("lms_budget"), 200),
        ("tna page: my competencies", signed_in, reverse("tna:profile"), 200),
        ("lms page: my learning", signed_in, reverse("lms:dashboard"), 200),
        ("API root, token", api, "/api/v1/", 200),
        ("API courses, token", api, "/api/v1/courses/", 200),
        ("API competencies, token", api, "/api/v1/competencies/", 200),
        ("API my gaps, token", api, reverse("me-gaps"), 200),
        ("API my learning, token", api, reverse("me-learning"), 200),
        ("API without credentials", anonymous, "/api/v1/courses/", 403),
    ]
    failures = []
    for label, client, url, expected in probes:
        status = client.get(url).status_code
        print("%-40s %-45s %d" % (label, url, status))
        if status != expected:
            failures.append("%s: GET %s answered %d, expected %d" % (label, url, status, expected))
    if failures:
        sys.exit("host site: " + "; ".join(failures))


if __name__ == "__main__":
    main()
