"""``manage.py demo`` sets up a first look, twice over without change, with work waiting in every role's journey."""

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Q
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Revision, WorkflowState

from courses.models import Course, Meeting, Session, SessionChange, SessionStatus
from lms.budget.accounts import TRAINING
from lms.models import (
    Attendance,
    CourseEffect,
    Enrollment,
    EnrollmentEvent,
    EnrollmentStatus,
    Envelope,
    PlanStatus,
    Recommendation,
    ScheduleRun,
    TrainingPlan,
)
from lms.models.evaluation import Evaluation, PreTest
from lms.models.ledger import Certificate, JpCredit
from lms.models.mentoring import CoachingConversation, MentoringPair, MentoringProgramme, MentoringSession
from lms.selectors.delivery import enrollments_to_rate
from lms.selectors.enrollments import approval_warnings, pending_approvals, waitlist_position
from tna.infra.formats import format_rupiah
from tna.models import (
    Agency,
    Appraisal,
    CompetencyGap,
    Cycle,
    Employee,
    Rating,
    RequiredLevel,
    SurveyResponse,
    TnaRun,
)

S = EnrollmentStatus
COUNTED = [
    Agency, Employee, User, Rating, Appraisal, SurveyResponse, CompetencyGap, TnaRun, Course, Session, Meeting,
    SessionChange, Page, Revision, WorkflowState, Recommendation, Enrollment, EnrollmentEvent, Attendance, PreTest,
    Evaluation, JpCredit, Certificate, Envelope, TrainingPlan, ScheduleRun, MentoringProgramme, MentoringPair,
    MentoringSession, CoachingConversation,
]


def demo(**options):
    out = StringIO()
    call_command("demo", employees=40, force=True, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED} | {
        "memberships": User.groups.through.objects.count(),
        "statuses": sorted(Enrollment.objects.values_list("status").annotate(n=Count("pk"))),
    }


def logins(output):
    """(username, password) pairs of the printed table."""
    return re.findall(r"\s{2}(\d{18}|admin)\s{2,}(\S+)\s{2,}", output)


