"""Seats never exceed capacity under concurrent requests, and the waitlist keeps its order under races.

On PostgreSQL the scenes run here, in threads with their own connections (row locks). SQLite's
test database lives in memory, shared between threads in a way that refuses concurrent writers
outright, so the SQLite run copies the migrated schema to a file and fires the same scenes in a
subprocess, where ``BEGIN IMMEDIATE`` serialises the writers as in production.
"""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import TRANSACTIONAL

from .race import (
    build_scene,
    check_requests,
    in_parallel,
    race_cancellations_against_promotion,
    request_through_api,
)

pytestmark = TRANSACTIONAL
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_fifty_parallel_requests_for_ten_seats_through_the_api():
    session, staff = build_scene(50)
    responses = in_parallel([lambda p=p: request_through_api(session, p) for p in staff])
    check_requests(session, responses)


@pytest.mark.postgres
def test_cancellations_race_waitlist_promotion():
    session, staff = build_scene(50)
    summary = race_cancellations_against_promotion(session, staff)
    assert summary["promotions"] >= 8


@pytest.mark.slow
def test_the_same_scenes_on_sqlite_with_immediate_transactions(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite run; PostgreSQL runs the scenes in-process above")
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)  # the migrated, empty test schema
    target.close()
    # Fifty writers queue for SQLite's one lock; on a loaded machine the last waits long.
    env = {**os.environ, "DATABASE_URL": "sqlite:///%s" % path, "DJANGO_SETTINGS_MODULE": "cms.settings.test",
           "LATIH_SQLITE_TIMEOUT": "120"}
    result = subprocess.run([sys.executable, "-m", "tests.lms.race"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 50 parallel requests -> 10 enrolled, 40 waitlisted" in result.stdout
