"""Emails about enrollments and sessions, each with the session's .ics attached, sent after commit.

The .ics carries the session's own calendar UIDs (``courses.links.CALENDAR_DOMAIN``) and
SEQUENCE, so a calendar updates or removes the events it already has instead of adding copies.
"""

import dataclasses
import logging
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.ics import session_calendar
from courses.links import CALENDAR_DOMAIN
from courses.models import SessionStatus
from courses.selectors import calendar_session
from tna.infra.formats import date_text, localized, span_text
from tna.roles import TRAINING_ADMIN

from .conf import settings
from .links import absolute, rsvp_url

logger = logging.getLogger("latih.lms")

SUBJECTS = {
    "requested": gettext_lazy("Approval needed: %(name)s asks to join %(course)s"),
    "request_sent": gettext_lazy("Your request for %(course)s is with your supervisor"),
    "enrolled": gettext_lazy("You are enrolled in %(course)s"),
    "waitlisted": gettext_lazy("You are on the waitlist for %(course)s"),
    "promoted": gettext_lazy("A seat is yours: you are now enrolled in %(course)s"),
    "rejected": gettext_lazy("Your request for %(course)s was not approved"),
    "cancelled": gettext_lazy("Your enrollment in %(course)s is cancelled"),
    "withdrawn": gettext_lazy("Your request for %(course)s is withdrawn"),
    "session_changed": gettext_lazy("Schedule change: %(course)s"),
    "session_postponed": gettext_lazy("Postponed: %(course)s"),
    "session_cancelled": gettext_lazy("Cancelled: %(course)s"),
    "completed": gettext_lazy("Completed: %(course)s — your JP are credited"),
}

# What each message tells the person, in one sentence.
LEADS = {
    "requested": gettext_lazy("%(name)s asks for a seat. Please approve or reject the request."),
    "request_sent": gettext_lazy("Your request was sent to your supervisor. You will be emailed their decision."),
    "enrolled": gettext_lazy("You have a seat. The meetings are in the attached calendar file."),
    "waitlisted": gettext_lazy("The session is full, so you are on the waitlist, number %(position)s. "
                               "You will be emailed at once if a seat becomes yours."),
    "promoted": gettext_lazy("A seat became free and it is yours. The meetings are in the attached calendar file."),
    "rejected": gettext_lazy("Your request was not approved."),
    "cancelled": gettext_lazy("Your seat is cancelled; the attached file removes the meetings from your calendar."),
    "withdrawn": gettext_lazy("Your request is withdrawn."),
    "session_changed": gettext_lazy("The schedule or place changed; the attached file updates your calendar."),
    "session_postponed": gettext_lazy("The session is postponed; you keep your place. New dates will follow."),
    "session_cancelled": gettext_lazy("The session is cancelled; the attached file removes it from your calendar."),
    "completed": gettext_lazy("You completed the training and its JP are credited to your learning record."),
}

# Which messages carry the calendar file.
WITH_CALENDAR = {"enrolled", "promoted", "cancelled", "session_changed", "session_postponed", "session_cancelled"}
# Which messages carry the links to confirm attendance or send apologies.
WITH_RSVP = {"enrolled", "promoted", "session_changed"}
SESSION_KINDS = {"rescheduled": "session_changed", "edited": "session_changed", "postponed": "session_postponed",
                 "cancelled": "session_cancelled"}


def _when(session):
    """One line per meeting in the agency's zone, written as the pages write it (Sel, 1 Des 2026, 08.00–12.00 WIB)."""
    tz = ZoneInfo(session.course.agency.time_zone)
    return ["  " + span_text(meeting.starts_at, meeting.ends_at, tz)
            for meeting in sorted(session.meetings.all(), key=lambda m: m.number) if not meeting.cancelled]


def _body(enrollment, kind, *, position=None):
    session, course = enrollment.session, enrollment.session.course
    context = {"name": enrollment.employee.name, "position": position or "?"}
    lines = [str(LEADS[kind]) % context, "", _("Course: %s") % localized(course, "title")]
    if session.label:
        lines.append(_("Session: %s") % session.label)
    meetings = _when(session)
    if meetings:
        lines += [_("Meetings:"), *meetings]
    if session.place:
        lines.append(_("Place: %s") % session.place)
    if session.online_url:
        lines.append(_("Online link: %s") % session.online_url)
    if enrollment.reason and kind in ("rejected", "cancelled", "withdrawn"):
        lines.append(_("Reason: %s") % enrollment.reason)
    if session.cancel_reason and kind in ("session_postponed", "session_cancelled"):
        lines.append(_("Reason: %s") % session.cancel_reason)
    lines.append("")
    if kind == "requested":
        link = absolute("lms:enrollment-approvals")
        if link:
            lines.append(_("Decide here: %s") % link)
    else:
        if kind in WITH_RSVP:
            link = rsvp_url(enrollment)
            if link:
                lines.append(_("Will you attend? Confirm or send apologies here (no sign-in needed): %s") % link)
        link = absolute("lms:enrollment-detail", enrollment.pk)
        if link:
            lines.append(_("Your enrollment: %s") % link)
    return "\n".join(lines)


def _message(enrollment, kind, recipients, *, position=None):
    session = enrollment.session
    context = {"course": localized(session.course, "title"), "name": enrollment.employee.name}
    message = EmailMessage(subject=str(SUBJECTS[kind]) % context, body=_body(enrollment, kind, position=position),
                           to=recipients)
    if kind in WITH_CALENDAR:
        data = calendar_session(session)
        if kind == "cancelled":
            # The person gave up the seat: their calendar drops the events while the session goes on.
            data = dataclasses.replace(data, status=SessionStatus.CANCELLED)
        cancelled = data.status == SessionStatus.CANCELLED
        if any(not m.cancelled for m in data.meetings) or cancelled:
            message.attach("%s.ics" % session.course.code, session_calendar(data, domain=CALENDAR_DOMAIN),
                           "text/calendar; charset=utf-8; method=%s" % ("CANCEL" if cancelled else "PUBLISH"))
    return message


