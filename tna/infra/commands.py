"""What the management commands of every app share: finding the cycle and agency they were given."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ..models import Agency, Cycle


def cycle_and_agency(year, code=None):
    """The Cycle of ``year`` and the Agency of ``code`` (None without one), or a CommandError."""
    try:
        cycle = Cycle.objects.get(year=year)
    except Cycle.DoesNotExist:
        raise CommandError(_("There is no cycle %(year)s.") % {"year": year}) from None
    if not code:
        return cycle, None
    try:
        return cycle, Agency.objects.get(code=code)
    except Agency.DoesNotExist:
        raise CommandError(_("There is no agency with code %(code)s.") % {"code": code}) from None
