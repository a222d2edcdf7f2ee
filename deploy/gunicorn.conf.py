"""gunicorn's settings for Latih (``deploy/start-web`` runs ``gunicorn -c deploy/gunicorn.conf.py``).

Every value a site may want to change comes from the environment (docs/deploy.md): PORT,
LATIH_BIND_ADDRESS, WEB_CONCURRENCY, GUNICORN_TIMEOUT, LATIH_LOG_LEVEL. Logs go to stdout as
one JSON object per line (cms.log), with health checks that passed left out of the access log.
"""

import multiprocessing
import os
from pathlib import Path

from gunicorn.http import wsgi as gunicorn_wsgi


def setting(name, default):
    return os.environ.get(name, "").strip() or default


chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "cms.wsgi:application"  # production settings unless DJANGO_SETTINGS_MODULE says otherwise

# Behind a proxy on the same machine by default; a load balancer elsewhere needs 0.0.0.0 and a
# firewall that lets only it in (the proxy's X-Forwarded-Proto is trusted).
bind = ["%s:%s" % (setting("LATIH_BIND_ADDRESS", "127.0.0.1"), setting("PORT", "8000"))]
workers = int(setting("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Load the site once and fork: workers share pandas, OR-Tools and the code's memory, and a site
# that cannot start fails here, before any worker runs.
preload_app = True
# A scheduling run is solved inside the request (up to 45 s by default, docs/scheduling.md).
timeout = int(setting("GUNICORN_TIMEOUT", "120"))
# On SIGTERM (a restart, a deploy) requests under way get this long to finish.
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so memory a long-lived process gathers is given back.
max_requests = 1000
max_requests_jitter = 100
# Nothing uses gunicornc, and its socket under $HOME would be shared by every gunicorn of the user.
control_socket_disable = True
# Heartbeat files in memory, not on a disk that may stall (containers, slow volumes).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

accesslog = "-"
errorlog = "-"
loglevel = setting("LATIH_LOG_LEVEL", "INFO").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.log.JsonFormatter"}},
    "filters": {"quiet_health_checks": {"()": "cms.log.QuietHealthChecks"}},
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        "access": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json",
                   "filters": ["quiet_health_checks"]},
    },
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        # Django answers HEAD with the GET's body and gunicorn drops it, warning on every such request.
        "gunicorn.http.wsgi": {"level": "ERROR"},
    },
}

# The site says ``Server: Latih`` (cms.middleware); gunicorn would add its own name beside it.
gunicorn_wsgi.SERVER = "Latih"
