"""The delivery API: my certificates and record, the public code check, session attendance and completion."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import pytest
from rest_framework.test import APIClient

from lms.factories import attend
from lms.models import Attendance, EnrollmentStatus

from .delivery_scene import held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def test_admin_posts_marks_and_reads_the_grid(participants, meetings, admin, api):
    ani, bayu, _ = participants
    api.force_authenticate(admin.user)
    url = f"/api/v1/delivery/sessions/{ani.session_id}/attendance/"
    response = api.post(url, {"marks": [
        {"nip": ani.employee.nip, "meeting": 1, "present": True},
        {"nip": bayu.employee.nip, "meeting": 1, "present": "excused"},
    ]}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 2}
    grid = api.get(url).json()
    assert [m["number"] for m in grid["meetings"]] == [1, 2, 3, 4, 5]
    by_nip = {p["nip"]: p for p in grid["participants"]}
    assert by_nip[ani.employee.nip]["attendance"] == {"1": "present"}
    assert by_nip[ani.employee.nip]["attended"] == 1
    assert by_nip[bayu.employee.nip]["attendance"] == {"1": "excused"}


def test_a_bad_mark_saves_nothing(participants, meetings, admin, api):
    api.force_authenticate(admin.user)
    response = api.post(f"/api/v1/delivery/sessions/{participants[0].session_id}/attendance/", {"marks": [
        {"nip": participants[0].employee.nip, "meeting": 1, "present": True},
        {"nip": participants[1].employee.nip, "meeting": 8, "present": True},
    ]}, format="json")
    assert response.status_code == 400
    assert "no meeting 8" in response.json()["detail"]
    assert not Attendance.objects.exists()


def test_sessions_of_others_are_not_found(participants, api, make_employee):
    api.force_authenticate(make_employee("Eko Biasa").user)
    assert api.get(f"/api/v1/delivery/sessions/{participants[0].session_id}/attendance/").status_code == 404


def test_complete_one_with_a_reason_and_all_eligible(participants, meetings, admin, api):
    ani, bayu, cici = participants
    attend(ani, meetings)
    attend(bayu, meetings)
    attend(cici, meetings[:2])
    api.force_authenticate(admin.user)
    url = f"/api/v1/delivery/sessions/{ani.session_id}/complete/"
    refused = api.post(url, {"nip": cici.employee.nip}, format="json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Attended 2 of 5 meetings (40%); at least 80% is needed."
    one = api.post(url, {"nip": ani.employee.nip}, format="json").json()
    assert [c["name"] for c in one["completed"]] == ["Ani Peserta"] and len(one["completed"][0]["certificate_code"]) == 14
    rest = api.post(url, {}, format="json").json()
    assert [c["name"] for c in rest["completed"]] == ["Bayu Peserta"]
    assert [r["name"] for r in rest["refused"]] == ["Cici Peserta"]
    bayu.refresh_from_db()
    assert bayu.status == EnrollmentStatus.COMPLETED


def test_my_certificates_and_the_public_check(participants, meetings, admin, api):
    ani = participants[0]
    attend(ani, meetings)
    api.force_authenticate(admin.user)
    api.post(f"/api/v1/delivery/sessions/{ani.session_id}/complete/", {"nip": ani.employee.nip}, format="json")

    api.force_authenticate(ani.employee.user)
    [item] = api.get("/api/v1/me/certificates/").json()["results"]
    assert (item["course"], item["jp"], item["competencies"]) == ("Pelayanan Prima Dasar", 16,
                                                                  [{"code": "M.05", "level": 3}])
    assert item["verify_url"].endswith("/learning/certificates/verify/{}/".format(item["code"]))
    assert item["pdf_url"].endswith("/learning/certificates/{}/pdf/".format(item["code"]))
    api.force_authenticate(participants[1].employee.user)
    assert api.get("/api/v1/me/certificates/").json()["results"] == []

    anonymous = APIClient()
    check = anonymous.get("/api/v1/certificates/{}/".format(item["code"].lower()))
    assert check.status_code == 200
    assert check.json()["valid"] is True and check.json()["name"] == "Ani Peserta"
    assert "nip" not in check.json()
    assert anonymous.get("/api/v1/certificates/2222-3333-4444/").status_code == 404


def test_my_record(participants, api):
    api.force_authenticate(participants[0].employee.user)
    data = api.get("/api/v1/me/record/").json()
    assert data["person"]["name"] == "Ani Peserta" and data["trainings"] == []


def test_enrollments_attendance_action_goes_through_the_delivery_service(participants, meetings, admin, api):
    api.force_authenticate(admin.user)
    response = api.post(f"/api/v1/enrollments/{participants[0].pk}/attendance/",
                        {"meeting": 2, "present": True}, format="json")
    assert response.status_code == 200, response.content
    assert Attendance.objects.get(enrollment=participants[0]).meeting.number == 2


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"
