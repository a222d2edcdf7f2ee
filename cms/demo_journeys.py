"""What each demo login finds waiting, in a few lines under the logins the demo prints.

Read from the data, not from what the demo meant to write, so a re-run reports the state as it is.
"""

import datetime
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import WorkflowState

from courses.models import Course, Meeting, SessionStatus
from lms.models import (
    CoachingConversation,
    CourseEffect,
    Enrollment,
    EnrollmentStatus,
    Envelope,
    MentoringPair,
    MentoringProgramme,
    MentoringSession,
    PlanStatus,
    Respondent,
    ScheduleRun,
    TrainingPlan,
)
from lms.selectors.delivery import enrollments_to_rate
from lms.selectors.enrollments import approval_warnings, pending_approvals, waitlist_position
from lms.selectors.evaluation import follow_ups_due
from lms.selectors.learning import jp_total
from tna.conf import settings as tna_settings
from tna.grades import JobType
from tna.infra.formats import format_rupiah, integer
from tna.models import Position, Rating, RequiredLevel, SurveyResponse, TalentPlacement
from tna.talent.ladder import next_steps

S = EnrollmentStatus


def journeys(*, cycle, agency, cast):
    """{"admin" | "learner" | "supervisor" | "training_admin" | "planner" | "mentor": [line, …]} for the demo's printout."""
    now = timezone.now()
    today = timezone.localdate(now, ZoneInfo(agency.time_zone))
    monday = today - datetime.timedelta(days=today.weekday())
    week = (datetime.datetime.combine(monday, datetime.time(), tzinfo=ZoneInfo(agency.time_zone)),
            datetime.datetime.combine(monday + datetime.timedelta(days=7), datetime.time(),
                                      tzinfo=ZoneInfo(agency.time_zone)))
    in_review = _in_review(agency)
    return {
        "admin": [_("Every agency, the Wagtail admin and the API: %(admin)s, %(api)s") % {
            "admin": "/admin/", "api": "/api/docs/"}],
        "learner": _learner(cycle, cast.learner, week, today),
        "supervisor": _supervisor(cycle, cast.supervisor),
        "training_admin": _training_admin(agency, week, now, in_review),
        "planner": _planner(agency, today.year, in_review),
        "mentor": _mentor(cast.mentor, cast.learner) if cast.mentor else [],
    }


def _learner(cycle, learner, week, today):
    required = RequiredLevel.objects.filter(position=learner.position_id, competency__active=True).count()
    rated = Rating.objects.filter(cycle=cycle, rater=learner, ratee=learner, competency__active=True).count()
    surveyed = SurveyResponse.objects.filter(cycle=cycle, employee=learner).exists()
    lines = [_("Self-assessment %(rated)s of %(required)s competencies, survey %(survey)s (%(url)s)") % {
        "url": reverse("tna:evidence"), "rated": integer(rated), "required": integer(required),
        "survey": _("answered") if surveyed else _("not answered yet")}]
    this_week = (Meeting.objects.filter(session__enrollments__employee=learner, session__enrollments__status=S.ENROLLED,
                                        starts_at__gte=week[0], starts_at__lt=week[1], cancelled=False)
                 .order_by("session__course__title").values_list("session__course__title", flat=True).distinct())
    waiting = Enrollment.objects.filter(employee=learner, status=S.WAITLISTED).select_related("session__course")
    lines.append(_("This week: %(courses)s; waitlist: %(places)s; awaiting the supervisor: %(requests)s") % {
        "courses": ", ".join(this_week) or "–",
        "places": ", ".join(_("number %(n)s for %(course)s") % {"n": waitlist_position(e), "course": e.session.course.title}
                            for e in waiting) or "–",
        "requests": integer(Enrollment.objects.filter(employee=learner, status=S.REQUESTED).count()),
    })
    certificates = Enrollment.objects.filter(employee=learner, status=S.COMPLETED, certificate__revoked=False).count()
    lines.append(_("%(certificates)s certificates, %(to_rate)s courses to rate (%(url)s); "
                   "JP this year %(jp)s of %(minimum)s") % {
        "url": reverse("lms:my-training"), "certificates": integer(certificates),
        "to_rate": integer(len(enrollments_to_rate(learner))), "jp": integer(jp_total(learner, today.year)),
        "minimum": integer(tna_settings.JP_MINIMUM_PER_YEAR)})
    steps = next_steps(learner.position.job_type)
    lines.append(_("Career page: the criteria of %(steps)s and where they stand (%(url)s)") % {
        "steps": ", ".join(str(JobType(step).label) for step in steps) or "–", "url": reverse("lms_career:mine")})
    lines.extend(_mentee(learner))
    due = follow_ups_due(Respondent.LEARNER).filter(employee=learner).count()
    if due:
        lines.append(ngettext("%(count)s course of some months ago asks how much of it is used at work (%(url)s)",
                              "%(count)s courses of some months ago ask how much of them is used at work (%(url)s)",
                              due) % {"count": integer(due), "url": reverse("home")})
    return lines


