"""The session pages as the mentor and the mentee use them: plan from the free times, record, log,
confirm, cancel, download the .ics; nobody else reaches them; each side's notes stay their own."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from lms.models import JpCredit
from lms.models.mentoring import MentoringSession
from tna.factories import AgencyFactory, EmployeeFactory, UnitFactory

D = datetime.timedelta
S = MentoringSession.Status


@pytest.fixture(autouse=True)
def english(client):
    """These pages are read in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def as_mentor(client, mentor):
    client.force_login(mentor.user)
    return client


@pytest.fixture
def planned(pair, monday, at, make_mentoring_session):
    return make_mentoring_session(pair, at(monday, "14:00"), status=S.PLANNED, confirmed=False, topic="Memo",
                                  place="Ruang Rapat")


@pytest.fixture
def logged(pair, at, make_mentoring_session):
    """Held yesterday, logged by the mentor with notes, waiting for the mentee."""
    yesterday = timezone.localdate() - D(days=1)
    return make_mentoring_session(pair, at(yesterday, "10:00"), minutes=90, confirmed=False, topic="Membaca data",
                                  mentor_confirmed_at=timezone.now(), mentor_notes="RAHASIA-MENTOR: perlu latihan",
                                  mentee_notes="RAHASIA-MENTEE: saya gugup")


def test_the_plan_page_offers_free_times_as_buttons(as_mentor, pair):
    response = as_mentor.get(reverse("lms_mentoring:session-plan", args=[pair.pk]), {"minutes": 90})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('name="slot"') == 8 and 'value="90" checked' in page
    assert "Eko Mentee" in page


def test_choosing_a_time_plans_it_and_mails_both(as_mentor, pair, mentor, mentee, monday,
                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_mentor.post(reverse("lms_mentoring:session-plan", args=[pair.pk]),
                                  {"slot": "%sT14:00" % monday.isoformat(), "minutes": "30", "topic": "Memo"})
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    local = timezone.localtime(session.starts_at, ZoneInfo("Asia/Jakarta"))
    assert (local.date(), local.time(), session.minutes, session.topic) == (monday, datetime.time(14), 30, "Memo")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([mentor.email, mentee.email])


def test_a_time_taken_meanwhile_is_refused_with_the_reason(as_mentor, pair, planned, monday):
    response = as_mentor.post(reverse("lms_mentoring:session-plan", args=[pair.pk]),
                              {"slot": "%sT14:30" % monday.isoformat(), "minutes": "60"}, follow=True)
    assert MentoringSession.objects.count() == 1
    assert "has another mentoring session at that time" in response.content.decode()


def test_recording_a_meeting_held(client, pair, mentee):
    client.force_login(mentee.user)
    url = reverse("lms_mentoring:session-record", args=[pair.pk])
    assert client.get(url).status_code == 200
    yesterday = timezone.localdate() - D(days=1)
    response = client.post(url, {"held_on": yesterday.isoformat(), "start_time": "10:00", "minutes": "60",
                                 "topic": "Membaca data", "notes": "catatan saya"})
    assert response.status_code == 302
    session = MentoringSession.objects.get()
    assert (session.status, session.mentee_notes, session.mentee_confirmed_at is not None) == (S.HELD, "catatan saya",
                                                                                               True)
    response = client.post(url, {"held_on": (timezone.localdate() + D(days=2)).isoformat(), "start_time": "10:00",
                                 "minutes": "60", "topic": "X"})
    assert response.status_code == 200 and "plan a future one" in response.content.decode()


def test_the_mentee_confirms_what_the_mentor_logged_and_gets_jp(client, logged, mentee, pair):
    client.force_login(mentee.user)
    page = client.get(reverse("lms_mentoring:session-log", args=[logged.pk])).content.decode()
    assert "Confirm the session" in page and "RAHASIA-MENTEE" in page and "RAHASIA-MENTOR" not in page
    response = client.post(reverse("lms_mentoring:session-confirm", args=[logged.pk]), {"notes": "lebih tenang"})
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.confirmed and logged.mentee_notes == "lebih tenang"
    assert JpCredit.objects.get(employee=mentee, mentoring_pair=pair).jp == 2


def test_logging_a_started_session(as_mentor, planned, mentor):
    url = reverse("lms_mentoring:session-log", args=[planned.pk])
    response = as_mentor.post(url, {"held_on": planned.starts_at.date().isoformat(), "minutes": "60", "topic": "Memo"})
    assert response.status_code == 302 and MentoringSession.objects.get().status == S.PLANNED  # not started
    planned.starts_at = timezone.now() - D(hours=2)
    planned.ends_at = planned.starts_at + D(hours=1)
    planned.save()
    local = timezone.localtime(planned.starts_at, planned.starts_at.tzinfo)
    response = as_mentor.post(url, {"held_on": local.date().isoformat(), "minutes": "50", "topic": "Memo",
                                    "notes": "n"})
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.minutes, planned.mentor_notes) == (S.HELD, 50, "n")


