"""Settings for ``python3 dev.py demo``: the development settings without debug, so visitors meet the
site's own error pages (never Django's debug page listing every URL), still serving static files
and uploads from this one machine."""

import os

from .dev import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"] + [
    host.strip() for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if host.strip()
]
# WhiteNoise (in MIDDLEWARE) serves the apps' static files straight from their folders, so the
# demo needs no collectstatic; uploads are served by cms.urls (LATIH_SERVE_MEDIA).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
LATIH_SERVE_MEDIA = True
# Without debug Django mails server errors to ADMINS; the demo prints them in its terminal instead.
LOGGING = {
    **LOGGING,  # noqa: F405
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# The demo runs no worker (dev.py starts runserver only): a task runs inside the request that queues it, so a
# scheduling run, a TNA run or a measured training year is there when the page reloads. Setting
# LATIH_TASKS_BACKEND (database or rq, with a worker beside it) keeps the queue as in production.
if "LATIH_TASKS_BACKEND" not in os.environ:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
