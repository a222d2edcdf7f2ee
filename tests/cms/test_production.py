"""Production settings from the environment, and its logs: one JSON object per line."""

import importlib
import json
import logging
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cms.log import JsonFormatter, QuietHealthChecks

EXAMPLE = Path(__file__).resolve().parents[2] / "deploy" / "latih.env.example"
ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "latih.example.go.id, www.latih.example.go.id",
    "LATIH_BASE_URL": "https://latih.example.go.id",
    "DATABASE_URL": "postgres://latih@db.internal:5432/latih",
    "EMAIL_HOST": "smtp.example.go.id",
    "DEFAULT_FROM_EMAIL": "latih@example.go.id",
}


def production(monkeypatch, **changes):
    """The production settings module as the environment ``ENVIRONMENT`` + ``changes`` makes it
    (a value of None removes the variable)."""
    for name, value in {**ENVIRONMENT, **changes}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    sys.modules.pop("cms.settings.production", None)
    try:
        return importlib.import_module("cms.settings.production")
    finally:
        sys.modules.pop("cms.settings.production", None)


def test_the_environment_makes_the_settings(monkeypatch):
    settings = production(monkeypatch)
    assert settings.ALLOWED_HOSTS == ["latih.example.go.id", "www.latih.example.go.id"]
    assert settings.DATABASES["default"]["HOST"] == "db.internal"
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert settings.MIDDLEWARE[0] == "cms.health.HealthCheckMiddleware"
    assert (settings.EMAIL_BACKEND, settings.EMAIL_HOST) == ("django.core.mail.backends.smtp.EmailBackend",
                                                           "smtp.example.go.id")
    assert settings.SERVER_EMAIL == settings.DEFAULT_FROM_EMAIL == "latih@example.go.id"
    assert settings.LOGGING["root"]["level"] == "INFO"


@pytest.mark.parametrize("name", sorted(ENVIRONMENT))
def test_a_missing_required_variable_is_named(monkeypatch, name):
    with pytest.raises(ImproperlyConfigured, match=name):
        production(monkeypatch, **{name: None})


def test_the_example_environment_names_every_required_variable():
    names = {line.split("=", 1)[0].lstrip("#") for line in EXAMPLE.read_text().splitlines() if "=" in line}
    assert set(ENVIRONMENT) <= names


def test_log_lines_are_single_json_objects_even_with_a_traceback():
    try:
        raise ValueError("line one\nline two")
    except ValueError:
        record = logging.LogRecord("latih.lms", logging.ERROR, __file__, 1, "failed: %s", ("x",), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"], entry["message"]) == ("ERROR", "latih.lms", "failed: x")
    assert "ValueError: line one" in entry["exception"]


def access_record(path, status):
    atoms = {"h": "10.0.0.9", "m": "GET", "U": path, "q": "", "s": status, "B": "15", "M": 3, "a": "ELB-HealthChecker/2.0"}
    return logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(m)s %(U)s %(s)s", (atoms,), None)


def test_access_lines_carry_the_request_and_leave_out_passing_health_checks():
    entry = json.loads(JsonFormatter().format(access_record("/api/v1/courses/", "200")))
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == ("GET", "/api/v1/courses/", "200", 3)
    quiet = QuietHealthChecks()
    assert not quiet.filter(access_record("/readyz/", "200"))
    assert quiet.filter(access_record("/readyz/", "503"))  # a failing check is worth a line
    assert quiet.filter(access_record("/api/v1/courses/", "200"))
