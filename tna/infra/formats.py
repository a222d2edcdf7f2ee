"""Numbers, shares, lists, rupiah and bilingual fields written the active language's way."""

from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def localized(obj, field):
    """``obj.<field>_en`` when English is active and it is filled in, else ``obj.<field>``."""
    if (get_language() or "id").startswith("en"):
        english = getattr(obj, field + "_en", "")
        if english:
            return english
    return getattr(obj, field)


def number(value, digits=1):
    """``value`` with ``digits`` decimals in the active language's format (2,1 in Indonesian)."""
    return number_format(round(float(value), digits), decimal_pos=digits)


def percent(share):
    """A 0–1 share as a whole percentage in the active language (40%)."""
    return f"{number_format(round(float(share) * 100), decimal_pos=0)}%"


def join_list(items):
    """"a, b and c" in the active language."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def format_rupiah(amount) -> str:
    """``1250000`` → ``"Rp 1.250.000"``; ``None`` → ``""``. Rupiah are whole numbers."""
    if amount is None or amount == "":
        return ""
    value = int(round(float(amount)))
    sign = "-" if value < 0 else ""
    return "%sRp %s" % (sign, f"{abs(value):,}".replace(",", "."))
