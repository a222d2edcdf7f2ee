"""The coaching pages: the supervisor's team page, the form with the latest TNA beside each competency,
changing and deleting, the coached person's page; other agencies get 404, other people's reports 403."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from lms.models.ledger import CreditSource, JpCredit
from lms.models.mentoring import CoachingConversation, CoachingRating
from lms.services.coaching import coaching_save
from tna.factories import CycleFactory, EmployeeFactory
from tna.infra.formats import date_text
from tna.models import CompetencyGap

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def login(client, employee):
    client.force_login(employee.user)
    client.cookies["django_language"] = "en"
    return client


def conversation(coach, employee, competencies, today, **fields):
    return coaching_save(coach=coach, employee=employee, held_on=fields.get("held_on", today),
                         minutes=fields.get("minutes", 50), topic=fields.get("topic", "Pelayanan loket"),
                         agreed_actions=fields.get("agreed_actions", "Mencoba skrip salam baru"),
                         ratings=fields.get("ratings", {competencies["integrity"]: 2}))


@pytest.fixture
def latest_tna(asn, competencies, today):
    """Budi's latest analysis: integrity observed 2.4 (gap 0.6), public service not yet observed."""
    cycle = CycleFactory(year=today.year)
    for competency, observed in ((competencies["integrity"], 2.4), (competencies["service"], None)):
        CompetencyGap.objects.create(cycle=cycle, employee=asn, agency=asn.agency, unit=asn.unit,
                                     competency=competency, required_level=3, observed_level=observed,
                                     gap=round(3 - observed, 2) if observed else 0)
    return cycle


def test_the_pages_live_under_mentoring_coaching():
    assert reverse("lms_mentoring:coaching") == "/mentoring/coaching/"
    assert reverse("lms_mentoring:coaching-mine") == "/mentoring/coaching/mine/"
    assert reverse("lms_mentoring:coaching-new", args=["199001012020011001"]) == (
        "/mentoring/coaching/new/199001012020011001/")
    assert reverse("lms_mentoring:coaching-edit", args=[7]) == "/mentoring/coaching/7/edit/"
    assert reverse("lms_mentoring:coaching-delete", args=[7]) == "/mentoring/coaching/7/delete/"


def test_the_team_page_lists_direct_reports_with_their_coaching(client, supervisor, asn, colleague, competencies,
                                                                 today):
    conversation(supervisor, asn, competencies, today - 3 * DAY, held_on=today - 3 * DAY)
    conversation(supervisor, asn, competencies, today)
    response = login(client, supervisor).get(reverse("lms_mentoring:coaching"))
    assert response.status_code == 200
    rows = {person.name: (person.coaching_last, person.coaching_count) for person in response.context["reports"]}
    assert rows == {"Budi Pegawai": (today, 2), "Citra Rekan": (None, 0)}
    html = response.content.decode()
    assert reverse("lms_mentoring:coaching-new", args=[asn.nip]) in html
    assert "Pelayanan loket" in html and "Mencoba skrip salam baru" in html
    assert reverse("lms_mentoring:coaching-edit", args=[response.context["recent"][0].pk]) in html


def test_someone_without_reports_or_the_supervisor_role_is_turned_away(client, asn):
    assert login(client, asn).get(reverse("lms_mentoring:coaching")).status_code == 403


