"""The profile, team and planner pages as their users see them, and the heatmap's XLSX export."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tna.infra.xlsx import safe_cell

from .gap_data import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_profile_shows_required_vs_observed_and_an_indonesian_reason(client, world):
    client.force_login(world.staff.user)
    response = client.get(reverse("tna:profile"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kompetensi saya" in html
    # The chart: one bar per competency with its name, the numbers as text, and a key.
    assert '<ul class="level-legend"' in html and '<span class="code">M.01</span> Integritas' in html
    assert '<span class="visually-hidden">level teramati </span>2,1' in html
    assert "Dibutuhkan level 3, teramati 2,1 (atasan 1,6; penilai lain 2,4; diri sendiri 3,0)." in html
    # The priority sentence is made of this competency's own parts, largest first.
    assert "Prioritas tinggi (70 dari 100), terutama dari kesenjangan 0,9 level (45,0 poin)" in html
    assert "Menciptakan situasi kerja yang membuat unit taat pada nilai." in html  # level 3 descriptor
    assert "Belum ada penilaian" in html  # M.02 has no ratings
    assert "Tinggi" in html and "70%" in html  # priority band and confidence


def test_profile_in_english(client, world):
    client.force_login(world.staff.user)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("tna:profile")).content.decode()
    assert "Required level 3, observed 2.1 (supervisor 1.6; other raters 2.4; self 3.0)." in html
    assert "High priority (70 of 100), mostly from the gap of 0.9 levels (45.0 points)" in html
    assert "Creates a working climate in which the unit keeps to its values." in html
    assert "Integrity" in html
    assert "No ratings yet" in html


def test_profile_defaults_to_the_latest_cycle_and_can_show_an_older_one(client, world):
    client.force_login(world.staff.user)
    assert "teramati 2,1" in client.get(reverse("tna:profile")).content.decode()
    older = client.get(reverse("tna:profile"), {"cycle": 2025}).content.decode()
    assert "teramati 1,4" in older and "teramati 2,1" not in older
    assert client.get(reverse("tna:profile"), {"cycle": "abc"}).status_code == 400
    assert client.get(reverse("tna:profile"), {"cycle": 1999}).status_code == 404


def test_profile_needs_sign_in_and_an_employee(client, world):
    assert client.get(reverse("tna:profile")).status_code == 302
    client.force_login(world.superuser)
    assert client.get(reverse("tna:profile")).status_code == 404


def test_supervisor_opens_an_indirect_report_but_an_asn_cannot_open_a_colleague(client, world):
    client.force_login(world.head.user)
    assert client.get(reverse("tna:profile_of", args=[world.deputy.nip])).status_code == 200
    client.force_login(world.colleague.user)
    assert client.get(reverse("tna:profile_of", args=[world.deputy.nip])).status_code == 404


def test_team_heatmap_lists_only_reports_with_links(client, world):
    client.force_login(world.head.user)
    response = client.get(reverse("tna:team"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sari Staf" in html and "Dedi Bawahan" in html
    assert "Citra Rekan" not in html and "Bima Beta" not in html
    assert "Hana Kepala</a>" not in html  # the supervisor is named in the menu, not as a row
    assert reverse("tna:profile_of", args=[world.deputy.nip]) in html
    assert '<td class="gap-cell gap-3">1,5</td>' in html  # deputy's M.01 gap, value in the cell
    assert "bawahan tidak langsung" in html  # deputy reports to staff, not to head


def test_team_heatmap_is_for_supervisors(client, world):
    client.force_login(world.colleague.user)
    assert client.get(reverse("tna:team")).status_code == 403


def test_planner_heatmap_shows_own_agency_only(client, world):
    client.force_login(world.planner.user)
    response = client.get(reverse("tna:planner"), {"agency": "kab-b"})  # ignored for a planner
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dinas Pendidikan" in html and "Dinas Kesehatan" in html
    assert "Bappeda Beta" not in html
    # Dinas Pendidikan, M.01: gaps 0.9, 1.0, 1.5 → mean 1.13, two of three at 1 or more.
    assert "1,1<small>67%</small>" in html
    assert "Manajerial" in html or "Managerial" in html


def test_planner_heatmap_is_closed_to_asn_and_supervisors(client, world):
    client.force_login(world.head.user)
    assert client.get(reverse("tna:planner")).status_code == 403


def test_superuser_filters_the_heatmap_by_agency(client, world):
    client.force_login(world.superuser)
    everything = client.get(reverse("tna:planner")).content.decode()
    assert "Bappeda Beta" in everything and "Dinas Pendidikan" in everything
    only_b = client.get(reverse("tna:planner"), {"agency": "kab-b"}).content.decode()
    assert "Bappeda Beta" in only_b and "Dinas Pendidikan" not in only_b
    assert client.get(reverse("tna:planner"), {"agency": "nope"}).status_code == 404


def test_planner_heatmap_exports_the_same_table_as_xlsx(client, world):
    world.health.name = "=HYPERLINK(\"http://evil\")"
    world.health.save()
    client.force_login(world.planner.user)
    response = client.get(reverse("tna:planner"), {"format": "xlsx", "cycle": 2026})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1][:4] == ["Unit", "Instansi", "M.01 Integritas", None]
    assert rows[2][2:4] == ["Rata-rata kesenjangan", "% dengan kesenjangan ≥ 1"]
    by_unit = {row[0]: row for row in rows[3:]}
    assert by_unit["Dinas Pendidikan"][2:4] == [1.13, 66.7]
    assert by_unit["'=HYPERLINK(\"http://evil\")"][2:4] == [0.0, 0.0]  # a formula never runs
    assert by_unit["Semua unit"][2:4] == [0.85, 50.0]
    groups = {row[0].value: [c.value for c in row] for row in book.worksheets[1].iter_rows(min_row=3)}
    managerial = groups.get("Manajerial") or groups["Managerial"]
    assert managerial[1:5] == [4, 1, 0.85, 50.0]  # assessed, not yet rated, mean gap, % with gap ≥ 1


def test_safe_cell_neutralises_formulas():
    assert [safe_cell(v) for v in ["=1+1", "+62", "-x", "@SUM(A1)", "Dinas", 3, 1.5, None]] == [
        "'=1+1", "'+62", "'-x", "'@SUM(A1)", "Dinas", 3, 1.5, None,
    ]
