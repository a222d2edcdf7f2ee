"""Validation of NIP, the 18-digit civil-servant number (docs/domain.md#nip)."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NIP_RE = re.compile(r"^\d{18}$")


@dataclass(frozen=True)
class NipParts:
    birth_date: datetime.date
    start_year: int
    start_month: int
    sex: int  # 1 male, 2 female
    serial: int


def _birth_date(nip):
    try:
        return datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("NIP %(nip)s: digits 1–8 are not a real birth date (YYYYMMDD)."), code="nip_birth_date",
            params={"nip": nip},
        ) from None


def parse_nip(value, *, employment="PNS"):
    """Check ``value`` against the NIP rules and return its parts.

    PNS numbers are birth date ``YYYYMMDD`` + CPNS start ``YYYYMM`` + sex digit + serial
    ``001``–``999``. PPPK numbers use another middle layout, so only length and birth date are
    checked for them (``start_*``/``sex`` are then returned as found, unchecked).
    Raises ``ValidationError`` naming the first rule broken.
    """
    if value is None:
        raise ValidationError(_("NIP is missing."), code="nip_missing")
    if not isinstance(value, str):
        raise ValidationError(
            _("NIP must be text of 18 digits; got a number (%(value)s), whose digits may already be lost. "
              "Format the column as text."),
            code="nip_not_text", params={"value": value},
        )
    nip = value.strip()
    if not NIP_RE.match(nip):
        raise ValidationError(
            _("NIP %(nip)s must be exactly 18 digits."), code="nip_format", params={"nip": nip}
        )
    birth = _birth_date(nip)
    start_year, start_month, sex, serial = int(nip[8:12]), int(nip[12:14]), int(nip[14]), int(nip[15:18])
    if employment != "PPPK":
        if not 1 <= start_month <= 12:
            raise ValidationError(
                _("NIP %(nip)s: digits 13–14 (CPNS start month) must be 01–12."), code="nip_start_month",
                params={"nip": nip},
            )
        if (start_year, start_month) <= (birth.year, birth.month):
            raise ValidationError(
                _("NIP %(nip)s: the CPNS start (digits 9–14) must come after the birth date."),
                code="nip_start_before_birth", params={"nip": nip},
            )
        if sex not in (1, 2):
            raise ValidationError(
                _("NIP %(nip)s: digit 15 (sex) must be 1 or 2."), code="nip_sex", params={"nip": nip}
            )
        if serial < 1:
            raise ValidationError(
                _("NIP %(nip)s: digits 16–18 (serial) must be 001–999."), code="nip_serial",
                params={"nip": nip},
            )
    return NipParts(birth, start_year, start_month, sex, serial)


def validate_nip(value):
    """Model-field validator for PNS-style NIPs (PPPK rows are checked by the import and forms)."""
    parse_nip(value)


def format_nip(*, birth_date, start_year, start_month, sex, serial):
    """Build a NIP from its parts (used by the workforce generator and factories)."""
    return "%s%04d%02d%d%03d" % (birth_date.strftime("%Y%m%d"), start_year, start_month, sex, serial)
