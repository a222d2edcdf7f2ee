"""Shared pytest fixtures and the PostgreSQL switch."""

import os

import pytest
from django.conf import settings


def pytest_collection_modifyitems(config, items):
    """Skip ``postgres`` tests with a clear reason unless the suite runs on PostgreSQL."""
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


@pytest.fixture(autouse=True)
def _forget_content_type_ids(request):
    """Forget cached content-type ids before a transactional test without serialized rollback.

    Transactional tests here use ``TRANSACTIONAL`` (serialized rollback): each starts from the
    migrated data (home page, site, role groups, content types with their original ids) and ends
    with a flush that skips ``post_migrate``. A transactional test without it would start on an
    empty ``django_content_type`` while the process still caches the old ids, and writing one
    (search index, reference index, log entries) would break a foreign key; clearing the cache
    makes Django create the rows afresh.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


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
