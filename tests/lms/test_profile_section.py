"""Completed training shows on the person's competency profile (tna page, lms section via tna.hooks)."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import pytest
from django.urls import reverse

from lms.services.completion import enrollment_complete

from .delivery_scene import attended, held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db


def test_profile_lists_completed_training_with_its_certificate(attended, admin, client):
    ani, bayu, _cici = attended
    enrollment_complete(enrollment=ani, user=admin.user)
    client.cookies["django_language"] = "en"

    client.force_login(ani.employee.user)
    page = client.get(reverse("tna:profile")).content.decode()
    assert "Completed training" in page
    assert ani.certificate.code in page

    # Bayu has not completed anything yet: the section is there, without Ani's course.
    client.force_login(bayu.employee.user)
    page = client.get(reverse("tna:profile")).content.decode()
    assert "Completed training" in page and ani.certificate.code not in page
