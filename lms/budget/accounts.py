"""Regional budget accounts for training (docs/domain.md#budget-accounts) and which envelope pays for a seat."""

import numpy as np
import pandas as pd

TRAINING = "5.1.02.02.12"
SHORT_COURSE = "5.1.02.02.12.0001"
SOCIALISATION = "5.1.02.02.12.0002"
TECHNICAL_GUIDANCE = "5.1.02.02.12.0003"
LEADERSHIP = "5.1.02.02.12.0004"



def gettext_noop(message):
    """Marks ``message`` for the translation catalogues (makemessages looks for this name); the
    models translate it when they show it. This module stays free of Django."""
    return message


# Code → English name; [P] in docs/domain.md#budget-accounts; settings may replace the route → account map.
ACCOUNTS = {
    TRAINING: gettext_noop("Training (any sub-account)"),
    SHORT_COURSE: gettext_noop("Short course / training"),
    SOCIALISATION: gettext_noop("Socialisation"),
    TECHNICAL_GUIDANCE: gettext_noop("Technical guidance (bimtek)"),
    LEADERSHIP: gettext_noop("Leadership training"),
    "5.1.02.02.11": gettext_noop("Study scholarships"),
    "5.1.02.04.01": gettext_noop("Official travel"),
    "5.1.02.02.01.0003": gettext_noop("Speaker fees"),
}
# Development route → the sub-account its costs are booked on; other routes book on SHORT_COURSE.
ROUTE_ACCOUNTS = {"KL01": LEADERSHIP, "KL10": TECHNICAL_GUIDANCE, "KL11": SOCIALISATION}


def account_for_route(route, route_accounts=None, default=SHORT_COURSE):
    """The account a course on ``route`` is paid from."""
    return (route_accounts or ROUTE_ACCOUNTS).get(route, default)


def parent_account(code):
    """The account one level up (``5.1.02.02.12.0001`` → ``5.1.02.02.12``); the code itself at the top."""
    head, dot, tail = code.rpartition(".")
    return head if dot and len(tail) == 4 else code


def match_envelopes(seats, envelopes):
    """Row position in ``envelopes`` of the envelope paying each seat, -1 where none does.

    ``seats``: agency, unit, account. ``envelopes``: agency, unit (-1 or NaN for agency-wide),
    account. The most specific envelope pays: the unit's own for the exact account, then the
    unit's for the parent account (any training), then the agency's for the account, then the
    agency's for the parent account.
    """
    if not len(seats) or not len(envelopes):
        return np.full(len(seats), -1, dtype=np.int64)
    env = envelopes.assign(position=np.arange(len(envelopes)),
                           unit=envelopes["unit"].fillna(-1).astype(np.int64))
    keyed = env.drop_duplicates(["agency", "unit", "account"]).set_index(["agency", "unit", "account"])["position"]
    agency = seats["agency"].to_numpy()
    unit = seats["unit"].to_numpy(np.int64)
    account = seats["account"].astype(str).to_numpy()
    parent = np.array([parent_account(a) for a in account], dtype=object) if len(account) else account
    result = np.full(len(seats), -1, dtype=np.int64)
    for units, accounts in ((unit, account), (unit, parent), (np.full(len(seats), -1), account),
                            (np.full(len(seats), -1), parent)):
        todo = result < 0
        if not todo.any():
            break
        index = pd.MultiIndex.from_arrays([agency[todo], units[todo], accounts[todo]])
        found = keyed.reindex(index).to_numpy()
        hit = ~pd.isna(found)
        positions = np.flatnonzero(todo)
        result[positions[hit]] = found[hit].astype(np.int64)
    return result
