"""Settings for a developer's machine and the demo: debug on, a fixed insecure key."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-latih-dev-only"  # noqa: S105 - never used in production
ALLOWED_HOSTS = ["*"]
