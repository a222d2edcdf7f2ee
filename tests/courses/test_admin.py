"""The catalogue admin: each agency edits only its own catalogue, and courses are reviewed before going live."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from courses.factories import CourseFactory, ProviderFactory, session_for
from courses.models import Course, Session
from courses.recurrence import national_closures
from tna.factories import AgencyFactory, CompetencyFactory, EmployeeFactory, UserFactory

COURSE = "wagtailsnippets_courses_course"
SESSION = "wagtailsnippets_courses_session"


@pytest.fixture
def setup(agency, course, session):
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    theirs = CourseFactory(agency=other, code="milik-lain", title="Kursus Kabupaten Lain")
    return {
        "other": other,
        "theirs": theirs,
        "their_session": session_for(theirs),
        "admin": EmployeeFactory(agency=agency, roles=["training_admin"]).user,
        "planner": EmployeeFactory(agency=agency, roles=["planner"]).user,
        "their_planner": EmployeeFactory(agency=other, roles=["planner"]).user,
        "their_admin": EmployeeFactory(agency=other, roles=["training_admin"]).user,
    }


def course_form(agency, provider, competency, **overrides):
    data = {
        "agency": agency.pk, "provider": provider.pk, "code": "komunikasi-baru", "title": "Komunikasi Efektif",
        "title_en": "Effective communication", "description": "Menyampaikan pesan dengan jelas.", "description_en": "",
        "category": "communication", "route": "KL08", "mode": "classroom", "jp": 16, "min_participants": 5,
        "max_participants": 25, "cost_per_participant": 1_250_000, "fixed_cost_per_class": 0, "prerequisites": "",
        "competency_targets": inline_formset([{"competency": competency.pk, "level": 3}]),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_a_training_admin_sees_and_edits_only_their_agency(client, setup, course, session):
    client.force_login(setup["admin"])
    listing = client.get(reverse(COURSE + ":list")).content.decode()
    assert course.title in listing and "Kursus Kabupaten Lain" not in listing
    assert client.get(reverse(COURSE + ":edit", args=[course.pk])).status_code == 200
    theirs, their_session = setup["theirs"], setup["their_session"]
    for url in [
        reverse(COURSE + ":edit", args=[theirs.pk]), reverse(COURSE + ":history", args=[theirs.pk]),
        reverse(COURSE + ":usage", args=[theirs.pk]), reverse(SESSION + ":edit", args=[their_session.pk]),
        reverse("courses_session_status", args=["cancel", their_session.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse(COURSE + ":edit", args=[theirs.pk]), {"title": "diambil alih"}).status_code == 404
    assert client.post(reverse("courses_session_status", args=["cancel", their_session.pk]), {"reason": "x"}).status_code == 404
    assert Course.objects.get(pk=theirs.pk).title == "Kursus Kabupaten Lain"
    assert Session.objects.get(pk=their_session.pk).status == "scheduled"
    sessions = client.get(reverse(SESSION + ":list")).content.decode()
    assert "pelayanan-prima" in sessions and "milik-lain" not in sessions


def test_a_new_course_for_another_agency_is_refused(client, setup, agency):
    client.force_login(setup["admin"])
    provider = ProviderFactory(agency=agency)
    competency = CompetencyFactory()
    response = client.post(reverse(COURSE + ":add"), course_form(setup["other"], provider, competency))
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not Course.objects.filter(code="komunikasi-baru").exists()


def test_course_goes_live_only_after_review_by_a_planner_of_the_same_agency(client, setup, agency):
    provider, competency = ProviderFactory(agency=agency), CompetencyFactory()
    client.force_login(setup["admin"])
    add_page = client.get(reverse(COURSE + ":add")).content.decode()
    assert 'name="action-publish"' not in add_page  # a training admin cannot publish
    response = client.post(reverse(COURSE + ":add"), {**course_form(agency, provider, competency), "action-submit": "1"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    course = Course.objects.get(code="komunikasi-baru")
    assert not course.live and course.workflow_in_progress
    task_state = course.current_workflow_task_state

    # A planner of another agency neither sees the task nor may act on it.
    assert not TaskState.objects.reviewable_by(setup["their_planner"]).filter(pk=task_state.pk).exists()
    client.force_login(setup["their_planner"])
    approve = reverse(COURSE + ":workflow_action", args=[course.pk, "approve", task_state.pk])
    assert client.post(approve).status_code == 404
    course.refresh_from_db()
    assert not course.live

    # The agency's own planner approves, which publishes the course.
    assert TaskState.objects.reviewable_by(setup["planner"]).filter(pk=task_state.pk).exists()
    client.force_login(setup["planner"])
    assert client.post(approve).status_code == 302
    course.refresh_from_db()
    assert course.live and not course.workflow_in_progress


def test_session_admin_writes_meetings_in_local_time_and_keeps_calendars_quiet_on_cosmetic_edits(client, setup, course, first_day):
    client.force_login(setup["admin"])
    day = first_day + datetime.timedelta(days=7)
    form = {
        "course": course.pk, "label": "Angkatan III", "place": "Aula BKPSDM", "online_url": "", "capacity": 20,
        "enrollment_opens": "", "enrollment_closes": "",
        "schedule": "%s 08:00-12:00\n%s 08.00–12.00" % (day.isoformat(), (day + datetime.timedelta(days=1)).strftime("%d-%m-%Y")),
    }
    response = client.post(reverse(SESSION + ":add"), form)
    assert response.status_code == 302, response.context["form"].errors
    session = Session.objects.get(label="Angkatan III")
    assert [m.starts_at.astimezone(session.tz).strftime("%Y-%m-%d %H:%M") for m in session.meetings.all()] == [
        "%s 08:00" % day.isoformat(), "%s 08:00" % (day + datetime.timedelta(days=1)).isoformat()
    ]
    edit = reverse(SESSION + ":edit", args=[session.pk])
    client.post(edit, {**form, "label": "Angkatan III (pagi)", "capacity": 25})
    session.refresh_from_db()
    assert (session.label, session.capacity, session.sequence) == ("Angkatan III (pagi)", 25, 0)
    client.post(edit, {**form, "label": "Angkatan III (pagi)", "capacity": 25,
                       "schedule": "%s 13:00-16:00\n%s 13:00-16:00" % (day, day + datetime.timedelta(days=1))})
    session.refresh_from_db()
    assert session.sequence == 1
    assert list(session.meetings.values_list("number", flat=True)) == [1, 2]


def test_session_admin_generates_meetings_from_a_weekly_pattern_and_reports_bad_lines(client, setup, course, first_day):
    client.force_login(setup["admin"])
    base = {"course": course.pk, "label": "Sore", "place": "Aula", "online_url": "", "capacity": 20}
    bad = client.post(reverse(SESSION + ":add"), {**base, "schedule": "besok pagi"})
    assert "Baris 1 (“besok pagi”) bukan pertemuan" in str(bad.context["form"].errors["schedule"])  # Indonesian admin
    response = client.post(reverse(SESSION + ":add"), {
        **base, "schedule": "", "pattern_first_day": first_day.isoformat(), "pattern_weekdays": ["1", "3"],
        "pattern_start": "13:30", "pattern_end": "15:30", "pattern_count": "4",
    })
    assert response.status_code == 302
    days = [m.starts_at.astimezone(m.session.tz).date() for m in Session.objects.get(label="Sore").meetings.all()]
    assert len(days) == 4 and {d.weekday() for d in days} <= {1, 3}
    assert not set(days) & national_closures([first_day.year, first_day.year + 1])  # holidays are skipped


def test_their_course_is_not_offered_when_scheduling(client, setup):
    client.force_login(setup["admin"])
    response = client.post(reverse(SESSION + ":add"), {
        "course": setup["theirs"].pk, "label": "x", "place": "Aula", "capacity": 10, "schedule": "2030-01-07 08:00-10:00",
    })
    assert "course" in response.context["form"].errors


def test_cancel_from_the_admin_keeps_the_session(client, setup, session):
    client.force_login(setup["admin"])
    url = reverse("courses_session_status", args=["cancel", session.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # reason required
    assert client.post(url, {"reason": "Gedung direnovasi"}).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.sequence) == ("cancelled", "Gedung direnovasi", 1)


def test_superuser_sees_every_agency(client, setup, course):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    listing = client.get(reverse(COURSE + ":list")).content.decode()
    assert course.title in listing and "Kursus Kabupaten Lain" in listing
    assert client.get(reverse(COURSE + ":edit", args=[setup["theirs"].pk])).status_code == 200
