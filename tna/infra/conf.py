"""The settings object every app's ``conf`` module builds: ``LATIH_<NAME>`` Django settings over defaults."""

from django.conf import settings as django_settings


class LatihSettings:
    """Attribute access to ``LATIH_<NAME>`` settings, falling back to ``defaults``.

    Each app keeps its own defaults (``lms.conf`` builds another instance) under the one
    ``LATIH_`` prefix.
    """

    def __init__(self, defaults):
        self._defaults = defaults

    def __getattr__(self, name):
        if name.startswith("_") or name not in self._defaults:
            raise AttributeError("Unknown Latih setting: %s" % name)
        return getattr(django_settings, "LATIH_" + name, self._defaults[name])
