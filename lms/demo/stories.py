"""What every demo story is made of: the cast, the agency's calendar, and one helper per service call.

``Stories`` wraps the services a training year goes through (schedule a session, request and
approve seats, record attendance and test scores, complete, rate), each called by the person
who would have called it, with the ``clock.replay`` clock set to when they would have.
"""

import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Sum

from courses.demo import course_pattern, meetings_needed, online_link, session_place
from courses.demo_data import PATTERNS
from courses.models import Course, CourseCompetency
from courses.recurrence import national_closures, recurring_slots
from courses.services import session_complete, session_create
from tna.models import CompetencyGap, Employee

from ..conf import settings
from ..models import Attendance, EnrollmentStatus, ReactionQuestion
from ..services.attendance import attendance_save
from ..services.completion import scores_record, session_complete_eligible
from ..services.enrollment import enrollment_approve, enrollment_request
from ..services.evaluation import evaluation_submit

S = EnrollmentStatus
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED
DAY = datetime.timedelta(days=1)
# What participants write under their rating, now and then.
COMMENTS = [
    "Materinya langsung bisa dipakai di unit kerja.",
    "Narasumber menguasai materi dan memberi banyak contoh kasus daerah.",
    "Waktu praktik sebaiknya ditambah.",
    "Ruang pelatihan agak panas di siang hari.",
    "Bahan tayang mohon dibagikan sebelum pertemuan.",
    "Sangat bermanfaat, mohon ada kelas lanjutan.",
    "",
]


@dataclass(frozen=True)
class Cast:
    """The demo's people: whose journeys the stories are written for."""

    learner: Employee
    supervisor: Employee
    training_admin: Employee
    planner: Employee
    # The learner's mentor, once the mentoring programme has paired them (lms.demo.mentoring).
    mentor: Employee | None = None

    @property
    def ids(self):
        return {self.learner.pk, self.supervisor.pk, self.training_admin.pk, self.planner.pk,
                *([self.mentor.pk] if self.mentor else [])}


@dataclass
class TrainingSummary:
    """What ``demo_training`` wrote, for the demo's report (all zero when it had been written before)."""

    sessions: int = 0
    enrollments: int = 0
    completed: int = 0  # each with its JP credited and a certificate issued
    evaluations: int = 0
    not_completed: int = 0
    waitlisted: int = 0
    pending: int = 0
    courses: dict = field(default_factory=dict)  # story → course title


