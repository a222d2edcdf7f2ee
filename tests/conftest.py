"""Shared pytest fixtures and the PostgreSQL switch."""

import os

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# The suite shares two cores with whatever else runs (CI, other suites): property tests check
# their properties, not how fast examples come, so timing checks would only make them flaky.
hypothesis_settings.register_profile("latih", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("latih")


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language (Indonesian), whatever the one before it
    activated, as each request does."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache, as a freshly started site does: what Wagtail and
    Latih keep there (the sites, their root paths, catalogue fragments) names rows that the
    test before rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _drop_cycle_partitions(request):
    """Transactional tests commit: on PostgreSQL the cycles' partitions of the results
    (tna.infra.bulk.partitions) would outlive the flush and name cycles that are gone."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("transactional_db")  # so this teardown runs while the database is open
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from tna.infra.bulk.partitions import DEFAULT_SUFFIX
    from tna.models import CompetencyGap

    table = CompetencyGap._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass AND c.relname <> %s", [table, table + DEFAULT_SUFFIX])
        for (name,) in cursor.fetchall():
            cursor.execute("DROP TABLE %s" % connection.ops.quote_name(name))


def pytest_collection_modifyitems(config, items):
    """Refuse transactional tests that do not restore the migrated data; skip ``postgres`` tests
    with a clear reason unless the suite runs on PostgreSQL."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                "%s: mark transactional tests with tests.conftest.TRANSACTIONAL. After a serialized-rollback "
                "test's flush the content types are gone, so a plain transactional test would write cached "
                "ids into an empty table, and one running before a serialized test would make its restore "
                "collide." % item.nodeid
            )
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    reason = (
        "needs PostgreSQL (row locking/concurrency): run with "
        "DATABASE_URL=postgres://postgres@127.0.0.1:5432/latih_test"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=reason))


#: Mark for tests that need real transactions (threads, locks, a live server). All of them
#: restore the migrated data, so their order in a worker does not matter.
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def enqueued():
    """The (task name, arguments) of every task queued during the test."""
    from django_tasks.signals import task_enqueued

    seen = []

    def record(sender, task_result, **kwargs):
        seen.append((task_result.task.name, tuple(task_result.args)))

    task_enqueued.connect(record)
    yield seen
    task_enqueued.disconnect(record)


@pytest.fixture
def national_dictionary(db):
    """The national competency dictionary (M.01–M.08, SK.01) and technical competencies."""
    from django.core.management import call_command

    call_command("loaddata", "competencies", verbosity=0)


@pytest.fixture
def seed_regions(db, national_dictionary):
    """The five seed agencies with their units and positions."""
    from django.core.management import call_command

    call_command("loaddata", "seed_regions", verbosity=0)


def pytest_report_header(config):
    return "database: %s" % os.environ.get("DATABASE_URL", "sqlite (default)")
