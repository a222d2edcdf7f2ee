"""Three months of training in one agency, replayed through the services, and what is waiting today.

Held sessions with attendance, test scores, completions, certificates and ratings; one that ended
last week and waits for its certificates; one running this week; a full one with a waitlist; and
requests waiting for the demo supervisor, one of which would leave the unit short on duty and one
that overlaps a seat the person already holds. Every step is a service call made at the moment it
would have happened (``clock.replay``), by the person who would have made it.
"""

import datetime
import math
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from courses.demo import meetings_needed
from courses.models import CourseCompetency
from courses.recurrence import Slot, recurring_slots
from courses.services import session_update
from tna.conf import settings as tna_settings
from tna.models import CompetencyGap

from ..models import Enrollment, EnrollmentStatus, ReactionQuestion, Respondent
from ..services.enrollment import enrollment_reject
from ..services.follow_up import follow_up_opens, follow_up_submit
from .clock import replay
from .stories import ABSENT, DAY, EXCUSED, S, Stories, TrainingSummary

# Courses each story prefers, by code, in order; any other live course serves when an agency lacks them.
HEALTH_SERVICE = ("pelayanan-kesehatan", "komunikasi-efektif", "pelayanan-prima", "pelayanan-inklusif")
INTEGRITY = ("integritas-antikorupsi", "keamanan-siber", "komunikasi-krisis", "pengaduan-lapor")
SPREADSHEETS = ("excel-data", "arsip-elektronik", "dashboard-kinerja", "website-opd")
MEETINGS = ("rapat-efektif", "penulisan-naskah", "skp-kinerja", "manajemen-waktu")
SERVICE_STANDARDS = ("pelayanan-prima", "standar-pelayanan", "survei-ikm", "pelayanan-inklusif")
SPEAKING = ("public-speaking", "negosiasi", "coaching-atasan", "humas-medsos", "komunikasi-efektif")
PLANNING = ("perencanaan-kerja", "skp-kinerja", "kerja-kolaboratif", "manajemen-perubahan")
OFFICE = ("penulisan-naskah", "arsip-elektronik", "literasi-digital", "rapat-efektif")

REJECTION = "Bertepatan dengan persiapan akreditasi puskesmas; silakan ajukan angkatan berikutnya."
RESCHEDULE = "Narasumber hanya dapat hadir pada pekan sebelumnya (contoh data demo)."


# The stories ---------------------------------------------------------------------------------


def held(stories, codes, story, *, weeks_ago, others, learner, rated_by_learner, low_attendance=0, failing=0):
    """A session that ran ``weeks_ago`` weeks ago, from requests to ratings; the learner takes part if told
    (in a course that leaves their most pressing gaps open: their journey is about closing those)."""
    s = stories
    course = s.course(codes, story, avoid=_gap_courses(s, s.cast.learner, top=3) if learner else ())
    first_day = s.monday - datetime.timedelta(weeks=weeks_ago)
    created = s.at(first_day - 35 * DAY, 10)
    session = s.schedule(course, first_day=first_day, created=created)
    first = [s.cast.learner] if learner else []
    enrollments = s.enrol(session, s.candidates(course, first=first), others + len(first),
                          requested=created + 2 * DAY, decided=created + 4 * DAY)
    meetings = session.meetings.filter(cancelled=False).count()
    missed = {}
    others_ = [e for e in enrollments if e.employee_id != s.cast.learner.pk]
    for enrollment in others_[:low_attendance]:  # came to less than the attendance needed
        kept = max(0, math.ceil(meetings * 0.8) - 2)
        missed[enrollment.pk] = {n: ABSENT for n in range(kept, meetings)}
    for enrollment in others_[low_attendance:low_attendance + 2]:  # missed one meeting, with leave
        if meetings >= 5:
            missed[enrollment.pk] = {s.rng.randrange(meetings): EXCUSED}
    s.attend(session, enrollments, missed=missed)
    s.test_scores(session, enrollments, failing={e.pk for e in others_[low_attendance:low_attendance + failing]})
    completed = s.close(session)
    mine = [e for e in completed if e.employee_id == s.cast.learner.pk]
    theirs = [e for e in completed if e.employee_id != s.cast.learner.pk]
    s.rate(theirs, share=0.6)
    if rated_by_learner:
        s.rate(mine, share=1.0)
    return session


AGENCY_QUESTION = ("Materi pelatihan dapat langsung saya terapkan dalam tugas sehari-hari",
                   "I can apply the material directly in my daily work")
EXAMPLES = ("Alur layanan di loket sekarang memakai daftar periksa dari pelatihan.",
            "Keluhan pasien saya catat dan tindak lanjuti dengan format yang diajarkan.",
            "Saya membagikan materi kepada rekan satu unit dalam rapat pagi.",
            "Penjelasan kepada keluarga pasien kini lebih runtut, memakai teknik bertanya terbuka.",
            "Belum banyak terpakai: jadwal jaga padat sehingga belum sempat mencoba.",
            "Papan informasi layanan di ruang tunggu kami susun ulang sesuai contoh di kelas.")


