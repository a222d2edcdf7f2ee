"""Replies to the invitation, from the signed link in the email (no sign-in needed).

The link is the key, so it opens only while it is the person's current invitation: the token
must be genuine and made for this purpose (``lms.links``), the enrollment must still be where
the token left it (a seat given up or cancelled ends every link to it, so a used link cannot be
replayed), and the session must not have ended longer ago than ``LATIH_RSVP_LINK_GRACE_HOURS``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..conf import settings
from ..links import LinkRefused, read_rsvp_token, rsvp_token
from ..models import Enrollment, EnrollmentStatus, Rsvp
from .enrollment import cancel_seat, lock_enrollment, log_event, refuse

S = EnrollmentStatus

__all__ = ["LinkRefused", "enrollment_for_rsvp_token", "enrollment_rsvp", "rsvp_token"]


def enrollment_for_rsvp_token(token, *, now=None):
    """The enrollment an invitation link opens; raises ``LinkRefused`` with why it does not.

    ``invalid``: forged, altered, made for another purpose, or for an enrollment that is gone;
    ``used``: the enrollment moved on since the link was sent (the seat was given up or
    cancelled); ``expired``: the session ended more than the grace period ago, or the link is
    older than the maximum age.
    """
    payload = read_rsvp_token(token)
    enrollment = (
        Enrollment.objects.select_related("employee", "session__course__agency")
        .filter(pk=payload["e"], employee_id=payload["p"]).first()
    )
    if enrollment is None:
        raise LinkRefused("invalid")
    if enrollment.status != payload["s"]:
        raise LinkRefused("used")
    ends_at = enrollment.session.ends_at
    grace = datetime.timedelta(hours=settings.RSVP_LINK_GRACE_HOURS)
    if ends_at is not None and (now or timezone.now()) > ends_at + grace:
        raise LinkRefused("expired")
    return enrollment


def enrollment_rsvp(*, enrollment, answer, release_seat=False, user=None):
    """Record the reply to the invitation: ``confirmed`` or ``apologies``.

    With ``release_seat`` an apology also gives the seat up, so the next person on the waitlist
    gets it (the link in the email is the person's own, so no sign-in is asked for).
    """
    if answer not in (Rsvp.CONFIRMED, Rsvp.APOLOGIES):
        raise ValidationError(_("Answer “confirmed” or “apologies”."), code="invalid")
    if release_seat and answer == Rsvp.APOLOGIES:
        if enrollment.status != S.ENROLLED:
            refuse(enrollment, "rsvp")
        enrollment = cancel_seat(enrollment, user=user, reason=_("Sent apologies and gave up the seat."), admin=False)
        Enrollment.objects.filter(pk=enrollment.pk).update(rsvp=Rsvp.APOLOGIES)
        enrollment.rsvp = Rsvp.APOLOGIES
        return enrollment
    with transaction.atomic():
        enrollment = lock_enrollment(enrollment.pk)
        if enrollment.status != S.ENROLLED:
            refuse(enrollment, "rsvp")
        session = enrollment.session
        if session.ends_at is not None and timezone.now() >= session.ends_at:
            raise ValidationError(_("This session is over."), code="closed")
        before = enrollment.rsvp
        enrollment.rsvp = answer
        enrollment.save(update_fields=["rsvp"])
        if before != answer:
            log_event(enrollment, S.ENROLLED, user=user, note=_("Reply to the invitation: %s") % Rsvp(answer).label)
    return enrollment
