"""A clock the demo sets while it replays the past, so the services record history as it happened."""

import contextlib
from unittest import mock

from django.apps import apps
from django.utils import timezone


class Clock:
    """The moment the services see inside ``replay``; ``set`` it before each step."""

    def __init__(self, real_now):
        self._real_now = real_now
        self.moment = None

    def set(self, moment):
        """Make it ``moment`` (aware) for the next steps; the past only, as nothing is replayed ahead of time."""
        if moment > self._real_now():
            raise ValueError("The demo replays the past only; %s is still to come." % moment.isoformat())
        self.moment = moment
        return moment

    def now(self):
        return self.moment or self._real_now()

    def real_now(self):
        """The actual moment, whatever the replay stands at: the end of what may be replayed."""
        return self._real_now()


@contextlib.contextmanager
def replay():
    """Run the block with a ``Clock`` that every ``timezone.now()`` reads until the block ends.

    The services take the time from ``django.utils.timezone.now``: their checks (enrollment
    windows, meetings held, the end of a course), ``auto_now`` fields and audit rows alike. Model
    fields declared with ``default=timezone.now`` hold the function itself, so they are pointed at
    the clock as well. History written in the block is then what the services would have
    recorded at the time, rather than rows inserted after the fact.
    """
    real_now = timezone.now
    clock = Clock(real_now)
    fields = [f for model in apps.get_models() for f in model._meta.concrete_fields if f.default is real_now]

    def point_defaults_at(function):
        for field in fields:
            field.default = function
            field.__dict__.pop("_get_default", None)  # a cached_property holding the old callable

    with mock.patch("django.utils.timezone.now", clock.now):
        point_defaults_at(clock.now)
        try:
            yield clock
        finally:
            point_defaults_at(real_now)
