"""Level 1, reaction: an agency adds its own questions to the four standard ones, the training admin sees
the response rate and who teaches, and attendees who have not rated a course are reminded, within limits."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from courses.services import session_update
from lms.factories import ReactionQuestionFactory, attend
from lms.models import Evaluation, EvaluationReminder, ReactionAnswer, ReactionQuestion
from lms.services.evaluation import evaluation_submit
from lms.services.reminders import evaluation_reminders_send
from tna.factories import AgencyFactory

from .delivery_scene import held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db
SCORES = {"relevance": 5, "trainer": 4, "organisation": 3, "overall": 4}


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def questions(agency):
    """Our agency asks one extra question (and no longer asks another); another agency asks its own."""
    return {
        "ours": ReactionQuestionFactory(agency=agency, text="Materi sesuai kebutuhan kerja",
                                        text_en="The materials matched my work"),
        "retired": ReactionQuestionFactory(agency=agency, text="Konsumsi memadai", text_en="The catering was fine",
                                           active=False),
        "theirs": ReactionQuestionFactory(agency=AgencyFactory(code="kab-lain"), text="Pertanyaan kabupaten lain",
                                          text_en="The other agency's question"),
    }


def form_url(enrollment):
    return reverse("lms:evaluation", args=[enrollment.pk])


# --- the agency's questions on the participant's form --------------------------------------------

def test_the_agencys_question_is_asked_after_the_four_and_its_answer_stored(client, participants, meetings,
                                                                           questions, admin, settings):
    ani = participants[0]
    attend(ani, meetings)
    client.force_login(ani.employee.user)
    page = client.get(form_url(ani)).content.decode()
    assert "Relevant to my work" in page and "The materials matched my work" in page
    assert page.index("Overall") < page.index("The materials matched my work") < page.index("Comments")
    assert "The other agency's question" not in page and "The catering was fine" not in page

    ours = questions["ours"]
    response = client.post(form_url(ani), {**SCORES, "question-%d" % ours.pk: "2", "comment": "Cukup."}, follow=True)
    assert "Thank you for rating" in response.content.decode()
    answer = ReactionAnswer.objects.get()
    assert (answer.evaluation.enrollment, answer.question, answer.score) == (ani, ours, 2)

    # The training admin reads the question's mean beside the four standard ones, from five answers on.
    client.force_login(admin.user)
    roster = client.get(reverse("lms:delivery-roster", args=[ani.session_id])).content.decode()
    assert "The materials matched my work" not in roster
    assert "1 participant rated the course; the means are shown from 5 answers" in roster
    settings.LATIH_EVALUATION_MIN_RESPONDENTS = 1
    roster = client.get(reverse("lms:delivery-roster", args=[ani.session_id])).content.decode()
    assert "The materials matched my work: 2.0" in roster


def test_leaving_the_agencys_question_out_saves_nothing(client, participants, meetings, questions):
    ani = participants[0]
    attend(ani, meetings)
    client.force_login(ani.employee.user)
    response = client.post(form_url(ani), SCORES)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not Evaluation.objects.exists() and not ReactionAnswer.objects.exists()


def test_the_service_refuses_a_missing_or_foreign_answer_whole(participants, meetings, questions):
    ani = participants[0]
    attend(ani, meetings)
    user = ani.employee.user
    with pytest.raises(ValidationError) as missing:
        evaluation_submit(enrollment=ani, user=user, **SCORES)
    assert "question-%d" % questions["ours"].pk in missing.value.message_dict
    with pytest.raises(ValidationError, match="questions have changed"):
        evaluation_submit(enrollment=ani, user=user, **SCORES,
                          answers={questions["ours"].pk: 4, questions["theirs"].pk: 5})
    with pytest.raises(ValidationError):
        evaluation_submit(enrollment=ani, user=user, **SCORES, answers={questions["ours"].pk: 6})
    assert not Evaluation.objects.exists()
    evaluation_submit(enrollment=ani, user=user, **SCORES, answers={questions["ours"].pk: 5})
    assert list(ReactionAnswer.objects.values_list("score", flat=True)) == [5]


def test_a_training_admin_keeps_only_their_agencys_questions(client, admin, agency, questions):
    client.force_login(admin.user)
    index = client.get(reverse("lms_reactionquestion:index"))
    assert index.status_code == 200
    assert set(index.context["object_list"]) == {questions["ours"], questions["retired"]}
    assert client.get(reverse("lms_reactionquestion:edit", args=[questions["theirs"].pk])).status_code == 404
    # The agency posted is ignored: the question is the admin's own agency's.
    response = client.post(reverse("lms_reactionquestion:add"), {
        "agency": questions["theirs"].agency_id, "text": "Waktu pelatihan cukup", "text_en": "", "sort_order": "5",
        "active": "on",
    })
    assert response.status_code == 302
    assert ReactionQuestion.objects.get(text="Waktu pelatihan cukup").agency == agency


def test_an_answered_question_is_kept_when_deleted(client, admin, participants, meetings, questions):
    ani = participants[0]
    attend(ani, meetings)
    evaluation_submit(enrollment=ani, user=ani.employee.user, **SCORES, answers={questions["ours"].pk: 4})
    client.force_login(admin.user)
    client.post(reverse("lms_reactionquestion:delete", args=[questions["ours"].pk]))
    assert ReactionQuestion.objects.filter(pk=questions["ours"].pk).exists()
    client.post(reverse("lms_reactionquestion:delete", args=[questions["retired"].pk]))
    assert not ReactionQuestion.objects.filter(pk=questions["retired"].pk).exists()


def test_someone_outside_training_cannot_open_the_questions(client, asn, questions):
    client.force_login(asn.user)
    assert client.get(reverse("lms_reactionquestion:index")).status_code in (302, 403)


# --- the trainer and the response rate on the roster ---------------------------------------------

def test_the_trainer_is_edited_with_the_session_and_shown_on_the_roster(client, admin, held, participants):
    client.force_login(admin.user)
    edit = client.get(reverse("wagtailsnippets_courses_session:edit", args=[held.pk])).content.decode()
    assert 'name="trainer"' in edit
    session_update(session=held, trainer="Drs. Agus Widyaiswara")
    roster = client.get(reverse("lms:delivery-roster", args=[held.pk])).content.decode()
    assert "Trainer: Drs. Agus Widyaiswara" in roster
    ani = participants[0]
    client.force_login(ani.employee.user)
    detail = client.get(reverse("lms:enrollment-detail", args=[ani.pk])).content.decode()
    assert "Drs. Agus Widyaiswara" in detail


def test_the_roster_shows_how_many_attendees_rated_the_session(client, admin, participants, meetings):
    ani, bayu, cici = participants
    attend(ani, meetings)
    attend(bayu, meetings[:1])
    attend(cici, meetings, status="absent")  # never came: not counted
    evaluation_submit(enrollment=ani, user=ani.employee.user, **SCORES)
    client.force_login(admin.user)
    roster = client.get(reverse("lms:delivery-roster", args=[ani.session_id])).content.decode()
    assert "<strong>50%</strong> response rate: 1 of 2 attendees rated the course" in roster


# --- reminders -----------------------------------------------------------------------------------

def reminders(now=None):
    """Run the reminder command (or the service at ``now``) and return the addresses written to."""
    mail.outbox.clear()
    if now is None:
        out = StringIO()
        call_command("send_evaluation_reminders", stdout=out)
        addresses = sorted(address for message in mail.outbox for address in message.to)
        return addresses, out.getvalue()
    evaluation_reminders_send(now=now)
    return sorted(address for message in mail.outbox for address in message.to)


def test_attendees_who_have_not_rated_are_reminded_twice_a_week_apart(participants, meetings):
    ani, bayu, cici = participants
    attend(ani, meetings)
    attend(bayu, meetings[:4])
    attend(cici, meetings, status="absent")
    evaluation_submit(enrollment=ani, user=ani.employee.user, **SCORES)

    sent, output = reminders()
    assert sent == [bayu.employee.email]  # not Ani (rated), not Cici (never came)
    assert "Evaluation reminders sent: 1 (1 to rate a course, 0 follow-ups to learners, 0 to supervisors)." in output
    message = mail.outbox[0]
    assert reverse("lms:evaluation", args=[bayu.pk]) in message.body and "Pelayanan Prima Dasar" in message.subject
    assert reminders()[0] == []  # the same day: nobody twice

    now = timezone.now()
    assert reminders(now + datetime.timedelta(days=6)) == []
    assert reminders(now + datetime.timedelta(days=7, minutes=1)) == [bayu.employee.email]
    assert reminders(now + datetime.timedelta(days=15)) == []  # the limit is two
    assert EvaluationReminder.objects.filter(enrollment=bayu, kind="reaction").count() == 2


def test_nobody_is_reminded_once_they_rate(participants, meetings):
    bayu = participants[1]
    attend(bayu, meetings)
    assert reminders()[0] == [bayu.employee.email]
    evaluation_submit(enrollment=bayu, user=bayu.employee.user, **SCORES)
    assert reminders(timezone.now() + datetime.timedelta(days=8)) == []


def test_the_limit_and_the_interval_are_settings(settings, participants, meetings):
    settings.LATIH_EVALUATION_REMINDERS = 1
    settings.LATIH_EVALUATION_REMINDER_DAYS = 3
    bayu = participants[1]
    attend(bayu, meetings)
    assert reminders()[0] == [bayu.employee.email]
    assert reminders(timezone.now() + datetime.timedelta(days=4)) == []
    settings.LATIH_EVALUATION_REMINDERS = 2
    assert reminders(timezone.now() + datetime.timedelta(days=4)) == [bayu.employee.email]


def test_sessions_long_past_or_not_yet_over_are_not_chased(participants, meetings):
    bayu = participants[1]
    attend(bayu, meetings)
    # Ended more than LATIH_EVALUATION_REMINDER_WITHIN_DAYS (30) ago: nobody is asked any more.
    assert reminders(timezone.now() + datetime.timedelta(days=40)) == []
    # The day it ended: too early.
    assert reminders(bayu.session.ends_at + datetime.timedelta(hours=12)) == []


def test_a_dry_run_sends_and_records_nothing(participants, meetings):
    attend(participants[1], meetings)
    out = StringIO()
    call_command("send_evaluation_reminders", "--dry-run", stdout=out)
    assert "Dry run, nothing sent: 1 evaluation reminder is due" in out.getvalue()
    assert not mail.outbox and not EvaluationReminder.objects.exists()
