"""Completion closes the loop: evidence for the next TNA run, the profile include, the portable record."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime
import io
import json

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from lms import training_evidence
from lms.factories import attend
from lms.models.ledger import JpCredit
from lms.services.completion import enrollment_complete
from tna.factories import CycleFactory, RatingFactory, RequiredLevelFactory
from tna.hooks import training_evidence_providers
from tna.models import CompetencyGap

from .delivery_scene import held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db
THIS_YEAR = datetime.date.today().year


@pytest.fixture
def ani_completed(participants, meetings, admin):
    ani = participants[0]
    attend(ani, meetings)
    enrollment_complete(enrollment=ani, user=admin.user)
    return ani


def test_completed_training_is_evidence_for_this_and_the_next_cycles(ani_completed, service_competency, settings):
    frame = training_evidence.training_evidence(cycle=THIS_YEAR)
    assert frame.to_dict("records") == [
        {"employee_id": ani_completed.employee_id, "competency_id": service_competency.pk, "level": 3}]
    assert len(training_evidence.training_evidence(cycle=THIS_YEAR + 2)) == 1
    assert len(training_evidence.training_evidence(cycle=THIS_YEAR + 3)) == 0
    assert len(training_evidence.training_evidence(cycle=THIS_YEAR - 1)) == 0
    settings.LATIH_TRAINING_EVIDENCE_YEARS = 1
    assert len(training_evidence.training_evidence(cycle=THIS_YEAR + 1)) == 0


def test_evidence_is_limited_to_the_agency(ani_completed):
    from tna.factories import AgencyFactory

    assert len(training_evidence.training_evidence(cycle=THIS_YEAR, agency=ani_completed.employee.agency)) == 1
    assert len(training_evidence.training_evidence(cycle=THIS_YEAR, agency=AgencyFactory(code="lain"))) == 0


def test_register_installs_the_provider_once():
    training_evidence.register()
    training_evidence.register()
    assert training_evidence_providers().count(training_evidence.training_evidence) == 1


def test_the_next_tna_run_sees_the_training(participants, meetings, admin, service_competency, make_employee):
    """A person rated at level 1 on M.05 who completes a level-3 course comes out higher next run."""
    from tna.services.tna_run import run_tna

    training_evidence.register()
    ani = participants[0]
    RequiredLevelFactory(position=ani.employee.position, competency=service_competency, level=3)
    cycle = CycleFactory(year=THIS_YEAR)
    boss = make_employee("Kepala Penilai")
    RatingFactory(cycle=cycle, ratee=ani.employee, rater=boss, rater_role="supervisor",
                  competency=service_competency, level=1)
    run_tna(cycle=cycle, agency=ani.employee.agency)
    before = CompetencyGap.objects.get(cycle=cycle, employee=ani.employee, competency=service_competency)
    attend(ani, meetings)
    enrollment_complete(enrollment=ani, user=admin.user)
    run_tna(cycle=cycle, agency=ani.employee.agency)
    after = CompetencyGap.objects.get(cycle=cycle, employee=ani.employee, competency=service_competency)
    assert after.observed_level > before.observed_level
    assert after.gap < before.gap


def render_completed(employee, viewer):
    request = RequestFactory().get("/")
    request.user = viewer
    template = Template("{% load lms_delivery %}{% completed_training employee %}")
    return template.render(Context({"employee": employee, "request": request}))


def test_profile_include_shows_completed_training(ani_completed, participants):
    html = render_completed(ani_completed.employee, ani_completed.employee.user)
    certificate = ani_completed.certificate
    assert "Pelayanan Prima Dasar" in html and ">16<" in html and "M.05" in html
    assert reverse("lms:certificate-pdf", args=[certificate.code]) in html
    assert reverse("lms:evaluation", args=[ani_completed.pk]) in html
    # A colleague looking at the profile gets the public check, not the download or the rating link.
    other = render_completed(ani_completed.employee, participants[1].employee.user)
    assert reverse("lms:certificate-verify-code", args=[certificate.code]) in other
    assert reverse("lms:certificate-pdf", args=[certificate.code]) not in other
    assert reverse("lms:evaluation", args=[ani_completed.pk]) not in other


def test_record_json_has_profile_trainings_and_jp_per_year(ani_completed, service_competency, client):
    cycle = CycleFactory(year=THIS_YEAR)
    employee = ani_completed.employee
    CompetencyGap.objects.create(cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit,
                                 competency=service_competency, required_level=3, observed_level=1.5, gap=1.5,
                                 priority=60, confidence=0.7)
    JpCredit.objects.create(employee=employee, year=THIS_YEAR - 1, jp=24, title="Literasi Digital",
                            competency_type="technical", route="NKL03", provider="LAN",
                            start_date=datetime.date(THIS_YEAR - 1, 3, 2), end_date=datetime.date(THIS_YEAR - 1, 3, 4))
    client.force_login(employee.user)
    response = client.get(reverse("lms:record-json"))
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["format"] == "latih.learning-record"
    assert data["person"]["nip"] == employee.nip
    assert data["competency_profile"]["cycle"] == THIS_YEAR
    assert data["competency_profile"]["competencies"][0] == {
        "code": "M.05", "name": "Pelayanan Publik", "group": "managerial", "required_level": 3,
        "observed_level": 1.5, "gap": 1.5}
    assert [t["title"] for t in data["trainings"]] == ["Pelayanan Prima Dasar", "Literasi Digital"]
    assert data["trainings"][0]["verification_code"] == ani_completed.certificate.code
    assert data["jp_per_year"] == [
        {"year": THIS_YEAR, "jp": 16, "minimum": 20, "met": False},
        {"year": THIS_YEAR - 1, "jp": 24, "minimum": 20, "met": True},
    ]


def test_record_pdf_is_the_person_s_own(ani_completed, participants, client):
    client.force_login(participants[1].employee.user)
    bayu_record = client.get(reverse("lms:record-pdf"))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bayu_record.content)).pages)
    assert "Bayu Peserta" in text and "Ani Peserta" not in text
    assert "No completed training yet." in text
    client.force_login(ani_completed.employee.user)
    body = client.get(reverse("lms:record-pdf")).content
    assert body.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert "Ani Peserta" in text and "Pelayanan Prima Dasar" in text and ani_completed.certificate.code in text


def test_record_needs_sign_in(client):
    response = client.get(reverse("lms:record-json"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"
