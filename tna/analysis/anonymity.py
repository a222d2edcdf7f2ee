"""Which ratings a person's result may rest on without anyone learning what a small group said.

Everything a ratee (or their supervisor) is shown about one competency — the observed level,
the gap, the priority, the confidence and the rater groups' averages — is computed from the
ratings this module keeps, so nothing shown depends on a rating it leaves out, and no arithmetic
on what is shown can recover one (docs/tna-method.md §9). Per ratee × competency (a cell), with
``minimum`` the smallest group that stays anonymous (``LATIH_MIN_RATERS_PER_ROLE_SHOWN``):

- self-ratings are the person's own: always kept;
- supervisors are known people whose rating the person sees: kept when there is one, or so many
  (``minimum + 1`` or more) that any one of them looking at the report still cannot single out
  another; 2 to ``minimum`` supervisors are left out;
- peers and subordinates are kept as a group of their own from ``minimum`` raters on; smaller
  groups are pooled into one group of "other raters", kept when the pool reaches ``minimum``
  and left out otherwise.
"""

import numpy as np

from .params import PEER, ROLES, SELF, SUBORDINATE, SUPERVISOR

ANONYMOUS = (PEER, SUBORDINATE)


def kept_ratings(*, cell, role, n_cells, minimum):
    """A boolean per rating: True when the rules above keep it, False when it is left out.

    ``cell`` and ``role`` are parallel per-rating arrays (cell index, role index into ``ROLES``).
    After this, a peer or subordinate group smaller than ``minimum`` that remains in a cell is
    always part of a pool that reaches ``minimum`` (``observed.observed_levels`` pools it).
    """
    n_roles = len(ROLES)
    counts = np.bincount(cell.astype(np.intp) * n_roles + role, minlength=n_cells * n_roles)
    counts = counts.reshape(n_cells, n_roles)
    small = np.zeros_like(counts, dtype=bool)
    for r in ANONYMOUS:
        small[:, r] = (counts[:, r] > 0) & (counts[:, r] < minimum)
    pool = (counts * small).sum(axis=1)
    pooled = small & (pool >= minimum)[:, None]

    left_out = np.zeros_like(counts, dtype=bool)
    left_out[:, ANONYMOUS] = small[:, ANONYMOUS] & ~pooled[:, ANONYMOUS]
    supervisors = counts[:, SUPERVISOR]
    left_out[:, SUPERVISOR] = (supervisors >= 2) & (supervisors <= minimum)
    left_out[:, SELF] = False
    return ~left_out[cell, role]


def left_out_per_cell(*, cell, kept, n_cells):
    """How many ratings of each cell were left out (int array over cells)."""
    return np.bincount(cell[~kept], minlength=n_cells)