def _pair_of(mentee, mentor=None):
    pairs = MentoringPair.objects.filter(mentee=mentee, status=MentoringPair.Status.ACTIVE)
    if mentor is not None:
        pairs = pairs.filter(mentor=mentor)
    return pairs.select_related("mentor", "mentee", "competency").order_by("pk").first()


def _mentee(learner):
    """The learner's mentoring pair: the session to confirm and the next one."""
    pair = _pair_of(learner)
    if pair is None:
        return []
    to_confirm = pair.sessions.filter(status=MentoringSession.Status.HELD, mentee_confirmed_at=None).count()
    return [_("Mentoring with %(mentor)s on %(competency)s: %(count)s session to confirm, the next one planned (%(url)s)")
            % {"mentor": pair.mentor.name, "competency": pair.competency.name, "count": integer(to_confirm),
               "url": reverse("lms_mentoring:pair", args=[pair.pk])}]


def _mentor(mentor, learner):
    """The mentor's pairs and where to plan and log sessions."""
    pairs = MentoringPair.objects.filter(mentor=mentor, status=MentoringPair.Status.ACTIVE).count()
    pair = _pair_of(learner, mentor)
    lines = [ngettext("Mentor of %(count)s person (%(url)s)", "Mentor of %(count)s people (%(url)s)", pairs)
             % {"count": integer(pairs), "url": reverse("lms_mentoring:mine")}]
    if pair is not None:
        lines.append(_("With %(mentee)s: plan a session in a time free for both, log it and give closing "
                       "feedback when the goal is met (%(url)s)") % {
            "mentee": pair.mentee.name, "url": reverse("lms_mentoring:pair", args=[pair.pk])})
    return lines


def _supervisor(cycle, supervisor):
    pending = list(pending_approvals(supervisor.user))
    warned = sum(1 for w in approval_warnings(pending).values() if w)
    team = list(supervisor.reports.filter(active=True).values_list("pk", flat=True))
    rated = set(Rating.objects.filter(cycle=cycle, rater=supervisor, ratee__in=team).values_list("ratee", flat=True))
    due = follow_ups_due(Respondent.SUPERVISOR).filter(employee__supervisor=supervisor).count()
    coached = CoachingConversation.objects.filter(coach=supervisor).count()
    return [
        _("%(count)s requests to decide, %(warned)s with a warning: an overlap or too few on duty (%(url)s)") % {
            "url": reverse("lms:enrollment-approvals"), "count": integer(len(pending)), "warned": integer(warned)},
        _("%(left)s of %(team)s team members still to rate (%(url)s); the team's heatmap %(team_url)s") % {
            "url": reverse("tna:evidence"), "left": integer(len(set(team) - rated)), "team": integer(len(team)),
            "team_url": reverse("tna:team")},
        ngettext("%(count)s coaching conversation with the team recorded; coaching ratings count in the gap analysis "
                 "(%(url)s)",
                 "%(count)s coaching conversations with the team recorded; coaching ratings count in the gap analysis "
                 "(%(url)s)", coached) % {"count": integer(coached), "url": reverse("lms_mentoring:coaching")},
        *([ngettext("%(count)s team member's course of some months ago to follow up: is it used at work? (%(url)s)",
                    "%(count)s team members' courses of some months ago to follow up: are they used at work? (%(url)s)",
                    due) % {"count": integer(due), "url": reverse("home")}] if due else []),
    ]


