"""The seats-taken hook: lms counts enrollments; until it registers a counter, no seat is taken.

lms calls ``register_seats_taken(lambda: Count("enrollments", filter=Q(...)))`` in its
``AppConfig.ready()``; every list of sessions then shows real seats left, computed in the same
query (``with_seats``), never per session.
"""

from django.db.models import F, IntegerField, Value
from django.db.models.functions import Greatest

_seats_taken = None


def register_seats_taken(expression_factory):
    """Install ``expression_factory()``: an expression counting a Session's taken seats."""
    global _seats_taken
    _seats_taken = expression_factory


def seats_taken_expression():
    # ANNOTATION POINT: lms replaces this with its enrollment count (see register_seats_taken).
    if _seats_taken is None:
        return Value(0, output_field=IntegerField())
    return _seats_taken()


def with_seats(queryset):
    """Annotate a Session queryset with ``seats_taken`` and ``seats_left`` (never below 0)."""
    return queryset.annotate(seats_taken=seats_taken_expression()).annotate(
        seats_left=Greatest(F("capacity") - F("seats_taken"), Value(0), output_field=IntegerField())
    )
