"""Replies to the invitation, from the signed link in the email (no sign-in needed)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..links import rsvp_enrollment_id, rsvp_token
from ..models import Enrollment, EnrollmentStatus, Rsvp
from .enrollment import cancel_seat, lock_enrollment, log_event, refuse

S = EnrollmentStatus

__all__ = ["enrollment_for_rsvp_token", "enrollment_rsvp", "rsvp_token"]


def enrollment_for_rsvp_token(token):
    """The enrollment an invitation link was made for, or None when the link was tampered with."""
    pk = rsvp_enrollment_id(token)
    if pk is None:
        return None
    return Enrollment.objects.select_related("employee", "session__course__agency").filter(pk=pk).first()


def enrollment_rsvp(*, enrollment, answer, release_seat=False, user=None):
    """Record the reply to the invitation: ``confirmed`` or ``apologies``.

    With ``release_seat`` an apology also gives the seat up, so the next person on the waitlist
    gets it (the link in the email is the person's own, so no sign-in is asked for).
    """
    if answer not in (Rsvp.CONFIRMED, Rsvp.APOLOGIES):
        raise ValidationError(_("Answer “confirmed” or “apologies”."), code="invalid")
    if release_seat and answer == Rsvp.APOLOGIES:
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
