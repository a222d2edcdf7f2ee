"""Signals of the courses app, for lms to re-send invitations or promote waitlists."""

from django.dispatch import Signal

#: Sent (after the transaction commits) when a session is created, edited, rescheduled, postponed,
#: cancelled or completed, with:
#:
#: - ``session``: the Session, already saved (its ``sequence`` is the new calendar SEQUENCE);
#: - ``change``: the SessionChange just recorded (``reason``, ``changed`` = {field: [before, after]});
#: - ``kind``: ``change.kind`` (a SessionChange.Kind value);
#: - ``significant``: True only when participants' calendars must change — meeting times, place,
#:   online link or status — so invitations are re-sent; False for cosmetic edits (label,
#:   capacity, enrollment window) and for completion. ``calendar_update`` is the same value
#:   under the name the first receivers used.
session_changed = Signal()

#: Sent by ``generate_catalogue`` with ``agencies`` once their demo catalogue exists, so the site
#: (cms) can give each agency its catalogue and career pages.
catalogue_generated = Signal()
