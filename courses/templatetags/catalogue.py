"""Template filters of the catalogue: rupiah amounts and meeting times in the agency's zone."""

from django import template

from tna.infra.formats import date_text, format_rupiah, span_text

register = template.Library()


@register.filter
def rupiah(amount):
    """``1250000|rupiah`` → ``Rp 1.250.000`` (the same filter as ``latih_formats``)."""
    return format_rupiah(amount)


@register.filter
def local_span(meeting, tz):
    """"Sel, 1 Des 2026, 08.00–12.00 WIB": a meeting in the agency's time zone ``tz``."""
    return span_text(meeting.starts_at, meeting.ends_at, tz)


@register.filter
def local_date(value, tz):
    """A datetime as a date in the agency's zone ``tz`` (for "next session" and windows)."""
    return date_text(value, tz)
