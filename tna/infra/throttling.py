"""Throttles of Latih's API: per address without sign-in, per user, and stricter for seat writes.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``anon``, ``user`` and
``enrollment_write``) over ``DEFAULT_THROTTLE_RATES`` below, read at each request so a changed
setting applies at once; a scope set to ``None`` is not throttled. A refused call is a 429 with
``Retry-After``. The counts live in Django's ``default`` cache: per process with the local-memory
cache, so a production site with several workers needs a shared cache (Redis) for the limits to
hold across them.

This module imports no DRF view, so ``DEFAULT_THROTTLE_CLASSES`` may name its classes.
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

#: Requests per period when the site's settings name no rate for a scope.
DEFAULT_THROTTLE_RATES = {
    # Per address, without sign-in: the public certificate check, refused calls.
    "anon": "60/min",
    # Per signed-in user, every call.
    "user": "600/min",
    # Per user: seat requests and decisions, which take the session's lock.
    "enrollment_write": "30/min",
}


class _SettingsRate:
    """Read the rate at request time, so settings (and tests overriding them) apply at once."""

    def get_rate(self):
        # The site's own block, not DRF's defaults (which set anon and user to None, unthrottled).
        rates = api_settings.user_settings.get("DEFAULT_THROTTLE_RATES", {})
        return rates[self.scope] if self.scope in rates else DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    """Anonymous calls, per address (scope ``anon``)."""


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Signed-in calls per user, anonymous ones per address (scope ``user``)."""


class EnrollmentWriteThrottle(_SettingsRate, UserRateThrottle):
    """Writes that ask for, decide or give up a seat (scope ``enrollment_write``); reads pass."""

    scope = "enrollment_write"

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
