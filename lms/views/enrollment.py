"""Enrollment pages: ask for a seat, my enrollments, one enrollment, the approvals queue, the invitation reply."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from courses.models import Meeting, Session
from courses.seats import with_seats
from tna.roles import employee_of

from ..models import CalendarToken, Enrollment, EnrollmentStatus, Recommendation, Rsvp
from ..selectors.enrollments import (
    approval_warnings,
    overlapping_enrollments,
    pending_approvals,
    visible_enrollments,
    with_waitlist_position,
)
from ..services.enrollment import (
    decision_message,
    enrollment_approve,
    enrollment_cancel,
    enrollment_reject,
    enrollment_request,
    may_cancel,
    may_decide,
    needs_approval,
    status_message,
    waitlist_is_open,
)
from ..services.rsvp import LinkRefused, enrollment_for_rsvp_token, enrollment_rsvp, rsvp_token

S = EnrollmentStatus
ACTIVE_MEETINGS = Prefetch("session__meetings", queryset=Meeting.objects.filter(cancelled=False).order_by("number"))


def _error_text(error):
    return " ".join(error.messages)


def _no_employee(request):
    return render(request, "lms/enrollment/no_employee.html", status=403)


@login_required
def request_seat(request, session_id):
    """GET: the session, what will happen (seat, waitlist or approval) and any clash; POST: ask."""
    me = employee_of(request.user)
    if me is None:
        return _no_employee(request)
    session = get_object_or_404(
        with_seats(Session.objects.public()).select_related("course__agency")
        .prefetch_related(Prefetch("meetings", queryset=Meeting.objects.filter(cancelled=False).order_by("number"))),
        pk=session_id,
    )
    existing = Enrollment.objects.active().filter(employee=me, session=session).first()
    if request.method == "POST":
        recommendation = None
        if request.POST.get("recommendation"):
            recommendation = Recommendation.objects.filter(pk=request.POST["recommendation"], employee=me).first()
        try:
            enrollment = enrollment_request(employee=me, session=session, user=request.user,
                                            recommendation=recommendation, note=request.POST.get("note", "")[:1000])
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return redirect("lms:enrollment-request", session_id=session.pk)
        if enrollment.created:
            messages.success(request, status_message(enrollment))
        else:
            messages.info(request, "%s %s" % (_("You already asked for this session; your place is kept."),
                                              status_message(enrollment)))
        return redirect("lms:enrollment-detail", pk=enrollment.pk)
    return render(request, "lms/enrollment/request.html", {
        "session": session,
        "course": session.course,
        "tz": session.course.agency.time_zone,
        "existing": existing,
        "clashes": [] if existing else list(overlapping_enrollments(employee=me, session=session)),
        "needs_approval": needs_approval(me, session),
        "supervisor": me.supervisor,
        "recommendation": request.GET.get("recommendation", ""),
    })


@login_required
def my_enrollments(request):
    """The person's enrollments (current first, then past) and their personal calendar link."""
    me = employee_of(request.user)
    if me is None:
        return _no_employee(request)
    enrollments = list(
        with_waitlist_position(Enrollment.objects.filter(employee=me))
        .select_related("session__course__agency").prefetch_related(ACTIVE_MEETINGS)
        .order_by("session__starts_at", "pk")
    )
    now = timezone.now()
    current = [e for e in enrollments if e.status in (S.REQUESTED, S.WAITLISTED, S.ENROLLED)
               and (e.session.ends_at is None or e.session.ends_at >= now)]
    past = [e for e in reversed(enrollments) if e not in current]
    token = CalendarToken.objects.filter(employee=me).first()
    feed_url = request.build_absolute_uri(reverse("lms:calendar-feed", args=[token.token])) if token else ""
    return render(request, "lms/enrollment/list.html", {
        "current": current,
        "past": past,
        "token": token,
        "feed_url": feed_url,
        # webcal:// makes phones and desktop calendars offer to subscribe rather than download once.
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else "",
        "pending_count": pending_approvals(request.user).count(),
    })


