"""Settings for the test suite: fast hashing, immediate tasks, in-memory mail."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "latih-tests"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Sign-in limits are tested on their own (tests/cms/test_signin_limits.py); elsewhere tests sign
# in with client.login(), which passes no request for django-axes to count.
AXES_ENABLED = False
# The suite makes many API calls a second: no throttling, except where a test turns it on
# (tests/tna/test_api_throttling.py).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "enrollment_write": None}}  # noqa: F405
