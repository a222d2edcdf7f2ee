"""Rupiah in and out of the budget dashboard: typed the Indonesian way, stored exactly, shown grouped."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.models import Envelope, PlanEvent, TrainingPlan
from lms.services import budget as service
from tna.factories import EmployeeFactory

from .test_budget_service import M, budget_scene


@pytest.fixture
def scene(agency, unit, position, settings):
    settings.LATIH_BUDGET_JP_WEIGHT = 0.0
    return budget_scene(agency, unit, position)


@pytest.fixture
def planner(scene):
    user = scene["planner"]
    user.employee.name = "Saiful Firmansyah, S.T."
    user.employee.save(update_fields=["name"])
    return user


@pytest.fixture
def planner_client(client, planner):
    client.force_login(planner)
    return client


def set_envelope(client, agency, amount, **extra):
    return client.post(reverse("lms_budget_envelope"), {
        "agency": agency.code, "year": 2026, "account": "5.1.02.02.12.0001", "amount": amount, **extra})


def page(client, agency, **params):
    return client.get(reverse("lms_budget"), {"agency": agency.code, "year": 2026, **params}).content.decode()


@pytest.mark.parametrize("typed", ["250.000.000", "Rp 250.000.000", "Rp250.000.000", "250 000 000", "250000000",
                                   "250\u00a0000\u00a0000"])
def test_a_planner_types_the_indonesian_way_and_the_envelope_holds_exactly_that(planner_client, agency, typed):
    response = set_envelope(planner_client, agency, typed)
    assert response.status_code == 302
    assert Envelope.objects.get(account="5.1.02.02.12.0001").amount == 250_000_000
    html = page(planner_client, agency)
    assert "Rp 250.000.000" in html
    # The envelope and who set it: a name, not a NIP.
    assert "Saiful Firmansyah, S.T." in html
    assert planner_client.session  # still signed in


@pytest.mark.parametrize("typed", ["250.5", "250,000.50", "250,5", "2.50.000", "250 ribu"])
def test_an_ambiguous_amount_is_refused_with_how_to_write_it_and_nothing_is_saved(planner_client, agency, typed):
    response = set_envelope(planner_client, agency, typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Envelope.objects.filter(account="5.1.02.02.12.0001").exists()
    assert "250.000.000" in html  # the example of how to write it
    assert 'value="%s"' % typed in html  # what was typed stays in the box


def test_a_negative_envelope_is_refused(planner_client, agency):
    response = set_envelope(planner_client, agency, "-250.000")
    assert response.status_code == 200 and not Envelope.objects.filter(account="5.1.02.02.12.0001").exists()
    assert 'value="-250.000"' in response.content.decode()


def test_the_edit_box_and_the_tables_show_the_amount_grouped(planner_client, agency, scene):
    html = page(planner_client, agency)
    envelope = Envelope.objects.get()
    assert 'name="amount_%d"' % envelope.pk in html
    assert 'value="18.000.000"' in html  # the what-if box shows the stored amount grouped
    assert "Rp 18.000.000" in html


def test_the_what_if_reads_rupiah_and_refuses_ambiguous_amounts(planner_client, agency, scene):
    envelope = Envelope.objects.get()
    url = reverse("lms_budget_whatif")
    response = planner_client.post(url, {"agency": agency.code, "year": 2026, "amount_%d" % envelope.pk: "Rp 28.000.000"})
    assert response.context["whatif"]["amounts"] == {envelope.pk: 28 * M}
    assert "Rp 28.000.000" in response.content.decode()
    refused = planner_client.post(url, {"agency": agency.code, "year": 2026, "amount_%d" % envelope.pk: "28.000,5"})
    assert refused.context["whatif"] is None and "“28.000,5”" in refused.content.decode()
    # Saving the what-if as a plan refuses the same way instead of planning with a guessed amount.
    planner_client.post(reverse("lms_budget_plan"), {"agency": agency.code, "year": 2026, "method": "optimised",
                                                     "factor": "1.0", "amount_%d" % envelope.pk: "28.000,5"})
    assert not TrainingPlan.objects.exists()


def test_plan_figures_history_and_people_are_written_one_way(planner_client, agency, scene, planner):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=planner)
    html = page(planner_client, agency, plan=plan.pk)
    assert "Rp 18.000.000" in html  # planned cost of unit A's class
    history = html.split('class="latih-history"', 1)[1].split("</ul>", 1)[0]
    assert "Saiful Firmansyah, S.T." in history and planner.username not in history
    assert re.search(r", [0-9]+\.[0-9] s$", PlanEvent.objects.get(plan=plan).note)  # "Optimised (MILP), 0.4 s"


def test_the_workbook_keeps_amounts_as_numbers_with_a_rupiah_format(planner_client, agency, scene, planner):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=planner)
    response = planner_client.get(reverse("lms_budget_export_xlsx", args=[plan.pk]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]  # title, header, then one line per course: column 13 is its budget
    budgets = [sheet.cell(row=3 + n, column=13) for n in range(len(service.plan_items(plan)))]
    assert [cell.value for cell in budgets] == [item.budget for item in service.plan_items(plan)]
    assert all(isinstance(cell.value, int) and cell.number_format == '"Rp" #,##0' for cell in budgets)
    summary = book.worksheets[-1]  # title, header, budget, planned cost, …
    cost = summary.cell(row=4, column=2)
    assert cost.value == 18 * M and cost.number_format == '"Rp" #,##0'


def test_an_employee_without_a_user_name_still_shows_a_name(planner_client, agency, unit, position):
    other = EmployeeFactory(agency=agency, unit=unit, position=position, name="Dewi Lestari", roles=["planner"])
    Envelope.objects.create(agency=agency, fiscal_year=2026, account="5.1.02.02.12.0002", amount=5 * M,
                            updated_by=other.user)
    html = page(planner_client, agency)
    assert "Dewi Lestari" in html and "Rp 5.000.000" in html