@login_required
def detail(request, pk):
    """One enrollment: where it stands, the meetings, its history and what the viewer may do."""
    enrollment = get_object_or_404(
        with_waitlist_position(visible_enrollments(request.user))
        .select_related("employee__agency", "session__course__agency").prefetch_related(ACTIVE_MEETINGS),
        pk=pk,
    )
    me = employee_of(request.user)
    own = me is not None and me.pk == enrollment.employee_id
    session = enrollment.session
    now = timezone.now()
    active = enrollment.status in (S.REQUESTED, S.WAITLISTED, S.ENROLLED)
    return render(request, "lms/enrollment/detail.html", {
        "enrollment": enrollment,
        "session": session,
        "tz": session.course.agency.time_zone,
        "own": own,
        "message": status_message(enrollment) if own else "",
        "events": _labelled(enrollment.events.order_by("at", "pk")),
        "can_cancel": active and may_cancel(request.user, enrollment)
        and (session.starts_at is None or now < session.starts_at or not own),
        "can_decide": enrollment.status == S.REQUESTED and may_decide(request.user, enrollment),
        "can_rsvp": own and enrollment.status == S.ENROLLED and (session.ends_at is None or now < session.ends_at),
        "rsvp_token": rsvp_token(enrollment) if own and enrollment.status == S.ENROLLED else "",
        "waitlist_moves": waitlist_is_open(session, now),
    })


def _labelled(events):
    events = list(events)
    for event in events:
        event.from_label = S(event.from_status).label if event.from_status in S.values else event.from_status
        event.to_label = S(event.to_status).label if event.to_status in S.values else event.to_status
    return events


@login_required
@require_POST
def cancel(request, pk):
    enrollment = get_object_or_404(visible_enrollments(request.user), pk=pk)
    try:
        enrollment = enrollment_cancel(enrollment=enrollment, user=request.user,
                                       reason=request.POST.get("reason", "")[:2000])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The enrollment is cancelled."))
    return redirect("lms:enrollment-detail", pk=enrollment.pk)


@login_required
def approvals(request):
    """The requests waiting for the signed-in supervisor (or training admin), with clash warnings."""
    pending = list(pending_approvals(request.user).prefetch_related(ACTIVE_MEETINGS))
    warnings = approval_warnings(pending)
    for enrollment in pending:
        enrollment.warnings = warnings[enrollment.pk]
    return render(request, "lms/enrollment/approvals.html", {"pending": pending})


def _decide(request, pk, decide):
    enrollment = get_object_or_404(visible_enrollments(request.user), pk=pk)
    try:
        enrollment = decide(enrollment)
    except ValidationError as error:
        messages.error(request, "%s: %s" % (enrollment.employee.name, _error_text(error)))
    else:
        messages.success(request, decision_message(enrollment))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("lms:enrollment-approvals")


@login_required
@require_POST
def approve(request, pk):
    return _decide(request, pk, lambda e: enrollment_approve(enrollment=e, user=request.user,
                                                              note=request.POST.get("note", "")[:1000]))


@login_required
@require_POST
def reject(request, pk):
    return _decide(request, pk, lambda e: enrollment_reject(enrollment=e, user=request.user,
                                                             reason=request.POST.get("reason", "")[:2000]))


REFUSED_STATUS = {"invalid": 404, "expired": 410, "used": 410}


@require_http_methods(["GET", "POST"])
def rsvp(request, token):
    """Answer the invitation from the email link: no sign-in, the signed link is the key.

    GET shows the session and the answers; only a POST (with the CSRF token of that page)
    changes anything. A link that is forged, altered, made for another purpose, expired or
    already used gets a refusal page that names nobody.
    """
    try:
        enrollment = enrollment_for_rsvp_token(token)
    except LinkRefused as refused:
        return _private(render(request, "lms/enrollment/rsvp.html", {"refused": refused.reason},
                               status=REFUSED_STATUS[refused.reason]))
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        try:
            enrollment = enrollment_rsvp(enrollment=enrollment, answer=answer,
                                         release_seat=request.POST.get("release_seat") == "1",
                                         user=request.user if request.user.is_authenticated else None)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if enrollment.status == S.CANCELLED:
                messages.success(request, _("Thank you. Your seat is given up and goes to the next person waiting."))
            elif answer == Rsvp.CONFIRMED:
                messages.success(request, _("Thank you. You confirmed that you will attend."))
            else:
                messages.success(request, _("Thank you. Your apologies are recorded; you keep your seat."))
        return redirect("lms:enrollment-rsvp", token=token)
    enrollment = Enrollment.objects.select_related("employee", "session__course__agency").prefetch_related(
        ACTIVE_MEETINGS).get(pk=enrollment.pk)
    session = enrollment.session
    return _private(render(request, "lms/enrollment/rsvp.html", {
        "enrollment": enrollment,
        "session": session,
        "tz": session.course.agency.time_zone,
        "open": enrollment.status == S.ENROLLED and (session.ends_at is None or timezone.now() < session.ends_at),
    }))


def _private(response):
    # The token in the address is the key: keep it out of shared caches, and out of the Referer
    # sent to the online meeting's site when the person follows its link.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