def follow_ups(stories, session):
    """Six of the session's other participants answer their follow-up, three months on (learner's view)."""
    s = stories
    completed = list(session.enrollments.filter(status=EnrollmentStatus.COMPLETED).exclude(employee=s.cast.learner)
                     .select_related("employee__user").order_by("pk"))
    now = s.clock.real_now()  # the replay clock stands wherever the stories left it
    for n, enrollment in enumerate(completed[:6]):
        opens = follow_up_opens(enrollment)
        if opens is None or opens >= now:
            continue
        when = opens + (now - opens) * (n + 1) / 8  # spread over the days since it opened
        s.clock.set(when)
        follow_up_submit(enrollment=enrollment, respondent=Respondent.LEARNER, user=enrollment.employee.user,
                         score=(3, 4, 4, 5, 4, 3)[n], example=EXAMPLES[n % len(EXAMPLES)], now=when)


def ended_last_week(stories):
    """A session whose last meeting was last week: attendance recorded, certificates still to issue."""
    s = stories
    course = s.course(MEETINGS, "to_complete")
    for weeks in range(2, 9):  # the latest start from which it is over before this week
        slots = s.usual_slots(course, s.monday - datetime.timedelta(weeks=weeks))
        if slots[-1].end < s.at(s.monday, 0):
            break
    created = s.at(slots[0].start.date() - 30 * DAY, 10)
    session = s.schedule(course, first_day=slots[0].start.date(), created=created, slots=slots)
    enrollments = s.enrol(session, s.candidates(course), 10, requested=created + DAY, decided=created + 3 * DAY)
    s.attend(session, enrollments)
    s.test_scores(session, enrollments)
    return session


def running_this_week(stories):
    """A course meeting every working afternoon around today, with the learner in it; the last meeting
    held before today has no attendance yet, for the training admin to record."""
    s = stories
    course = s.course(SERVICE_STANDARDS, "this_week")
    first_day = s.working_days_before(s.today, 4)
    count = max(6, meetings_needed(course.jp, "weekly"))
    slots = recurring_slots(first_day=first_day, start=datetime.time(13, 30), end=datetime.time(15, 30), count=count,
                            tz=s.tz, weekdays=range(5), skip=s.closures)
    created = s.at(first_day - 30 * DAY, 10)
    session = s.schedule(course, first_day=first_day, created=created, slots=slots)
    enrollments = s.enrol(session, s.candidates(course, first=[s.cast.learner]), 12,
                          requested=created + DAY, decided=created + 3 * DAY)
    s.test_scores(session, enrollments, post=False)
    held_before_today = [m for m in session.meetings.order_by("starts_at") if m.ends_at < s.at(s.today, 0)]
    if len(held_before_today) > 1:
        s.attend(session, enrollments, missed={enrollments[-1].pk: {0: EXCUSED}}, until=held_before_today[-1].ends_at)
    return session


def full_with_waitlist(stories):
    """A small class three weeks ahead, full, with three approved people waiting; the learner is second."""
    s = stories
    course = s.course(SPEAKING, "waitlist")
    created = s.at(s.today - 14 * DAY, 9)
    session = s.schedule(course, first_day=s.monday + datetime.timedelta(weeks=3, days=1), created=created,
                         capacity=max(course.min_participants, 8))
    people = s.candidates(course)
    s.enrol(session, people, session.capacity, requested=created + 2 * DAY, decided=created + 3 * DAY)
    for days_ago, queue in ((8, people), (6, [s.cast.learner]), (4, people)):
        s.enrol(session, queue, 1, requested=s.at(s.today - days_ago * DAY, 8, 40),
                decided=s.at(s.today - (days_ago - 1) * DAY, 10, 5))
    return session


