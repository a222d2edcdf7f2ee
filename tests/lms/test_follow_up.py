"""Level 3, behaviour: 90 days after completing a course the learner and their direct supervisor each say
how much of it is used at work; the home lists what is due, reminders follow, and HR sees supervisors'
answers only as an average of at least five."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from lms.factories import FollowUpFactory, completed, held_session
from lms.models import EvaluationReminder, FollowUp
from lms.services.follow_up import follow_up_submit
from lms.services.reminders import evaluation_reminders_send

from .delivery_scene import service_competency, taught_course

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def long_ago(taught_course):
    """The course's session, held some four months ago."""
    return held_session(taught_course, weeks_ago=16, days=3)


@pytest.fixture
def done(asn, long_ago):
    """Budi (reporting to Sari) completed the course 91 days ago: the follow-up is open."""
    return completed(asn, long_ago, days_ago=91)


@pytest.fixture
def recent(colleague, long_ago):
    """Citra (also reporting to Sari) completed it only 30 days ago."""
    return completed(colleague, long_ago, days_ago=30)


def page(client, person, name, enrollment, **data):
    client.force_login(person.user)
    url = reverse(name, args=[enrollment.pk])
    return client.post(url, data) if data else client.get(url)


# --- who answers, and when -----------------------------------------------------------------------

def test_the_learner_answers_after_ninety_days_once(client, done, asn):
    form = page(client, asn, "lms:follow-up", done)
    assert form.status_code == 200 and "How much of this training do you use at work?" in form.content.decode()
    response = page(client, asn, "lms:follow-up", done, score="4", example="Saya memakai standar layanan di loket.")
    assert response.status_code == 302
    answer = FollowUp.objects.get()
    assert (answer.enrollment, answer.respondent, answer.score, answer.answered_by) == (done, "learner", 4, asn.user)
    assert answer.example == "Saya memakai standar layanan di loket."
    again = page(client, asn, "lms:follow-up", done)
    assert again.status_code == 403 and "already answered" in again.content.decode()


def test_the_follow_up_is_refused_before_day_ninety(client, recent, colleague):
    response = page(client, colleague, "lms:follow-up", recent)
    assert response.status_code == 403 and "The follow-up opens on" in response.content.decode()
    with pytest.raises(ValidationError, match="opens on"):
        follow_up_submit(enrollment=recent, respondent="learner", user=colleague.user, score=3)
    # The day it opens it is accepted.
    follow_up_submit(enrollment=recent, respondent="learner", user=colleague.user, score=3,
                     now=recent.completed_at + 90 * DAY + datetime.timedelta(minutes=1))
    assert FollowUp.objects.filter(enrollment=recent).exists()


def test_the_days_are_a_setting(settings, recent, colleague):
    settings.LATIH_FOLLOW_UP_DAYS = 30
    follow_up_submit(enrollment=recent, respondent="learner", user=colleague.user, score=5)
    assert FollowUp.objects.get().score == 5


def test_the_follow_up_closes_after_its_window(asn, long_ago):
    stale = completed(asn, long_ago, days_ago=200)
    with pytest.raises(ValidationError, match="closed on"):
        follow_up_submit(enrollment=stale, respondent="learner", user=asn.user, score=3)


def test_the_direct_supervisor_answers_and_no_other(client, done, supervisor, head, colleague):
    # The supervisor's supervisor, a colleague, and the learner as "supervisor": none of them.
    for person in (head, colleague, done.employee):
        with pytest.raises(PermissionDenied):
            follow_up_submit(enrollment=done, respondent="supervisor", user=person.user, score=2)
        assert page(client, person, "lms:follow-up-team", done).status_code == 404
    with pytest.raises(PermissionDenied):
        follow_up_submit(enrollment=done, respondent="learner", user=supervisor.user, score=2)

    form = page(client, supervisor, "lms:follow-up-team", done).content.decode()
    assert "How much of this training does Budi Pegawai use at work?" in form
    response = page(client, supervisor, "lms:follow-up-team", done, score="2", example="Masih kembali ke cara lama.")
    assert response.status_code == 302
    assert FollowUp.objects.get().respondent == "supervisor"


def test_scores_outside_one_to_five_are_refused(done, asn):
    with pytest.raises(ValidationError):
        follow_up_submit(enrollment=done, respondent="learner", user=asn.user, score=0)
    assert not FollowUp.objects.exists()


# --- the homes -----------------------------------------------------------------------------------

