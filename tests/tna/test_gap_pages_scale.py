"""The heatmaps, the team page and the profile at scale: queries that do not grow with the staff,
and the planner heatmap's grouped query read once per TNA run."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tna import factories
from tna.models import CompetencyGap, Employee, TnaRun

from .gap_data import build_world


@pytest.fixture
def world(db):
    cache.clear()
    yield build_world()
    cache.clear()


def _grow(world, people, *, start):
    """``people`` more staff in agency A: three new units, reporting to the head through two levels,
    each with results on M.01, M.02 and TK.01 (created in bulk, as a run would)."""
    units = [
        factories.UnitFactory(agency=world.agency_a, code="u%d-%d" % (start, i), name="Unit %d-%d" % (start, i))
        for i in range(3)
    ]
    position = world.staff.position
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username="grow%d" % (start + i)) for i in range(people)]
    )
    staff = Employee.objects.bulk_create([
        Employee(
            user=user, nip=factories.nip_for(900_000 + start + i), name="Pegawai %d" % (start + i),
            agency=world.agency_a, unit=units[i % 3], position=position, grade="III/a", employment="PNS",
            supervisor=world.head,
        )
        for i, user in enumerate(users)
    ])
    # Half of them report to the first newcomer: the team is two levels deep below the head.
    Employee.objects.filter(pk__in=[p.pk for p in staff[people // 2:]]).update(supervisor=staff[0])
    CompetencyGap.objects.bulk_create([
        CompetencyGap(
            cycle=world.cycle, employee=person, agency=world.agency_a, unit=person.unit, competency=competency,
            required_level=3, observed_level=2.0 + (i % 5) / 4, gap=max(1.0 - (i % 5) / 4, 0), priority=30,
        )
        for i, person in enumerate(staff)
        for competency in (world.m01, world.m02, world.tk01)
    ])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("viewer, page", [
    ("planner", "tna:planner"),
    ("head", "tna:team"),
    ("staff", "tna:profile"),
])
def test_pages_make_as_many_queries_for_a_large_agency_as_for_a_small_one(client, world, viewer, page):
    client.force_login(getattr(world, viewer).user)
    url = reverse(page)
    _queries(client, url)  # sessions, languages and the like settle on the first request
    small = _queries(client, url)
    _grow(world, 60, start=0)
    large = _queries(client, url)
    assert len(large) == len(small), "\n".join(large)
    if page == "tna:team":
        # The team is walked in the database: no query binds one parameter per team member.
        assert max(q.count("%s") + q.count("?") for q in large) < 20


def test_the_one_competency_view_of_a_team_stays_within_a_fixed_number_of_queries(client, world):
    client.force_login(world.head.user)
    url = reverse("tna:team")
    _queries(client, url, {"show": "competency-M.01"})
    small = _queries(client, url, {"show": "competency-M.01"})
    _grow(world, 60, start=100)
    large = _queries(client, url, {"show": "competency-M.01"})
    assert len(large) == len(small)
    html = client.get(url, {"show": "competency-M.01"}).content.decode()
    assert "Pegawai 100" in html and "Halaman 1 dari 2" in html  # 63 people, 50 to a page


def _grouped(queries):
    return [q for q in queries if "GROUP BY" in q and "competency_id" in q]


def test_the_heatmap_reads_the_results_once_per_run(client, world):
    finished = timezone.now()
    TnaRun.objects.create(cycle=world.cycle, status=TnaRun.Status.SUCCEEDED, finished_at=finished)
    client.force_login(world.planner.user)
    url = reverse("tna:planner")
    assert len(_grouped(_queries(client, url))) == 1
    assert _grouped(_queries(client, url)) == []  # the same run's results: from the cache
    assert "1,1<small>67%</small>" in client.get(url).content.decode()

    # A later run replaces the results: the next view reads them again.
    CompetencyGap.objects.filter(employee=world.deputy, competency=world.m01).update(gap=3.0)
    TnaRun.objects.create(cycle=world.cycle, status=TnaRun.Status.SUCCEEDED, finished_at=finished + timedelta(seconds=1))
    assert len(_grouped(_queries(client, url))) == 1
    assert "1,6<small>67%</small>" in client.get(url).content.decode()  # (0.9 + 1.0 + 3.0) / 3
    # A run still going, or one that failed, changes nothing.
    TnaRun.objects.create(cycle=world.cycle, status=TnaRun.Status.FAILED, finished_at=finished + timedelta(seconds=2))
    assert _grouped(_queries(client, url)) == []


def test_without_a_run_the_heatmap_is_read_every_time(client, world):
    # Rows written directly (imports of old results, tests) have no run to key a cache on.
    client.force_login(world.planner.user)
    url = reverse("tna:planner")
    assert len(_grouped(_queries(client, url))) == 1
    assert len(_grouped(_queries(client, url))) == 1
