"""Settings for a developer's machine and the demo: debug on, a secret key of this installation."""

import os

from .base import *  # noqa: F403
from .secret_key import installation_secret_key

DEBUG = True
# Made on first use in var/secret_key (git-ignored), so no two installations share a key and
# nobody can forge another machine's signed links; DJANGO_SECRET_KEY overrides it.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or installation_secret_key(BASE_DIR / "var" / "secret_key")  # noqa: F405
ALLOWED_HOSTS = ["*"]
# `manage.py demo` may load accounts with the published demo password here (and in demo.py).
LATIH_DEMO_DATA = True
