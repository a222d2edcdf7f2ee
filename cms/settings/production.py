"""Production settings: everything secret or site-specific comes from the environment.

docs/deploy.md lists every variable; deploy/latih.env.example is the file to copy. A required one
that is missing stops every process at start with the name of what to set.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE, REST_FRAMEWORK


def required(name, what):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured("Set %s in the environment: %s (docs/deploy.md)." % (name, what))
    return value


def listed(value):
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = False

SECRET_KEY = required("DJANGO_SECRET_KEY", "a long random string, the same on every machine of the site")
ALLOWED_HOSTS = listed(required("DJANGO_ALLOWED_HOSTS", "the site's host names, comma-separated"))
CSRF_TRUSTED_ORIGINS = listed(os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", ""))
# Links in e-mails and calendar files point here (lms.links).
WAGTAILADMIN_BASE_URL = required("LATIH_BASE_URL", "the site's address as people type it, e.g. https://latih.example.go.id")

DATABASES = {
    "default": dj_database_url.parse(
        required("DATABASE_URL", "the PostgreSQL database, e.g. postgres:///latih"),
        # Each gunicorn worker keeps its connection for a minute, checked before reuse.
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# The health checks come first: a load balancer probes by the machine's address over plain HTTP,
# which ALLOWED_HOSTS and the HTTPS redirect would refuse (cms.health).
MIDDLEWARE = ["cms.health.HealthCheckMiddleware", *MIDDLEWARE]

# TLS ends at the proxy, which must set X-Forwarded-Proto (and overwrite one sent by a client).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
# Wagtail's live preview frames the site's own pages, so DENY would break editing.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Sign-in limits count per client address: behind a proxy that is the header the proxy writes,
# or every request would seem to come from the proxy (docs/security.md).
AXES_IPWARE_META_PRECEDENCE_ORDER = (os.environ.get("LATIH_CLIENT_IP_HEADER", "HTTP_X_REAL_IP"), "REMOTE_ADDR")
# The API's throttles likewise: the client is the address the last proxy added to X-Forwarded-For.
REST_FRAMEWORK = {**REST_FRAMEWORK, "NUM_PROXIES": int(os.environ.get("LATIH_NUM_PROXIES", "1"))}

# collectstatic writes here and WhiteNoise serves it; uploads (images, documents) go to MEDIA_ROOT.
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "static"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Uploads are best served by the proxy (docs/deploy.md); without one, the site serves them itself.
LATIH_SERVE_MEDIA = os.environ.get("LATIH_SERVE_MEDIA", "0") == "1"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Counters that must hold across worker processes (API throttles) live in the default cache:
# with several workers set LATIH_CACHE_URL=redis://127.0.0.1:6379/1. Without it each process
# counts on its own, so a limit holds per worker only.
if os.environ.get("LATIH_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["LATIH_CACHE_URL"], "KEY_PREFIX": "latih"}}
    # Sessions read from the shared cache (written through to the database, so a restart of
    # Redis signs nobody out); with it, cms.auth also keeps each user's roles and permissions there.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Approvals, invitations, reminders and password resets go out by e-mail: a site without it
# would lose them silently, so the relay is required.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = required("EMAIL_HOST", "the SMTP relay, e.g. smtp.example.go.id (localhost for the machine's own)")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "1") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))  # a stuck relay must not hold a request forever
DEFAULT_FROM_EMAIL = required("DEFAULT_FROM_EMAIL", "the sender of the site's e-mails, e.g. latih@example.go.id")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One JSON object per line on stdout (cms.log); journald or the platform collects it.
LOG_LEVEL = os.environ.get("LATIH_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "cms.log.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Django's defaults would also mail errors to ADMINS; the log is where they are read.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "latih": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
    },
}
