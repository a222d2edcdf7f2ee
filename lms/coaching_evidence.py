"""Supervisors' coaching ratings as evidence for tna's analysis (``tna.hooks.register_coaching_evidence``).

Each competency a supervisor rated in a coaching conversation held in the cycle's calendar year is
one row; the rows come oldest first, so for each person and competency the analysis counts the
latest conversation's level (docs/tna-method.md, coaching), weighed by
``LATIH_COACHING_EVIDENCE_WEIGHT``.
"""

import pandas as pd

from tna.hooks import register_coaching_evidence
from tna.models import Employee

from .models.mentoring import CoachingRating

EVIDENCE_COLUMNS = ["employee_id", "competency_id", "level"]


def coaching_evidence(*, cycle, agency=None):
    """Coaching ratings of ``cycle``'s year (a Cycle or a year): DataFrame(employee_id, competency_id, level).

    Oldest conversation first (then by id); ``agency`` limits it to that agency's current staff.
    """
    year = cycle if isinstance(cycle, int) else cycle.year
    queryset = CoachingRating.objects.filter(conversation__held_on__year=year)
    if agency is not None:
        queryset = queryset.filter(conversation__employee__in=Employee.objects.filter(agency=agency))
    rows = list(queryset.order_by("conversation__held_on", "conversation_id")
                .values_list("conversation__employee_id", "competency_id", "level"))
    return pd.DataFrame.from_records(rows, columns=EVIDENCE_COLUMNS).astype("int64")


def register():
    """Hand ``coaching_evidence`` to tna's analysis (``tna.hooks``; registering twice adds it once)."""
    register_coaching_evidence(coaching_evidence)
