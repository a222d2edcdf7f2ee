"""Health checks as a load balancer meets them: liveness, readiness and its reasons, and the
production middleware that answers both before the host check and the HTTPS redirect."""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings

from cms import health

PRODUCTION_LIKE = override_settings(
    MIDDLEWARE=["cms.health.HealthCheckMiddleware", *settings.MIDDLEWARE],
    ALLOWED_HOSTS=["latih.example.go.id"],
    SECURE_SSL_REDIRECT=True,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
)


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """Each test starts as a freshly started process: nothing known about migrations or past state."""
    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "_last_reason", None)


def test_liveness_answers_without_the_database(client):
    # No database fixture: any query would fail the test.
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_is_ok_with_the_database_migrated_and_the_cache_working(client, db):
    response = client.get("/readyz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_readiness_is_503_with_the_reason_when_the_database_fails(client, db, monkeypatch, caplog):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(health, "database_check", unreachable)
    for _ in range(3):
        response = client.get("/readyz/")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "database: OperationalError"}
    # Logged once when it changed, not on every probe; never by Django as a server error.
    assert [r.getMessage() for r in caplog.records if r.name == "latih.health"] == ["Not ready: database: OperationalError"]
    assert not [r for r in caplog.records if r.name == "django.request"]

    monkeypatch.undo()
    assert client.get("/readyz/").status_code == 200


def test_readiness_is_503_while_migrations_wait(client, db, monkeypatch):
    class PendingMigrations:
        def __init__(self, connection):
            self.loader = SimpleNamespace(graph=SimpleNamespace(leaf_nodes=list))

        def migration_plan(self, targets):
            return [("tna", "0042_new"), ("lms", "0099_new")]

    monkeypatch.setattr(health, "MigrationExecutor", PendingMigrations)
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["reason"] == "migrations: 2 not applied"


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_readiness_is_503_when_the_cache_keeps_nothing(client, db):
    response = client.get("/readyz/")
    assert response.status_code == 503
    assert response.json()["reason"] == "cache: value not read back"


@PRODUCTION_LIKE
@pytest.mark.parametrize("path", ["/healthz/", "/healthz", "/readyz/", "/readyz"])
def test_production_answers_probes_by_address_over_plain_http(client, db, path):
    response = client.get(path, HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200, response.content


@PRODUCTION_LIKE
def test_production_still_guards_every_other_address(client, db):
    assert client.get("/accounts/login/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    redirect = client.get("/accounts/login/", HTTP_HOST="latih.example.go.id")
    assert (redirect.status_code, redirect["Location"]) == (301, "https://latih.example.go.id/accounts/login/")
    proxied = client.get("/accounts/login/", HTTP_HOST="latih.example.go.id", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
