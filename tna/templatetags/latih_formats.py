"""Template filters for numbers, rupiah, shares, durations, dates in a zone and people, for every app.

``{% load latih_formats %}`` then ``{{ amount|rupiah }}`` → ``Rp 250.000.000``, ``{{ jp|integer }}``
→ ``2.986``, ``{{ share|percent:1 }}`` → ``10,0%``, ``{{ seconds|seconds }}`` → ``1,9 detik``,
``{{ starts_at|local_datetime:tz }}`` → ``4 Des 2026 16.15`` in the agency's zone ``tz``,
``{{ user|person }}`` → the person's name. All of them call ``tna.infra.formats``.
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist

from tna.infra import formats

register = template.Library()


@register.filter
def rupiah(amount):
    """``250000000|rupiah`` → ``Rp 250.000.000``; empty for None."""
    return formats.format_rupiah(amount)


@register.filter
def number(value, digits=1):
    """``1234.54|number`` → ``1.234,5``; ``|number:2`` for two decimals."""
    return formats.number(value, int(digits))


@register.filter
def integer(value):
    """``2986|integer`` → ``2.986``."""
    return formats.integer(value)


@register.filter
def percent(share, digits=0):
    """A 0–1 share: ``0.1|percent:1`` → ``10,0%``."""
    return formats.percent(share, int(digits))


@register.filter
def seconds(value, digits=1):
    """``1.94|seconds`` → ``1,9 detik``."""
    if value is None or value == "":
        return "–"
    return formats.seconds_text(value, int(digits))


@register.filter
def local_date(value, tz=None):
    """``4 Des 2026``: a date, or a datetime in the zone ``tz`` (default: the current zone)."""
    return formats.date_text(value, tz or None)


@register.filter
def local_datetime(value, tz=None):
    """``4 Des 2026 16.15`` in the zone ``tz`` (default: the current zone)."""
    return formats.datetime_text(value, tz or None)


@register.filter
def local_time(value, tz=None):
    """``16.15`` in the zone ``tz`` (default: the current zone)."""
    return formats.time_text(value, tz or None)


@register.filter
def weekday_date(value, tz=None):
    """``Sel, 1 Des 2026``: a day with its weekday, in the zone ``tz``."""
    return formats.weekday_date_text(value, tz or None)


@register.filter
def day_month(value, tz=None):
    """``1 Des``: a day of a known year (calendar headings), in the zone ``tz``."""
    return formats.day_month_text(value, tz or None)


@register.simple_tag
def date_range(start, end, tz=None):
    """``{% date_range start end tz %}`` → ``3–5 Des 2026``."""
    return formats.date_range_text(start, end, tz or None)


@register.filter
def person(user):
    """A user shown as the person: the employee's name, else the full name, else the username; ``—`` for none."""
    if user is None or user == "":
        return "—"
    try:
        employee = user.employee
    except (AttributeError, ObjectDoesNotExist):
        employee = None
    if employee is not None and employee.name:
        return employee.name
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or str(user)
