"""The talent API: who sees which 9-box placements, the reason for HR only, filters, pages and the schema."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from tna.models import TalentPolicy

from .talent_data import build_talent_world

URL = "/api/v1/talent/"
AGENCY_A_2026 = {"Ani Sembilan", "Budi Sembilan", "Cici Delapan", "Dodi Lima", "Eka Satu", "Fani Kalibrasi",
                 "Gita Asn", "Hadi Atasan", "Intan Perencana"}


@pytest.fixture
def world(db):
    return build_talent_world()


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def names(client, user, **params):
    return {row["name"] for row in listed(client, user, **params)["results"]}


def show_own_box(world, on):
    TalentPolicy.objects.update_or_create(agency=world.agency_a, defaults={"show_own_box": on})


def test_hr_and_the_talent_committee_see_their_agency_with_reasons(client, world):
    assert names(client, world.admin.user) == AGENCY_A_2026
    data = listed(client, world.committee.user, box=9)
    assert [row["name"] for row in data["results"]] == ["Ani Sembilan", "Budi Sembilan", "Fani Kalibrasi"]
    ani = data["results"][0]
    assert ani == {
        "nip": world.ani.nip, "name": "Ani Sembilan", "cycle": 2026, "agency": "kab-a", "unit": "disdik",
        "job_type": "pelaksana", "performance": "above", "potential": "high", "box": 9, "computed_box": 9,
        "calibrated": False, "reason": world.placements.ani.reason,
    }
    assert ani["reason"]["potential"]["decided_by"] == "profile"
    fani = data["results"][2]
    assert (fani["box"], fani["computed_box"], fani["calibrated"]) == (9, 7, True)


def test_superusers_see_every_agency(client, world):
    assert names(client, world.superuser) == AGENCY_A_2026 | {"Bima Beta"}
    assert names(client, world.b_admin.user) == {"Bima Beta"}


@pytest.mark.parametrize("who", ["asn", "supervisor", "planner"])
def test_others_see_only_their_own_box_and_only_when_the_agency_shows_it(client, world, who):
    person = getattr(world, who)
    assert listed(client, person.user)["results"] == []  # no policy: off
    show_own_box(world, False)
    assert listed(client, person.user)["count"] == 0
    show_own_box(world, True)
    rows = listed(client, person.user)["results"]
    assert [(row["nip"], row["box"]) for row in rows] == [(person.nip, getattr(world.placements, who).box)]
    assert rows[0]["reason"] is None  # the numbers behind it are for HR
    # A filter never widens the scope: a supervisor does not see the team's boxes.
    assert names(client, person.user, unit="disdik") <= {person.name}


def test_another_agencys_policy_does_not_open_this_one(client, world):
    TalentPolicy.objects.create(agency=world.agency_b, show_own_box=True)
    assert names(client, world.asn.user) == set()
    assert names(client, world.b_person.user) == {"Bima Beta"}


def test_filters(client, world):
    admin = world.admin.user
    assert names(client, admin, unit="dinkes") == {"Cici Delapan", "Dodi Lima", "Fani Kalibrasi", "Intan Perencana"}
    assert names(client, admin, job_type="administrator") == {"Budi Sembilan"}
    assert names(client, admin, box=5) == {"Dodi Lima", "Gita Asn"}
    assert [(row["name"], row["box"]) for row in listed(client, admin, cycle=2025)["results"]] == [("Ani Sembilan", 8)]
    assert names(client, admin, cycle=2024) == set()
    assert names(client, admin, unit="bappeda") == set()  # agency B's unit: still only agency A's rows
    for bad in ({"box": 10}, {"box": 0}, {"box": "x"}, {"cycle": "last"}, {"job_type": "nonsense"}):
        assert client.get(URL, bad).status_code == 400, bad


def test_pages_and_sign_in(client, world):
    data = listed(client, world.superuser)
    assert data["count"] == 10 and data["next"] is None and len(data["results"]) == 10
    assert client.get(URL, {"page": 5}).status_code == 404
    client.logout()
    response = client.get(URL)
    assert response.status_code == 403 and set(response.json()) == {"detail"}
    assert client.post(URL, {}).status_code == 403
    client.force_login(world.admin.user)
    assert client.post(URL, {}, content_type="application/json").status_code == 405  # read-only


def test_schema_documents_the_talent_endpoint_without_warnings(client, world):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [w for w in GENERATOR_STATS._warn_cache if "talent" in w.lower()]
    assert ours == []
    operation = schema["paths"]["/api/v1/talent/"]["get"]
    assert set(operation["responses"]) >= {"200", "400", "403", "404", "429"}
    assert {p["name"] for p in operation["parameters"]} >= {"cycle", "box", "unit", "job_type", "page"}
    assert operation["tags"] == ["talent"]
    assert set(schema["paths"]["/api/v1/talent/"]) == {"get"}
    fields = schema["components"]["schemas"]["TalentPlacement"]["properties"]
    assert {"nip", "name", "cycle", "unit", "job_type", "performance", "potential", "box", "computed_box",
            "calibrated", "reason"} <= set(fields)
    assert fields["reason"].get("nullable") is True