def _approvers(employee):
    """Who decides ``employee``'s requests: the direct supervisor, else the agency's training admins."""
    if employee.supervisor_id and employee.supervisor.email:
        return [employee.supervisor.email]
    from tna.models import Employee

    return list(
        Employee.objects.filter(agency=employee.agency_id, user__groups__name=TRAINING_ADMIN, active=True)
        .exclude(email="").exclude(pk=employee.pk).values_list("email", flat=True).distinct()
    )


def _send(messages):
    if not messages:
        return
    with get_connection(fail_silently=True) as connection:
        connection.send_messages(messages)


def notify_enrollment(enrollment, kind):
    """Email the person (and, for a new request, whoever decides it) once the transaction commits."""
    if not settings.EMAIL_NOTIFICATIONS:
        return

    def send():
        from .selectors.enrollments import waitlist_position

        employee = enrollment.employee
        with translation.override(django_settings.LANGUAGE_CODE):
            messages = []
            if kind == "requested":
                approvers = _approvers(employee)
                if approvers:
                    messages.append(_message(enrollment, "requested", approvers))
                if employee.email:
                    messages.append(_message(enrollment, "request_sent", [employee.email]))
            elif employee.email:
                position = waitlist_position(enrollment) if kind == "waitlisted" else None
                messages.append(_message(enrollment, kind, [employee.email], position=position))
            _send(messages)

    transaction.on_commit(send)


def notify_session_change(session, kind):
    """Email everyone concerned about a significant change of ``session`` (a SessionChange kind).

    Seat holders get the updated .ics (same UIDs, higher SEQUENCE); on a cancellation those
    waiting or awaiting approval are told too. One query for the people, one mail connection.
    """
    from .models import Enrollment, EnrollmentStatus

    mail_kind = SESSION_KINDS.get(kind)
    if mail_kind is None or not settings.EMAIL_NOTIFICATIONS:
        return
    statuses = [EnrollmentStatus.ENROLLED]
    if mail_kind == "session_cancelled":
        statuses += [EnrollmentStatus.WAITLISTED, EnrollmentStatus.REQUESTED]

    def send():
        enrollments = list(
            Enrollment.objects.filter(session=session, status__in=statuses).exclude(employee__email="")
            .select_related("employee", "session__course__agency").prefetch_related("session__meetings")
        )
        with translation.override(django_settings.LANGUAGE_CODE):
            messages = []
            for enrollment in enrollments:
                message = _message(enrollment, mail_kind, [enrollment.employee.email])
                if enrollment.status != EnrollmentStatus.ENROLLED:
                    message.attachments = []  # nothing of theirs is in a calendar yet
                messages.append(message)
            _send(messages)
        logger.info("Session %s %s: %d people emailed", session.pk, kind, len(messages))

    transaction.on_commit(send)


# --- evaluation reminders (lms.services.reminders) -----------------------------------------------

REMINDER_SUBJECTS = {
    "reaction": gettext_lazy("Please rate %(course)s"),
    "followup_learner": gettext_lazy("How much of %(course)s do you use at work?"),
    "followup_supervisor": gettext_lazy("How much of %(course)s does %(name)s use at work?"),
}
REMINDER_LEADS = {
    "reaction": gettext_lazy("You attended %(course)s, which ended on %(date)s. How was it? Your rating takes a "
                             "minute and helps the agency improve its courses."),
    "followup_learner": gettext_lazy("You completed %(course)s on %(date)s. How much of it do you use at work now? "
                                     "Answer from 1 to 5 and give an example."),
    "followup_supervisor": gettext_lazy("%(name)s completed %(course)s on %(date)s. As their supervisor, how much of "
                                        "it do you see them use at work? Answer from 1 to 5 and give an example. "
                                        "HR sees your answer only combined with others; %(name)s does not see it."),
}
REMINDER_LINKS = {"reaction": "lms:evaluation", "followup_learner": "lms:follow-up",
                  "followup_supervisor": "lms:follow-up-team"}


def _reminder(enrollment, kind):
    session, employee = enrollment.session, enrollment.employee
    tz = ZoneInfo(session.course.agency.time_zone)
    day = session.ends_at if kind == "reaction" else enrollment.completed_at
    context = {"course": localized(session.course, "title"), "name": employee.name, "date": date_text(day, tz)}
    lines = [str(REMINDER_LEADS[kind]) % context, ""]
    link = absolute(REMINDER_LINKS[kind], enrollment.pk)
    if link:
        lines.append(_("Answer here: %s") % link)
    to = employee.supervisor.email if kind == "followup_supervisor" else employee.email
    return EmailMessage(subject=str(REMINDER_SUBJECTS[kind]) % context, body="\n".join(lines), to=[to])


def send_evaluation_reminders(reminders):
    """E-mail each (enrollment, kind) of ``reminders`` at once, in one connection: the attendee asked to
    rate the course, the learner or their supervisor asked for the follow-up. The enrollments come with
    employee, supervisor and course loaded (``lms.selectors.evaluation.reminders_due``)."""
    with translation.override(django_settings.LANGUAGE_CODE):
        _send([_reminder(enrollment, kind) for enrollment, kind in reminders])
