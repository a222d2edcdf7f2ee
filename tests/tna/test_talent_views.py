"""The 9-box pages as HR and the talent committee see them: the grid and its filters, a box's people,
a placement with its reason and calibration, the XLSX export, and who is refused."""

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tna.models import TalentMove, TalentPlacement, TalentPolicy
from tna.views import talent as talent_views

from .talent_data import build_talent_world

GRID = reverse("tna:talent")


@pytest.fixture
def world(db):
    return build_talent_world()


@pytest.fixture
def client_en(client):
    client.cookies["django_language"] = "en"
    return client


def counts(response):
    """{box: people} as the grid shows them."""
    return {cell["box"]: cell["count"] for row in response.context["rows"] for cell in row["cells"]}


def detail(person, **params):
    return reverse("tna:talent_placement", args=[person.nip]) + ("?" + "&".join(f"{k}={v}" for k, v in params.items())
                                                                  if params else "")


def test_grid_counts_people_per_box_of_the_latest_cycle(client_en, world):
    client_en.force_login(world.admin.user)
    response = client_en.get(GRID)
    assert response.status_code == 200
    assert response.context["cycle"].year == 2026
    assert counts(response) == {1: 1, 2: 1, 3: 0, 4: 0, 5: 2, 6: 1, 7: 0, 8: 1, 9: 3}
    html = response.content.decode()
    # Drawn as the national 9-box: potential high to low from the top, performance rising to the right.
    assert [int(b) for b in re.findall(r'nine-box-cell box-(\d)', html)] == [6, 8, 9, 3, 5, 7, 1, 2, 4]
    assert "Promotion" in html and "Succession pool" in html and "Handled by the discipline rules" in html
    assert "33%" in html  # 3 of 9 in box 9
    assert 'href="?cycle=2026&amp;box=9#box-people"' in html
    main = html[html.index('<main id="main">'):html.index("</main>")]
    assert "tna/talent.css" in html and "style=" not in main and "<script" not in main  # the CSP allows neither


def test_grid_filters_by_cycle_unit_and_job_type(client_en, world):
    client_en.force_login(world.committee.user)
    assert counts(client_en.get(GRID, {"unit": "dinkes"})) == {
        1: 0, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 1, 9: 1}
    assert counts(client_en.get(GRID, {"job_type": "administrator"})) == {
        **{b: 0 for b in range(1, 10)}, 9: 1}
    assert counts(client_en.get(GRID, {"unit": "disdik", "job_type": "pelaksana"})) == {
        **{b: 0 for b in range(1, 10)}, 9: 1, 5: 1, 6: 1, 1: 1}
    assert counts(client_en.get(GRID, {"cycle": 2025})) == {**{b: 0 for b in range(1, 10)}, 8: 1}
    response = client_en.get(GRID, {"unit": "disdik", "job_type": "pelaksana", "box": 9})
    assert 'href="?cycle=2026&amp;unit=disdik&amp;job_type=pelaksana&amp;box=9&amp;format=xlsx"' in \
        response.content.decode()


def test_grid_counts_come_from_one_aggregate_query(client_en, world):
    client_en.force_login(world.admin.user)
    with CaptureQueriesContext(connection) as queries:
        client_en.get(GRID, {"unit": "dinkes"})
    grouped = [q["sql"] for q in queries if "tna_talentplacement" in q["sql"] and "COUNT(" in q["sql"]]
    assert len(grouped) == 1 and "GROUP BY" in grouped[0]


def test_grid_refuses_malformed_filters(client_en, world):
    client_en.force_login(world.admin.user)
    assert client_en.get(GRID, {"box": 10}).status_code == 400
    assert client_en.get(GRID, {"box": "x"}).status_code == 400
    assert client_en.get(GRID, {"box": "²"}).status_code == 400
    assert client_en.get(GRID, {"cycle": "last"}).status_code == 400
    assert client_en.get(GRID, {"job_type": "nonsense"}).status_code == 400
    assert client_en.get(GRID, {"cycle": 1999}).status_code == 404
    assert client_en.get(GRID, {"unit": "bappeda"}).status_code == 404  # agency B's unit


