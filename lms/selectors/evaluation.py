"""Reads for evaluation: an agency's extra questions, response rates, follow-ups due, and the people
an evaluation reminder is due to.

"Attended" means what ``lms.services.evaluation.evaluation_refusal`` accepts: completed, or present at
one meeting at least. A follow-up is due ``LATIH_FOLLOW_UP_DAYS`` after completion and open for
``LATIH_FOLLOW_UP_OPEN_DAYS`` more.
"""

import datetime

from django.db.models import Avg, Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import SessionStatus
from tna.infra.formats import localized

from ..conf import settings
from ..models import Attendance, Enrollment, EnrollmentStatus
from ..models.evaluation import Evaluation, ReactionAnswer, ReactionQuestion
from ..models.follow_up import EvaluationReminder, FollowUp, ReminderKind, Respondent

S = EnrollmentStatus
DAY = datetime.timedelta(days=1)
SEAT = [S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED]


# --- level 1: reaction ---------------------------------------------------------------------------

def reaction_questions(agency):
    """The extra questions ``agency`` asks now, in their order (after the four standard ones)."""
    return list(ReactionQuestion.objects.filter(agency=agency, active=True).order_by("sort_order", "pk"))


def attendees(queryset):
    """The enrollments of ``queryset`` that attended: completed, or present at a meeting at least once."""
    present = Attendance.objects.filter(enrollment=OuterRef("pk"), status=Attendance.Status.PRESENT)
    return queryset.filter(status__in=SEAT).filter(Q(status=S.COMPLETED) | Exists(present))


def session_response_rate(session):
    """{"attended", "rated", "share" (None when nobody attended), "reminders"} of ``session``: how
    many who attended have rated it, and how many reminders to rate it were sent."""
    counts = attendees(Enrollment.objects.filter(session=session)).aggregate(
        attended=Count("pk"), rated=Count("pk", filter=Q(evaluation__isnull=False)))
    reminders = EvaluationReminder.objects.filter(enrollment__session=session, kind=ReminderKind.REACTION).count()
    share = counts["rated"] / counts["attended"] if counts["attended"] else None
    return {**counts, "share": share, "reminders": reminders}


def session_question_ratings(session):
    """[{"text", "mean", "n"}]: the session's mean score on each extra question answered, in order."""
    rows = (
        ReactionAnswer.objects.filter(evaluation__enrollment__session=session)
        .values("question").annotate(mean=Avg("score"), n=Count("pk"))
    )
    means = {row["question"]: row for row in rows}
    questions = ReactionQuestion.objects.filter(pk__in=means).order_by("sort_order", "pk")
    return [{"text": localized(q, "text"), "mean": means[q.pk]["mean"], "n": means[q.pk]["n"]} for q in questions]


def evaluation_answers(evaluation):
    """The evaluation's answers to extra questions, with the question loaded, in question order."""
    return list(evaluation.answers.select_related("question").order_by("question__sort_order", "question"))


# --- level 3: the behaviour follow-up ------------------------------------------------------------

def follow_up_window(now=None):
    """(earliest, latest) completion moment whose follow-up is open at ``now``."""
    now = now or timezone.now()
    latest = now - settings.FOLLOW_UP_DAYS * DAY
    return latest - settings.FOLLOW_UP_OPEN_DAYS * DAY, latest


def follow_ups_due(respondent, now=None):
    """Completed enrollments whose follow-up ``respondent`` (learner or supervisor) has not answered
    and is open at ``now``; for supervisors only those of active people who have one."""
    earliest, latest = follow_up_window(now)
    answered = FollowUp.objects.filter(enrollment=OuterRef("pk"), respondent=respondent)
    due = (
        Enrollment.objects.filter(status=S.COMPLETED, completed_at__gt=earliest, completed_at__lte=latest,
                                  employee__active=True)
        .exclude(Exists(answered))
    )
    if respondent == Respondent.SUPERVISOR:
        due = due.filter(employee__supervisor__isnull=False, employee__supervisor__active=True)
    return due


