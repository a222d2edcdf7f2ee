"""WSGI entry point for the Latih site."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

# The URLs (every app's views, serializers and API) are imported here, not by each worker's first
# request: gunicorn loads this module once and forks its workers from it (deploy/gunicorn.conf.py),
# and replaces a worker after about 1,000 requests, each new one otherwise spending half a second
# on the import while its requests wait. Nothing here opens a database connection.
get_resolver().reverse_dict  # noqa: B018 - imports the URLconf and builds the reverse lookup
