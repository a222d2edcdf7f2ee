"""The roster page's save: a session's attendance grid and its test scores together, all or nothing."""

from django.db import transaction

from .attendance import attendance_save
from .completion import scores_record


def roster_save(*, session, marks, scores, user):
    """Save ``marks`` as ``attendance_save`` does, and ``scores`` ({enrollment: {"pre_test_score" and/or
    "post_test_score": value}}) as ``scores_record`` does, in one transaction; returns the marks saved.

    Raises the first ValidationError or PermissionDenied, and then nothing is written.
    """
    with transaction.atomic():
        saved = attendance_save(session=session, marks=marks, user=user)
        for enrollment, changes in scores.items():
            if changes:
                scores_record(enrollment=enrollment, user=user, **changes)
    return saved
