"""Numbers, shares, rupiah, dates, times, durations, lists and bilingual fields in the active language.

Everything Latih shows a person goes through these helpers or the ``latih_formats`` template
filters that call them, so a page, a chart, a PDF, an e-mail and a command's summary write a
value the same way: Indonesian ``1.234,5``, ``10,0%``, ``Rp 250.000.000``, ``4 Des 2026 16.15``;
English ``1,234.5``, ``10.0%``, ``Rp 250,000,000``, ``4 Dec 2026 16:15``. The patterns are the
language's ``DATE_FORMAT``, ``DATETIME_FORMAT`` … from ``tna.formats`` (``FORMAT_MODULE_PATH``);
numbers are grouped here whatever ``USE_THOUSAND_SEPARATOR`` says. Machine formats (iCalendar,
API JSON, CSV/XLSX headers, SIASN's DD-MM-YYYY) do not come through here.

Rupiah are whole numbers. ``parse_rupiah`` reads what people type (``250.000.000``,
``Rp 250.000.000``, ``250 000 000``, ``250000000``) and refuses anything that could be read two
ways (``250.5``, ``250,000.50``, ``2.50.000``) with a message that shows how to write it.
"""

import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, get_format, number_format, time_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

RUPIAH_EXAMPLE = 250_000_000


def localized(obj, field):
    """``obj.<field>_en`` when English is active and it is filled in, else ``obj.<field>``."""
    if (get_language() or "id").startswith("en"):
        english = getattr(obj, field + "_en", "")
        if english:
            return english
    return getattr(obj, field)


def _missing(value):
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


# Numbers ------------------------------------------------------------------------------------


def number(value, digits=1):
    """``value`` with ``digits`` decimals, grouped, in the active language (``1.234,5``); ``–`` if missing."""
    if _missing(value):
        return "–"
    return number_format(round(float(value), digits), decimal_pos=digits, force_grouping=True)


def integer(value):
    """A count or total, rounded and grouped (``2.986`` in Indonesian, ``2,986`` in English)."""
    if _missing(value):
        return "–"
    return number_format(int(round(float(value))), force_grouping=True)


def percent(share, digits=0):
    """A 0–1 share as a percentage in the active language: ``percent(0.1, 1)`` → ``10,0%``."""
    if _missing(share):
        return "–"
    return "%s%%" % number_format(round(float(share) * 100, digits), decimal_pos=digits, force_grouping=True)


def seconds_text(seconds, digits=1):
    """A duration of a computation: ``1,9 s`` (the catalogue writes ``1,9 detik``)."""
    return _("%(seconds)s s") % {"seconds": number(seconds, digits)}


def join_list(items):
    """"a, b and c" in the active language."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


# Rupiah -------------------------------------------------------------------------------------


def rupiah_digits(amount) -> str:
    """Whole rupiah grouped the active language's way, without ``Rp`` (``250.000.000``): form inputs."""
    if _missing(amount):
        return ""
    return number_format(int(round(float(amount))), force_grouping=True)


def format_rupiah(amount) -> str:
    """``1250000`` → ``"Rp 1.250.000"`` (``Rp 1,250,000`` in English); ``None`` → ``""``."""
    if _missing(amount):
        return ""
    value = int(round(float(amount)))
    sign = "-" if value < 0 else ""
    return "%sRp %s" % (sign, rupiah_digits(abs(value)))


# What may surround the digits: a currency mark before, "rupiah"-style endings after.
_PREFIX = re.compile(r"^(?:rp\.?|idr)\s*", re.IGNORECASE)
_WHOLE_SUFFIX = re.compile(r"\s*(?:[.,]-|,?\s*-{1,2})$")  # Rp 250.000,- (written on receipts and DIPA)
_SPACES = "\u00a0\u202f\u2009\u2007 "  # space, no-break, narrow no-break, thin, figure space
_MINUSES = ("-", "\u2212", "\u2013")
_DIGITS = re.compile(r"^[0-9]+$")


def _example():
    return rupiah_digits(RUPIAH_EXAMPLE)


def _refuse(text, message, code):
    raise ValidationError(message, code=code, params={"value": text, "example": _example()})


