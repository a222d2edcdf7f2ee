"""Every admin URL that names a course, session or provider stops at the user's agency.

An agency's training admin or planner must not see, edit, publish, unpublish, lock, review or
even choose another agency's catalogue — through the snippet views, the chooser modal or the
site-history report.
"""

import pytest
from django.urls import reverse
from wagtail.models import Workflow

from courses.factories import CourseFactory, ProviderFactory, session_for
from courses.models import Course, Session
from tna.factories import AgencyFactory, EmployeeFactory, UserFactory

COURSE = "wagtailsnippets_courses_course"
SESSION = "wagtailsnippets_courses_session"
PROVIDER = "wagtailsnippets_courses_provider"
SECRET = "Kursus Rahasia Kabupaten Lain"


@pytest.fixture
def theirs(db, course):
    """Agency B: a live course with a change under review, a session, a provider, and their staff."""
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    their_admin = EmployeeFactory(agency=other, roles=["training_admin"]).user
    provider = ProviderFactory(agency=other, name="Bidang Diklat Kabupaten Lain")
    course_b = CourseFactory(agency=other, provider=provider, code="milik-lain", title=SECRET)
    course_b.title = SECRET + " (revisi)"
    revision = course_b.save_revision(user=their_admin, log_action=True)
    workflow_state = Workflow.objects.get(name="Tinjauan pelatihan").start(course_b, their_admin)
    course_b.refresh_from_db()
    return {
        "course": course_b, "revision": revision, "session": session_for(course_b), "provider": provider,
        "task_state": workflow_state.current_task_state, "workflow_state": workflow_state,
    }


@pytest.fixture(params=["training_admin", "planner"])
def staff(request, agency):
    return EmployeeFactory(agency=agency, roles=[request.param]).user


def object_urls(b):
    pk, rev, ts, ws = b["course"].pk, b["revision"].pk, b["task_state"].pk, b["workflow_state"].pk
    task = b["task_state"].task_id
    return [
        reverse(COURSE + ":edit", args=[pk]), reverse(COURSE + ":delete", args=[pk]),
        reverse(COURSE + ":usage", args=[pk]), reverse(COURSE + ":history", args=[pk]),
        reverse(COURSE + ":history_results", args=[pk]), reverse(COURSE + ":copy", args=[pk]),
        reverse(COURSE + ":preview_on_edit", args=[pk]), reverse(COURSE + ":revisions_view", args=[pk, rev]),
        reverse(COURSE + ":revisions_revert", args=[pk, rev]),
        reverse(COURSE + ":revisions_compare", args=[pk, "live", rev]),
        reverse(COURSE + ":unpublish", args=[pk]), reverse(COURSE + ":lock", args=[pk]),
        reverse(COURSE + ":unlock", args=[pk]),
        reverse(COURSE + ":workflow_action", args=[pk, "approve", ts]),
        reverse(COURSE + ":collect_workflow_action_data", args=[pk, "approve", ts]),
        reverse(COURSE + ":confirm_workflow_cancellation", args=[pk]),
        reverse(COURSE + ":workflow_history", args=[pk]),
        reverse(COURSE + ":workflow_history_detail", args=[pk, ws]),
        reverse(COURSE + ":workflow_preview", args=[pk, task]),
        reverse(SESSION + ":edit", args=[b["session"].pk]), reverse(SESSION + ":history", args=[b["session"].pk]),
        reverse(SESSION + ":delete", args=[b["session"].pk]),
        reverse("courses_session_status", args=["cancel", b["session"].pk]),
        reverse(PROVIDER + ":edit", args=[b["provider"].pk]),
        reverse("wagtailsnippetchoosers_courses_course:chosen", args=[pk]),
    ]


def test_another_agencys_objects_are_not_found_by_any_url(client, theirs, staff):
    client.force_login(staff)
    for url in object_urls(theirs):
        assert client.get(url).status_code == 404, url
        posted = client.post(url, {"title": "diambil alih", "action-publish": "1", "reason": "x"})
        assert posted.status_code in (404, 405), url  # the chooser answers GET only
    course, session = Course.objects.get(pk=theirs["course"].pk), Session.objects.get(pk=theirs["session"].pk)
    assert course.title == SECRET and course.live and course.locked is False
    assert course.workflow_in_progress  # nobody of agency A approved or cancelled it
    assert session.status == "scheduled"


def test_listings_choosers_and_history_show_only_their_own_agency(client, theirs, staff, course):
    client.force_login(staff)
    pages = [
        reverse(COURSE + ":list"), reverse(COURSE + ":list_results") + "?q=Kursus",
        reverse(SESSION + ":list"), reverse(PROVIDER + ":list"),
        reverse("wagtailsnippetchoosers_courses_course:choose"),
        reverse("wagtailsnippetchoosers_courses_course:choose_results") + "?q=Kursus",
        reverse("wagtailsnippetchoosers_courses_course:chosen_multiple") + "?id=%d" % theirs["course"].pk,
        reverse("wagtailsnippetchoosers_courses_session:choose"),
        reverse("wagtailsnippetchoosers_courses_provider:choose"),
        reverse("wagtailadmin_reports:site_history"), reverse("wagtailadmin_home"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302), url
        html = response.content.decode()
        assert "Rahasia" not in html and "milik-lain" not in html and "Diklat Kabupaten Lain" not in html, url
    own = client.get(reverse("wagtailsnippetchoosers_courses_course:choose")).content.decode()
    assert course.title in own


def test_their_own_agency_sees_its_history_and_a_superuser_sees_all(client, theirs):
    client.force_login(EmployeeFactory(agency=theirs["course"].agency, roles=["training_admin"]).user)
    assert SECRET in client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert SECRET in client.get(reverse("wagtailadmin_reports:site_history")).content.decode()
    assert client.get(reverse(COURSE + ":edit", args=[theirs["course"].pk])).status_code == 200