def test_cancelling_and_the_ics(as_mentor, planned):
    response = as_mentor.get(reverse("lms_mentoring:session-ics", args=[planned.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "METHOD:PUBLISH" in body and "UID:mentoring-%d-1@" % planned.pk in body and "ATTENDEE" not in body
    response = as_mentor.post(reverse("lms_mentoring:session-cancel", args=[planned.pk]))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert (planned.status, planned.sequence) == (S.CANCELLED, 1)
    body = as_mentor.get(reverse("lms_mentoring:session-ics", args=[planned.pk])).content.decode()
    assert "METHOD:CANCEL" in body and "SEQUENCE:1" in body


def test_nobody_else_reaches_the_session_pages(client, pair, logged, planned, make_employee, admin, supervisor):
    other_agency = AgencyFactory(code="kab-lain")
    stranger = EmployeeFactory(agency=other_agency, unit=UnitFactory(agency=other_agency), roles=["training_admin"])
    urls = [("get", reverse("lms_mentoring:session-plan", args=[pair.pk])),
            ("post", reverse("lms_mentoring:session-plan", args=[pair.pk])),
            ("get", reverse("lms_mentoring:session-record", args=[pair.pk])),
            ("post", reverse("lms_mentoring:session-record", args=[pair.pk])),
            ("get", reverse("lms_mentoring:session-log", args=[logged.pk])),
            ("post", reverse("lms_mentoring:session-log", args=[logged.pk])),
            ("post", reverse("lms_mentoring:session-confirm", args=[logged.pk])),
            ("post", reverse("lms_mentoring:session-cancel", args=[planned.pk])),
            ("get", reverse("lms_mentoring:session-ics", args=[planned.pk]))]
    for person in (make_employee("Rekan Lain"), admin, supervisor, stranger):
        client.force_login(person.user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (person.name, url)
    client.logout()
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 302  # to the sign-in page
    logged.refresh_from_db()
    planned.refresh_from_db()
    assert (logged.mentee_confirmed_at, planned.status) == (None, S.PLANNED)
    assert MentoringSession.objects.count() == 2


def test_the_sessions_list_shows_each_side_only_their_own_notes(rf, pair, logged, planned, mentor, mentee):
    from django.template.loader import render_to_string

    def render(role, user):
        request = rf.get("/")
        request.user = user
        with translation.override("en"):
            return render_to_string("lms/mentoring/_sessions.html",
                                    {"pair": pair, "sessions": [logged, planned], "me_role": role}, request=request)

    mine = render("mentor", mentor.user)
    assert "RAHASIA-MENTOR" in mine and "RAHASIA-MENTEE" not in mine
    assert "Confirmed by the mentor; waiting for the mentee." in mine
    assert "Cancel the session" in mine and "Plan a session" in mine and "Next session" in mine
    theirs = render("mentee", mentee.user)
    assert "RAHASIA-MENTEE" in theirs and "RAHASIA-MENTOR" not in theirs
    assert reverse("lms_mentoring:session-confirm", args=[logged.pk]) in theirs
    hr = render("", mentor.user)
    assert "RAHASIA" not in hr and "Cancel the session" not in hr and "Plan a session" not in hr


def test_the_pair_page_lists_sessions_without_the_other_sides_notes(client, pair, logged, mentee, admin):
    url = reverse("lms_mentoring:pair", args=[pair.pk])
    client.force_login(mentee.user)
    page = client.get(url).content.decode()
    assert "Membaca data" in page and "RAHASIA-MENTEE" in page and "RAHASIA-MENTOR" not in page
    client.force_login(admin.user)
    response = client.get(url)
    assert response.status_code == 200 and "RAHASIA" not in response.content.decode()