def test_the_form_shows_each_competency_with_the_latest_tna(client, supervisor, asn, competencies, latest_tna, today):
    response = login(client, supervisor).get(reverse("lms_mentoring:coaching-new", args=[asn.nip]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["held_on"].value() == today
    rows = [(row.competency.code, row.required, row.observed, row.gap) for row, _field in form.competency_rows()]
    assert rows == [("M.01", 3, 2.4, 0.6), ("SK.02", 3, None, None)]
    html = response.content.decode()
    assert "observed 2.4, gap 0.6" in html and "no observed level yet" in html
    assert 'name="level_%d"' % competencies["integrity"].pk in html and "Not discussed" in html
    assert "TK.99" not in html  # not a competency of the position


def test_recording_saves_only_the_competencies_rated(client, supervisor, asn, competencies, today):
    response = login(client, supervisor).post(reverse("lms_mentoring:coaching-new", args=[asn.nip]), {
        "held_on": today.isoformat(), "minutes": "90", "topic": "Menangani keluhan", "agreed_actions": "Catat keluhan",
        "level_%d" % competencies["service"].pk: "4", "level_%d" % competencies["integrity"].pk: "",
    }, follow=True)
    assert response.redirect_chain[-1][0] == reverse("lms_mentoring:coaching")
    assert "The coaching conversation with Budi Pegawai has been saved." in response.content.decode()
    saved = CoachingConversation.objects.get()
    assert (saved.coach, saved.employee, saved.minutes, saved.topic) == (supervisor, asn, 90, "Menangani keluhan")
    assert list(CoachingRating.objects.values_list("competency__code", "level")) == [("SK.02", 4)]
    assert JpCredit.objects.get(employee=asn, source=CreditSource.COACHING).jp == 2


def test_a_form_without_any_level_is_shown_again_with_the_reason(client, supervisor, asn, competencies, today):
    response = login(client, supervisor).post(reverse("lms_mentoring:coaching-new", args=[asn.nip]), {
        "held_on": (today + DAY).isoformat(), "minutes": "30", "topic": "Topik"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rate at least one competency you discussed." in html and "The conversation cannot be in the future." in html
    assert not CoachingConversation.objects.exists()


def test_other_agencies_are_not_found_and_other_reports_are_refused(client, supervisor, colleague, head, outsider,
                                                                     asn, competencies, today, admin):
    stranger = EmployeeFactory(agency=outsider.agency, supervisor=outsider)
    assert login(client, supervisor).get(reverse("lms_mentoring:coaching-new", args=[stranger.nip])).status_code == 404
    # The head of the unit is not Budi's direct supervisor, nor is the training admin.
    for someone in (head, admin):
        url = reverse("lms_mentoring:coaching-new", args=[asn.nip])
        assert login(client, someone).get(url).status_code == 403
        assert login(client, someone).post(url, {"held_on": today.isoformat(), "minutes": "30", "topic": "T",
                                                 "level_%d" % competencies["integrity"].pk: "3"}).status_code == 403
    mine = conversation(supervisor, asn, competencies, today)
    for url in (reverse("lms_mentoring:coaching-edit", args=[mine.pk]),
                reverse("lms_mentoring:coaching-delete", args=[mine.pk])):
        assert login(client, outsider).post(url).status_code == 404
        assert login(client, head).post(url).status_code == 403
    assert CoachingConversation.objects.count() == 1


def test_the_coach_changes_a_conversation(client, supervisor, asn, competencies, today):
    saved = conversation(supervisor, asn, competencies, today, ratings={competencies["integrity"]: 2})
    url = reverse("lms_mentoring:coaching-edit", args=[saved.pk])
    page = login(client, supervisor).get(url)
    assert page.context["form"]["level_%d" % competencies["integrity"].pk].value() == "2"
    assert reverse("lms_mentoring:coaching-delete", args=[saved.pk]) in page.content.decode()
    response = client.post(url, {"held_on": today.isoformat(), "minutes": "45", "topic": "Diubah",
                                 "level_%d" % competencies["integrity"].pk: "3"})
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.topic, saved.minutes, saved.ratings.get().level) == ("Diubah", 45, 3)


def test_the_coach_deletes_a_conversation_by_post_only(client, supervisor, asn, competencies, today):
    saved = conversation(supervisor, asn, competencies, today, minutes=60)
    url = reverse("lms_mentoring:coaching-delete", args=[saved.pk])
    assert login(client, supervisor).get(url).status_code == 405
    response = client.post(url, follow=True)
    assert "The coaching conversation with Budi Pegawai has been deleted." in response.content.decode()
    assert not CoachingConversation.objects.exists()
    assert not JpCredit.objects.filter(employee=asn).exists()


def test_the_coached_person_sees_what_was_agreed_the_levels_the_coach_and_the_jp(client, supervisor, asn,
                                                                                  competencies, today):
    conversation(supervisor, asn, competencies, today, minutes=100,
                 ratings={competencies["integrity"]: 2, competencies["service"]: 4})
    response = login(client, asn).get(reverse("lms_mentoring:coaching-mine"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pelayanan loket" in html and "Mencoba skrip salam baru" in html
    assert "coach: Sari Atasan" in html
    assert "Integrity" in html and "Level 2" in html and "Level 4" in html
    assert "%s: <span class=\"badge badge-jp\">2 JP</span>" % today.year in html
    assert reverse("lms_mentoring:coaching-edit", args=[CoachingConversation.objects.get().pk]) not in html


def test_the_pages_write_dates_the_indonesian_way(client, supervisor, asn, competencies, today):
    conversation(supervisor, asn, competencies, today)
    login(client, asn)
    client.cookies["django_language"] = "id"
    html = client.get(reverse("lms_mentoring:coaching-mine")).content.decode()
    with translation.override("id"):
        assert '<html lang="id">' in html and date_text(today) in html