def parse_rupiah(text, *, allow_negative=False) -> int:
    """Whole rupiah from what a person typed, or a ValidationError saying how to write it.

    Accepted: digits grouped by threes with dots, commas or spaces (no-break ones too), all the
    same separator (``250.000.000``, ``250,000,000``, ``250 000 000``), or not grouped at all
    (``250000000``); a leading ``Rp``/``Rp.``/``IDR``; a trailing ``,-``; zero sen written out
    with the other separator (``250.000.000,00``). Refused: decimals (``250,5``, ``250.5``,
    ``250,000.50``), groups that are not threes (``2.50.000``), mixed separators, letters, and
    negative amounts unless ``allow_negative``. Nothing is ever guessed.
    """
    raw = "" if text is None else str(text)
    shown = raw.strip()
    body = shown.strip(_SPACES + "\t")
    negative = False
    if body.startswith(_MINUSES):
        negative, body = True, body[1:].lstrip(_SPACES)
    body = _PREFIX.sub("", body).lstrip(_SPACES)
    if not negative and body.startswith(_MINUSES):
        negative, body = True, body[1:].lstrip(_SPACES)
    body = _WHOLE_SUFFIX.sub("", body).rstrip(_SPACES)
    if not body:
        _refuse(shown, _("Write a whole rupiah amount, for example %(example)s."), "invalid")
    if not all(c in "0123456789.," or c in _SPACES for c in body) or body[0] not in "0123456789":
        _refuse(shown, _("“%(value)s” is not a rupiah amount. Write a whole amount in digits, "
                         "for example %(example)s."), "invalid")

    # A final separator followed by one or two digits is a decimal part. Only ",00" after a
    # thousand or more, with the other separator (250.000.000,00 as budget documents write it), is
    # surely zero sen: "250.00" may be 250.000 with a digit missing, so it is refused.
    decimal = re.search(r"([.,])([0-9]{1,2})$", body)
    if decimal:
        head, separator, sen = body[:decimal.start()], decimal.group(1), decimal.group(2)
        if sen != "00" or separator in head or sum(c.isdigit() for c in head) < 4:
            _refuse(shown, _("“%(value)s” has decimals or is unclear: rupiah are whole amounts. "
                             "Write it without decimals, for example %(example)s."), "decimals")
        body = head

    separators = {("space" if c in _SPACES else c) for c in body if not c.isdigit()}
    if len(separators) > 1:
        _refuse(shown, _("“%(value)s” mixes dots, commas or spaces, so it could be read two ways. "
                         "Write a whole rupiah amount, for example %(example)s."), "mixed")
    groups = re.split(r"[.,%s]" % re.escape(_SPACES), body)
    if len(groups) > 1 and not (
        1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]) and all(_DIGITS.match(g) for g in groups)
        and (groups[0] != "0")
    ):
        _refuse(shown, _("“%(value)s” is not grouped by thousands. Group the digits in threes from "
                         "the right, for example %(example)s."), "grouping")
    value = int("".join(groups))
    if negative and value:
        if not allow_negative:
            raise ValidationError(_("The amount cannot be negative."), code="negative")
        value = -value
    return value


# Dates and times ----------------------------------------------------------------------------


def _zone(tz):
    if tz is None or isinstance(tz, datetime.tzinfo):
        return tz
    from zoneinfo import ZoneInfo

    return ZoneInfo(str(tz))


def in_zone(value, tz=None):
    """An aware datetime in ``tz`` (a zone or its name; None: the current zone); naive ones as they are."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, _zone(tz))
    return value


def date_text(value, tz=None):
    """``4 Des 2026`` / ``4 Dec 2026``; a datetime is first put in ``tz``. Empty for None."""
    if not value:
        return ""
    return date_format(in_zone(value, tz), "DATE_FORMAT")


def time_text(value, tz=None):
    """``16.15`` / ``16:15``."""
    if not value:
        return ""
    return time_format(in_zone(value, tz), "TIME_FORMAT")


def datetime_text(value, tz=None, *, zone=False):
    """``4 Des 2026 16.15`` in ``tz``; with ``zone`` the zone's abbreviation follows (``16.15 WIB``)."""
    if not value:
        return ""
    local = in_zone(value, tz)
    text = date_format(local, "DATETIME_FORMAT")
    if zone and isinstance(local, datetime.datetime) and local.tzinfo is not None:
        text = "%s %s" % (text, local.tzname())
    return text


def date_range_text(start, end, tz=None):
    """``3–5 Des 2026``, ``30 Nov – 2 Des 2026``, ``30 Des 2026 – 2 Jan 2027``; one date when equal."""
    if not start or not end:
        return date_text(start or end, tz)
    first, last = in_zone(start, tz), in_zone(end, tz)
    first = first.date() if isinstance(first, datetime.datetime) else first
    last = last.date() if isinstance(last, datetime.datetime) else last
    if first == last:
        return date_text(first)
    if first.year != last.year:
        return "%s – %s" % (date_text(first), date_text(last))
    day_month = get_format("MONTH_DAY_FORMAT")
    if first.month == last.month and day_month.startswith("j "):
        return "%s–%s" % (first.day, date_text(last))
    return "%s – %s" % (date_format(first, day_month), date_text(last))


def day_month_text(value, tz=None):
    """``4 Des``: a day whose year the reader knows (calendar headings)."""
    if not value:
        return ""
    return date_format(in_zone(value, tz), "MONTH_DAY_FORMAT")


def weekday_date_text(value, tz=None):
    """``Sel, 1 Des 2026`` / ``Tue, 1 Dec 2026``: a day when its weekday matters (meetings, duty)."""
    if not value:
        return ""
    return "%s, %s" % (date_format(in_zone(value, tz), "D"), date_text(value, tz))


def span_text(start, end, tz=None):
    """A meeting: ``Sel, 1 Des 2026, 08.00–12.00 WIB`` in ``tz`` (over midnight, both days are named)."""
    first, last = in_zone(start, tz), in_zone(end, tz)
    zone = first.tzinfo  # the helpers below would otherwise put the times back in the current zone
    if first.date() != last.date():
        return "%s, %s – %s, %s %s" % (weekday_date_text(first, zone), time_text(first, zone),
                                       weekday_date_text(last, zone), time_text(last, zone), first.tzname())
    return "%s, %s–%s %s" % (weekday_date_text(first, zone), time_text(first, zone), time_text(last, zone),
                             first.tzname())