def test_drill_down_lists_a_box_with_links_and_the_calibrated_marker(client_en, world):
    client_en.force_login(world.admin.user)
    response = client_en.get(GRID, {"box": 9})
    html = response.content.decode()
    assert [p.employee.name for p in response.context["page"]] == ["Ani Sembilan", "Budi Sembilan", "Fani Kalibrasi"]
    assert detail(world.ani, cycle=2026).replace("&", "&amp;") in html
    assert world.budi.nip in html and "Kepala Bidang" in html and "Administrator" in html
    assert "Dinas Pendidikan" in html and "Above expectations" in html and "High" in html
    assert "calibrated, from box 7" in html
    assert "Bima Beta" not in html  # agency B
    assert 'aria-current="true"' in html


def test_drill_down_pages_keep_the_filters(client_en, world, monkeypatch):
    monkeypatch.setattr(talent_views, "PAGE_SIZE", 2)
    client_en.force_login(world.admin.user)
    first = client_en.get(GRID, {"box": 9})
    assert [p.employee.name for p in first.context["page"]] == ["Ani Sembilan", "Budi Sembilan"]
    assert "?cycle=2026&amp;box=9&amp;page=2#box-people" in first.content.decode()
    second = client_en.get(GRID, {"box": 9, "page": 2})
    assert [p.employee.name for p in second.context["page"]] == ["Fani Kalibrasi"]
    empty = client_en.get(GRID, {"box": 3})
    assert "Nobody is in this box with these filters." in empty.content.decode()


def test_superusers_choose_the_agency(client_en, world):
    client_en.force_login(world.superuser)
    response = client_en.get(GRID)
    assert response.context["agency"].code == "kab-a"  # the first agency with placements, by name
    assert 'href="?agency=kab-a&amp;cycle=2026&amp;box=9#box-people"' in response.content.decode()
    beta = client_en.get(GRID, {"agency": "kab-b"})
    assert counts(beta) == {**{b: 0 for b in range(1, 10)}, 9: 1}
    assert client_en.get(GRID, {"agency": "nowhere"}).status_code == 404


def test_placement_page_explains_the_box_in_words(client_en, world):
    client_en.force_login(world.committee.user)
    response = client_en.get(detail(world.ani))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ani Sembilan" in html and world.ani.nip in html
    assert "Placement in cycle 2026" in html
    # Performance: predikat per year with weights, and the score against its thresholds.
    assert "Sangat Baik" in html and "60%" in html and "40%" in html
    assert "Weighted score 2.40 of 3: above expectations from 2.5, below expectations under 1.5." in html
    # Potential: which rule decided, the reference job level and the largest shortfall by name.
    assert "The competency profile decided it, against the next job level." in html
    assert "Against the standard of Administrator, the mean shortfall over 8 competencies is 0.50 levels" in html
    assert '<span class="code">M.01</span><strong>Integrity</strong>:' in html
    assert "required 4, observed 2.50, short by 1.50" in html
    assert "Not moved: the box is the one the evidence gave." in html
    assert 'name="reason"' in html and "csrfmiddlewaretoken" in html


def test_placement_page_survives_a_reason_without_keys(client_en, world):
    TalentPlacement.objects.filter(pk=world.placements.budi.pk).update(reason={"potential": {"decided_by": "assessment", "jpm": 93.5}})
    client_en.force_login(world.admin.user)
    html = client_en.get(detail(world.budi)).content.decode()
    assert "An assessment-centre result decided it." in html and "93.5%" in html
    TalentPlacement.objects.filter(pk=world.placements.budi.pk).update(reason={})
    assert "This placement carries no reason." in client_en.get(detail(world.budi)).content.decode()


