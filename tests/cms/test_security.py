"""Sign-in limits, response headers and the audit trail, as a visitor, an attacker and HR meet them."""

import pytest
from auditlog.models import LogEntry
from django.test import Client, override_settings
from django.urls import reverse

from cms.audit import HIDDEN
from courses.factories import CourseFactory, session_for
from lms.models import Enrollment, EnrollmentStatus
from lms.services.enrollment import enrollment_request
from tna.factories import AgencyFactory, CompetencyFactory, CycleFactory, EmployeeFactory, RatingFactory

PASSWORD = "latih-test-pass"

signin_limits = override_settings(AXES_ENABLED=True)


def sign_in(client, path, username, password):
    return client.post(path, {"username": username, "password": password})


@pytest.fixture
def person(db):
    return EmployeeFactory(name="Rina Wulandari")


@signin_limits
@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_the_right_password_after_thirty_wrong_ones_is_refused(client, person, path):
    for _ in range(30):
        sign_in(client, path, person.nip, "wrong")
    response = sign_in(client, path, person.nip, PASSWORD)
    assert response.status_code == 429
    assert "Akses masuk ditangguhkan sementara" in response.content.decode()  # in the default language
    assert "_auth_user_id" not in client.session


@signin_limits
def test_a_few_typos_do_not_lock_and_a_success_clears_them(client, person):
    for _ in range(4):
        assert sign_in(client, "/accounts/login/", person.nip, "wrong").status_code == 200
    assert sign_in(client, "/accounts/login/", person.nip, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "/accounts/login/", person.nip, "wrong")
    assert sign_in(client, "/accounts/login/", person.nip, PASSWORD).status_code == 302


@signin_limits
@override_settings(LATIH_SIGNIN_FAILURES_PER_ADDRESS=12)
def test_an_address_guessing_across_many_accounts_is_stopped(client, db):
    people = EmployeeFactory.create_batch(4)
    for victim in people[:3]:
        for _ in range(4):  # under the account limit each time
            sign_in(client, "/accounts/login/", victim.nip, "wrong")
    # 12 failures from this address: even an account nobody guessed at is closed to it.
    assert sign_in(client, "/accounts/login/", people[3].nip, PASSWORD).status_code == 429
    # The same account from another office is not.
    other = client.__class__(REMOTE_ADDR="10.9.8.7")
    assert sign_in(other, "/accounts/login/", people[3].nip, PASSWORD).status_code == 302


@signin_limits
def test_hr_unlocks_their_own_staff_only(client, db):
    agency = AgencyFactory()
    person = EmployeeFactory(agency=agency)
    stranger = EmployeeFactory()
    hr = EmployeeFactory(agency=agency, roles=["training_admin"])
    for who in (person, stranger):
        for _ in range(6):
            sign_in(client, "/accounts/login/", who.nip, "wrong")
    assert sign_in(client, "/accounts/login/", person.nip, PASSWORD).status_code == 429

    hr_client = client.__class__(REMOTE_ADDR="10.1.1.1")
    hr_client.force_login(hr.user)
    page = hr_client.get(reverse("cms_signin_locks")).content.decode()
    assert person.nip in page and stranger.nip not in page
    hr_client.post(reverse("cms_signin_locks"), {"username": stranger.nip})  # not theirs: refused
    hr_client.post(reverse("cms_signin_locks"), {"username": person.nip})

    assert sign_in(client, "/accounts/login/", person.nip, PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, "/accounts/login/", stranger.nip, PASSWORD).status_code == 429


def test_every_page_carries_a_strict_policy_and_no_server_version(client, person):
    client.force_login(person.user)
    for path in ("/", "/accounts/login/", "/learning/", "/api/v1/competencies/"):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response["Server"] == "Latih"


def test_the_admin_policy_allows_only_what_wagtail_needs(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "unsafe-eval" not in policy
    assert "style-src 'self' 'unsafe-inline'" in policy


@pytest.fixture
def enrollment_scene(db):
    agency = AgencyFactory()
    boss = EmployeeFactory(agency=agency, name="Budi Santoso", roles=["supervisor"])
    staff = EmployeeFactory(agency=agency, unit=boss.unit, supervisor=boss)
    course = CourseFactory(agency=agency)
    session = session_for(course, capacity=5)
    enrollment = enrollment_request(employee=staff, session=session, user=staff.user)
    # Through the site, as the supervisor would: the request tells the trail who acted.
    client = Client()
    client.force_login(boss.user)
    client.post(reverse("lms:enrollment-approve", args=[enrollment.pk]))
    return agency, boss, staff, enrollment


def test_hr_reads_who_decided_an_enrollment_and_other_agencies_do_not(client, enrollment_scene):
    agency, boss, staff, enrollment = enrollment_scene
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.ENROLLED
    hr = EmployeeFactory(agency=agency, roles=["training_admin"])
    outsider = EmployeeFactory(roles=["training_admin"])

    client.force_login(hr.user)
    page = client.get(reverse("cms_audit_trail")).content.decode()
    assert "Budi Santoso" in page  # the approver, by name
    assert str(enrollment) in page

    client.force_login(outsider.user)
    assert "Budi Santoso" not in client.get(reverse("cms_audit_trail")).content.decode()

    client.force_login(staff.user)
    assert client.get(reverse("cms_audit_trail")).status_code in (302, 403)


def test_the_trail_never_keeps_what_a_rater_said(client, db):
    agency = AgencyFactory()
    ratee, rater = EmployeeFactory.create_batch(2, agency=agency)
    rating = RatingFactory(cycle=CycleFactory(year=2026), ratee=ratee, rater=rater, rater_role="peer",
                           competency=CompetencyFactory(), level=2)
    rating.level = 4
    rating.save()
    entries = LogEntry.objects.get_for_object(rating)
    assert entries.count() == 2
    for entry in entries:
        assert "2" not in str(entry.changes.get("level")) and "4" not in str(entry.changes.get("level"))
        assert HIDDEN in str(entry.changes.get("level"))
        assert "=2" not in entry.object_repr and "=4" not in entry.object_repr


@signin_limits
def test_signing_in_to_ones_own_account_does_not_clear_the_failures_against_others(client, db):
    guesser, victim = EmployeeFactory.create_batch(2)
    for _ in range(4):
        sign_in(client, "/accounts/login/", victim.nip, "wrong")
    assert sign_in(client, "/accounts/login/", guesser.nip, PASSWORD).status_code == 302
    client.logout()
    sign_in(client, "/accounts/login/", victim.nip, "wrong")  # the fifth
    assert sign_in(client, "/accounts/login/", victim.nip, PASSWORD).status_code == 429
