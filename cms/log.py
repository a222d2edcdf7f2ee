"""Production logs: one JSON object per line on stdout, for journald or any log collector (docs/deploy.md).

Used by ``cms.settings.production`` (Django, the worker) and ``deploy/gunicorn.conf.py`` (the
server's own and access logs), so every line a process writes parses the same way. Imports nothing
of Django: gunicorn configures its logging before it loads the site.
"""

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime

# gunicorn's access-log atoms, under names a log search can use.
ACCESS_FIELDS = {"h": "remote", "{x-real-ip}i": "client", "m": "method", "U": "path", "q": "query", "s": "status",
                 "B": "bytes", "M": "duration_ms", "a": "user_agent"}
HEALTH_PATHS = {"/healthz", "/healthz/", "/readyz", "/readyz/"}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}``, plus the request's fields on gunicorn's access
    lines and ``exception`` (the traceback, escaped into the one line) when there is one."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            entry.update((field, record.args.get(atom)) for atom, field in ACCESS_FIELDS.items())
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class QuietHealthChecks(logging.Filter):
    """Drop the access lines of health checks that passed: a load balancer asks every few seconds,
    and a failing check is still logged."""

    def filter(self, record):
        args = record.args
        if isinstance(args, Mapping) and args.get("U") in HEALTH_PATHS:
            return not str(args.get("s", "")).startswith(("2", "3"))
        return True