def home(client, person):
    client.force_login(person.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_homes_list_the_follow_ups_due_until_answered(client, done, recent, asn, supervisor, colleague):
    mine = reverse("lms:follow-up", args=[done.pk])
    assert mine in home(client, asn) and "How much of Service excellence basics do you use?" in home(client, asn)
    assert reverse("lms:follow-up", args=[recent.pk]) not in home(client, colleague)  # not yet due
    team = home(client, supervisor)
    assert reverse("lms:follow-up-team", args=[done.pk]) in team and "Budi Pegawai" in team
    assert reverse("lms:follow-up-team", args=[recent.pk]) not in team

    follow_up_submit(enrollment=done, respondent="learner", user=asn.user, score=4)
    assert mine not in home(client, asn)
    assert reverse("lms:follow-up-team", args=[done.pk]) in home(client, supervisor)  # theirs is still due
    follow_up_submit(enrollment=done, respondent="supervisor", user=supervisor.user, score=3)
    assert reverse("lms:follow-up-team", args=[done.pk]) not in home(client, supervisor)


# --- what HR sees, and what the learner never sees -----------------------------------------------

def test_supervisors_answers_reach_hr_only_as_an_average_of_five(client, admin, make_employee, supervisor, long_ago):
    learners = [make_employee("Peserta %d" % n, supervisor=supervisor) for n in range(5)]
    enrollments = [completed(person, long_ago, days_ago=95) for person in learners]
    for enrollment, score in zip(enrollments[:4], (1, 2, 3, 4), strict=True):
        FollowUpFactory(enrollment=enrollment, respondent="supervisor", score=score, example="Catatan atasan rahasia")
    roster_url = reverse("lms:delivery-roster", args=[long_ago.pk])
    client.force_login(admin.user)
    roster = client.get(roster_url).content.decode()
    assert "Supervisors: 4 answers so far." in roster and "2.5 of 5" not in roster
    FollowUpFactory(enrollment=enrollments[4], respondent="supervisor", score=5)
    roster = client.get(roster_url).content.decode()
    assert "Supervisors: 3.0 of 5 (5 answers)." in roster
    assert "Catatan atasan rahasia" not in roster  # never a supervisor's own words


def test_the_learner_never_sees_what_their_supervisor_wrote(client, done, asn, supervisor):
    follow_up_submit(enrollment=done, respondent="supervisor", user=supervisor.user, score=1,
                     example="Belum terlihat perubahan di loket.")
    for name in ("lms:follow-up", "lms:my-training", "home"):
        client.force_login(asn.user)
        url = reverse(name, args=[done.pk]) if name == "lms:follow-up" else reverse(name)
        text = client.get(url).content.decode()
        assert "Belum terlihat perubahan" not in text


# --- reminders -----------------------------------------------------------------------------------

def reminded(now=None):
    """The (address, kind) of each reminder e-mailed at ``now``."""
    mail.outbox.clear()
    before = set(EvaluationReminder.objects.values_list("pk", flat=True))
    evaluation_reminders_send(now=now)
    kinds = list(EvaluationReminder.objects.exclude(pk__in=before).values_list("kind", flat=True))
    return sorted(address for message in mail.outbox for address in message.to), sorted(kinds)


def test_learner_and_supervisor_are_reminded_twice_a_week_apart(done, recent, asn, supervisor):
    now = timezone.now()
    assert reminded(now) == (sorted([asn.email, supervisor.email]), ["followup_learner", "followup_supervisor"])
    team_mail = next(message for message in mail.outbox if message.to == [supervisor.email])
    assert reverse("lms:follow-up-team", args=[done.pk]) in team_mail.body
    assert reminded(now + DAY) == ([], [])
    assert reminded(now + 7 * DAY + datetime.timedelta(minutes=1))[0] == sorted([asn.email, supervisor.email])
    # Citra's follow-up opens at day 90 (now + 60 days): she is asked then, the others are past their limit.
    assert reminded(now + 61 * DAY) == ([recent.employee.email, supervisor.email],
                                        ["followup_learner", "followup_supervisor"])
    assert EvaluationReminder.objects.filter(enrollment=done).count() == 4


def test_whoever_answered_is_not_reminded(done, asn, supervisor):
    follow_up_submit(enrollment=done, respondent="learner", user=asn.user, score=4)
    assert reminded() == ([supervisor.email], ["followup_supervisor"])
    follow_up_submit(enrollment=done, respondent="supervisor", user=supervisor.user, score=4)
    assert reminded(timezone.now() + 8 * DAY) == ([], [])


def test_nobody_is_asked_about_someone_without_a_supervisor(make_employee, long_ago):
    alone = completed(make_employee("Tanpa Atasan"), long_ago, days_ago=91)
    assert reminded() == ([alone.employee.email], ["followup_learner"])