def _training_admin(agency, week, now, in_review):
    this_week = (Meeting.objects.filter(session__course__agency=agency, starts_at__gte=week[0], starts_at__lt=week[1],
                                        cancelled=False, session__enrollments__status=S.ENROLLED)
                 .order_by("session__course__title").values_list("session__course__title", flat=True).distinct())
    to_complete = Enrollment.objects.filter(session__course__agency=agency, status=S.ENROLLED,
                                            session__status=SessionStatus.SCHEDULED, session__ends_at__lt=now).count()
    return [
        _("This week: %(courses)s; %(count)s participants of ended sessions await completion and their "
          "certificates (%(url)s)") % {
            "url": reverse("lms:delivery-sessions"), "courses": ", ".join(this_week) or "–",
            "count": integer(to_complete)},
        ngettext("%(count)s course of theirs in review (%(url)s)", "%(count)s courses of theirs in review (%(url)s)",
                 in_review) % {"count": integer(in_review), "url": "/admin/"},
        *_talent(agency),
        *_programmes(agency),
    ]


def _programmes(agency):
    """HR's mentoring programmes and their pairs."""
    lines = []
    for programme in MentoringProgramme.objects.filter(agency=agency).order_by("-starts_on")[:2]:
        counts = dict(programme.pairs.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
        lines.append(_("Mentoring “%(name)s”: %(active)s pairs under way, %(proposed)s proposed to decide, coverage "
                       "per competency (%(url)s)") % {
            "name": programme.name, "active": integer(counts.get(MentoringPair.Status.ACTIVE, 0)),
            "proposed": integer(counts.get(MentoringPair.Status.PROPOSED, 0)),
            "url": reverse("lms_mentoring:programme", args=[programme.pk])})
    return lines


def _talent(agency):
    """The 9-box and succession lines of HR, when the agency has placements."""
    latest = TalentPlacement.objects.filter(agency=agency).order_by("-cycle__year").values_list("cycle_id", flat=True)
    cycle_id = latest.first()
    if cycle_id is None:
        return []
    placed = TalentPlacement.objects.filter(agency=agency, cycle_id=cycle_id)
    return [_("9-box: %(placed)s people placed, %(top)s in boxes 7–9 (%(url)s); %(keys)s key positions for "
              "succession (%(succession)s)") % {
        "placed": integer(placed.count()), "top": integer(placed.filter(box__gte=7).count()), "url": reverse("tna:talent"),
        "keys": integer(Position.objects.filter(agency=agency, is_key=True).count()),
        "succession": reverse("lms_career:succession")}]


def _planner(agency, year, in_review):
    budget = Envelope.objects.filter(agency=agency, fiscal_year=year).aggregate(total=Sum("amount"))["total"] or 0
    submitted = TrainingPlan.objects.of_year(agency, year).filter(status=PlanStatus.SUBMITTED).count()
    run = ScheduleRun.objects.filter(agency=agency).first()
    return [
        ngettext("%(count)s course to review (%(url)s)", "%(count)s courses to review (%(url)s)", in_review) % {
            "count": integer(in_review), "url": "/admin/"},
        _("Budget %(year)s (%(url)s): %(amount)s in envelopes, %(submitted)s plans submitted for approval") % {
            "year": year, "url": reverse("lms_budget"), "amount": format_rupiah(budget),
            "submitted": integer(submitted)},
        _("Gap heatmap %(heatmap)s; scheduling %(url)s: %(classes)s classes proposed") % {
            "heatmap": reverse("tna:planner"), "url": reverse("lms:schedule-runs"),
            "classes": integer(run.figures.get("classes", 0) if run else 0)},
        *_evaluation(agency),
    ]


def _evaluation(agency):
    """The line on what last year's training did, when it was measured."""
    effects = CourseEffect.objects.filter(course__agency=agency)
    year = effects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        return []
    measured = effects.filter(year=year)
    return [_("Training of %(year)s measured (%(url)s): %(courses)s courses, %(near_zero)s credibly near zero") % {
        "year": year, "url": reverse("lms:evaluation-report"), "courses": integer(measured.count()),
        "near_zero": integer(measured.filter(near_zero=True).count())}]


def _in_review(agency):
    ids = [str(pk) for pk in Course.objects.filter(agency=agency).values_list("pk", flat=True)]
    return WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Course), object_id__in=ids,
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).count()
