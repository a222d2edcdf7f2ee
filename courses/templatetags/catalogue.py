"""Template filters of the catalogue: rupiah amounts and meeting times in the agency's zone."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

from tna.infra.formats import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount):
    """``1250000|rupiah`` → ``Rp 1.250.000``."""
    return format_rupiah(amount)


@register.filter
def local_span(meeting, tz):
    """"Sel, 1 Des 2026, 08.00–12.00 WIB": a meeting in the agency's time zone ``tz``."""
    start = timezone.localtime(meeting.starts_at, _zone(tz))
    end = timezone.localtime(meeting.ends_at, _zone(tz))
    day = date_format(start, "D, j M Y")
    if start.date() != end.date():
        return "%s %s – %s %s %s" % (day, start.strftime("%H.%M"), date_format(end, "D, j M Y"),
                                     end.strftime("%H.%M"), start.tzname())
    return "%s, %s–%s %s" % (day, start.strftime("%H.%M"), end.strftime("%H.%M"), start.tzname())


@register.filter
def local_date(value, tz):
    """A datetime as a date in the agency's zone ``tz`` (for "next session" and windows)."""
    if not value:
        return ""
    return date_format(timezone.localtime(value, _zone(tz)), "j M Y")


def _zone(tz):
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz) if isinstance(tz, str) else tz
