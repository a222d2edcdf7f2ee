"""Health checks for load balancers: ``/healthz/`` (the process answers) and ``/readyz/`` (it can serve).

Liveness touches nothing: a load balancer that restarts a process whose database is down would only
restart it again. Readiness asks the database (reachable, every migration applied) and the cache;
a 503 with a short reason takes the process out of rotation until they are back (docs/deploy.md).
Neither is cached, and production answers both before the host check and the HTTPS redirect
(``HealthCheckMiddleware``), since a load balancer probes by address over plain HTTP.
"""

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("latih.health")

CACHE_KEY = "latih:readyz"
# Per process: once every migration is applied it stays so until a deploy restarts the process,
# and building the migration graph on every probe would cost more than the rest of the check.
_migrated = False
_last_reason = None


@never_cache
@require_safe
def liveness(request):
    """200 whenever the process can answer a request; nothing else is asked."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readiness(request):
    """200 when the database answers with every migration applied and the cache works, else 503."""
    reason = not_ready_reason()
    _log_change(reason)
    if reason:
        response = JsonResponse({"status": "unavailable", "reason": reason}, status=503)
        # The change was logged once above; Django would log every probe's 503 as an error.
        response._has_been_logged = True
        return response
    return JsonResponse({"status": "ok"})


def not_ready_reason():
    """What keeps this process from serving (``"database: …"``, ``"migrations: …"``, ``"cache: …"``), or None."""
    for name, check in (("database", database_check), ("migrations", migrations_check), ("cache", cache_check)):
        try:
            problem = check()
        except Exception as error:  # any failure of a dependency means "not ready"
            problem = type(error).__name__
        if problem:
            return "%s: %s" % (name, problem)
    return None


def database_check():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def migrations_check():
    global _migrated
    if _migrated:
        return None
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        return "%d not applied" % len(unapplied)
    _migrated = True
    return None


def cache_check():
    cache.set(CACHE_KEY, "1", timeout=10)
    if cache.get(CACHE_KEY) != "1":
        return "value not read back"
    return None


def _log_change(reason):
    """Log when readiness changes, not on every probe (a load balancer asks every few seconds)."""
    global _last_reason
    if reason != _last_reason:
        if reason:
            logger.warning("Not ready: %s", reason)
        elif _last_reason:
            logger.info("Ready again (was: %s)", _last_reason)
        _last_reason = reason


PROBES = {"/healthz": liveness, "/readyz": readiness}


class HealthCheckMiddleware:
    """Answer ``/healthz/`` and ``/readyz/`` (with or without the slash) before any other middleware.

    First in production's ``MIDDLEWARE``, so the probe of a load balancer meets neither
    ``ALLOWED_HOSTS`` (it asks by the machine's address) nor the HTTPS redirect (it asks over plain
    HTTP), nor sessions, language or sign-in limits. The same views are in ``cms.urls`` for
    development, where this middleware is not installed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is not None:
            return probe(request)
        return self.get_response(request)