def requests_for_the_supervisor(stories, *, after):
    """Requests waiting for the supervisor: the learner's would leave their unit short on duty, a team
    member's overlaps a seat they hold (the session was moved after they asked), two need nothing.

    The sessions start in the weeks after ``after`` (a date), when the learner's other courses are over.
    """
    s = stories
    learner, supervisor = s.cast.learner, s.cast.supervisor
    team = [p for p in s.staff.values() if p.supervisor_id == supervisor.pk and p.pk != learner.pk]
    s.rng.shuffle(team)
    week = after - datetime.timedelta(days=after.weekday()) + datetime.timedelta(weeks=1)  # the Monday after
    waiting = []

    # Rejected earlier: the learner asked, the supervisor said not now.
    course = s.course(OFFICE, "rejected")
    created = s.at(s.today - 30 * DAY, 9)
    session = s.schedule(course, first_day=week, created=created)
    enrollment = s.request(session, learner, created + 5 * DAY)
    if enrollment is not None and enrollment.status == S.REQUESTED:
        s.clock.set(created + 7 * DAY)
        enrollment_reject(enrollment=enrollment, user=s.decider(learner), reason=REJECTION)

    # Coverage: enough of the learner's unit already has a seat on those days that one more leaves it short.
    course = s.course(_gap_courses(s, learner) or SPEAKING, "coverage")
    created = s.at(s.today - 12 * DAY, 9)
    session = s.schedule(course, first_day=week, created=created)
    unit = learner.unit
    staff = sum(1 for p in s.staff.values() if p.unit_id == unit.pk)
    share = tna_settings.MIN_ON_DUTY_SHARE if unit.min_on_duty_share is None else float(unit.min_on_duty_share)
    away = staff - math.ceil(round(share * staff, 9))
    colleagues = [p for p in s.candidates(course, unit=unit.pk) if p.pk != learner.pk]
    s.enrol(session, colleagues, away, requested=created + DAY, decided=created + 2 * DAY)
    waiting.append(s.request(session, learner, s.at(s.today - DAY, 8, 15)))

    # Overlap: a team member holds a seat in one session and asked for another, which was then moved onto it.
    created = s.at(s.today - 20 * DAY, 9)
    seat = s.schedule(s.course(PLANNING, "held_seat"), first_day=week + datetime.timedelta(weeks=2, days=1),
                      created=created)
    moved = s.schedule(s.course(SERVICE_STANDARDS + SPEAKING, "overlap"), first_day=week + datetime.timedelta(weeks=4),
                       created=created)
    for member in list(team):
        if not s.enrol(seat, [member], 1, requested=created + DAY, decided=created + 2 * DAY):
            continue
        team.remove(member)
        asked = s.request(moved, member, s.at(s.today - 2 * DAY, 11, 20))
        if asked is not None:
            waiting.append(asked)
            s.clock.set(s.at(s.today - DAY, 15, 45))
            session_update(session=moved, user=s.admin, reason=RESCHEDULE, enrollment_closes=seat.enrollment_closes,
                           meetings=[Slot(m.starts_at, m.ends_at) for m in seat.meetings.order_by("starts_at")])
            break
    s.enrol(seat, s.candidates(seat.course), 5, requested=created + DAY, decided=created + 2 * DAY)

    # Two plain requests from the rest of the team.
    course = s.course(SPREADSHEETS + OFFICE, "plain")
    created = s.at(s.today - 10 * DAY, 9)
    session = s.schedule(course, first_day=week + datetime.timedelta(weeks=3, days=2), created=created)
    asked = 0
    for person in team:
        if asked == 2:
            break
        enrollment = s.request(session, person, s.at(s.today - (3 - asked) * DAY, 9, 30))
        if enrollment is not None:
            waiting.append(enrollment)
            asked += 1
    s.summary.pending += sum(1 for e in waiting if e is not None and e.status == S.REQUESTED)


def _gap_courses(stories, person, *, top=None):
    """Codes of the live courses that develop ``person``'s open gaps (the ``top`` most pressing ones),
    the most pressing gap first."""
    gaps = CompetencyGap.objects.filter(cycle=stories.cycle, employee=person, gap__gt=0).order_by("-priority", "-gap")
    codes = []
    for competency_id in gaps.values_list("competency", flat=True)[:top]:
        codes += CourseCompetency.objects.filter(
            competency=competency_id, course__agency=stories.agency, course__live=True,
        ).exclude(course__mode="self_paced").order_by("-level", "course__code").values_list("course__code", flat=True)
    return tuple(dict.fromkeys(codes))


def demo_training(*, agency, cycle, cast, today=None):
    """Write the stories of ``agency`` (``cast``: the demo's people), relative to ``today`` in its zone.

    Returns a ``TrainingSummary``; writes nothing (an empty summary) when the agency has
    enrollments already, so running the demo again changes nothing.
    """
    if Enrollment.objects.filter(session__course__agency=agency).exists():
        return TrainingSummary()
    today = today or timezone.localdate(timezone=ZoneInfo(agency.time_zone))
    with transaction.atomic(), replay() as clock:
        stories = Stories(agency=agency, cycle=cycle, cast=cast, clock=clock, today=today)
        # The agency asks one question of its own besides the standard four (docs/evaluation.md).
        ReactionQuestion.objects.get_or_create(agency=agency, text=AGENCY_QUESTION[0],
                                               defaults={"text_en": AGENCY_QUESTION[1], "sort_order": 1})
        # Eighteen weeks ago (some courses meet over three or four weeks): its three-month follow-up is open now for the learner and their supervisor,
        # and most of the others have answered theirs.
        first = held(stories, HEALTH_SERVICE, "held", weeks_ago=18, others=10, learner=True, rated_by_learner=True)
        follow_ups(stories, first)
        held(stories, SPREADSHEETS, "held_low_attendance", weeks_ago=8, others=12, learner=False,
             rated_by_learner=False, low_attendance=2, failing=1)
        held(stories, INTEGRITY, "held_to_rate", weeks_ago=6, others=12, learner=True, rated_by_learner=False,
             failing=1)
        ended_last_week(stories)
        running_this_week(stories)
        waitlist = full_with_waitlist(stories)
        requests_for_the_supervisor(stories, after=waitlist.ends_at.astimezone(stories.tz).date())
    return stories.summary