def test_placement_page_shows_an_older_cycle_and_the_move_history(client_en, world):
    client_en.force_login(world.admin.user)
    assert client_en.get(detail(world.ani, cycle=2025)).context["placement"].box == 8
    assert client_en.get(detail(world.ani, cycle=2024)).status_code == 404
    TalentMove.objects.create(placement=world.placements.fani, from_box=7, to_box=9, reason="Leads the task force",
                              author=world.committee.user)
    html = client_en.get(detail(world.fani)).content.decode()
    assert "moved in calibration" in html and "Leads the task force" in html and "Kiki Komite" in html


def test_calibration_moves_the_person_with_author_and_reason(client_en, world):
    client_en.force_login(world.committee.user)
    response = client_en.post(detail(world.dodi), {"box": "8", "reason": "Led the vaccination drive alone."}, follow=True)
    assert response.redirect_chain[-1][0] == detail(world.dodi, cycle=2026)
    assert "Dodi Lima moved to box 8." in response.content.decode()
    placement = TalentPlacement.objects.get(pk=world.placements.dodi.pk)
    assert (placement.box, placement.computed_box, placement.moved_by, placement.move_reason) == (
        8, 5, world.committee.user, "Led the vaccination drive alone.")
    move = TalentMove.objects.get(placement=placement)
    assert (move.from_box, move.to_box, move.author, move.reason) == (
        5, 8, world.committee.user, "Led the vaccination drive alone.")
    assert "Led the vaccination drive alone." in response.content.decode()


def test_calibration_needs_a_written_reason_and_a_box(client_en, world):
    client_en.force_login(world.admin.user)
    response = client_en.post(detail(world.dodi), {"box": "8", "reason": "   "})
    assert response.status_code == 200
    assert "Write why the committee moves this person." in response.content.decode()
    response = client_en.post(detail(world.dodi), {"box": "10", "reason": "Because."})
    assert response.status_code == 200 and response.context["form"].errors["box"]
    assert not TalentMove.objects.exists()
    assert TalentPlacement.objects.get(pk=world.placements.dodi.pk).box == 5


def test_calibration_shows_the_services_refusal_on_the_form(client_en, world, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"reason": ValidationError("Say more.")})

    monkeypatch.setattr(talent_views, "talent_move", refuse)
    client_en.force_login(world.admin.user)
    response = client_en.post(detail(world.dodi), {"box": "8", "reason": "x"})
    assert response.status_code == 200 and response.context["form"].errors["reason"] == ["Say more."]


