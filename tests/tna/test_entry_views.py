"""The "Penilaian saya" pages: who may open which form, what they see, and what saving stores."""

import pytest
from django.conf import settings
from django.urls import reverse

from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
)
from tna.models import Appraisal, CompetencyLevel, PeerAssignment, Rating, SurveyResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    """A supervisor, two reports and an unrelated colleague; two competencies with descriptors."""
    agency = AgencyFactory()
    unit = UnitFactory(agency=agency)
    position = PositionFactory(agency=agency, name="Analis Kepegawaian")
    competencies = [
        CompetencyFactory(code="M.01", name="Integritas", name_en="Integrity"),
        CompetencyFactory(code="M.02", name="Kerjasama", name_en="Teamwork"),
    ]
    CompetencyLevel.objects.bulk_create([
        CompetencyLevel(
            competency=competency, level=n,
            descriptor=f"Deskripsi {competency.code} tingkat {n}",
            descriptor_en=f"Descriptor {competency.code} level {n}",
        )
        for competency in competencies for n in range(1, 6)
    ])
    for competency in competencies:
        RequiredLevelFactory(position=position, competency=competency, level=3)
    people = {"agency": agency, "unit": unit, "position": position}
    boss = EmployeeFactory(**people, roles=["supervisor"])
    return {
        "cycle": CycleFactory(year=2026), "boss": boss, "competencies": competencies,
        "staff": EmployeeFactory(**people, supervisor=boss, name="Siti Rahma"),
        "colleague": EmployeeFactory(**people, supervisor=boss, name="Budi Santoso"),
        "outsider": EmployeeFactory(**people, name="Dewi Lestari"),
    }


