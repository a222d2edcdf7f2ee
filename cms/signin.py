"""What locks a sign-in: a few failures on one account, or many from one address.

django-axes records every failed sign-in with its username and address and compares one count
with ``AXES_FAILURE_LIMIT``. One limit cannot serve both: an office of a regional government
signs in from one address, so a limit that protects an account (5) would lock the whole office
out after five typos among its staff, and a limit for the office (50) would give a guesser 50
tries at one account. The handler counts both and scales the address's failures to the account
limit, so axes' own lockout machinery (the lockout page, signals, unlock) applies to either.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import Sum


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Locks after ``LATIH_SIGNIN_FAILURES_PER_ACCOUNT`` failures on an account, or after
    ``LATIH_SIGNIN_FAILURES_PER_ADDRESS`` from an address, within ``AXES_COOLOFF_TIME``.

    ``AXES_LOCKOUT_PARAMETERS`` must be ``["username", "ip_address"]``, in that order.
    """

    def get_failures(self, request, credentials=None):
        by_account, by_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_account = settings.LATIH_SIGNIN_FAILURES_PER_ACCOUNT
        per_address = settings.LATIH_SIGNIN_FAILURES_PER_ADDRESS
        # An address reaches the account limit when it reaches its own.
        return max(by_account, by_address * per_account // per_address)

    def reset_user_attempts(self, request, credentials=None):
        """After a successful sign-in, forget that account's failures only.

        django-axes would also forget every failure from the address, so a guesser could clear
        the count of the accounts they attacked by signing in to their own from the same place.
        """
        return self.reset_attempts(username=get_client_username(request, credentials))
