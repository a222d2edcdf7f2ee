"""A course's costs are typed in rupiah the way people write them, stored exactly, and shown grouped."""

import pytest
from django.urls import reverse
from django.utils import translation

from courses.factories import ProviderFactory
from courses.models import Course
from tna.factories import CompetencyFactory, EmployeeFactory

from .test_admin import COURSE, course_form


@pytest.fixture
def admin_client(client, agency):
    client.force_login(EmployeeFactory(agency=agency, roles=["training_admin"]).user)
    return client


@pytest.fixture
def form(agency):
    return lambda **costs: course_form(agency, ProviderFactory(agency=agency), CompetencyFactory(), **costs)


@pytest.mark.parametrize("per_participant, per_class, stored", [
    ("Rp 1.250.000", "Rp 15.000.000", (1_250_000, 15_000_000)),
    ("1.250.000", "15 000 000", (1_250_000, 15_000_000)),
    ("1250000", "0", (1_250_000, 0)),
    ("Rp. 1.250.000,-", "15.000.000,00", (1_250_000, 15_000_000)),
])
def test_costs_typed_in_rupiah_are_stored_exactly(admin_client, form, per_participant, per_class, stored):
    response = admin_client.post(reverse(COURSE + ":add"), form(cost_per_participant=per_participant,
                                                              fixed_cost_per_class=per_class))
    assert response.status_code == 302, response.context["form"].errors
    course = Course.objects.get(code="komunikasi-baru")
    assert (course.cost_per_participant, course.fixed_cost_per_class) == stored


@pytest.mark.parametrize("typed", ["1.250,5", "1,250,000.50", "12.50.000", "-1.000.000", "satu juta"])
def test_an_ambiguous_cost_is_refused_with_how_to_write_it(admin_client, form, typed):
    with translation.override("id"):
        response = admin_client.post(reverse(COURSE + ":add"), form(cost_per_participant=typed))
    assert response.status_code == 200
    assert not Course.objects.filter(code="komunikasi-baru").exists()
    errors = response.context["form"].errors["cost_per_participant"]
    assert errors and ("250.000.000" in errors[0] or "negative" in errors[0] or "negatif" in errors[0])


def test_the_edit_form_shows_the_stored_cost_grouped(admin_client, course):
    course.cost_per_participant = 1_250_000
    course.save()
    html = admin_client.get(reverse(COURSE + ":edit", args=[course.pk])).content.decode()
    assert 'name="cost_per_participant" value="1.250.000"' in html
