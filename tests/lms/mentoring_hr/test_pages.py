"""HR's programme pages as HR uses them: the list, the form, the coverage charts against a hand count, locking,
vetoing and re-running from the page, starting and ending pairs, naming mentors, who may open them, and a
number of queries that does not grow with the pairs."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.models import MentoringPair, MentoringProgramme
from lms.services import mentor_matching
from lms.services.mentor_matching import match_programme
from lms.services.mentoring import mentor_offer_save
from tna.factories import EmployeeFactory, PositionFactory
from tna.models import Employee

from .conftest import gap_row

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse("lms_mentoring:" + name, args=args)


def bars(html):
    """{label: (needs, active, proposed, percent text)} of the coverage bars on the page."""
    found = {}
    for item in re.finditer(r'<li class="bar-item" data-needs="(\d+)" data-active="(\d+)" data-proposed="(\d+)">\s*'
                            r'<span class="bar-label">(.*?)(?: <span class="muted">.*?</span>)?</span>\s*'
                            r'<span class="bar-value">(.*?)</span>', html, re.S):
        needs, active, proposed, label, share = item.groups()
        found[label.strip()] = (int(needs), int(active), int(proposed), share)
    return found


def figure(html, name):
    return re.search(r'data-figure="%s">(.*?)</dd>' % name, html, re.S).group(1).strip()


def test_the_list_shows_each_programme_with_its_coverage(hr_client, scene):
    match_programme(programme=scene["programme"])
    response = hr_client.get(url("programmes"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mentoring 2026" in html and url("programme", scene["programme"].pk) in html
    # 5 needs, 3 of them proposed: 60 %.
    assert (figure(html, "needs"), figure(html, "proposed"), figure(html, "active"), figure(html, "coverage")) == (
        "5", "3", "0", "60%")
    assert figure(html, "mentors").startswith("2 ")
    assert url("programme-new") in html


def test_coverage_on_the_page_matches_a_hand_count(hr_client, scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    MentoringPair.objects.filter(programme=programme, mentee=scene["z"]).update(status="active")
    html = hr_client.get(url("programme", programme.pk)).content.decode()

    # TK.81: Xaverius (proposed), Zaki (active), Wulan's application (not covered); TK.82: Yohana (proposed),
    # Vina's application (not covered). Setda: Xaverius and Yohana; Dinkes: Zaki, Wulan and Vina.
    assert bars(html) == {
        "TK.81 Data analysis": (3, 1, 1, "67%"),
        "TK.82 Drafting": (2, 0, 1, "50%"),
        "Dinas Kesehatan": (3, 1, 0, "33%"),
        "Sekretariat Daerah": (2, 0, 2, "100%"),
    }
    assert "3 needs: 1 active, 1 proposed, 1 not covered" in html
    assert (figure(html, "needs"), figure(html, "active"), figure(html, "proposed"), figure(html, "uncovered"),
            figure(html, "coverage")) == ("5", "1", "2", "2", "60%")
    # Agus 2 + Bima 1 places, all 3 taken.
    assert figure(html, "places") == "3 of 3"
    # The bars are drawn to scale: a third active, a third proposed after it.
    assert '<rect class="cover-active" width="33.33" height="10"/><rect class="cover-proposed" x="33.33" ' \
           'width="33.33" height="10"/>' in html
    # Each pair states why, in words; the applications wait, with their note.
    assert "Gap 3.0 at priority 90 (weight 2.70); mentor at level 4.5; same location; another unit." in html
    assert "Saya ingin belajar analisis data." in html


def test_numbers_are_localised_for_indonesian(client, scene):
    match_programme(programme=scene["programme"])
    client.force_login(scene["hr"].user)
    html = client.get(url("programme", scene["programme"].pk)).content.decode()
    assert "weight 2,70" in html or "bobot 2,70" in html


def test_lock_veto_and_rerun_from_the_page(hr_client, scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    yohana = MentoringPair.objects.get(programme=programme, mentee=scene["y"])
    xaverius = MentoringPair.objects.get(programme=programme, mentee=scene["x"])

    response = hr_client.post(url("pair-lock", yohana.pk), {"locked": "1", "back": "status=proposed"})
    assert response.status_code == 302 and response["Location"].endswith("?status=proposed#pairs")
    yohana.refresh_from_db()
    assert yohana.locked
    hr_client.post(url("pair-veto", xaverius.pk))
    xaverius.refresh_from_db()
    assert xaverius.status == "vetoed"

    response = hr_client.post(url("programme-match", programme.pk))
    assert response.status_code == 302
    page = hr_client.get(response["Location"]).content.decode()
    assert "Last run, on the TNA results of 2026" in page and 'data-figure="greedy"' in page
    # The locked pair stays as it was; Agus and Xaverius are never paired again, so Bima takes Xaverius's
    # heavier need and Zaki goes to Agus.
    assert MentoringPair.objects.filter(pk=yohana.pk, locked=True, status="proposed").exists()
    assert set(MentoringPair.objects.filter(programme=programme, status="proposed").values_list(
        "mentor__name", "mentee__name")) == {("Agus Mentor", "Yohana Staf"), ("Bima Mentor", "Xaverius Staf"),
                                             ("Agus Mentor", "Zaki Staf")}

    hr_client.post(url("pair-lock", yohana.pk), {"locked": "0"})
    yohana.refresh_from_db()
    assert not yohana.locked


def test_a_refused_lock_is_shown_with_why(hr_client, scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    yohana = MentoringPair.objects.get(programme=programme, mentee=scene["y"])
    hr_client.post(url("pair-lock", yohana.pk), {"locked": "1"})
    # Agus's level in TK.82 falls below the programme's 4.
    scene["a"].gaps.filter(competency=scene["writing"]).update(observed_level=3.5)
    page = hr_client.get(hr_client.post(url("programme-match", programme.pk))["Location"]).content.decode()
    assert "1 lock could not be honoured" in page
    assert "Agus Mentor → Yohana Staf" in page
    assert "The mentor&#x27;s level 3.5 is below the programme&#x27;s lowest, 4." in page


def test_a_checker_violation_is_an_error_and_writes_nothing(hr_client, scene, monkeypatch):
    programme = scene["programme"]
    monkeypatch.setattr(mentor_matching, "check", lambda *args: ["mentor 1 – mentee 2 in TK.81: made up"])
    response = hr_client.post(url("programme-match", programme.pk), follow=True)
    assert "nothing was written" in response.content.decode()
    assert not MentoringPair.objects.filter(programme=programme).exists()


def test_start_end_and_start_all_from_the_page(hr_client, scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    zaki = MentoringPair.objects.get(programme=programme, mentee=scene["z"])
    hr_client.post(url("pair-activate", zaki.pk))
    zaki.refresh_from_db()
    assert zaki.status == "active" and zaki.goal_level == 3 and zaki.started_on == scene["today"]

    response = hr_client.post(url("pair-end", zaki.pk), {"reason": ""}, follow=True)
    assert "Say why the pair ends." in response.content.decode()
    hr_client.post(url("pair-end", zaki.pk), {"reason": "Mentee cuti panjang"})
    zaki.refresh_from_db()
    assert zaki.status == "ended" and zaki.end_reason == "Mentee cuti panjang"

    hr_client.post(url("programme-activate", programme.pk))
    assert set(MentoringPair.objects.filter(programme=programme).values_list("mentee__name", "status")) == {
        ("Xaverius Staf", "active"), ("Yohana Staf", "active"), ("Zaki Staf", "ended")}
    html = hr_client.get(url("programme", programme.pk) + "?status=ended").content.decode()
    assert "Mentee cuti panjang" in html and "1 pair" in html


def test_naming_and_removing_a_mentor_from_the_page(hr_client, scene):
    programme = scene["programme"]
    boss = scene["boss"]
    response = hr_client.post(url("offer-nominate", programme.pk), {
        "nip": boss.nip, "competencies": [scene["writing"].pk], "capacity": "1"}, follow=True)
    assert "Sinta Atasan is a mentor in the programme now." in response.content.decode()
    offer = programme.mentors.get(mentor=boss)
    assert offer.source == "nominated" and offer.capacity == 1
    assert list(offer.competencies.values_list("code", flat=True)) == ["TK.82"]

    stranger = scene["other_hr"]
    response = hr_client.post(url("offer-nominate", programme.pk), {
        "nip": stranger.nip, "competencies": [scene["writing"].pk]}, follow=True)
    assert "Nobody in Kabupaten Hr has NIP" in response.content.decode()
    assert not programme.mentors.filter(mentor=stranger).exists()

    hr_client.post(url("offer-remove", offer.pk))
    assert not programme.mentors.filter(mentor=boss).exists()


def test_the_programme_form(hr_client, scene):
    response = hr_client.post(url("programme-new"), {
        "code": "mentor-2026", "name": "Lagi", "competencies": [scene["data"].pk], "starts_on": "2026-05-01",
        "ends_on": "2026-04-01", "target_jp": "10", "min_mentor_level": "4", "default_capacity": "2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The agency has a programme with this code already." in html
    assert "The programme must end on or after the day it starts." in html
    assert MentoringProgramme.objects.count() == 1

    response = hr_client.post(url("programme-new"), {
        "code": "data-2027", "name": "Mentoring Data", "competencies": [scene["data"].pk],
        "starts_on": "2027-01-04", "ends_on": "2027-06-30", "target_jp": "8", "min_mentor_level": "3",
        "default_capacity": "3", "prefer_cross_unit": "on"})
    created = MentoringProgramme.objects.get(code="data-2027")
    assert response.status_code == 302 and response["Location"] == url("programme", created.pk)
    assert (created.agency, created.min_mentor_level, created.default_capacity, created.prefer_cross_unit,
            created.credit_mentor, created.target_jp) == (scene["agency"], 3, 3, True, False, 8)

    response = hr_client.post(url("programme-edit", created.pk), {
        "code": "data-2027", "name": "Mentoring Data 2027", "competencies": [scene["data"].pk, scene["writing"].pk],
        "starts_on": "2027-01-04", "ends_on": "2027-06-30", "target_jp": "8", "min_mentor_level": "3",
        "default_capacity": "3"})
    created.refresh_from_db()
    assert created.name == "Mentoring Data 2027" and created.competencies.count() == 2
    assert not created.prefer_cross_unit


def test_who_may_open_the_pages(client, scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    pair = MentoringPair.objects.get(programme=programme, mentee=scene["x"])

    response = client.get(url("programme", programme.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    client.force_login(scene["other_hr"].user)
    assert client.get(url("programmes")).status_code == 200
    assert "Mentoring 2026" not in client.get(url("programmes")).content.decode()
    assert client.get(url("programme", programme.pk)).status_code == 404
    assert client.get(url("programme-edit", programme.pk)).status_code == 404
    assert client.post(url("pair-lock", pair.pk), {"locked": "1"}).status_code == 404
    assert client.post(url("pair-veto", pair.pk)).status_code == 404
    assert client.post(url("pair-activate", pair.pk)).status_code == 404
    assert client.post(url("programme-match", programme.pk)).status_code == 404
    assert client.post(url("offer-remove", programme.mentors.first().pk)).status_code == 404
    pair.refresh_from_db()
    assert (pair.status, pair.locked) == ("proposed", False)

    for person in (scene["asn"], scene["boss"], scene["x"]):
        client.force_login(person.user)
        assert client.get(url("programmes")).status_code == 403
        assert client.get(url("programme", programme.pk)).status_code == 403
        assert client.post(url("pair-veto", pair.pk)).status_code == 403
    pair.refresh_from_db()
    assert pair.status == "proposed"

    superuser = EmployeeFactory(agency=scene["other_hr"].agency)
    superuser.user.is_superuser = True
    superuser.user.save()
    client.force_login(superuser.user)
    assert client.get(url("programme", programme.pk)).status_code == 200
    assert "Mentoring 2026" in client.get(url("programmes") + "?agency=kab-hr").content.decode()


def test_the_page_queries_do_not_grow_with_the_pairs(hr_client, scene):
    programme = scene["programme"]
    match_programme(programme=programme)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert hr_client.get(url("programme", programme.pk)).status_code == 200
        return len(queries)

    count()  # the first page a user opens also makes their Wagtail profile
    few = count()
    # Forty more mentees with gaps, and a mentor for each pair of them.
    junior = PositionFactory(agency=scene["agency"], code="staf-2", job_type="pelaksana")
    senior = Employee.objects.get(pk=scene["a"].pk).position
    for _i in range(20):
        mentor = EmployeeFactory(agency=scene["agency"], unit=scene["dinkes"], position=senior)
        gap_row(scene["cycle"], mentor, scene["data"], required=3, observed=4.8)
        mentor_offer_save(programme=programme, mentor=mentor, competencies=[scene["data"]], capacity=2,
                          source="imported")
        for _j in range(2):
            mentee = EmployeeFactory(agency=scene["agency"], unit=scene["umum"], position=junior)
            gap_row(scene["cycle"], mentee, scene["data"], required=4, observed=2, priority=60)
    match_programme(programme=programme)
    assert MentoringPair.objects.filter(programme=programme).count() > 40
    many = count()
    assert many == few and few <= 40
