"""The evaluation report a planner hands to the head of the agency: each level, no small group given away."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from courses.factories import CourseFactory
from lms.factories import EnrollmentFactory, held_session
from lms.models import CourseEffect, EnrollmentStatus, Evaluation
from lms.models.evaluation import PreTest
from tna.factories import AgencyFactory, EmployeeFactory


def _participants(course, n, *, trainer, score, pre=40, post=70, make_employee):
    session = held_session(course, weeks_ago=3, trainer=trainer)
    for i in range(n):
        enrollment = EnrollmentFactory(employee=make_employee("Peserta %s %d" % (trainer, i)), session=session,
                                       status=EnrollmentStatus.COMPLETED, post_test_score=post)
        PreTest.objects.create(enrollment=enrollment, score=pre)
        Evaluation.objects.create(enrollment=enrollment, relevance=score, trainer=score, organisation=score,
                                  overall=score)
    return session


@pytest.fixture
def scene(agency, make_employee):
    excel = CourseFactory(agency=agency, code="excel", title="Excel Lanjutan", title_en="Advanced Excel")
    writing = CourseFactory(agency=agency, code="menulis", title="Menulis Laporan", title_en="Report writing")
    coaching = CourseFactory(agency=agency, code="coaching", title="Coaching", title_en="Coaching")
    session = _participants(excel, 6, trainer="Ani", score=5, make_employee=make_employee)
    _participants(writing, 5, trainer="Budi", score=3, make_employee=make_employee)
    _participants(coaching, 1, trainer="Citra", score=1, make_employee=make_employee)
    year = session.ends_at.year
    CourseEffect.objects.create(course=excel, year=year, estimate=0.4, low=0.21, high=0.6, n_treated=30,
                                n_control=42, enough=True, prior=1.0, shrunk=0.64, realised=0.64)
    planner = make_employee("Perencana", roles=["planner"])
    return {"year": year, "planner": planner, "excel": excel}


def _report(client, scene, **params):
    client.force_login(scene["planner"].user)
    client.cookies["django_language"] = "en"
    return client.get(reverse("lms:evaluation-report"), {"year": scene["year"], **params})


def test_the_planner_sees_each_level_per_course(client, scene):
    response = _report(client, scene)
    assert response.status_code == 200
    rows = {row["label"]: row for row in response.context["report"]["rows"]}
    excel = rows["Advanced Excel"]
    assert excel["attended"] == 6 and excel["respondents"] == 6 and excel["reaction"] == 5.0
    assert excel["gain"] == pytest.approx(0.5)  # (70 − 40) ÷ (100 − 40)
    assert excel["effect"]["estimate"] == 0.4 and excel["effect"]["n_control"] == 42
    html = response.content.decode()
    assert "+0.40" in html and "[0.21; 0.60]" in html and "30 trained, 42 untrained" in html
    assert "Did the training work?" in html
    assert '<ul class="forest">' in html and 'class="whisker"' in html  # the forest plot of effects
    (item,) = response.context["forest"]
    assert item["low"] < item["x"] < item["high"] and item["zero"] < item["low"]  # clear of zero


def test_a_lone_answer_is_hidden_and_cannot_be_worked_out_from_the_total(client, scene):
    rows = {row["label"]: row for row in _report(client, scene).context["report"]["rows"]}
    assert rows["Coaching"]["hidden"] and rows["Coaching"]["reaction"] is None  # one person
    # Report writing has five, but the total of 12 minus Excel's 6 would give Coaching's one answer away.
    assert rows["Report writing"]["hidden"] and rows["Report writing"]["reaction"] is None
    per_trainer = {row["label"]: row for row in _report(client, scene, by="trainer").context["report"]["rows"]}
    assert per_trainer["Citra"]["hidden"] and per_trainer["Budi"]["hidden"] and not per_trainer["Ani"]["hidden"]


def test_the_report_downloads_as_a_workbook_of_numbers_and_a_pdf(client, scene):
    response = _report(client, scene, format="xlsx")
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content))["Evaluation"]
    header = [cell.value for cell in sheet[2]]
    body = {row[0]: dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=3, values_only=True)}
    excel = body["Advanced Excel"]
    assert excel["Reaction (1–5)"] == 5 and excel["Effect on observed level"] == 0.4
    assert body["Coaching"]["Reaction (1–5)"] is None
    pdf = _report(client, scene, format="pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_it_is_indonesian_by_default(client, scene):
    client.force_login(scene["planner"].user)
    html = client.get(reverse("lms:evaluation-report"), {"year": scene["year"]}).content.decode()
    assert "Apakah pelatihannya berhasil?" in html and "+0,40" in html


def test_only_the_agencys_training_admins_and_planners_read_it(client, scene, make_employee):
    client.force_login(make_employee("Pegawai Biasa").user)
    assert client.get(reverse("lms:evaluation-report")).status_code == 403
    other = EmployeeFactory(agency=AgencyFactory(code="lain"), roles=["planner"])
    client.force_login(other.user)
    response = client.get(reverse("lms:evaluation-report"), {"year": scene["year"]})
    assert response.status_code == 200 and response.context["report"]["rows"] == []
    assert "Excel" not in response.content.decode()


def test_the_api_lists_course_effects_of_the_own_agency_and_the_report(client, scene):
    client.force_login(scene["planner"].user)
    data = client.get("/api/v1/evaluations/", {"year": scene["year"]}).json()
    (effect,) = data["results"]
    assert effect["course"] == "excel" and effect["estimate"] == 0.4 and effect["n_control"] == 42
    report = client.get("/api/v1/evaluations/report/", {"year": scene["year"], "by": "course"}).json()
    rows = {row["key"]: row for row in report}
    assert rows[str(scene["excel"].pk)]["reaction"] == 5.0
    assert all(row["reaction"] is None for row in report if row["hidden"])

    elsewhere = EmployeeFactory(agency=AgencyFactory(code="lain"), roles=["planner"])
    client.force_login(elsewhere.user)
    assert client.get("/api/v1/evaluations/").json()["results"] == []
    client.force_login(EmployeeFactory(agency=scene["excel"].agency).user)  # an ASN: effects yes, report no
    assert len(client.get("/api/v1/evaluations/").json()["results"]) == 1
    assert client.get("/api/v1/evaluations/report/").status_code == 403
