"""The planner's budget dashboard in the Wagtail admin, its API, and the exports opened as a spreadsheet would."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.models import Envelope, PlanStatus, TrainingPlan
from lms.services import budget as service
from tna.factories import AgencyFactory, EmployeeFactory, UnitFactory

from .test_budget_service import M, budget_scene


@pytest.fixture
def scene(agency, unit, position, settings):
    settings.LATIH_BUDGET_JP_WEIGHT = 0.0
    return budget_scene(agency, unit, position)


@pytest.fixture
def planner_client(client, scene):
    client.force_login(scene["planner"])
    return client


def dashboard(client, agency, **params):
    return client.get(reverse("lms_budget"), {"agency": agency.code, "year": 2026, **params})


def test_planner_sets_an_envelope_plans_and_sees_the_allocation(planner_client, scene, agency, unit):
    response = planner_client.post(reverse("lms_budget_envelope"), {
        "agency": agency.code, "year": 2026, "account": "5.1.02.02.12.0001", "unit": scene["unit_b"].pk,
        "amount": 1_000_000, "note": "DPA Dinkes"})
    assert response.status_code == 302
    assert Envelope.objects.get(unit=scene["unit_b"]).amount == 1_000_000
    # Unit B's own 1 M now pays its e-learning (short course) first: one seat; the agency's 18 M
    # runs a class of eight for unit A.
    response = planner_client.post(reverse("lms_budget_plan"), {"agency": agency.code, "year": 2026,
                                                                "method": "optimised", "factor": "1.0"})
    plan = TrainingPlan.objects.get()
    assert response.status_code == 302 and str(plan.pk) in response["Location"]
    page = dashboard(planner_client, agency, plan=plan.pk)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Dinas Kesehatan" in html and "BKPSDM" in html
    assert html.count("<svg") >= 5  # allocation charts and planned vs spent, drawn by pygal
    assert "<script" not in html.split("latih-budget", 1)[1].split("</svg>")[0]
    by_unit = page.context["sections"][0]["rows"]
    assert {r["unit_name"]: r["cost"] for r in by_unit} == {"BKPSDM": 18 * M, "Dinas Kesehatan": 1 * M}
    assert page.context["summary"]["reaching_minimum"] == 8


def test_the_dashboard_reads_a_plan_once_but_names_and_language_as_they_are_now(planner_client, scene, agency):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    first = dashboard(planner_client, agency, plan=plan.pk)
    assert "Dinas Kesehatan" in first.content.decode()

    scene["unit_b"].name = "Dinas Kesehatan Kota"  # renamed after the plan was made
    scene["unit_b"].save()
    page = dashboard(planner_client, agency, plan=plan.pk)
    units = [r["unit_name"] for r in page.context["sections"][0]["rows"]]
    assert "Dinas Kesehatan Kota" in units and "Dinas Kesehatan" not in units
    assert "Dinas Kesehatan Kota" in page.context["sections"][0]["chart"]  # the chart is drawn again
    assert page.context["summary"] == first.context["summary"]

    planner_client.cookies["django_language"] = "en"
    english = dashboard(planner_client, agency, plan=plan.pk).context["sections"][0]["chart"]
    assert "Share of the money" in english and "Share of the money" not in page.context["sections"][0]["chart"]


def test_compare_optimised_and_cut_and_filter(planner_client, scene, agency):
    optimised = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    cut = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"], factor=0.8)
    page = dashboard(planner_client, agency, plan=optimised.pk, compare=cut.pk, unit=scene["unit_b"].pk)
    comparison = page.context["comparison"]
    assert [r["plan"] for r in comparison["rows"]] == [optimised, cut]
    assert comparison["difference"]["cost"] == 4 * M - 18 * M
    # Filtered to unit B: only its e-learning shows in the allocation.
    assert [r["unit_name"] for r in page.context["sections"][0]["rows"]] == ["Dinas Kesehatan"]


def test_what_if_replans_and_values_the_next_ten_million(planner_client, scene, agency):
    envelope = Envelope.objects.get()
    response = planner_client.post(reverse("lms_budget_whatif"), {"agency": agency.code, "year": 2026,
                                                                   "amount_%d" % envelope.pk: 28 * M})
    whatif = response.context["whatif"]
    assert response.status_code == 200 and TrainingPlan.objects.count() == 0
    assert whatif["value"] == pytest.approx(9.7) and whatif["seconds"] < 10
    assert whatif["rows"][0]["value"] == pytest.approx(0.0)  # all demand is met already at 28 M
    # Kept as a draft: planned against the what-if amount, the stored envelope unchanged.
    planner_client.post(reverse("lms_budget_plan"), {"agency": agency.code, "year": 2026, "method": "optimised",
                                                     "factor": "1.0", f"amount_{envelope.pk}": 28 * M})
    plan = TrainingPlan.objects.get()
    assert plan.figures["budget"] == 28 * M and plan.figures["value"] == pytest.approx(9.7)
    assert Envelope.objects.get().amount == 18 * M


def test_status_buttons_record_who_and_when(planner_client, scene, agency):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    for move in ("submit", "approve"):
        planner_client.post(reverse("lms_budget_move", args=[plan.pk, move]), {"note": "ok"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == scene["planner"]
    html = dashboard(planner_client, agency, plan=plan.pk).content.decode()
    assert "Return to draft" in html or "Kembalikan" in html


def test_exports_open_as_spreadsheets_with_formulas_neutralised(planner_client, scene, agency):
    provider = scene["elearning"].provider
    provider.name = "=HYPERLINK(\"http://x\",\"Lembaga\")"
    provider.save()
    scene["unit_b"].name = "-Dinas Kesehatan"
    scene["unit_b"].save()
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    response = planner_client.get(reverse("lms_budget_export_xlsx", args=[plan.pk]))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    cells = [c for row in rows for c in row if isinstance(c, str)]
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK(\"http://x\",\"Lembaga\")" in cells
    units = [row[2] for row in list(book.worksheets[1].iter_rows(values_only=True))[2:]]
    assert "'-Dinas Kesehatan" in units
    budgets = [row[12] for row in rows[2:]]
    assert sorted(budgets) == [2 * M, 16 * M]  # numbers stay numbers
    participants = list(book.worksheets[1].iter_rows(values_only=True))[2:]
    assert len(participants) == 8 and all(isinstance(r[0], str) and len(r[0]) == 18 for r in participants)
    assert [ws.title for ws in book.worksheets][-1]
    response = planner_client.get(reverse("lms_budget_export_csv", args=[plan.pk]))
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 3 and not any(c.startswith(("=", "+", "-", "@")) for row in table for c in row)
    assert any(c.startswith("'=HYPERLINK") for row in table for c in row)


def test_planners_see_only_their_agency(client, scene, agency, position):
    other = AgencyFactory(code="kab-lain")
    outsider = EmployeeFactory(agency=other, unit=UnitFactory(agency=other), roles=["planner"]).user
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    client.force_login(outsider)
    page = client.get(reverse("lms_budget"), {"agency": agency.code, "year": 2026})
    assert page.context["agency"] == other and page.context["plans"] == []
    assert client.get(reverse("lms_budget_export_xlsx", args=[plan.pk])).status_code in (302, 403)
    assert client.post(reverse("lms_budget_move", args=[plan.pk, "submit"])).status_code in (302, 403)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    staff = EmployeeFactory(agency=agency, unit=scene["unit_b"]).user
    client.force_login(staff)
    assert client.get(reverse("lms_budget")).status_code in (302, 403)


def test_api_plans_with_allocation_summaries(client, scene, agency):
    plan = service.plan_budget(agency=agency, fiscal_year=2026, user=scene["planner"])
    client.force_login(scene["planner"])
    listing = client.get("/api/v1/plans/", {"fiscal_year": 2026}).json()
    assert [p["id"] for p in listing["results"]] == [plan.pk]
    detail = client.get("/api/v1/plans/%d/" % plan.pk).json()
    units = {r["unit"]: r for r in detail["allocation"]["unit"]}
    assert units["BKPSDM"]["cost"] == 16 * M and units["Dinas Kesehatan"]["participants"] == 2
    assert detail["summary"]["cost_per_point"] == pytest.approx(18 * M / 6.95)
    assert {i["route"] for i in detail["items"]} == {"KL03", "NKL03"}
    assert client.post("/api/v1/plans/%d/submit/" % plan.pk, {"note": "siap"},
                       content_type="application/json").json()["status"] == "submitted"
    other = AgencyFactory(code="kab-lain")
    outsider = EmployeeFactory(agency=other, unit=UnitFactory(agency=other), roles=["planner"]).user
    client.force_login(outsider)
    assert client.get("/api/v1/plans/").json()["results"] == []
    assert client.get("/api/v1/plans/%d/" % plan.pk).status_code == 404
    client.force_login(EmployeeFactory(agency=agency, unit=scene["unit_b"]).user)
    assert client.get("/api/v1/plans/").status_code == 403
