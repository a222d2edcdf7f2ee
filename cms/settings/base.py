"""Settings shared by every environment of the Latih site."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

INSTALLED_APPS = [
    "tna",
    "courses",
    "lms",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "auditlog",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "cms.middleware.ServerHeaderMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Indonesian unless the person chose English; never the browser's Accept-Language (cms.language).
    "cms.language.ChosenLanguageMiddleware",
    # The request's Wagtail site from the cache, not a query per page (cms.sites).
    "cms.sites.SiteMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last: it answers a locked-out sign-in with the lockout page (docs/security.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite is the embedded default; production sets DATABASE_URL (PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + str(BASE_DIR / "var" / "latih.sqlite3"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # WAL lets the site read while a TNA run or import writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            # Seconds a writer waits for the lock before "database is locked".
            "timeout": int(os.environ.get("LATIH_SQLITE_TIMEOUT", "20")),
            # Writers take the lock at BEGIN, so seat allocation is serialised like a row lock.
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# National reference data ships in tna/fixtures; site demo data (the seed regions) lives here.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# One sign-in page everywhere, the site's own: views behind login_required and Wagtail's private
# pages alike; after it, the person's role home (cms.views.home) unless ``next`` says otherwise.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "registration/login.html"
# A form sent after its security token expired gets a page in the site's design, not Django's.
CSRF_FAILURE_VIEW = "cms.views.csrf_failure"

# Indonesian first, English second; Western Indonesia Time unless an agency says otherwise.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice is remembered for a year on this browser
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False
# No avatars fetched from gravatar.com: it would tell a third party who uses the admin, and the
# CSP allows images from this site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# One way to write dates and numbers per language (4 Des 2026, 1.234,5 / 4 Dec 2026, 1,234.5):
# tna ships the patterns; grouping makes every number a template shows readable (2.986 JP).
# Years and ids in templates are written with |stringformat:"d" so they stay 2026, not 2.026.
FORMAT_MODULE_PATH = ["tna.formats"]
USE_THOUSAND_SEPARATOR = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = BASE_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

WAGTAIL_SITE_NAME = "Latih"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_BASE_URL = os.environ.get("LATIH_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Documents each operation's errors too (400, 403, 404, 429); Latih's views set it themselves.
    "DEFAULT_SCHEMA_CLASS": "tna.infra.openapi.AutoSchema",
    # Latih's API views throttle on their own (tna.infra.throttling); these cover the rest (schema, root).
    "DEFAULT_THROTTLE_CLASSES": ["tna.infra.throttling.AnonThrottle", "tna.infra.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("LATIH_API_RATE_ANON", "60/min"),
        "user": os.environ.get("LATIH_API_RATE_USER", "600/min"),
        "enrollment_write": os.environ.get("LATIH_API_RATE_ENROLLMENT_WRITE", "30/min"),
    },
}
# The API's throttles count in the default cache. Local memory is per process: enough for one
# process (runserver, the tests); production sets LATIH_CACHE_URL to a shared Redis (production.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "latih"}}
SPECTACULAR_SETTINGS = {
    "TITLE": "Latih API",
    "DESCRIPTION": "Training-needs analysis and learning management for ASN.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Only Latih's own API; Wagtail's admin API is internal to the admin.
    "PREPROCESSING_HOOKS": ["cms.api.only_public_api"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {"EnrollmentStatusEnum": "lms.models.enrollment.EnrollmentStatus"},
}

# Background work (TNA runs, recommendations, imports, scheduling, evaluation) goes through
# Django's Tasks API. LATIH_TASKS_BACKEND picks where queued tasks wait (docs/deploy.md §7):
# "database" (the default: a table in the site's database, manage.py db_worker) or "rq" (Redis at
# LATIH_TASKS_REDIS_URL through django-tasks-rq, manage.py rqworker --job-class django_tasks_rq.Job).
LATIH_TASKS_BACKEND = os.environ.get("LATIH_TASKS_BACKEND", "database").strip() or "database"
if LATIH_TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif LATIH_TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {
        "URL": os.environ.get("LATIH_TASKS_REDIS_URL", "redis://127.0.0.1:6379/2"),
        # RQ stops a job after 180 s by default; a large agency's TNA run or recommendations take longer.
        "DEFAULT_TIMEOUT": int(os.environ.get("LATIH_TASKS_TIMEOUT", "3600")),
    }}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("LATIH_TASKS_BACKEND is %r: use database or rq (docs/deploy.md)." % LATIH_TASKS_BACKEND)

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "latih@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"latih": {"handlers": ["console"], "level": os.environ.get("LATIH_LOG_LEVEL", "INFO")}},
}


# --- Security: sign-in limits, Content-Security-Policy, audit trail (docs/security.md) ---------

# django-axes counts failed sign-ins; cms.signin decides what locks (an account after a few
# failures, an address shared by a whole office only after many) and for how long.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading the user's employee record, agency and profile with them (cms.auth).
    "cms.auth.UserBackend",
]
AXES_HANDLER = "cms.signin.AccountAndAddressHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # the handler reads them in this order
AXES_FAILURE_LIMIT = int(os.environ.get("LATIH_SIGNIN_FAILURES_PER_ACCOUNT", 5))
LATIH_SIGNIN_FAILURES_PER_ACCOUNT = AXES_FAILURE_LIMIT
LATIH_SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("LATIH_SIGNIN_FAILURES_PER_ADDRESS", 50))
AXES_COOLOFF_TIME = 0.25  # hours: a locked account opens again after 15 minutes
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind a proxy, set AXES_IPWARE_META_PRECEDENCE_ORDER to the header it writes (docs/deploy).

# Every page carries a strict policy: nothing from other origins, no inline script, no eval.
# The Wagtail admin gets the few allowances it needs (cms.middleware).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# Who changed ratings, appraisals, enrollment decisions, attendance, completions, certificates,
# budget envelopes and plans, and when (models registered in each app's AppConfig.ready).
AUDITLOG_INCLUDE_ALL_MODELS = False
