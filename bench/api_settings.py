"""Settings of the gunicorn that bench/api.py starts: production's, with the floor views and no mail out.

Selected only by the bench (``DJANGO_SETTINGS_MODULE=bench.api_settings``); the site never serves
``bench/floor_urls.py``. E-mails (enrolment notices during the burst) are composed as in production
but not sent.
"""

from cms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
