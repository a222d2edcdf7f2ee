"""The enrollments API: request, scoping, approve/reject/cancel/attendance, clear 400s for illegal moves."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from courses.models import Session
from lms.models import Enrollment, EnrollmentStatus
from lms.services.enrollment import enrollment_request
from tna.factories import AgencyFactory, EmployeeFactory, UserFactory

S = EnrollmentStatus
URL = "/api/v1/enrollments/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def api(person):
    client = APIClient()
    client.force_authenticate(person.user if hasattr(person, "user") else person)
    return client


def test_request_a_seat_then_asking_again_returns_the_same(asn, session):
    response = api(asn).post(URL, {"session": session.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["enrollment"]["status"] == "requested" and body["enrollment"]["nip"] == asn.nip
    assert "waiting for your supervisor's approval" in body["detail"]
    again = api(asn).post(URL, {"session": session.pk}, format="json")
    assert again.status_code == 200
    assert again.json()["enrollment"]["id"] == body["enrollment"]["id"]
    assert again.json()["detail"].startswith("There is already a live enrollment for this session; nothing changed.")


def test_a_full_open_session_answers_with_the_waitlist_position(asn, colleague, make_employee, open_session):
    for person in (asn, colleague):
        api(person).post(URL, {"session": open_session.pk}, format="json")
    third = make_employee("Eko Menunggu")
    body = api(third).post(URL, {"session": open_session.pk}, format="json").json()
    assert body["enrollment"]["status"] == "waitlisted" and body["enrollment"]["waitlist_position"] == 1
    assert "number 1 on the waitlist" in body["detail"]


def test_refusals_are_400_with_the_reason(asn, session, course, open_course, make_session):
    Session.objects.filter(pk=session.pk).update(enrollment_closes=timezone.now() - datetime.timedelta(hours=1))
    closed = api(asn).post(URL, {"session": session.pk}, format="json")
    assert closed.status_code == 400 and "Enrollment for this session closed on" in closed.json()["detail"]
    first = make_session(course, offset_days=7, label="B")
    api(asn).post(URL, {"session": first.pk}, format="json")
    clash = api(asn).post(URL, {"session": make_session(open_course, offset_days=7).pk}, format="json")
    assert clash.status_code == 400
    assert clash.json()["code"] == "overlap" and "overlaps pelayanan-prima B" in clash.json()["detail"]


def test_only_the_person_their_supervisors_and_their_agency_training_admins_see_it(
    asn, colleague, supervisor, head, admin, make_employee, session
):
    enrollment_request(employee=asn, session=session, user=asn.user)
    planner = make_employee("Putri Perencana", roles=["planner"])
    other_admin = EmployeeFactory(agency=AgencyFactory(code="kab-lain"), roles=["training_admin"])
    root = UserFactory(username="root", is_superuser=True)

    def seen(person):
        response = api(person).get(URL)
        assert response.status_code == 200
        return [row["nip"] for row in response.json()["results"]]

    for viewer in (asn, supervisor, head, admin, root):
        assert seen(viewer) == [asn.nip], viewer
    for viewer in (colleague, planner, other_admin):
        assert seen(viewer) == [], viewer
    enrollment = Enrollment.objects.get(employee=asn)
    assert api(colleague).get("%s%d/" % (URL, enrollment.pk)).status_code == 404
    assert APIClient().get(URL).status_code in (401, 403)


def test_a_training_admin_requests_for_someone_in_the_agency(admin, asn, session):
    response = api(admin).post(URL, {"session": session.pk, "nip": asn.nip}, format="json")
    assert response.status_code == 201 and response.json()["enrollment"]["nip"] == asn.nip
    forbidden = api(asn).post(URL, {"session": session.pk, "nip": admin.nip}, format="json")
    assert forbidden.status_code == 403


def test_approve_reject_cancel_and_illegal_moves(asn, colleague, supervisor, session, mailoutbox):
    mine = api(asn).post(URL, {"session": session.pk}, format="json").json()["enrollment"]["id"]
    theirs = api(colleague).post(URL, {"session": session.pk}, format="json").json()["enrollment"]["id"]
    boss = api(supervisor)
    assert api(colleague).post("%s%d/approve/" % (URL, mine)).status_code == 404
    assert api(asn).post("%s%d/approve/" % (URL, mine)).status_code == 403
    approved = boss.post("%s%d/approve/" % (URL, mine), {"note": "Silakan"}, format="json")
    assert approved.status_code == 200 and approved.json()["enrollment"]["status"] == "enrolled"

    no_reason = boss.post("%s%d/reject/" % (URL, theirs), {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["detail"]
    rejected = boss.post("%s%d/reject/" % (URL, theirs), {"reason": "Sudah ikut tahun lalu."}, format="json")
    assert rejected.json()["enrollment"]["status"] == "rejected"
    assert rejected.json()["enrollment"]["reason"] == "Sudah ikut tahun lalu."

    cancelled = api(asn).post("%s%d/cancel/" % (URL, mine), {"reason": "Dinas luar"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["enrollment"]["status"] == "cancelled"
    illegal = boss.post("%s%d/approve/" % (URL, mine))
    assert illegal.status_code == 400
    assert illegal.json() == {
        "detail": "This enrollment is “Cancelled”, so it cannot be approved. It was cancelled; a new request is needed.",
        "code": "illegal_transition",
    }


def test_awaiting_me_filter_lists_what_the_supervisor_must_decide(asn, colleague, supervisor, session, open_session):
    enrollment_request(employee=asn, session=session, user=asn.user)
    enrollment_request(employee=colleague, session=open_session, user=colleague.user)
    rows = api(supervisor).get(URL, {"awaiting_me": "true"}).json()["results"]
    assert [r["nip"] for r in rows] == [asn.nip]
    assert api(supervisor).get(URL, {"status": "enrolled"}).json()["count"] == 1


def test_attendance_is_recorded_by_the_training_admin(asn, admin, open_session):
    enrollment = enrollment_request(employee=asn, session=open_session, user=asn.user)
    start = timezone.now() - datetime.timedelta(hours=2)
    first = open_session.meetings.get(number=1)
    first.starts_at, first.ends_at = start, start + datetime.timedelta(hours=1)
    first.save()
    url = "%s%d/attendance/" % (URL, enrollment.pk)
    assert api(asn).post(url, {"meeting": 1, "present": True}, format="json").status_code == 403
    response = api(admin).post(url, {"meeting": 1, "present": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"meeting": 1, "present": "present"}
    later = api(admin).post(url, {"meeting": 2, "present": True}, format="json")
    assert later.status_code == 400 and "has not started yet" in later.json()["detail"]
    assert api(admin).post(url, {"meeting": 9, "present": True}, format="json").status_code == 400


def test_the_schema_documents_the_actions(client, asn):
    client.force_login(asn.user)
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for action in ("approve", "reject", "cancel", "attendance"):
        assert "/api/v1/enrollments/{id}/%s/" % action in schema["paths"]


def test_the_decider_reads_what_the_decision_did(asn, colleague, supervisor, make_employee, session):
    for person in (colleague, make_employee("Eka Satu", supervisor=supervisor)):
        pending = enrollment_request(employee=person, session=session, user=person.user)
        api(supervisor).post("%s%d/approve/" % (URL, pending.pk))
    mine = enrollment_request(employee=asn, session=session, user=asn.user)
    body = api(supervisor).post("%s%d/approve/" % (URL, mine.pk)).json()
    assert body["detail"] == "Budi Pegawai is approved; the session is full, so they are number 1 on the waitlist."
    assert api(asn).get("%s%d/" % (URL, mine.pk)).json()["waitlist_position"] == 1
