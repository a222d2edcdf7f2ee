"""The behaviour follow-up: some months after completing a course, the learner and their direct
supervisor each say how much of it the learner uses at work (1–5), with an example.

Only the learner answers as learner and only their direct supervisor (``Employee.supervisor``) as
supervisor; each once, from ``LATIH_FOLLOW_UP_DAYS`` after completion for ``LATIH_FOLLOW_UP_OPEN_DAYS``.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tna.infra.formats import date_text
from tna.roles import employee_of

from ..conf import settings
from ..models import Enrollment, EnrollmentStatus
from ..models.follow_up import FollowUp, Respondent

DAY = datetime.timedelta(days=1)


def follow_up_opens(enrollment):
    """When the follow-up of a completed ``enrollment`` opens (None when it is not completed)."""
    if enrollment.status != EnrollmentStatus.COMPLETED or enrollment.completed_at is None:
        return None
    return enrollment.completed_at + settings.FOLLOW_UP_DAYS * DAY


def may_answer(user, enrollment, respondent):
    """True when ``user`` is the one who answers ``enrollment``'s follow-up as ``respondent``."""
    me = employee_of(user)
    if me is None:
        return False
    if respondent == Respondent.LEARNER:
        return me.pk == enrollment.employee_id
    if respondent == Respondent.SUPERVISOR:
        return me.pk == enrollment.employee.supervisor_id
    return False


def follow_up_refusal(enrollment, *, respondent, now=None):
    """Why the follow-up cannot be answered as ``respondent`` now (a sentence), or None."""
    now = now or timezone.now()
    opens = follow_up_opens(enrollment)
    if opens is None:
        return _("Only completed training is followed up.")
    tz = enrollment.session.tz
    if now < opens:
        return _("The follow-up opens on %(date)s, %(days)s days after the course was completed.") % {
            "date": date_text(opens, tz), "days": settings.FOLLOW_UP_DAYS}
    closes = opens + settings.FOLLOW_UP_OPEN_DAYS * DAY
    if now > closes:
        return _("The follow-up of this course closed on %(date)s.") % {"date": date_text(closes, tz)}
    if FollowUp.objects.filter(enrollment=enrollment, respondent=respondent).exists():
        return _("This follow-up is already answered. Thank you!")
    return None


def follow_up_submit(*, enrollment, respondent, user, score, example="", now=None) -> FollowUp:
    """Record how much of the course the learner uses at work (``score`` 1–5) and an ``example``, as
    ``respondent`` (learner or supervisor), and return the answer.

    Raises PermissionDenied when ``user`` is not the learner (or not their direct supervisor), and
    ValidationError before the follow-up opens, after it closes, for a second answer or a bad score.
    """
    if respondent not in Respondent.values:
        raise ValidationError(_("Unknown respondent."))
    if not may_answer(user, enrollment, respondent):
        if respondent == Respondent.LEARNER:
            raise PermissionDenied(_("Only the learner answers their own follow-up."))
        raise PermissionDenied(_("Only the learner's direct supervisor answers this follow-up."))
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Choose a score from 1 to 5.")})
    now = now or timezone.now()
    try:
        with transaction.atomic():
            enrollment = (Enrollment.objects.select_for_update(of=("self",))
                          .select_related("session__course__agency").get(pk=enrollment.pk))
            refusal = follow_up_refusal(enrollment, respondent=respondent, now=now)
            if refusal:
                raise ValidationError(refusal)
            return FollowUp.objects.create(enrollment=enrollment, respondent=respondent, score=score,
                                           example=(example or "").strip(), answered_at=now, answered_by=user)
    except IntegrityError as error:  # a second answer that raced the first
        raise ValidationError(_("This follow-up is already answered. Thank you!")) from error