def test_xlsx_export_of_the_filtered_grid(client_en, world):
    client_en.force_login(world.admin.user)
    response = client_en.get(GRID, {"unit": "dinkes", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="talenta-2026-kab-a.xlsx"' in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    people, boxes = book.worksheets
    rows = list(people.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == ["Fani Kalibrasi", "Cici Delapan", "Dodi Lima", "Intan Perencana"]
    fani = rows[0]
    assert fani[0] == world.fani.nip and people["A3"].data_type == "s"  # the NIP stays text
    assert fani[2:9] == ("Dinas Kesehatan", "Pelaksana", "Above expectations", "Medium", 9, 7, "yes")
    assert fani[9] == "Kiki Komite"
    assert fani[11] == "'=Leads the flood-relief task force"  # no formula runs
    assert isinstance(fani[6], int) and rows[1][8] == "no"
    counted = {row[0]: row[3] for row in boxes.iter_rows(min_row=3, values_only=True)}
    assert counted[9] == 1 and counted[8] == 1 and counted[5] == 1 and counted[2] == 1 and counted[1] == 0
    assert counted["All boxes"] == 4
    assert boxes.cell(row=3, column=5).value == pytest.approx(0.25)


@pytest.mark.parametrize("who", ["asn", "supervisor", "planner"])
def test_staff_without_the_talent_role_are_refused(client_en, world, who):
    TalentPolicy.objects.create(agency=world.agency_a, show_own_box=True)
    client_en.force_login(getattr(world, who).user)
    assert client_en.get(GRID).status_code == 403
    assert client_en.get(GRID, {"format": "xlsx"}).status_code == 403
    assert client_en.get(detail(getattr(world, who))).status_code == 403
    assert client_en.post(detail(world.dodi), {"box": "8", "reason": "x"}).status_code == 403
    assert not TalentMove.objects.exists()


def test_sign_in_is_needed(client_en, world):
    assert client_en.get(GRID).status_code == 302
    assert client_en.get(detail(world.ani)).status_code == 302


def test_another_agencys_hr_neither_sees_nor_moves_this_agencys_people(client_en, world):
    client_en.force_login(world.b_admin.user)
    response = client_en.get(GRID)
    assert counts(response) == {**{b: 0 for b in range(1, 10)}, 9: 1}
    assert "Ani Sembilan" not in client_en.get(GRID, {"box": 9}).content.decode()
    assert client_en.get(GRID, {"agency": "kab-a"}).context["agency"].code == "kab-b"  # only superusers choose
    assert client_en.get(detail(world.ani)).status_code == 404
    assert client_en.post(detail(world.dodi), {"box": "8", "reason": "x"}).status_code == 404
    assert TalentPlacement.objects.get(pk=world.placements.dodi.pk).box == 5 and not TalentMove.objects.exists()
    assert client_en.get(detail(world.b_person)).status_code == 200


def test_superusers_open_and_move_any_agencys_people(client_en, world):
    client_en.force_login(world.superuser)
    assert client_en.get(detail(world.b_person)).status_code == 200
    response = client_en.post(detail(world.b_person), {"box": "6", "reason": "Calibrated by the province."})
    assert response.status_code == 302
    assert TalentMove.objects.get().author == world.superuser


def test_the_grid_in_indonesian_keeps_years_whole(client, world):
    client.force_login(world.admin.user)
    html = client.get(GRID).content.decode()
    assert '<option value="2026" selected>2026</option>' in html
    assert "2.026" not in html


POLICY = reverse("tna:talent_policy")


def test_hr_sets_the_talent_policy_and_the_latest_plans_are_announced_again(
        client_en, world, django_capture_on_commit_callbacks):
    from tna.signals import talent_placed

    heard = []

    def receiver(sender, cycle, agency, **kwargs):
        heard.append((cycle.year, agency.code))

    talent_placed.connect(receiver)
    try:
        client_en.force_login(world.admin.user)
        page = client_en.get(GRID)
        assert POLICY in page.content.decode()
        assert client_en.get(POLICY).context["form"].initial == {"leadership_priority": 60, "show_own_box": False}
        with django_capture_on_commit_callbacks(execute=True):
            response = client_en.post(POLICY, {"leadership_priority": 85, "show_own_box": "on"}, follow=True)
        assert "is saved" in response.content.decode()
    finally:
        talent_placed.disconnect(receiver)
    policy = TalentPolicy.objects.get(agency=world.agency_a)
    assert (policy.leadership_priority, policy.show_own_box) == (85, True)
    assert heard == [(2026, "kab-a")]


def test_the_policy_refuses_a_priority_above_100_and_the_committee_only_reads_the_grid(client_en, world):
    client_en.force_login(world.admin.user)
    response = client_en.post(POLICY, {"leadership_priority": 150})
    assert response.status_code == 200 and response.context["form"].errors["leadership_priority"]
    assert not TalentPolicy.objects.filter(agency=world.agency_a).exists()
    client_en.force_login(world.committee.user)
    assert POLICY not in client_en.get(GRID).content.decode()
    assert client_en.get(POLICY).status_code == 403


def test_a_calibration_move_announces_the_placement_so_the_plan_follows(
        client_en, world, django_capture_on_commit_callbacks):
    from tna.signals import talent_placed

    heard = []
    talent_placed.connect(lambda sender, cycle, agency, **kw: heard.append(agency.code), weak=False,
                          dispatch_uid="test-move")
    try:
        client_en.force_login(world.committee.user)
        with django_capture_on_commit_callbacks(execute=True):
            client_en.post(detail(world.dodi, cycle=2026), {"box": 8, "reason": "Leads the SPBE team well."})
    finally:
        talent_placed.disconnect(dispatch_uid="test-move")
    assert TalentPlacement.objects.get(pk=world.placements.dodi.pk).box == 8
    assert heard == ["kab-a"]