def course_follow_up_summary(course):
    """{"learner": …, "supervisor": …} for ``course``: each ``{"n", "mean", "shown"}``, with the mean
    only where at least ``LATIH_FOLLOW_UP_MIN_ANSWERS`` answered (fewer could point at a person), and
    ``examples``: the learners' latest examples under the same rule. Supervisors' examples are never
    listed: the learner must not read what their supervisor wrote."""
    rows = {
        row["respondent"]: row
        for row in FollowUp.objects.filter(enrollment__session__course=course).values("respondent")
        .annotate(n=Count("pk"), mean=Avg("score"))
    }
    minimum = settings.FOLLOW_UP_MIN_ANSWERS
    summary = {"minimum": minimum}
    for respondent in Respondent.values:
        n = rows.get(respondent, {}).get("n", 0)
        shown = n >= minimum
        summary[respondent] = {"n": n, "shown": shown, "mean": rows[respondent]["mean"] if shown else None}
    summary["examples"] = []
    if summary[Respondent.LEARNER]["shown"]:
        summary["examples"] = list(
            FollowUp.objects.filter(enrollment__session__course=course, respondent=Respondent.LEARNER)
            .exclude(example="").order_by("-answered_at").values_list("example", flat=True)[:10]
        )
    return summary


# --- reminders -----------------------------------------------------------------------------------

def _not_reminded_lately(queryset, kind, now):
    """``queryset`` less enrollments reminded of ``kind`` ``LATIH_EVALUATION_REMINDERS`` times already,
    or less than ``LATIH_EVALUATION_REMINDER_DAYS`` ago; annotated with ``reminded`` (how often)."""
    sent = EvaluationReminder.objects.filter(enrollment=OuterRef("pk"), kind=kind).order_by().values("enrollment")
    return (
        queryset.annotate(
            reminded=Coalesce(Subquery(sent.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0),
            last_reminded=Subquery(sent.annotate(last=Max("sent_at")).values("last")),
        )
        .filter(reminded__lt=settings.EVALUATION_REMINDERS)
        .filter(Q(last_reminded__isnull=True) | Q(last_reminded__lte=now - settings.EVALUATION_REMINDER_DAYS * DAY))
    )


def reminders_due(kind, now=None):
    """Enrollments an evaluation reminder of ``kind`` is due for at ``now``, with the person, their
    supervisor and the course loaded; each has an address to write to.

    ``reaction``: attendees of sessions that ended between one and
    ``LATIH_EVALUATION_REMINDER_WITHIN_DAYS`` days ago who have not rated them. ``followup_learner`` /
    ``followup_supervisor``: follow-ups open and unanswered by that respondent.
    """
    now = now or timezone.now()
    if kind == ReminderKind.REACTION:
        due = attendees(Enrollment.objects.filter(
            session__ends_at__lte=now - DAY, session__ends_at__gte=now - settings.EVALUATION_REMINDER_WITHIN_DAYS * DAY,
            employee__active=True,
        )).exclude(session__status=SessionStatus.CANCELLED).exclude(Exists(
            Evaluation.objects.filter(enrollment=OuterRef("pk"))))
        due = due.exclude(employee__email="")
    elif kind == ReminderKind.FOLLOW_UP_LEARNER:
        due = follow_ups_due(Respondent.LEARNER, now).exclude(employee__email="")
    elif kind == ReminderKind.FOLLOW_UP_SUPERVISOR:
        due = follow_ups_due(Respondent.SUPERVISOR, now).exclude(employee__supervisor__email="")
    else:
        raise ValueError("Unknown reminder kind: %s" % kind)
    return (
        _not_reminded_lately(due, kind, now)
        .select_related("employee__supervisor", "session__course__agency").order_by("pk")
    )
