"""Only people who attended rate a course, once, after it; the admin sees the results on the roster."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from courses.factories import session_for
from lms.factories import EnrollmentFactory, attend
from lms.models import Evaluation
from lms.services.evaluation import evaluation_submit

from .delivery_scene import held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db
SCORES = {"relevance": 5, "trainer": 4, "organisation": 3, "overall": 4}


def test_an_attendee_rates_the_course_on_the_page(participants, meetings, client, admin):
    ani = participants[0]
    attend(ani, meetings[:2])
    client.force_login(ani.employee.user)
    url = reverse("lms:evaluation", args=[ani.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Relevant to my work" in page.content.decode()
    response = client.post(url, {**SCORES, "comment": "Materi sangat berguna."}, follow=True)
    assert "Thank you for rating Service excellence basics" in response.content.decode()
    evaluation = Evaluation.objects.get(enrollment=ani)
    assert (evaluation.overall, evaluation.comment) == (4, "Materi sangat berguna.")
    # The training admin sees the averages and the comment on the roster.
    client.force_login(admin.user)
    roster = client.get(reverse("lms:delivery-roster", args=[ani.session_id])).content.decode()
    assert "1 participant rated the course" in roster and "Materi sangat berguna." in roster


def test_someone_who_never_came_is_refused(participants, meetings, client):
    cici = participants[2]
    attend(cici, meetings, status="absent")
    client.force_login(cici.employee.user)
    response = client.get(reverse("lms:evaluation", args=[cici.pk]))
    assert response.status_code == 403
    assert "Only participants who attended the course can rate it." in response.content.decode()
    response = client.post(reverse("lms:evaluation", args=[cici.pk]), SCORES)
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_rating_waits_for_the_end_of_the_course(make_employee, taught_course):
    today = datetime.date.today()
    running = session_for(taught_course, first_day=today - datetime.timedelta(days=3), days=10, weekdays=range(7))
    enrollment = EnrollmentFactory(employee=make_employee("Fajar Awal"), session=running)
    attend(enrollment, running.meetings.order_by("number")[:2])
    with pytest.raises(ValidationError, match="once it has ended"):
        evaluation_submit(enrollment=enrollment, user=enrollment.employee.user, **SCORES)


def test_one_rating_each_and_only_by_the_participant(participants, meetings):
    ani, bayu = participants[:2]
    attend(ani, meetings)
    with pytest.raises(PermissionDenied):
        evaluation_submit(enrollment=ani, user=bayu.employee.user, **SCORES)
    evaluation_submit(enrollment=ani, user=ani.employee.user, **SCORES)
    with pytest.raises(ValidationError, match="already rated"):
        evaluation_submit(enrollment=ani, user=ani.employee.user, **SCORES)


def test_scores_outside_one_to_five_are_refused(participants, meetings):
    ani = participants[0]
    attend(ani, meetings)
    with pytest.raises(ValidationError):
        evaluation_submit(enrollment=ani, user=ani.employee.user, **{**SCORES, "overall": 6})


def test_someone_else_s_evaluation_page_does_not_exist(participants, client):
    client.force_login(participants[1].employee.user)
    assert client.get(reverse("lms:evaluation", args=[participants[0].pk])).status_code == 404


def test_my_training_lists_courses_to_rate(participants, meetings, client):
    ani = participants[0]
    attend(ani, meetings[:1])
    client.force_login(ani.employee.user)
    page = client.get(reverse("lms:my-training")).content.decode()
    assert reverse("lms:evaluation", args=[ani.pk]) in page


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"
