"""The mentee's and the mentor's pages: "My mentoring", a pair's page (theirs alone; HR reads it without notes),
offering to mentor, applying for a mentor and the closing feedback — each walked as a person would."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from lms.models import MentoringApplication, MentoringPair, MentorOffer, PairFeedback
from lms.models.ledger import CreditedCompetency

from .conftest import hold_session, make_pair, plan_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    """Sign in as an employee (or a user), reading the site in English (the msgids asserted below)."""
    def login(employee_or_user, language="en"):
        client.force_login(getattr(employee_or_user, "user", employee_or_user))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return client
    return login


@pytest.fixture
def pair(scene):
    pair = make_pair(scene)
    hold_session(pair, minutes=135, mentor_notes="Mentor: dia gugup", mentee_notes="Mentee: takut salah")
    plan_session(pair, days_ahead=3, topic="Dashboard bulanan")
    return pair


def text_of(response):
    return response.content.decode()


def test_the_mentee_sees_their_mentor_next_session_and_jp(scene, pair, as_user):
    response = as_user(scene["mentee"]).get(reverse("lms_mentoring:mine"))
    page = text_of(response)
    assert response.status_code == 200
    assert "My mentors" in page and "Agus Mentor" in page and "Kepala Bagian" in page
    assert "Next session:" in page and "3 of 4 JP" in page
    assert reverse("lms_mentoring:pair", args=[pair.pk]) in page
    assert "My mentees" not in page and "<table" not in page


def test_the_mentor_sees_their_mentee_and_may_change_their_offer(scene, pair, as_user):
    MentorOffer.objects.create(programme=scene["programme"], mentor=scene["mentor"], capacity=2)
    page = text_of(as_user(scene["mentor"]).get(reverse("lms_mentoring:mine")))
    assert "My mentees" in page and "Yohana Staf" in page and "Analis Kebijakan" in page
    assert "My offers to mentor" in page and "Withdraw my offer" in page


def test_someone_new_learns_what_mentoring_is_and_how_to_join(scene, as_user):
    page = text_of(as_user(scene["colleague"]).get(reverse("lms_mentoring:mine")))
    assert "What is mentoring?" in page and "NKL02" in page
    assert "Mentoring Data 2026" in page
    assert "my level 3.5, required 4" in page  # a gap below 1 is no TNA need …
    assert reverse("lms_mentoring:apply", args=[scene["programme"].pk]) in page  # … but they may apply
    assert reverse("lms_mentoring:offer", args=[scene["programme"].pk]) not in page
    assert "Mentors need at least level 4" in page

    mentor_page = text_of(as_user(scene["mentor"]).get(reverse("lms_mentoring:mine")))
    assert reverse("lms_mentoring:offer", args=[scene["programme"].pk]) in mentor_page
    assert "I can mentor it" in mentor_page


def test_without_an_employee_record_the_page_explains(scene, as_user):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    response = as_user(admin).get(reverse("lms_mentoring:mine"))
    assert response.status_code == 403 and "not linked to an employee record" in text_of(response)


def test_the_pair_page_for_its_two_people(scene, pair, as_user):
    url = reverse("lms_mentoring:pair", args=[pair.pk])
    mentee_page = text_of(as_user(scene["mentee"]).get(url))
    assert "You are the mentee" in mentee_page and "Agus Mentor" in mentee_page
    assert "gap of 2.0 levels in TK.71 Data analysis, at priority 90 of 100" in mentee_page
    assert "The mentor&#x27;s observed level in it is 4.5." in mentee_page
    assert "They work in different places, in different units." in mentee_page
    assert "Level 4" in mentee_page and "3 of 4 JP" in mentee_page
    assert "Pivot tables" in mentee_page and "Plan a session" in mentee_page
    assert "Send my feedback" in mentee_page
    assert "Mentee: takut salah" in mentee_page and "Mentor: dia gugup" not in mentee_page
    assert "Level your mentee has reached" not in mentee_page

    mentor_page = text_of(as_user(scene["mentor"]).get(url))
    assert "You are the mentor" in mentor_page and "Yohana Staf" in mentor_page
    assert "Level your mentee has reached" in mentor_page and "Data level 4" in mentor_page
    assert "Mentor: dia gugup" in mentor_page and "Mentee: takut salah" not in mentor_page
    assert "<table" not in mentor_page


@pytest.mark.parametrize("who", ["colleague", "stranger", "stranger_hr"])
def test_nobody_else_sees_a_pair(scene, pair, as_user, who):
    client = as_user(scene[who])
    assert client.get(reverse("lms_mentoring:pair", args=[pair.pk])).status_code == 404
    assert client.get(reverse("lms_mentoring:feedback", args=[pair.pk])).status_code == 404
    assert client.post(reverse("lms_mentoring:feedback", args=[pair.pk]),
                       {"usefulness": "5", "goal_met": "no"}).status_code == 404
    assert not PairFeedback.objects.exists()


def test_hr_and_superusers_read_a_pair_without_notes_or_forms(scene, pair, as_user):
    url = reverse("lms_mentoring:pair", args=[pair.pk])
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    for viewer in (scene["hr"], superuser):
        response = as_user(viewer).get(url)
        page = text_of(response)
        assert response.status_code == 200 and "Read-only (HR)" in page
        assert "Agus Mentor" in page and "Yohana Staf" in page and "Pivot tables" in page
        assert "dia gugup" not in page and "takut salah" not in page
        assert "Send my feedback" not in page and "Plan a session" not in page
    assert as_user(scene["hr"]).get(reverse("lms_mentoring:feedback", args=[pair.pk])).status_code == 404


def test_a_mentee_and_a_mentor_close_the_pair_from_their_phones(scene, pair, as_user):
    url = reverse("lms_mentoring:feedback", args=[pair.pk])
    # The mentor forgets the level: the form says so, nothing is saved.
    response = as_user(scene["mentor"]).post(url, {"usefulness": "5", "goal_met": "yes", "comment": "Bagus"})
    assert response.status_code == 400 and "Say which level your mentee has reached." in text_of(response)
    response = as_user(scene["mentor"]).post(url, {"usefulness": "5", "goal_met": "yes", "level_reached": "4",
                                                   "comment": "Bagus"}, follow=True)
    assert "your feedback is saved" in text_of(response)
    assert "The other side has not given theirs yet." in text_of(response)

    response = as_user(scene["mentee"]).post(url, {"usefulness": "4", "goal_met": "yes", "comment": "Terima kasih"},
                                             follow=True)
    page = text_of(response)
    assert "The pair is completed" in page and "Completed" in page
    assert "Terima kasih" in page and "Bagus" in page and "level reached: 4" in page
    pair.refresh_from_db()
    assert pair.status == "completed" and pair.goal_met
    assert CreditedCompetency.objects.get(credit__employee=scene["mentee"]).level == 4
    # The mentee's learning record lists the mentoring with its JP.
    record = text_of(as_user(scene["mentee"]).get(reverse("lms:my-training")))
    assert "Mentoring: Mentoring Data 2026 — Analisis Data" in record
    # A closed pair takes no more feedback.
    response = as_user(scene["mentee"]).get(url)
    assert response.status_code == 302


def test_offering_to_mentor_and_withdrawing(scene, as_user):
    client = as_user(scene["mentor"])
    url = reverse("lms_mentoring:offer", args=[scene["programme"].pk])
    page = text_of(client.get(url))
    assert "My levels in the TNA of 2026" in page and "level 4.5" in page and "level 4 needed" in page
    response = client.post(url, {"competencies": [str(scene["writing"].pk)], "capacity": "2"})
    assert response.status_code == 400 and not MentorOffer.objects.exists()  # not offered at 3.2
    response = client.post(url, {"competencies": [str(scene["data"].pk)], "capacity": "2"}, follow=True)
    assert "Thank you for offering to mentor" in text_of(response)
    offer = MentorOffer.objects.get(mentor=scene["mentor"])
    assert offer.source == "opt_in" and list(offer.competencies.values_list("code", flat=True)) == ["TK.71"]

    assert as_user(scene["colleague"]).post(reverse("lms_mentoring:offer-withdraw", args=[offer.pk])).status_code \
        == 404
    response = as_user(scene["mentor"]).post(reverse("lms_mentoring:offer-withdraw", args=[offer.pk]), follow=True)
    assert "Your offer to mentor is withdrawn." in text_of(response) and not MentorOffer.objects.exists()


def test_an_ineligible_person_is_told_why(scene, as_user):
    page = text_of(as_user(scene["colleague"]).get(reverse("lms_mentoring:offer", args=[scene["programme"].pk])))
    assert "You cannot offer to mentor in this programme yet" in page and "level 3.5" in page


def test_applying_for_a_mentor_and_withdrawing(scene, as_user):
    client = as_user(scene["mentee"])
    url = reverse("lms_mentoring:apply", args=[scene["programme"].pk])
    page = text_of(client.get(url))
    assert "my gap 2.0: level 2.0, required 4" in page and "my level 3.0, required 3" in page
    response = client.post(url, {"competency": str(scene["writing"].pk), "note": "Nota dinas"}, follow=True)
    assert "Your application is sent." in text_of(response) and "My applications for a mentor" in text_of(response)
    application = MentoringApplication.objects.get()
    assert (application.employee, application.competency, application.note) == (
        scene["mentee"], scene["writing"], "Nota dinas")

    withdraw = reverse("lms_mentoring:application-withdraw", args=[application.pk])
    assert as_user(scene["colleague"]).post(withdraw).status_code == 404
    response = as_user(scene["mentee"]).post(withdraw, follow=True)
    assert "Your application is withdrawn." in text_of(response)
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_other_agencies_programmes_are_not_found(scene, as_user):
    client = as_user(scene["stranger"])
    for name in ("offer", "apply"):
        assert client.get(reverse("lms_mentoring:%s" % name, args=[scene["programme"].pk])).status_code == 404
        assert client.post(reverse("lms_mentoring:%s" % name, args=[scene["programme"].pk]),
                           {"competency": str(scene["data"].pk), "competencies": [str(scene["data"].pk)],
                            "capacity": "2"}).status_code == 404
    assert not MentorOffer.objects.exists() and not MentoringApplication.objects.exists()


def test_pages_render_in_indonesian(scene, pair, as_user):
    client = as_user(scene["mentee"], language="id")
    for url, name in ((reverse("lms_mentoring:mine"), "Analisis Data"),
                      (reverse("lms_mentoring:pair", args=[pair.pk]), "Analisis Data"),
                      (reverse("lms_mentoring:apply", args=[scene["programme"].pk]), "Penulisan Naskah"),
                      (reverse("lms_mentoring:feedback", args=[pair.pk]), "Analisis Data")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="id">' in text_of(response) and name in text_of(response), url
    assert MentoringPair.objects.count() == 1