def login(client, employee, language=None):
    client.force_login(employee.user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def levels_post(team, *levels):
    return {f"level_{c.pk}": level for c, level in zip(team["competencies"], levels, strict=True)}


def url(name, *args):
    return reverse("tna:" + name, args=[2026, *args])


def test_pages_need_a_login(client, team):
    response = client.get(reverse("tna:evidence"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_hub_lists_only_the_persons_own_tasks_with_status(client, team):
    boss, staff = team["boss"], team["staff"]
    login(client, boss, "en")
    page = client.get(reverse("tna:evidence")).content.decode()
    for expected in ("Self-assessment", "Training-needs survey", "Rate and appraise Siti Rahma",
                     "Choose peers for Budi Santoso", url("evidence_report", staff.nip)):
        assert expected in page
    assert "Dewi Lestari" not in page
    assert "status-done" not in page

    client.post(url("evidence_self"), levels_post(team, 3, 4))
    page = client.get(reverse("tna:evidence")).content.decode()
    assert page.count("status-done") == 1
    assert "Competencies rated: 2 of 2" in page

    login(client, staff, "en")
    page = client.get(reverse("tna:evidence")).content.decode()
    assert "Rate and appraise" not in page and "Choose peers" not in page
    assert url("evidence_colleague", boss.nip) in page  # upward feedback to one's own supervisor


def test_self_assessment_shows_descriptors_in_indonesian_by_default(client, team):
    page = login(client, team["staff"]).get(url("evidence_self")).content.decode()
    assert "Integritas" in page and "Deskripsi M.01 tingkat 4" in page
    assert "Descriptor M.01" not in page
    assert page.count('type="radio"') == 10


def test_self_assessment_shows_descriptors_in_english_when_chosen(client, team):
    page = login(client, team["staff"], "en").get(url("evidence_self")).content.decode()
    assert "Integrity" in page and "Descriptor M.02 level 5" in page
    assert "Deskripsi" not in page


def test_self_assessment_is_saved_as_self_and_redirects_to_the_hub(client, team):
    staff = team["staff"]
    response = login(client, staff, "en").post(url("evidence_self"), levels_post(team, 2, 5), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tna:evidence_cycle", args=[2026])
    assert "Your self-assessment has been saved." in response.content.decode()
    assert set(Rating.objects.values_list("rater_role", "level")) == {("self", 2), ("self", 5)}
    page = client.get(url("evidence_self")).content.decode()
    assert page.count("checked") == 2


def test_missing_level_is_reported_and_nothing_is_saved(client, team):
    response = login(client, team["staff"], "en").post(url("evidence_self"), {f"level_{team['competencies'][0].pk}": 3})
    assert response.status_code == 200
    assert "Choose a level for this competency." in response.content.decode()
    assert not Rating.objects.exists()


def test_supervisor_rates_and_appraises_a_direct_report(client, team):
    boss, staff = team["boss"], team["staff"]
    data = {**levels_post(team, 3, 2), "skp-results": "above", "skp-behaviour": "meets", "skp-discipline": "4"}
    response = login(client, boss, "en").post(url("evidence_report", staff.nip), data, follow=True)
    assert "SKP predikat: Baik" in response.content.decode()
    assert set(Rating.objects.filter(ratee=staff).values_list("rater_role", flat=True)) == {"supervisor"}
    appraisal = Appraisal.objects.get(employee=staff)
    assert (appraisal.predikat, appraisal.discipline, appraisal.quality, appraisal.rated_by) == ("Baik", 4, None, boss)
    page = client.get(url("evidence_report", staff.nip)).content.decode()
    assert '<output id="predikat"' in page and ">Baik</output>" in page


def test_supervisor_cannot_open_someone_elses_report(client, team):
    other_boss = EmployeeFactory(agency=team["staff"].agency, roles=["supervisor"])
    login(client, other_boss)
    assert client.get(url("evidence_report", team["staff"].nip)).status_code == 404
    response = client.post(url("evidence_report", team["staff"].nip), {"skp-results": "below", "skp-behaviour": "below"})
    assert response.status_code == 404
    assert not Appraisal.objects.exists()
    assert client.get(url("evidence_peers", team["staff"].nip)).status_code == 404


def test_subordinate_rates_their_supervisor(client, team):
    boss, staff = team["boss"], team["staff"]
    login(client, staff).post(url("evidence_colleague", boss.nip), levels_post(team, 4, 4))
    assert set(Rating.objects.filter(ratee=boss).values_list("rater", "rater_role")) == {(staff.pk, "subordinate")}


def test_peer_form_needs_an_assignment_and_hides_other_raters(client, team):
    cycle, staff, outsider = team["cycle"], team["staff"], team["outsider"]
    login(client, outsider)
    assert client.get(url("evidence_colleague", staff.nip)).status_code == 404
    assert client.post(url("evidence_colleague", staff.nip), levels_post(team, 1, 1)).status_code == 404
    assert not Rating.objects.exists()

    Rating.objects.create(cycle=cycle, ratee=staff, rater=team["boss"], rater_role="supervisor",
                          competency=team["competencies"][0], level=5)
    PeerAssignment.objects.create(cycle=cycle, ratee=staff, rater=outsider)
    page = client.get(url("evidence_colleague", staff.nip)).content.decode()
    assert "Deskripsi M.01 tingkat 5" in page
    assert "checked" not in page  # the supervisor's level 5 is not shown to the peer
    client.post(url("evidence_colleague", staff.nip), levels_post(team, 3, 2))
    assert set(Rating.objects.filter(rater=outsider).values_list("rater_role", "level")) == {("peer", 3), ("peer", 2)}


def test_closed_cycle_is_read_only(client, team):
    staff = team["staff"]
    team["cycle"].is_open = False
    team["cycle"].save()
    Rating.objects.create(cycle=team["cycle"], ratee=staff, rater=staff, rater_role="self",
                          competency=team["competencies"][0], level=2)
    login(client, staff, "en")
    page = client.get(url("evidence_self")).content.decode()
    assert "is closed" in page and ">Save</button>" not in page and "disabled" in page
    response = client.post(url("evidence_self"), levels_post(team, 5, 5), follow=True)
    assert "is closed" in response.content.decode()
    assert list(Rating.objects.values_list("level", flat=True)) == [2]
    response = client.post(url("evidence_survey"), {f"need_{team['competencies'][0].pk}": "3"})
    assert response.status_code == 302 and not SurveyResponse.objects.exists()


def test_survey_saves_needs_and_blocked_days_and_replaces_them(client, team):
    staff = team["staff"]
    integrity, teamwork = team["competencies"]
    login(client, staff, "en")
    page = client.get(url("evidence_survey")).content.decode()
    assert "Integrity" in page and "Tuesday" in page
    client.post(url("evidence_survey"), {
        f"need_{integrity.pk}": "3", f"need_{teamwork.pk}": "1", "mode": "blended", "time": "short_blocks",
        "blocked_days": ["tue", "thu"], "note": "Jaga loket",
    })
    rows = SurveyResponse.objects.filter(employee=staff).order_by("competency__code")
    assert [(r.competency_id, r.priority, r.mode, r.time, r.blocked_days) for r in rows] == [
        (integrity.pk, 3, "blended", "short_blocks", ["tue", "thu"]),
        (teamwork.pk, 1, "blended", "short_blocks", ["tue", "thu"]),
    ]
    client.post(url("evidence_survey"), {f"need_{teamwork.pk}": "2", "blocked_days": ["mon"]})
    assert list(SurveyResponse.objects.values_list("competency", "priority", "blocked_days")) == [(teamwork.pk, 2, ["mon"])]
    response = client.post(url("evidence_survey"), {"note": "nothing chosen"})
    assert "Choose at least one competency" in response.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_supervisor_chooses_peers_from_the_unit_or_by_nip(client, team):
    boss, staff = team["boss"], team["staff"]
    elsewhere = EmployeeFactory(agency=staff.agency, unit=UnitFactory(agency=staff.agency), position=staff.position)
    login(client, boss, "en")
    page = client.get(url("evidence_peers", staff.nip)).content.decode()
    assert "Budi Santoso" in page and "Dewi Lestari" in page
    assert elsewhere.name not in page and boss.name not in page.split("<main")[1].split("Colleagues")[1]

    response = client.post(url("evidence_peers", staff.nip), {"peers": [team["colleague"].pk]})
    assert "Choose from 2 to 4 peers" in response.content.decode()
    assert not PeerAssignment.objects.exists()

    response = client.post(url("evidence_peers", staff.nip), {"other_nips": "123"})
    assert "is not an 18-digit NIP" in response.content.decode()

    client.post(url("evidence_peers", staff.nip), {"peers": [team["colleague"].pk], "other_nips": elsewhere.nip})
    assert set(PeerAssignment.objects.values_list("rater", flat=True)) == {team["colleague"].pk, elsewhere.pk}
    login(client, elsewhere, "en")
    assert url("evidence_colleague", staff.nip) in client.get(reverse("tna:evidence")).content.decode()


def test_hub_queries_do_not_grow_with_the_team(client, team, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = team["boss"]
    login(client, boss)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("tna:evidence"))
    for _ in range(5):
        EmployeeFactory(agency=boss.agency, unit=boss.unit, position=boss.position, supervisor=boss)
    with django_assert_max_num_queries(len(small)):
        page = client.get(reverse("tna:evidence")).content.decode()
    assert page.count("/evidence/2026/report/") == 7 * 2  # rate-and-appraise and choose-peers per report


def test_account_without_employee_record_sees_an_explanation(client, team, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "not linked to an employee record" in client.get(reverse("tna:evidence")).content.decode()
    assert client.get(url("evidence_self")).status_code == 404
