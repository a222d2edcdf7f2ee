"""Write paths for enrollment: request, approve, reject, cancel, RSVP, and the waitlist that follows.

Seats are allocated only while the session's row is locked (``select_for_update`` on
PostgreSQL; on SQLite every write transaction is ``BEGIN IMMEDIATE``, so writes run one at a
time), so capacity holds under concurrent requests. A person's own requests are serialised on
their employee row, so two overlapping sessions cannot both get in. The waitlist is strict:
ordered by when each request joined the queue (``queued_at``, taken under the session lock),
one live enrollment per person and session (a database constraint; re-requesting returns the
existing one), and nobody is promoted once the session has started or its enrollment window
has closed.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Session, SessionStatus
from tna.infra.formats import datetime_text
from tna.models import Employee
from tna.roles import TRAINING_ADMIN, employee_of, has_role

from ..conf import settings
from ..models import Enrollment, EnrollmentEvent, EnrollmentStatus, RecommendationStatus
from ..notify import notify_enrollment
from ..selectors.enrollments import clashing_employee_ids, overlapping_enrollments, waitlist_position

S = EnrollmentStatus

__all__ = [
    "cancel_seat", "decision_message", "enrollment_approve", "enrollment_cancel", "enrollment_reject",
    "enrollment_request", "is_supervisor_of", "is_training_admin_for", "lock_enrollment", "log_event", "may_cancel",
    "may_decide", "needs_approval", "overlapping_enrollments", "promote_waitlist", "refuse", "status_message",
    "waitlist_is_open", "waitlist_promote",
]

# Allowed transitions: from → set of targets.
TRANSITIONS = {
    S.REQUESTED: {S.ENROLLED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.WAITLISTED: {S.ENROLLED, S.CANCELLED},
    S.ENROLLED: {S.CANCELLED, S.COMPLETED, S.NOT_COMPLETED},
    S.REJECTED: set(),
    S.CANCELLED: set(),
    S.COMPLETED: set(),
    S.NOT_COMPLETED: {S.COMPLETED},
}

ACTIONS = {
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "cancel": gettext_lazy("cancelled"),
    "rsvp": gettext_lazy("answered"),  # lms.services.rsvp
}

# Why an action does not apply, said in the person's terms, keyed by the enrollment's status.
HINTS = {
    S.WAITLISTED: gettext_lazy("It is already approved and waiting for a seat."),
    S.ENROLLED: gettext_lazy("It is already approved and holds a seat."),
    S.REJECTED: gettext_lazy("It was rejected; a new request is needed."),
    S.CANCELLED: gettext_lazy("It was cancelled; a new request is needed."),
    S.COMPLETED: gettext_lazy("The training is already completed."),
    S.NOT_COMPLETED: gettext_lazy("The training is over."),
    S.REQUESTED: gettext_lazy("It is still waiting for the supervisor's decision."),
}

def refuse(enrollment, action):
    """Raise the ValidationError saying why ``action`` does not apply to ``enrollment`` now."""
    raise ValidationError(
        _("This enrollment is “%(status)s”, so it cannot be %(action)s. %(hint)s")
        % {"status": enrollment.get_status_display(), "action": ACTIONS[action], "hint": HINTS[enrollment.status]},
        code="illegal_transition",
    )


def log_event(enrollment, before, *, user=None, note=""):
    """Add the audit-trail row of a transition (``before`` → the enrollment's status now)."""
    EnrollmentEvent.objects.create(
        enrollment=enrollment, from_status=before, to_status=enrollment.status, user=user, note=note
    )


def _lock_session(session_id):
    # NO KEY UPDATE: serialises allocators without blocking inserts that merely reference the row.
    return Session.objects.select_for_update(no_key=True).get(pk=session_id)


def lock_enrollment(enrollment_id):
    """The enrollment row, locked until the transaction ends."""
    return Enrollment.objects.select_for_update(no_key=True).select_related(None).get(pk=enrollment_id)


def _seats_taken(session):
    return Enrollment.objects.filter(session=session).holding_seat().count()


# --- who may do what -------------------------------------------------------------------------

def is_training_admin_for(user, employee):
    """True when ``user`` administers training in ``employee``'s agency (or is a superuser)."""
    if getattr(user, "is_superuser", False):
        return True
    me = employee_of(user)
    return bool(me and has_role(user, TRAINING_ADMIN) and me.agency_id == employee.agency_id)


def is_supervisor_of(user, employee, *, max_depth=10):
    """True when ``user`` is ``employee``'s supervisor or above them in the chain."""
    me = employee_of(user)
    if me is None:
        return False
    node, depth = employee, 0
    while node.supervisor_id and depth < max_depth:
        if node.supervisor_id == me.pk:
            return True
        node, depth = node.supervisor, depth + 1
    return False


def may_decide(user, enrollment):
    """Whether ``user`` may approve or reject ``enrollment``: a supervisor up the chain or a
    training admin of the person's agency, never the person themself."""
    own = employee_of(user) is not None and employee_of(user).pk == enrollment.employee_id
    if own and not getattr(user, "is_superuser", False):
        return False
    return is_supervisor_of(user, enrollment.employee) or is_training_admin_for(user, enrollment.employee)


def may_cancel(user, enrollment):
    """Whether ``user`` may cancel ``enrollment``: the person (a withdrawal) or a training admin."""
    me = employee_of(user)
    return (me is not None and me.pk == enrollment.employee_id) or is_training_admin_for(user, enrollment.employee)


# --- request, approve, reject, cancel --------------------------------------------------------

def needs_approval(employee, session):
    """Whether a request of ``employee`` for ``session`` waits for a decision (else it is allocated at once)."""
    if settings.ENROLLMENT_AUTO_APPROVE:
        return False
    # Without a supervisor the agency's training admins decide (see notify._approvers).
    return session.course.requires_approval and not employee.agency.auto_approve_enrollment


def _closed_reason(session, now):
    if not session.course.live:
        return _("This course is not published.")
    if session.status != SessionStatus.SCHEDULED:
        return _("This session is %(status)s.") % {"status": session.get_status_display().lower()}
    if session.starts_at is not None and now >= session.starts_at:
        return _("This session has already started.")
    if session.enrollment_opens is not None and now < session.enrollment_opens:
        return _("Enrollment for this session opens on %(date)s.") % {
            "date": datetime_text(session.enrollment_opens, session.tz, zone=True)}
    if session.enrollment_closes is not None and now > session.enrollment_closes:
        return _("Enrollment for this session closed on %(date)s.") % {
            "date": datetime_text(session.enrollment_closes, session.tz, zone=True)}
    return ""


def _clash_error(clashes, *, own):
    names = ", ".join(str(e.session) for e in clashes)
    if own:
        message = _("This session overlaps %(other)s, in which you are already enrolled, waiting or awaiting approval.")
    else:
        message = _("This session overlaps %(other)s, in which the person is already enrolled, waiting or awaiting approval.")
    return ValidationError(message % {"other": names}, code="overlap")


def enrollment_request(*, employee, session, user, recommendation=None, note=""):
    """Ask for a seat in ``session`` for ``employee``; allocate at once where no approval is needed.

    ``user`` is the person asking: the employee, or a training admin of their agency. Refuses a
    session that is not open for enrollment and one that overlaps another of the person's live
    enrollments. Where the person already has a live enrollment in the session, that one is
    returned unchanged (re-requesting never moves anyone up the queue). The returned enrollment
    carries ``created`` (False for the existing one); ``status_message`` says where it stands.
    """
    if employee_of(user) != employee and not is_training_admin_for(user, employee):
        raise PermissionDenied(_("You can only request a seat for yourself."))
    if not employee.active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": employee.name}, code="inactive")
    if recommendation is not None and recommendation.employee_id != employee.pk:
        raise ValidationError(_("This recommendation is for someone else."), code="recommendation")
    with transaction.atomic():
        # One person's requests run one at a time: the clash and duplicate checks below hold.
        Employee.objects.select_for_update(no_key=True).only("pk").get(pk=employee.pk)
        existing = Enrollment.objects.active().filter(employee=employee, session=session).first()
        if existing is not None:
            existing.created = False
            return existing
        session = Session.objects.select_related("course__agency").get(pk=session.pk)
        now = timezone.now()
        closed = _closed_reason(session, now)
        if closed:
            raise ValidationError(closed, code="closed")
        clashes = list(overlapping_enrollments(employee=employee, session=session))
        if clashes:
            raise _clash_error(clashes, own=employee_of(user) == employee)
        enrollment = Enrollment(employee=employee, session=session, requested_by=user, recommendation=recommendation)
        if needs_approval(employee, session):
            enrollment.requested_at = now
            kind = S.REQUESTED
        else:
            locked = _lock_session(session.pk)
            if locked.status != SessionStatus.SCHEDULED:  # changed while we waited for the lock
                raise ValidationError(_closed_reason(locked, now), code="closed")
            # Taken after the lock, so the waitlist's order is the order requests were served.
            now = timezone.now()
            enrollment.requested_at = enrollment.queued_at = enrollment.decided_at = now
            enrollment.status = S.ENROLLED if _seats_taken(locked) < locked.capacity else S.WAITLISTED
            kind = enrollment.status
        try:
            with transaction.atomic():
                enrollment.save()
        except IntegrityError:
            raise ValidationError(
                _("There is already a request, a seat or a waitlist place for this person in this session."),
                code="duplicate",
            ) from None
        log_event(enrollment, "", user=user, note=note if kind == S.REQUESTED else (note or _("Approved automatically.")))
        if recommendation is not None:
            recommendation.status = RecommendationStatus.ACCEPTED
            recommendation.save(update_fields=["status"])
    enrollment.created = True
    notify_enrollment(enrollment, kind)
    return enrollment


def enrollment_approve(*, enrollment, user, note=""):
    """Approve a request: the person gets a seat if one is free, otherwise joins the waitlist's end."""
    if not may_decide(user, enrollment):
        raise PermissionDenied(_("Only the person's supervisor or a training admin can approve this."))
    with transaction.atomic():
        session = _lock_session(enrollment.session_id)
        enrollment = lock_enrollment(enrollment.pk)
        if enrollment.status != S.REQUESTED:
            refuse(enrollment, "approve")
        now = timezone.now()
        if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
            raise ValidationError(_("This session is %(status)s.") % {"status": session.get_status_display().lower()},
                                  code="closed")
        if session.starts_at is not None and now >= session.starts_at:
            raise ValidationError(_("This session has already started."), code="closed")
        if clashing_employee_ids(session, [enrollment.employee_id], statuses=[S.ENROLLED]):
            clashes = overlapping_enrollments(employee=enrollment.employee, session=session).filter(status=S.ENROLLED)
            raise _clash_error(list(clashes), own=False)
        enrollment.decided_at = enrollment.queued_at = now
        enrollment.decided_by = user
        enrollment.status = S.ENROLLED if _seats_taken(session) < session.capacity else S.WAITLISTED
        enrollment.save(update_fields=["status", "decided_at", "decided_by", "queued_at"])
        log_event(enrollment, S.REQUESTED, user=user, note=note)
    notify_enrollment(enrollment, enrollment.status)
    return enrollment


def enrollment_reject(*, enrollment, user, reason):
    """Reject a request with a reason the person will read."""
    if not may_decide(user, enrollment):
        raise PermissionDenied(_("Only the person's supervisor or a training admin can reject this."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give the reason for the rejection; the person will read it."),
                              code="reason_required")
    with transaction.atomic():
        enrollment = lock_enrollment(enrollment.pk)
        if enrollment.status != S.REQUESTED:
            refuse(enrollment, "reject")
        enrollment.status, enrollment.reason = S.REJECTED, reason
        enrollment.decided_at, enrollment.decided_by = timezone.now(), user
        enrollment.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        log_event(enrollment, S.REQUESTED, user=user, note=reason)
    notify_enrollment(enrollment, "rejected")
    return enrollment


def enrollment_cancel(*, enrollment, user, reason=""):
    """Withdraw (by the person) or cancel (by a training admin); a freed seat goes to the waitlist.

    The person may withdraw until the session starts; a training admin until it has ended.
    """
    if not may_cancel(user, enrollment):
        raise PermissionDenied(_("Only the person or a training admin can cancel this enrollment."))
    admin = is_training_admin_for(user, enrollment.employee)
    return cancel_seat(enrollment, user=user, reason=(reason or "").strip(), admin=admin)


def cancel_seat(enrollment, *, user, reason, admin):
    """The cancellation itself, for callers that checked who asks (``admin``: may cancel after the start)."""
    with transaction.atomic():
        session = _lock_session(enrollment.session_id)
        enrollment = lock_enrollment(enrollment.pk)
        if S.CANCELLED not in TRANSITIONS[S(enrollment.status)]:
            refuse(enrollment, "cancel")
        now = timezone.now()
        if session.ends_at is not None and now >= session.ends_at:
            raise ValidationError(_("This session is over; its outcome is recorded by the training admin."),
                                  code="closed")
        if not admin and session.starts_at is not None and now >= session.starts_at:
            raise ValidationError(
                _("This session has already started; ask the training admin to record your absence."), code="closed"
            )
        before = enrollment.status
        enrollment.status, enrollment.reason = S.CANCELLED, reason
        enrollment.decided_at, enrollment.decided_by = now, user
        enrollment.save(update_fields=["status", "reason", "decided_at", "decided_by"])
        log_event(enrollment, before, user=user, note=reason)
        promoted = promote_waitlist(session) if before == S.ENROLLED else []
    notify_enrollment(enrollment, "cancelled" if before == S.ENROLLED else "withdrawn")
    for other in promoted:
        notify_enrollment(other, "promoted")
    return enrollment


# --- the waitlist ----------------------------------------------------------------------------

def waitlist_is_open(session, now=None):
    """Whether people may still move up: scheduled, not started, enrollment window not closed."""
    now = now or timezone.now()
    cutoff = session.starts_at - datetime.timedelta(hours=settings.WAITLIST_CUTOFF_HOURS) if session.starts_at else None
    return (
        session.status == SessionStatus.SCHEDULED
        and (cutoff is None or now < cutoff)
        and (session.enrollment_closes is None or now <= session.enrollment_closes)
    )


def promote_waitlist(session):
    """Give free seats to the waitlist in strict order; return the promoted enrollments.

    Call inside a transaction with the session row locked. Someone who meanwhile holds a seat in
    an overlapping session (a session was rescheduled) keeps their place and is passed over.
    """
    if not waitlist_is_open(session):
        return []
    free = session.capacity - _seats_taken(session)
    if free <= 0:
        return []
    queue = list(
        Enrollment.objects.filter(session=session).waitlist().select_for_update(no_key=True)
        .select_related("employee", "session__course__agency")
    )
    clashing = clashing_employee_ids(session, [e.employee_id for e in queue], statuses=[S.ENROLLED])
    promoted = [e for e in queue if e.employee_id not in clashing][:free]
    if not promoted:
        return []
    Enrollment.objects.filter(pk__in=[e.pk for e in promoted]).update(status=S.ENROLLED)
    note = _("Promoted from the waitlist.")
    for enrollment in promoted:
        enrollment.status = S.ENROLLED
    EnrollmentEvent.objects.bulk_create(
        EnrollmentEvent(enrollment=e, from_status=S.WAITLISTED, to_status=S.ENROLLED, note=note) for e in promoted
    )
    return promoted


def waitlist_promote(*, session):
    """Lock ``session`` and fill its free seats from the waitlist (e.g. after its capacity rose)."""
    with transaction.atomic():
        promoted = promote_waitlist(_lock_session(session.pk))
    for enrollment in promoted:
        notify_enrollment(enrollment, "promoted")
    return promoted


# --- words -----------------------------------------------------------------------------------

def status_message(enrollment):
    """Where ``enrollment`` stands, in a sentence for the person (waitlist position included)."""
    status = enrollment.status
    if status == S.REQUESTED:
        return _("Your request is waiting for your supervisor's approval.")
    if status == S.WAITLISTED:
        return _("You are number %(position)d on the waitlist. You will be emailed as soon as a seat is yours.") % {
            "position": waitlist_position(enrollment)}
    if status == S.ENROLLED:
        return _("You have a seat in this session.")
    if status == S.REJECTED:
        return _("Your request was not approved: %(reason)s") % {"reason": enrollment.reason}
    if status == S.CANCELLED:
        return _("This enrollment is cancelled.")
    return str(enrollment.get_status_display())


def decision_message(enrollment):
    """What a decision did, in a sentence for whoever took it (supervisor or training admin)."""
    name = enrollment.employee.name
    if enrollment.status == S.WAITLISTED:
        return _("%(name)s is approved; the session is full, so they are number %(n)d on the waitlist.") % {
            "name": name, "n": waitlist_position(enrollment)}
    if enrollment.status == S.ENROLLED:
        return _("%(name)s is approved and has a seat.") % {"name": name}
    if enrollment.status == S.REJECTED:
        return _("The request of %(name)s is rejected; they have been told why.") % {"name": name}
    if enrollment.status == S.CANCELLED:
        return _("The enrollment of %(name)s is cancelled.") % {"name": name}
    return str(enrollment.get_status_display())