class DemoTwice(TestCase):
    """The demo run twice on an empty database; each test reads one role's journey from it."""

    @classmethod
    def setUpTestData(cls):
        cls.first_output = demo()
        cls.first = counts()
        cls.second_output = demo()
        cls.second = counts()
        nips = [username for username, _password in logins(cls.second_output)[1:]]
        cls.learner, cls.supervisor, cls.training_admin, cls.planner, *cls.mentor = (
            Employee.objects.select_related("user", "unit", "agency").get(nip=nip) for nip in nips)
        cls.agency = cls.learner.agency
        cls.cycle = Cycle.objects.get(is_open=True)
        cls.tz = ZoneInfo(cls.agency.time_zone)
        cls.today = timezone.localdate(timezone=cls.tz)

    def test_running_it_again_changes_nothing_and_keeps_the_logins(self):
        assert self.second == self.first
        assert logins(self.second_output) == logins(self.first_output)
        assert self.first["Agency"] == 5
        assert self.first["Employee"] == 40 + 4 * 20
        assert self.cycle.is_open

    def test_last_years_training_is_imported_and_measured_for_the_planner(self):
        last = Cycle.objects.get(year=self.cycle.year - 1)
        assert not last.is_open and CompetencyGap.objects.filter(cycle=last, agency=self.agency).exists()
        imported = JpCredit.objects.filter(source="import", year=last.year, employee__agency=self.agency)
        effects = CourseEffect.objects.filter(year=last.year, course__agency=self.agency)
        assert imported.exists() and effects.count() == imported.values("course").distinct().count()
        self.client.force_login(self.planner.user)
        page = self.client.get(reverse("lms:evaluation-report"))
        assert page.status_code == 200 and page.context["year"] == last.year
        assert {row["label"] for row in page.context["report"]["rows"]} >= {e.course.display_title for e in effects}

    def test_the_learner_and_supervisor_are_asked_how_a_course_is_used_three_months_on(self):
        from lms.models import FollowUp, ReactionAnswer, Respondent
        from lms.selectors.evaluation import follow_ups_due

        mine = follow_ups_due(Respondent.LEARNER).filter(employee=self.learner)
        assert mine.count() == 1
        assert follow_ups_due(Respondent.SUPERVISOR).filter(employee=self.learner).exists()
        answered = FollowUp.objects.filter(enrollment__session=mine.get().session, respondent=Respondent.LEARNER)
        assert answered.count() >= 5  # enough for the course's average to be shown
        assert ReactionAnswer.objects.filter(question__agency=self.agency).exists()
        assert not Session.objects.filter(course__agency=self.agency, trainer="", enrollments__isnull=False).exists()

    def test_the_printed_logins_work_and_carry_their_roles(self):
        printed = logins(self.second_output)
        assert len(printed) == 6  # the superuser, the four journeys' people and the learner's mentor
        for username, password in printed:
            assert authenticate(username=username, password=password) is not None, username
        assert User.objects.get(username="admin").is_superuser
        assert {e.agency.code for e in (self.learner, self.supervisor, self.training_admin, self.planner)} == {
            "lampung-selatan"}
        assert self.learner.supervisor == self.supervisor
        assert CompetencyGap.objects.filter(employee=self.learner, cycle=self.cycle, gap__gt=0).exists()
        assert self.supervisor.user.groups.filter(name="supervisor").exists()
        assert self.training_admin.user.groups.filter(name="training_admin").exists()
        assert self.planner.user.groups.filter(name="planner").exists()
        # Only the demo people can log in; everyone else has an unusable password.
        assert User.objects.filter(employee__isnull=False).exclude(password__startswith="!").count() == 5
        assert Group.objects.get(name="asn").user_set.count() == Employee.objects.count()

    def test_each_login_is_printed_with_the_journeys_it_shows(self):
        lines = self.second_output.splitlines()
        for username, _password in logins(self.second_output):
            at = next(n for n, line in enumerate(lines) if re.search(r"\s%s\s" % username, line))
            assert lines[at + 1].strip().startswith("↳"), username
        assert "/learning/approvals/" in self.second_output and "/learning/delivery/" in self.second_output
        budget = sum(Envelope.objects.filter(agency=self.agency).values_list("amount", flat=True))
        assert format_rupiah(budget) in self.first_output  # Rp 480.000.000, written the Indonesian way

    # The ASN -------------------------------------------------------------------------------------

    def test_the_asn_has_completed_training_with_jp_and_certificates_anyone_can_verify(self):
        completed = Enrollment.objects.filter(employee=self.learner, status=S.COMPLETED)
        assert completed.count() >= 2
        assert JpCredit.objects.filter(employee=self.learner, source="latih").count() == completed.count()
        for enrollment in completed:
            certificate = Certificate.objects.get(enrollment=enrollment)
            assert not certificate.revoked
            page = self.client.get(reverse("lms:certificate-verify-code", args=[certificate.code]))
            assert page.status_code == 200 and self.learner.name in page.content.decode()

    def test_the_asn_has_rated_one_course_and_has_one_still_to_rate(self):
        assert Evaluation.objects.filter(enrollment__employee=self.learner).exists()
        to_rate = enrollments_to_rate(self.learner)
        assert len(to_rate) == 1 and to_rate[0].status == S.COMPLETED

    def test_the_asn_is_in_a_session_meeting_this_week(self):
        monday = self.today - datetime.timedelta(days=self.today.weekday())
        week = [datetime.datetime.combine(monday + datetime.timedelta(days=d), datetime.time(), tzinfo=self.tz)
                for d in (0, 7)]
        assert Meeting.objects.filter(
            session__enrollments__employee=self.learner, session__enrollments__status=S.ENROLLED,
            starts_at__gte=week[0], starts_at__lt=week[1],
        ).exists()

    def test_the_asn_is_second_on_the_waitlist_of_a_full_session(self):
        waiting = Enrollment.objects.get(employee=self.learner, status=S.WAITLISTED)
        assert waitlist_position(waiting) == 2
        session = waiting.session
        assert Enrollment.objects.filter(session=session).holding_seat().count() == session.capacity
        assert list(Enrollment.objects.filter(session=session).waitlist().values_list("employee", flat=True))[1] \
            == self.learner.pk

    def test_the_asn_still_has_part_of_the_self_assessment_and_the_survey_to_do(self):
        required = RequiredLevel.objects.filter(position=self.learner.position, competency__active=True).count()
        rated = Rating.objects.filter(cycle=self.cycle, rater=self.learner, ratee=self.learner).count()
        assert 0 < rated < required
        assert not SurveyResponse.objects.filter(cycle=self.cycle, employee=self.learner).exists()

    # The supervisor ------------------------------------------------------------------------------

    def test_the_supervisor_has_requests_waiting_one_clashing_and_one_leaving_the_unit_short(self):
        pending = list(pending_approvals(self.supervisor.user))
        assert len(pending) >= 3
        warnings = approval_warnings(pending)
        assert any(w.clashes for w in warnings.values()), "a request overlapping a seat the person holds"
        short = [e for e in pending if warnings[e.pk].shortfalls]
        assert any(e.employee_id == self.learner.pk for e in short), "the learner's request leaves the unit short"

    def test_the_supervisor_has_team_ratings_and_appraisals_still_to_do(self):
        team = set(self.supervisor.reports.filter(active=True).values_list("pk", flat=True))
        rated = set(Rating.objects.filter(cycle=self.cycle, rater=self.supervisor, ratee__in=team)
                    .values_list("ratee", flat=True))
        appraised = set(Appraisal.objects.filter(cycle=self.cycle, employee__in=team).values_list("employee", flat=True))
        assert rated and team - rated and team - appraised

    # The training admin --------------------------------------------------------------------------

    def test_the_training_admin_has_attendance_to_record_and_certificates_to_issue(self):
        running = Session.objects.get(enrollments__employee=self.learner, enrollments__status=S.ENROLLED,
                                      starts_at__lt=timezone.now(), ends_at__gt=timezone.now())
        held = [m for m in running.meetings.order_by("starts_at")
                if m.ends_at < datetime.datetime.combine(self.today, datetime.time(), tzinfo=self.tz)]
        recorded = set(Attendance.objects.filter(meeting__session=running).values_list("meeting", flat=True))
        assert held and held[-1].pk not in recorded and held[0].pk in recorded
        ended = Enrollment.objects.filter(session__course__agency=self.agency, status=S.ENROLLED,
                                          session__status=SessionStatus.SCHEDULED, session__ends_at__lt=timezone.now())
        assert ended.exists()
        assert not Certificate.objects.filter(enrollment__in=ended).exists()

    def test_held_sessions_have_scores_completions_and_someone_who_did_not_complete(self):
        held = Session.objects.filter(course__agency=self.agency, status=SessionStatus.COMPLETED,
                                      enrollments__isnull=False).distinct()
        assert held.count() >= 3
        ago = [(self.today - s.ends_at.astimezone(self.tz).date()).days for s in held]
        assert min(ago) >= 21 and max(ago) <= 130  # in the last one to four months (one has its follow-up open)
        assert PreTest.objects.filter(enrollment__session__in=held).exists()
        assert Enrollment.objects.filter(session__in=held, post_test_score__isnull=False).exists()
        stayed_away = Enrollment.objects.filter(session__in=held, status=S.ENROLLED).annotate(
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT), distinct=True),
            meetings=Count("session__meetings", distinct=True),
        ).filter(present__lt=F("meetings") * 0.8)
        assert stayed_away.exists()
        assert Evaluation.objects.filter(enrollment__session__in=held).exclude(enrollment__employee=self.learner).exists()

    def test_history_is_dated_when_it_happened(self):
        for attendance in Attendance.objects.select_related("meeting"):
            assert attendance.recorded_at > attendance.meeting.ends_at
        completed = Enrollment.objects.filter(employee__agency=self.agency, status=S.COMPLETED).select_related("session")
        for enrollment in completed:
            assert enrollment.requested_at < enrollment.session.starts_at < enrollment.completed_at
            first = enrollment.events.order_by("at", "pk").first()
            assert first.at == enrollment.requested_at
            assert enrollment.certificate.issued_at.astimezone(self.tz).date() == (
                enrollment.session.ends_at.astimezone(self.tz).date() + datetime.timedelta(days=1))

    def test_courses_wait_for_review_submitted_by_the_training_admin_and_one_stays_a_draft(self):
        courses = {str(pk): c for pk, c in Course.objects.filter(agency=self.agency).in_bulk().items()}
        states = WorkflowState.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Course), object_id__in=courses,
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        assert states.count() >= 2
        assert {s.requested_by_id for s in states} == {self.training_admin.user_id}
        in_review = {s.object_id for s in states}
        assert any(c.live for k, c in courses.items() if k in in_review)  # an edit of a published course
        assert any(not c.live and k not in in_review for k, c in courses.items())  # a draft still being written

    # The planner ---------------------------------------------------------------------------------

    def test_the_planner_has_envelopes_in_rupiah_a_plan_submitted_and_a_draft(self):
        envelopes = Envelope.objects.filter(agency=self.agency, fiscal_year=self.today.year)
        assert envelopes.get(unit=None, account=TRAINING).amount == 250_000_000
        assert envelopes.filter(unit__isnull=False).count() >= 2
        assert all(amount >= 1_000_000 for amount in envelopes.values_list("amount", flat=True))
        plans = TrainingPlan.objects.of_year(self.agency, self.today.year)
        assert set(plans.values_list("status", flat=True)) == {PlanStatus.SUBMITTED, PlanStatus.DRAFT}
        submitted = plans.get(status=PlanStatus.SUBMITTED)
        assert submitted.items.exists() and submitted.submitted_by == self.planner.user

    def test_the_planner_finds_the_analysis_run_and_a_scheduling_run(self):
        runs = TnaRun.objects.filter(cycle=self.cycle, status=TnaRun.Status.SUCCEEDED)
        assert runs.filter(agency=None).exists() and runs.filter(agency=self.agency).exists()
        run = ScheduleRun.objects.get(agency=self.agency)
        assert run.created_by == self.planner.user and run.figures["demand"] > 0


@pytest.mark.django_db
def test_demo_refuses_to_set_known_passwords_outside_the_demo_settings():
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", employees=40, stdout=StringIO())
    assert not Employee.objects.exists()

    def test_the_learner_has_a_mentor_who_is_the_fifth_login_and_a_session_to_confirm(self):
        [mentor] = self.mentor
        pair = MentoringPair.objects.get(mentee=self.learner, status=MentoringPair.Status.ACTIVE)
        assert pair.mentor == mentor and mentor != self.supervisor
        waiting = pair.sessions.filter(status=MentoringSession.Status.HELD, mentee_confirmed_at=None)
        assert waiting.count() == 1
        assert pair.sessions.filter(status=MentoringSession.Status.PLANNED, starts_at__gt=timezone.now()).exists()
        assert JpCredit.objects.filter(employee=self.learner, mentoring_pair=pair, route="NKL02", jp__gte=1).exists()

    def test_the_supervisor_coached_the_learner_twice(self):
        assert CoachingConversation.objects.filter(coach=self.supervisor, employee=self.learner).count() == 2
        assert JpCredit.objects.filter(employee=self.learner, route="NKL01").exists()
