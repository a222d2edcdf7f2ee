"""The career page at /karier/saya/: my position and grade, each next step's criteria and where I stand,
the courses that close a missing competency, my plan and projects, my box only when the agency allows it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.models import CataloguePage, HomePage
from courses.factories import CourseFactory, ProviderFactory
from lms.models import DevelopmentItem, JpCredit
from tna.factories import (
    AgencyFactory,
    AppraisalFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UserFactory,
)
from tna.models import Assignment, TalentPlacement, TalentPolicy

from .recommend_scene import competency, gap


def credit(employee, jp, *, ended, course=None, title="Pelatihan"):
    return JpCredit.objects.create(employee=employee, course=course, year=ended.year, jp=jp, title=title,
                                   competency_type="technical", route="KL03", provider="BKPSDM", start_date=ended,
                                   end_date=ended)


def placement(employee, cycle, box=8):
    return TalentPlacement.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit, job_type="pelaksana",
        performance="meets", potential="high", computed_box=box, box=box, performance_score=2.0,
        potential_score=0.2, computed_at=timezone.now())


@pytest.fixture
def scene(agency, make_employee, supervisor):
    today = timezone.localdate()
    cycle, before = CycleFactory(year=today.year), CycleFactory(year=today.year - 1)
    integrity = competency("M.01", "Integritas", "Integrity")
    communication = competency("M.03", "Komunikasi", "Communication")
    key = PositionFactory(agency=agency, code="kasubbag-umum", name="Kepala Subbagian Umum", job_type="pengawas",
                          is_key=True)
    RequiredLevelFactory(position=key, competency=integrity, level=3)
    RequiredLevelFactory(position=key, competency=communication, level=2)
    budi = make_employee("Budi Pegawai", supervisor=supervisor, grade="III/b",
                         grade_since=datetime.date(today.year - 3, 4, 1))
    gap(budi, integrity, cycle=cycle, required=1, observed=2.0, priority=10)
    gap(budi, communication, cycle=cycle, required=1, observed=2.5, priority=0)
    AppraisalFactory(cycle=cycle, employee=budi, results="meets", behaviour="meets")
    AppraisalFactory(cycle=before, employee=budi, results="above", behaviour="above")
    credit(budi, 8, ended=today - datetime.timedelta(days=30))
    credit(budi, 40, ended=today - datetime.timedelta(days=500))  # older than a year: not counted
    Assignment.objects.create(employee=budi, cycle=cycle, title="Tim Reformasi Birokrasi", role="member",
                              start=today - datetime.timedelta(days=60))
    HomePage.objects.get().add_child(
        instance=CataloguePage(title="Katalog Kota Contoh", slug="katalog-kota-contoh", agency=agency))
    elsewhere = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    courses = {
        "closes": CourseFactory(agency=agency, code="integritas-lanjut", title="Integritas Lanjut",
                                title_en="Integrity in practice", competencies=[(integrity, 3)], jp=16),
        "too-low": CourseFactory(agency=agency, code="integritas-dasar", title="Integritas Dasar",
                                 title_en="Integrity basics", competencies=[(integrity, 2)]),
        "draft": CourseFactory(agency=agency, code="integritas-draf", title="Integritas Draf",
                               title_en="Integrity draft", competencies=[(integrity, 4)], live=False),
        "classroom-elsewhere": CourseFactory(agency=elsewhere, code="integritas-lain", title="Integritas Lain",
                                             title_en="Integrity elsewhere", competencies=[(integrity, 3)]),
        "shared-online": CourseFactory(agency=elsewhere, provider=ProviderFactory(agency=None, kind="lan"),
                                       code="integritas-daring", title="Integritas Daring",
                                       title_en="Integrity online", competencies=[(integrity, 3)], mode="online",
                                       jp=8),
        "pkp": CourseFactory(agency=agency, code="pkp-angkatan-1", title="PKP Angkatan I",
                             title_en="PKP class I", leadership_programme="pkp", competencies=[(communication, 2)],
                             jp=120),
    }
    DevelopmentItem.objects.create(cycle=cycle, employee=budi, action="coaching", course=courses["closes"],
                                   priority=50, note="Dengan atasan langsung")
    return {"budi": budi, "cycle": cycle, "courses": courses, "integrity": integrity, "elsewhere": elsewhere}


def get(client, user, **params):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get(reverse("lms_career:mine"), params)


@pytest.fixture
def page(client, scene):
    response = get(client, scene["budi"].user)
    assert response.status_code == 200
    return response


def test_the_page_lives_at_karier_saya():
    assert reverse("lms_career:mine") == "/karier/saya/"
    assert reverse("lms_career:succession") == "/karier/suksesi/"


def test_shows_my_position_grade_with_pangkat_and_the_notice(page):
    html = page.content.decode()
    assert "Budi Pegawai" in html and "Analis SDM" in html and "Pelaksana" in html
    assert "III/b (Penata Muda Tingkat I)" in html
    assert "It is not a promotion decision" in html


def test_each_next_step_has_its_criteria_and_where_i_stand(page):
    steps = {card["job_type"]: card for card in page.context["steps"]}
    assert list(steps) == ["pengawas", "ahli_pertama", "terampil"]
    statuses = {item["code"]: item["status"] for item in steps["pengawas"]["criteria"]}
    assert statuses == {"appraisal": "met", "leadership_training": "missing", "jp": "missing",
                        "competencies": "missing", "time_in_grade": "met", "grade": "met", "projects": "met"}
    html = page.content.decode()
    assert "8 of the minimum 20 JP in the last 12 months." in html
    assert "level 3 required, observed 2.0 (1.0 short)" in html
    assert "M.01 Integrity" in html


def test_a_missing_competency_links_to_the_courses_that_close_it_own_agency_first(page, scene):
    item = next(i for i in page.context["steps"][0]["criteria"] if i["code"] == "competencies")
    row = item["levels"][0]
    assert row["row"].competency_id == scene["integrity"].pk
    assert [o["course"].code for o in row["courses"]] == ["integritas-lanjut", "integritas-daring"]
    html = page.content.decode()
    assert '<a href="http://testserver/katalog-kota-contoh/integritas-lanjut/">Integrity in practice</a>' in html
    for absent in ("Integrity basics", "Integrity draft", "Integrity elsewhere"):
        assert absent not in html


def test_missing_leadership_training_links_to_a_course_of_that_programme(page):
    item = next(i for i in page.context["steps"][0]["criteria"] if i["code"] == "leadership_training")
    assert item["course"]["course"].code == "pkp-angkatan-1"
    assert "Take PKP (Pelatihan Kepemimpinan Pengawas)." in page.content.decode()


def test_my_plan_and_my_projects(page):
    html = page.content.decode()
    assert "Coaching" in html and "Dengan atasan langsung" in html
    assert "Tim Reformasi Birokrasi" in html


def test_no_box_by_default_and_the_box_when_the_policy_allows(client, scene):
    placement(scene["budi"], scene["cycle"], box=8)
    response = get(client, scene["budi"].user)
    html = response.content.decode()
    assert response.context["box"] is None and "Box 8" not in html and "talent box" not in html
    TalentPolicy.objects.create(agency=scene["budi"].agency, show_own_box=False)
    assert get(client, scene["budi"].user).context["box"] is None
    TalentPolicy.objects.filter(agency=scene["budi"].agency).update(show_own_box=True)
    html = get(client, scene["budi"].user).content.decode()
    assert "Box 8: Meets expectations, high potential" in html


def test_a_grade_date_not_recorded_is_said_so(client, scene):
    budi = scene["budi"]
    budi.grade_since = None
    budi.save()
    response = get(client, budi.user)
    item = next(i for i in response.context["steps"][0]["criteria"] if i["code"] == "time_in_grade")
    assert item["status"] == "unknown"
    assert "not recorded" in response.content.decode()


def test_another_agencys_person_is_never_on_my_page(client, scene):
    other = EmployeeFactory(agency=scene["elsewhere"], name="Orang Lain Sekali", grade="III/b")
    response = get(client, scene["budi"].user, nip=other.nip, employee=other.pk)
    assert response.context["employee"] == scene["budi"]
    assert "Orang Lain Sekali" not in response.content.decode()
    mine = get(client, other.user)
    assert mine.context["employee"] == other and "Budi Pegawai" not in mine.content.decode()


def test_without_an_employee_record_a_friendly_page(client, db):
    client.force_login(UserFactory())
    client.cookies["django_language"] = "en"
    response = client.get(reverse("lms_career:mine"))
    assert response.status_code == 200
    assert "not linked to an employee record" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(reverse("lms_career:mine"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_page_renders_in_indonesian(client, scene):
    client.force_login(scene["budi"].user)
    response = client.get(reverse("lms_career:mine"))
    assert response.status_code == 200 and 'lang="id"' in response.content.decode()