class Stories:
    """The agency's calendar around ``today`` and the helpers every story uses; ``clock`` is a ``replay`` clock."""

    def __init__(self, *, agency, cycle, cast, clock, today):
        self.agency, self.cycle, self.cast, self.clock, self.today = agency, cycle, cast, clock, today
        self.tz = ZoneInfo(agency.time_zone)
        self.rng = random.Random("%s-training" % agency.code)
        self.closures = national_closures(range(today.year - 1, today.year + 2))
        self.monday = today - datetime.timedelta(days=today.weekday())
        self.admin = cast.training_admin.user
        self.staff = {
            e.pk: e for e in Employee.objects.filter(agency=agency, active=True)
            .select_related("user", "unit", "supervisor__user").order_by("nip")
        }
        self.used = set()  # courses already in a story
        self.summary = TrainingSummary()

    # Time ------------------------------------------------------------------------------------

    def at(self, day, hour=9, minute=0):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    def working_days_before(self, day, count):
        """The working day ``count`` working days before ``day`` (weekends and national closures skipped)."""
        while count:
            day -= DAY
            if day.weekday() < 5 and day not in self.closures:
                count -= 1
        return day

    # Courses and sessions --------------------------------------------------------------------

    def course(self, codes, story, *, avoid=()):
        """The first live course of ``codes`` in no story yet and not in ``avoid`` (codes), else any other
        live course with sessions (not self-paced); noted as used."""
        live = (Course.objects.filter(agency=self.agency, live=True).exclude(pk__in=self.used)
                .exclude(code__in=avoid))
        found = {c.code: c for c in live.filter(code__in=codes)}
        course = next((found[c] for c in codes if c in found), None)
        course = course or live.exclude(mode="self_paced").order_by("code").first()
        self.used.add(course.pk)
        self.summary.courses[story] = course.title
        return course

    def usual_slots(self, course, first_day):
        """The meetings of a session of ``course`` from ``first_day`` on, in the course's usual pattern."""
        pattern = course_pattern(course)
        start, end, weekdays = PATTERNS[pattern]
        return recurring_slots(
            first_day=first_day, start=datetime.time.fromisoformat(start), end=datetime.time.fromisoformat(end),
            count=meetings_needed(course.jp, pattern), tz=self.tz, weekdays=weekdays, skip=self.closures,
        )

    def schedule(self, course, *, first_day, created, slots=None, capacity=None):
        """A new session of ``course`` from ``first_day`` in its usual pattern, created by the training admin
        at ``created``, enrollment open from then until two days before it starts."""
        slots = slots or self.usual_slots(course, first_day)
        run = course.sessions.count() + 1
        self.clock.set(created)
        session = session_create(
            course=course, meetings=slots, capacity=min(capacity or course.max_participants, course.max_participants),
            place=session_place(course, self.agency, self.rng), online_url=online_link(course, run),
            label="Angkatan %s" % roman(run), enrollment_opens=created, enrollment_closes=slots[0].start - 2 * DAY,
            user=self.admin, trainer=TRAINERS[(course.pk + run) % len(TRAINERS)],
        )
        self.summary.sessions += 1
        return session

    # People ----------------------------------------------------------------------------------

    def candidates(self, course, *, first=(), unit=None):
        """Staff for ``course``: ``first``, then those with the largest gaps in what it develops, then the rest
        in a seeded order; never the demo's other people, whose days the stories keep free."""
        competencies = CourseCompetency.objects.filter(course=course).values("competency")
        by_gap = [
            pk for pk, _total in CompetencyGap.objects.filter(
                cycle=self.cycle, agency=self.agency, competency__in=competencies, gap__gt=0,
            ).values("employee").annotate(total=Sum("gap")).order_by("-total", "employee").values_list("employee", "total")
        ]
        rest = sorted(self.staff)
        self.rng.shuffle(rest)
        order = [p.pk for p in first] + by_gap + rest
        skip = self.cast.ids - {p.pk for p in first}
        seen = set()
        for pk in order:
            person = self.staff.get(pk)
            if person is None or pk in seen or pk in skip or (unit is not None and person.unit_id != unit):
                continue
            seen.add(pk)
            yield person

    def decider(self, person):
        """Who approves ``person``'s requests: their supervisor, else the training admin."""
        boss = person.supervisor
        return boss.user if boss is not None and boss.active else self.admin

    def request(self, session, person, when):
        """``person`` asks for a seat at ``when``; None when they cannot (a clash, the window closed)."""
        self.clock.set(when)
        try:
            enrollment = enrollment_request(employee=person, session=session, user=person.user)
        except ValidationError:
            return None
        self.summary.enrollments += 1
        return enrollment

    def enrol(self, session, people, count, *, requested, decided):
        """The first ``count`` of ``people`` who can, each asking at ``requested`` and approved at ``decided``
        (a few minutes apart, in order); returns the approved enrollments."""
        approved = []
        for person in people:
            if len(approved) == count:
                break
            step = datetime.timedelta(minutes=11 * len(approved))
            enrollment = self.request(session, person, requested + step)
            if enrollment is None:
                continue
            if enrollment.status == S.REQUESTED:
                self.clock.set(decided + step)
                enrollment = enrollment_approve(enrollment=enrollment, user=self.decider(person))
            approved.append(enrollment)
            self.summary.waitlisted += enrollment.status == S.WAITLISTED
        return approved

    # Delivery --------------------------------------------------------------------------------

    def attend(self, session, enrollments, *, missed=None, until=None):
        """Record each meeting's attendance half an hour after it ends, up to (not including) ``until``.

        ``missed``: {enrollment pk: {meeting index: "absent" or "excused"}}; everyone else was present.
        """
        missed = missed or {}
        for n, meeting in enumerate(session.meetings.filter(cancelled=False).order_by("starts_at")):
            if until is not None and meeting.ends_at >= until:
                break
            self.clock.set(meeting.ends_at + datetime.timedelta(minutes=30))
            marks = {(e.pk, meeting.pk): missed.get(e.pk, {}).get(n, PRESENT) for e in enrollments}
            attendance_save(session=session, marks=marks, user=self.admin)

    def test_scores(self, session, enrollments, *, pre=True, post=True, failing=()):
        """Pre-test at the first meeting, post-test after the last, where the course has a post-test."""
        if not session.course.has_post_test:
            return
        meetings = list(session.meetings.filter(cancelled=False).order_by("starts_at"))
        for enrollment in enrollments:
            before = self.rng.randint(35, 70)
            if pre:
                self.clock.set(meetings[0].starts_at + datetime.timedelta(minutes=20))
                scores_record(enrollment=enrollment, user=self.admin, pre_test_score=before)
            if post:
                passing = settings.POST_TEST_PASS
                after = (self.rng.randint(40, passing - 2) if enrollment.pk in failing
                         else min(100, max(passing + 4, before + self.rng.randint(15, 35))))
                self.clock.set(meetings[-1].ends_at + datetime.timedelta(minutes=45))
                scores_record(enrollment=enrollment, user=self.admin, post_test_score=after)

    def close(self, session):
        """The day after the last meeting: complete everyone who qualifies (JP, certificates), close the session."""
        self.clock.set(self.at(session.ends_at.astimezone(self.tz).date() + DAY, 10))
        result = session_complete_eligible(session=session, user=self.admin)
        session_complete(session=session, user=self.admin)
        self.summary.completed += len(result.completed)
        self.summary.not_completed += len(result.refused)
        return result.completed

    def rate(self, enrollments, *, share):
        """About ``share`` of ``enrollments`` (in order) rate the course one to five evenings after it ends."""
        for enrollment in enrollments:
            if self.rng.random() >= share:
                continue
            end = enrollment.session.ends_at.astimezone(self.tz).date()
            self.clock.set(self.at(end + self.rng.randint(1, 5) * DAY, 19, self.rng.randint(0, 59)))
            overall = self.rng.choice((3, 4, 4, 4, 5, 5))
            questions = ReactionQuestion.objects.filter(agency_id=enrollment.session.course.agency_id, active=True)
            evaluation_submit(
                # Without drawing from the stories' random stream, so adding a question changes nothing else.
                answers={q.pk: max(1, min(5, overall + (enrollment.pk + q.pk) % 3 - 1)) for q in questions},
                enrollment=enrollment, user=enrollment.employee.user,
                relevance=min(5, overall + self.rng.choice((0, 0, 1))), trainer=self.rng.choice((3, 4, 5, 5)),
                organisation=max(2, overall - self.rng.choice((0, 0, 1))), overall=overall,
                comment=self.rng.choice(COMMENTS),
            )
            self.summary.evaluations += 1


# Widyaiswara and practitioners who teach the demo's sessions (the evaluation reports reaction per trainer).
TRAINERS = ("Dra. Sri Wahyuni, M.Si.", "Ir. Bambang Hartono, M.M.", "Dr. Lestari Handayani, S.Psi.",
            "Agus Salim, S.Kom., M.T.", "Nurhayati, S.Sos., M.AP.")


def roman(n):
    """1 → I, 4 → IV, 12 → XII: session labels (Angkatan III)."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, numeral in numerals:
        while n >= value:
            text, n = text + numeral, n - value
    return text
