"""Completion: the attendance threshold and post-test, JP credited once in the right year, certificates."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lms.factories import attend
from lms.models import EnrollmentEvent, EnrollmentStatus
from lms.models.ledger import Certificate, CreditedCompetency, JpCredit
from lms.services.completion import (
    completion_refusal,
    enrollment_complete,
    scores_record,
    session_complete_eligible,
)

from .delivery_scene import (
    attended,
    held,
    meetings,
    participants,
    service_competency,
    taught_course,
)

pytestmark = pytest.mark.django_db


def test_refusal_reads_as_a_sentence_with_the_numbers():
    assert completion_refusal(attended=3, meetings=5, has_post_test=False, post_test_score=None) == (
        "Attended 3 of 5 meetings (60%); at least 80% is needed."
    )
    assert completion_refusal(attended=4, meetings=5, has_post_test=False, post_test_score=None) is None
    assert "record the score" in completion_refusal(attended=5, meetings=5, has_post_test=True, post_test_score=None)
    assert "below the pass mark of 60" in completion_refusal(attended=5, meetings=5, has_post_test=True,
                                                             post_test_score=59)
    assert completion_refusal(attended=5, meetings=5, has_post_test=True, post_test_score=60) is None


def test_completion_credits_jp_issues_certificate_and_tells_the_person(attended, admin, service_competency,
                                                                      django_capture_on_commit_callbacks):
    ani = attended[0]
    with django_capture_on_commit_callbacks(execute=True):
        done = enrollment_complete(enrollment=ani, user=admin.user)

    assert done.status == EnrollmentStatus.COMPLETED
    credit = JpCredit.objects.get(enrollment=ani)
    assert (credit.jp, credit.title, credit.route, credit.competency_type) == (16, "Pelayanan Prima Dasar", "KL03",
                                                                               "managerial")
    assert credit.year == datetime.date.today().year
    assert credit.start_date.weekday() == 0 and (credit.end_date - credit.start_date).days == 4
    assert list(CreditedCompetency.objects.filter(credit=credit).values_list("competency__code", "level")) == [
        ("M.05", 3)]
    certificate = Certificate.objects.get(enrollment=ani)
    assert certificate.number == credit.certificate_number
    assert certificate.number.startswith("SERT/KOTA-CONTOH/")
    assert len(certificate.code) == 14
    assert EnrollmentEvent.objects.filter(enrollment=ani, to_status="completed", user=admin.user).exists()
    [message] = [m for m in mail.outbox if ani.employee.email in m.to]
    assert "Pelayanan Prima Dasar" in message.subject


def test_too_little_attendance_is_refused_with_the_reason(attended, admin):
    cici = attended[2]
    with pytest.raises(ValidationError) as refused:
        enrollment_complete(enrollment=cici, user=admin.user)
    assert refused.value.messages == ["Attended 3 of 5 meetings (60%); at least 80% is needed."]
    cici.refresh_from_db()
    assert cici.status == EnrollmentStatus.ENROLLED
    assert not JpCredit.objects.filter(enrollment=cici).exists()
    assert not Certificate.objects.filter(enrollment=cici).exists()


def test_excused_absence_does_not_count_as_attendance(participants, meetings, admin):
    ani = participants[0]
    attend(ani, meetings[:3])
    attend(ani, meetings[3:], status="excused")
    with pytest.raises(ValidationError, match="Attended 3 of 5"):
        enrollment_complete(enrollment=ani, user=admin.user)


def test_post_test_course_needs_a_passing_score(attended, admin, taught_course):
    taught_course.has_post_test = True
    taught_course.save()
    ani = attended[0]
    with pytest.raises(ValidationError, match="record the score first"):
        enrollment_complete(enrollment=ani, user=admin.user)
    with pytest.raises(ValidationError, match="Post-test score 55 is below the pass mark of 60"):
        enrollment_complete(enrollment=ani, user=admin.user, post_test_score=55)
    done = enrollment_complete(enrollment=ani, user=admin.user, post_test_score=75)
    done.refresh_from_db()
    assert (done.status, done.post_test_score) == (EnrollmentStatus.COMPLETED, 75)


def test_stored_post_test_score_is_used(attended, admin, taught_course):
    taught_course.has_post_test = True
    taught_course.save()
    ani = attended[0]
    scores_record(enrollment=ani, user=admin.user, post_test_score="80", pre_test_score=40)
    assert enrollment_complete(enrollment=ani, user=admin.user).status == EnrollmentStatus.COMPLETED
    assert ani.pre_test.score == 40
    with pytest.raises(ValidationError, match="cannot change"):
        scores_record(enrollment=ani, user=admin.user, post_test_score=10)


def test_jp_are_credited_once(attended, admin):
    ani = attended[0]
    enrollment_complete(enrollment=ani, user=admin.user)
    with pytest.raises(ValidationError, match="already completed"):
        enrollment_complete(enrollment=ani, user=admin.user)
    assert session_complete_eligible(session=ani.session, user=admin.user).completed == attended[1:2]
    assert JpCredit.objects.filter(enrollment=ani).count() == 1
    assert Certificate.objects.filter(enrollment=ani).count() == 1


def test_only_training_admins_complete(attended, make_employee):
    outsider = make_employee("Eko Biasa")
    with pytest.raises(PermissionDenied):
        enrollment_complete(enrollment=attended[0], user=outsider.user)


def test_completion_waits_for_the_last_meeting(make_employee, admin, taught_course):
    from courses.factories import session_for
    from lms.factories import EnrollmentFactory

    today = datetime.date.today()
    running = session_for(taught_course, first_day=today - datetime.timedelta(days=7), days=20, weekdays=range(7))
    enrollment = EnrollmentFactory(employee=make_employee("Fajar Awal"), session=running)
    held_so_far = [m for m in running.meetings.order_by("number") if m.starts_at.date() < today]
    attend(enrollment, held_so_far)
    with pytest.raises(ValidationError, match="last meeting has not started"):
        enrollment_complete(enrollment=enrollment, user=admin.user)


def test_bulk_completion_completes_the_eligible_and_explains_the_rest(attended, admin):
    ani, bayu, cici = attended
    result = session_complete_eligible(session=ani.session, user=admin.user)
    assert [e.employee.name for e in result.completed] == ["Ani Peserta", "Bayu Peserta"]
    assert [(e.employee.name, reason) for e, reason in result.refused] == [
        ("Cici Peserta", "Attended 3 of 5 meetings (60%); at least 80% is needed.")]
    assert JpCredit.objects.filter(enrollment__session=ani.session).count() == 2
    assert len(set(Certificate.objects.values_list("code", flat=True))) == 2


def test_bulk_completion_queries_do_not_grow_with_the_class(attended, admin, django_assert_max_num_queries,
                                                           make_employee, meetings):
    from lms.factories import EnrollmentFactory

    for n in range(12):
        attend(EnrollmentFactory(employee=make_employee(f"Peserta Tambahan {n}"), session=attended[0].session),
               meetings)
    with django_assert_max_num_queries(25):
        result = session_complete_eligible(session=attended[0].session, user=admin.user)
    assert len(result.completed) == 14


def test_year_of_the_credit_is_the_agency_s_local_year(attended, admin, monkeypatch, agency):
    """Completed at 1 January 00:30 WIT is still 31 December in UTC: the record says the new year."""
    agency.time_zone = "Asia/Jayapura"
    agency.save()
    new_year = datetime.datetime(datetime.date.today().year + 1, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Jayapura"))
    monkeypatch.setattr("django.utils.timezone.now", lambda: new_year.astimezone(datetime.UTC))
    enrollment_complete(enrollment=attended[0], user=admin.user)
    assert JpCredit.objects.get(enrollment=attended[0]).year == new_year.year


def test_roster_page_completes_all_eligible(attended, admin, client):
    client.force_login(admin.user)
    session = attended[0].session
    url = reverse("lms:delivery-roster", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Attended 3 of 5 meetings (60%); at least 80% is needed." in page.content.decode()
    # Posting the grid as shown (everything still ticked) and asking to complete everyone eligible.
    data = {"action": "complete-all"}
    for enrollment in attended:
        for mark in enrollment.attendance.filter(status="present"):
            data[f"a-{enrollment.pk}-{mark.meeting_id}"] = "on"
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert "2 participants completed the course" in text
    assert "Cici Peserta: Attended 3 of 5 meetings" in text
    assert JpCredit.objects.filter(enrollment__session=session).count() == 2


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"
