"""Who sees whose ratings: small rater groups are merged, individual raters never listed, agencies apart."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tna.selectors import merge_rater_roles

from .gap_data import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_roles_below_three_raters_are_pooled_as_other_raters():
    raters = {
        "supervisor": {"n": 1, "mean": 1.6}, "peer": {"n": 4, "mean": 2.5},
        "subordinate": {"n": 2, "mean": 2.2}, "self": {"n": 1, "mean": 3.0},
    }
    assert merge_rater_roles(raters, min_raters=3) == [
        {"role": "peer", "n": 4, "mean": 2.5},
        {"role": "other", "n": 3, "mean": 2.0},  # (1 × 1.6 + 2 × 2.2) / 3
        {"role": "self", "n": 1, "mean": 3.0},
    ]


def test_a_pool_still_under_three_raters_is_not_shown_at_all():
    raters = {"supervisor": {"n": 1, "mean": 1.6}, "peer": {"n": 1, "mean": 2.5}, "self": {"n": 1, "mean": 3.0}}
    assert merge_rater_roles(raters, min_raters=3) == [{"role": "self", "n": 1, "mean": 3.0}]


def test_the_minimum_is_a_setting():
    raters = {"supervisor": {"n": 1, "mean": 1.6}, "peer": {"n": 2, "mean": 2.5}}
    assert [r["role"] for r in merge_rater_roles(raters, min_raters=1)] == ["supervisor", "peer"]


def _rater_rows(response):
    """Rater-group names shown in the profile's rater tables."""
    html = response.content.decode()
    return {name for name in ("Atasan", "Rekan kerja", "Bawahan", "Penilai lain", "Diri sendiri") if f'<th scope="row">{name}</th>' in html}


def test_ratee_sees_peers_and_merged_others_but_not_the_supervisor_alone(client, world):
    client.force_login(world.staff.user)
    response = client.get(reverse("tna:profile"))
    assert _rater_rows(response) == {"Rekan kerja", "Penilai lain", "Diri sendiri"}
    assert "1,6" not in response.content.decode()  # the lone supervisor's average


def test_supervisor_sees_the_same_merged_view_as_the_ratee(client, world):
    client.force_login(world.head.user)
    response = client.get(reverse("tna:profile_of", args=[world.staff.nip]))
    assert response.status_code == 200
    assert _rater_rows(response) == {"Rekan kerja", "Penilai lain", "Diri sendiri"}


def test_hr_of_the_agency_sees_every_rater_group(client, world):
    client.force_login(world.planner.user)
    response = client.get(reverse("tna:profile_of", args=[world.staff.nip]))
    assert _rater_rows(response) == {"Atasan", "Rekan kerja", "Bawahan", "Diri sendiri"}


@override_settings(LATIH_MIN_RATERS_PER_ROLE_SHOWN=5)
def test_a_higher_minimum_merges_more(client, world):
    client.force_login(world.staff.user)
    response = client.get(reverse("tna:profile"))
    assert _rater_rows(response) == {"Penilai lain", "Diri sendiri"}


@pytest.mark.parametrize("viewer", ["colleague", "deputy", "b_planner", "b_person"])
def test_others_cannot_open_a_profile(client, world, viewer):
    client.force_login(getattr(world, viewer).user)
    assert client.get(reverse("tna:profile_of", args=[world.staff.nip])).status_code == 404


def test_api_never_returns_per_role_raters_to_the_ratee(client, world):
    client.force_login(world.staff.user)
    row = next(r for r in client.get("/api/v1/me/gaps/").json()["results"] if r["competency"] == "M.01")
    assert "raters" not in row["reason"]
    assert row["raters"] == [
        {"role": "peer", "n": 4, "mean": 2.5},
        {"role": "other", "n": 3, "mean": 2.0},
        {"role": "self", "n": 1, "mean": 3.0},
    ]


def test_api_gives_hr_the_role_detail_and_supervisors_the_merged_view(client, world):
    client.force_login(world.admin.user)
    row = client.get("/api/v1/gaps/", {"employee": world.staff.nip, "competency": "M.01"}).json()["results"][0]
    assert {r["role"] for r in row["raters"]} == {"supervisor", "peer", "subordinate", "self"}
    client.force_login(world.head.user)
    row = client.get("/api/v1/gaps/", {"employee": world.staff.nip, "competency": "M.01"}).json()["results"][0]
    assert {r["role"] for r in row["raters"]} == {"peer", "other", "self"}


def test_hr_staff_get_the_merged_view_of_their_own_ratings(client, world):
    from tna.models import CompetencyGap

    gap = CompetencyGap.objects.get(employee=world.staff, competency__code="M.01", cycle__year=2026)
    CompetencyGap.objects.filter(pk=gap.pk).update(employee=world.planner)
    client.force_login(world.planner.user)
    row = client.get("/api/v1/me/gaps/", {"competency": "M.01"}).json()["results"][0]
    assert {r["role"] for r in row["raters"]} == {"peer", "other", "self"}
