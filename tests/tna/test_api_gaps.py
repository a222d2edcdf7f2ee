"""The gaps API: my gaps, role scoping, filters, summaries and the OpenAPI schema."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

from .gap_data import build_world


@pytest.fixture
def world(db):
    return build_world()


def people_seen(client, user, **params):
    client.force_login(user)
    response = client.get("/api/v1/gaps/", params)
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_me_gaps_lists_my_gaps_of_the_latest_cycle_with_reasons(client, world):
    client.force_login(world.staff.user)
    data = client.get("/api/v1/me/gaps/").json()
    assert data["count"] == 3
    first = data["results"][0]
    assert (first["competency"], first["cycle"], first["required_level"], first["observed_level"]) == ("M.01", 2026, 3, 2.1)
    assert first["reason"]["signals"] == ["behaviour_below", "survey_priority_3"]
    assert first["explanation"][0] == "Dibutuhkan level 3, teramati 2,1 (atasan 1,6; penilai lain 2,4; diri sendiri 3,0)."


def test_me_gaps_in_english_and_for_an_older_cycle(client, world):
    client.force_login(world.staff.user)
    data = client.get("/api/v1/me/gaps/", {"cycle": 2025}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert data["count"] == 1
    assert data["results"][0]["explanation"][0] == "Required level 3, observed 1.4."


def test_me_gaps_without_an_employee_record_is_a_clear_404(client, world):
    client.force_login(world.superuser)
    response = client.get("/api/v1/me/gaps/")
    assert response.status_code == 404
    assert "not linked to an employee" in response.json()["detail"]


def test_gaps_are_scoped_by_role(client, world):
    assert people_seen(client, world.colleague.user) == {"Citra Rekan"}
    assert people_seen(client, world.head.user) == {"Hana Kepala", "Sari Staf", "Dedi Bawahan"}
    assert people_seen(client, world.planner.user) == {"Hana Kepala", "Sari Staf", "Dedi Bawahan", "Citra Rekan"}
    assert people_seen(client, world.admin.user) == {"Hana Kepala", "Sari Staf", "Dedi Bawahan", "Citra Rekan"}
    assert people_seen(client, world.b_planner.user) == {"Bima Beta"}
    assert people_seen(client, world.superuser) == {
        "Hana Kepala", "Sari Staf", "Dedi Bawahan", "Citra Rekan", "Bima Beta",
    }


def test_filters_cannot_widen_the_scope(client, world):
    assert people_seen(client, world.planner.user, agency="kab-b") == set()
    assert people_seen(client, world.colleague.user, employee=world.staff.nip) == set()


def test_gap_filters(client, world):
    assert people_seen(client, world.superuser, min_gap=1) == {"Hana Kepala", "Dedi Bawahan", "Bima Beta"}
    assert people_seen(client, world.superuser, min_priority=60) == {"Sari Staf", "Dedi Bawahan"}
    assert people_seen(client, world.superuser, unit="dinkes") == {"Citra Rekan"}
    assert people_seen(client, world.superuser, competency="TK.01") == {"Sari Staf"}
    assert people_seen(client, world.superuser, cycle=2025) == {"Sari Staf"}
    client.force_login(world.superuser)
    assert client.get("/api/v1/gaps/", {"cycle": "last"}).status_code == 400


def test_summary_by_unit_on_a_known_dataset(client, world):
    client.force_login(world.planner.user)
    data = client.get("/api/v1/gaps/summary/", {"by": "unit"}).json()
    assert (data["cycle"], data["by"]) == (2026, "unit")
    rows = {row["code"]: row for row in data["results"]}
    assert set(rows) == {"disdik", "dinkes"}
    assert rows["disdik"] == {
        "key": world.school.pk, "code": "disdik", "name": "Dinas Pendidikan",
        # staff M.01 0.9 (p70), TK.01 0 (p0), head 1.0 (p40), deputy 1.5 (p60); staff M.02 unrated
        "count": 4, "unassessed": 1,
        "mean_gap": 0.85, "share_gap_ge_1": 0.5, "mean_priority": 42.5,
    }
    assert (rows["dinkes"]["count"], rows["dinkes"]["mean_gap"], rows["dinkes"]["share_gap_ge_1"]) == (1, 0.0, 0.0)


def test_summary_by_competency_and_agency(client, world):
    client.force_login(world.superuser)
    by_competency = {r["code"]: r for r in client.get("/api/v1/gaps/summary/", {"by": "competency"}).json()["results"]}
    # M.01 over both agencies: 0.9, 1.0, 1.5, 0.0, 1.0 → mean 0.88, 3 of 5 at ≥ 1
    assert (by_competency["M.01"]["count"], by_competency["M.01"]["mean_gap"], by_competency["M.01"]["share_gap_ge_1"]) == (5, 0.88, 0.6)
    assert by_competency["M.02"]["mean_gap"] is None and by_competency["M.02"]["unassessed"] == 1
    by_agency = {r["code"]: r for r in client.get("/api/v1/gaps/summary/", {"by": "agency"}).json()["results"]}
    assert by_agency["kab-b"]["mean_gap"] == 1.0 and by_agency["kab-a"]["count"] == 5


def test_summary_is_scoped_like_the_list(client, world):
    client.force_login(world.head.user)
    rows = client.get("/api/v1/gaps/summary/", {"by": "agency"}).json()["results"]
    # head, staff (3 rows, one unrated) and deputy: 4 assessed rows, 1 unassessed
    assert [(r["code"], r["count"], r["unassessed"]) for r in rows] == [("kab-a", 4, 1)]


def test_summary_is_cached_per_agency_until_the_next_run(client, world):
    """HR's summary is kept until a TNA run writes new results, and one agency's is never another's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tna.models import CompetencyGap, TnaRun

    TnaRun.objects.create(cycle=world.cycle, status=TnaRun.Status.SUCCEEDED, finished_at=timezone.now())

    def summary(user, **params):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            rows = client.get("/api/v1/gaps/summary/", params).json()["results"]
        aggregated = any("GROUP BY" in q["sql"] for q in queries.captured_queries)
        return {row["code"]: row["count"] for row in rows}, aggregated

    assert summary(world.planner.user) == ({"disdik": 4, "dinkes": 1}, True)
    assert summary(world.admin.user) == ({"disdik": 4, "dinkes": 1}, False)  # the same agency: from the cache
    assert summary(world.b_planner.user) == ({"bappeda": 1}, True)  # another agency: its own
    assert summary(world.planner.user, min_gap=1) == ({"disdik": 2}, True)  # filtered: never cached
    assert summary(world.head.user)[1]  # a supervisor's rows follow the chain: never cached

    # A new run replaces the results: the next summary shows them at once.
    CompetencyGap.objects.filter(employee=world.colleague, cycle=world.cycle).update(observed_level=None)
    TnaRun.objects.create(cycle=world.cycle, agency=world.school.agency, status=TnaRun.Status.SUCCEEDED,
                          finished_at=timezone.now())
    assert summary(world.planner.user) == ({"disdik": 4, "dinkes": 0}, True)
    assert summary(world.b_planner.user) == ({"bappeda": 1}, False)  # agency B's results did not change


def test_summary_rejects_an_unknown_grouping(client, world):
    client.force_login(world.planner.user)
    response = client.get("/api/v1/gaps/summary/", {"by": "gender"})
    assert response.status_code == 400
    assert response.json() == {"by": ["Cannot group by 'gender': use one of unit, competency, agency."]}


def test_anonymous_requests_are_refused(client, world):
    assert client.get("/api/v1/gaps/").status_code in (401, 403)
    assert client.get("/api/v1/me/gaps/").status_code in (401, 403)


def test_schema_documents_the_gap_endpoints_without_warnings(client, world):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = [w for w in GENERATOR_STATS._warn_cache if "gaps" in w.lower() or "Gap" in w]
    assert ours == []
    summary = schema["paths"]["/api/v1/gaps/summary/"]["get"]
    assert {p["name"] for p in summary["parameters"]} >= {"by", "cycle", "agency", "unit", "min_gap", "min_priority"}
    me = schema["paths"]["/api/v1/me/gaps/"]["get"]
    assert {p["name"] for p in me["parameters"]} >= {"cycle", "competency", "min_priority", "min_gap", "page"}
    client.force_login(world.planner.user)
    assert client.get("/api/schema/").status_code == 200
