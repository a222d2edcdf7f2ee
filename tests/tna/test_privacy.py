"""Who sees whose ratings: small rater groups pooled, individual peers never singled out, the
supervisor's rating open to the person, agencies apart."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tna.selectors import merge_rater_roles

from .gap_data import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_small_peer_and_subordinate_groups_are_shown_only_as_their_pool():
    raters = {
        "supervisor": {"n": 1, "mean": 1.6}, "peer": {"n": 2, "mean": 2.5},
        "subordinate": {"n": 1, "mean": 2.2}, "self": {"n": 1, "mean": 3.0},
    }
    assert merge_rater_roles(raters, min_raters=3) == [
        {"role": "supervisor", "n": 1, "mean": 1.6},  # the one superior: open to the person by design
        {"role": "other", "n": 3, "mean": 2.4},  # (2 × 2.5 + 1 × 2.2) / 3
        {"role": "self", "n": 1, "mean": 3.0},
    ]


def test_a_pool_still_under_three_raters_is_not_shown_at_all():
    raters = {"supervisor": {"n": 1, "mean": 1.6}, "peer": {"n": 1, "mean": 2.5}, "self": {"n": 1, "mean": 3.0}}
    assert merge_rater_roles(raters, min_raters=3) == [
        {"role": "supervisor", "n": 1, "mean": 1.6}, {"role": "self", "n": 1, "mean": 3.0},
    ]


def test_the_minimum_is_a_setting():
    raters = {"supervisor": {"n": 1, "mean": 1.6}, "peer": {"n": 2, "mean": 2.5}}
    assert [r["role"] for r in merge_rater_roles(raters, min_raters=1)] == ["supervisor", "peer"]


def _rater_rows(response):
    """Rater-group names shown in the profile's rater tables."""
    html = response.content.decode()
    return {name for name in ("Atasan", "Rekan kerja", "Bawahan", "Penilai lain", "Diri sendiri") if f'<th scope="row">{name}</th>' in html}


def test_ratee_sees_the_supervisor_and_the_pool_but_not_the_two_peers(client, world):
    client.force_login(world.staff.user)
    response = client.get(reverse("tna:profile"))
    assert _rater_rows(response) == {"Atasan", "Penilai lain", "Diri sendiri"}
    html = response.content.decode()
    # The two peers' own average (2,5) is nowhere; they count only in the pool with the subordinate.
    assert "Dibutuhkan level 3, teramati 2,1 (atasan 1,6; penilai lain 2,4; diri sendiri 3,0)." in html
    assert "rekan kerja 2,5" not in html.lower() and "Rekan kerja" not in html


def test_supervisor_sees_the_same_merged_view_as_the_ratee(client, world):
    client.force_login(world.head.user)
    response = client.get(reverse("tna:profile_of", args=[world.staff.nip]))
    assert response.status_code == 200
    assert _rater_rows(response) == {"Atasan", "Penilai lain", "Diri sendiri"}


def test_hr_of_the_agency_sees_every_rater_group(client, world):
    client.force_login(world.planner.user)
    response = client.get(reverse("tna:profile_of", args=[world.staff.nip]))
    assert _rater_rows(response) == {"Atasan", "Rekan kerja", "Bawahan", "Penilai lain", "Diri sendiri"}
    # The two peers and the lone subordinate are counted and weighted, their averages only pooled.
    html = response.content.decode()
    assert "2,5" not in html.split("Rekan kerja", 1)[1].split("</tr>", 1)[0]


@override_settings(LATIH_MIN_RATERS_PER_ROLE_SHOWN=5)
def test_a_higher_minimum_merges_more(client, world):
    client.force_login(world.staff.user)
    response = client.get(reverse("tna:profile"))
    assert _rater_rows(response) == {"Atasan", "Diri sendiri"}


@pytest.mark.parametrize("viewer", ["colleague", "deputy", "b_planner", "b_person"])
def test_others_cannot_open_a_profile(client, world, viewer):
    client.force_login(getattr(world, viewer).user)
    assert client.get(reverse("tna:profile_of", args=[world.staff.nip])).status_code == 404


def test_api_never_returns_per_role_raters_to_the_ratee(client, world):
    client.force_login(world.staff.user)
    row = next(r for r in client.get("/api/v1/me/gaps/").json()["results"] if r["competency"] == "M.01")
    assert "raters" not in row["reason"]
    assert row["raters"] == [
        {"role": "supervisor", "n": 1, "mean": 1.6},
        {"role": "other", "n": 3, "mean": 2.4},
        {"role": "self", "n": 1, "mean": 3.0},
    ]


def test_api_gives_hr_the_role_detail_and_supervisors_the_merged_view(client, world):
    client.force_login(world.admin.user)
    row = client.get("/api/v1/gaps/", {"employee": world.staff.nip, "competency": "M.01"}).json()["results"][0]
    assert {r["role"] for r in row["raters"]} == {"supervisor", "peer", "subordinate", "other", "self"}
    small = {r["role"]: r for r in row["raters"] if r["role"] in ("peer", "subordinate")}
    assert {r["n"] for r in small.values()} == {2, 1} and all(r["mean"] is None for r in small.values())
    client.force_login(world.head.user)
    row = client.get("/api/v1/gaps/", {"employee": world.staff.nip, "competency": "M.01"}).json()["results"][0]
    assert {r["role"] for r in row["raters"]} == {"supervisor", "other", "self"}


def test_hr_staff_get_the_merged_view_of_their_own_ratings(client, world):
    from tna.models import CompetencyGap

    gap = CompetencyGap.objects.get(employee=world.staff, competency__code="M.01", cycle__year=2026)
    CompetencyGap.objects.filter(pk=gap.pk).update(employee=world.planner)
    client.force_login(world.planner.user)
    row = client.get("/api/v1/me/gaps/", {"competency": "M.01"}).json()["results"][0]
    assert {r["role"] for r in row["raters"]} == {"supervisor", "other", "self"}
