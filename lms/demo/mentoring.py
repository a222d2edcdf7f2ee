"""The demo's mentoring programme and supervisors' coaching, written through the services people use.

``demo_coaching`` runs before the home agency's second gap analysis, so the supervisor's coaching
ratings show in the gaps' reasons; ``demo_mentoring`` runs after the analysis and the 9-box: it
creates a programme on the agency's commonest gaps, names the mentors the TNA finds able, matches
(``match_programme``), starts most pairs a few weeks back, and gives the pairs the sessions they
would have held by now. The learner's pair is left with one session their mentor logged for them to
confirm and one planned for next week; the mentor is the demo's fifth login.
"""

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone

from tna.grades import JOB_LEVEL
from tna.models import Competency, CompetencyGap, Employee, RequiredLevel

from ..models import CoachingConversation, MentoringPair, MentoringProgramme, MentorOffer
from ..services.coaching import coaching_save
from ..services.mentor_matching import job_rank, match_programme, pair_lock
from ..services.mentoring_people import application_create
from ..services.mentoring_programmes import offer_nominate, pair_activate, programme_save
from ..services.mentoring_sessions import free_slots, session_confirm, session_plan, session_record

PROGRAMME_CODE = "mentoring-%d"
COMPETENCIES = 4
MENTORS = 80
STARTED_DAYS_AGO = 35
TOPICS = (
    "Membaca kebutuhan pengguna layanan", "Menyusun rencana kerja triwulan", "Latihan presentasi kepada pimpinan",
    "Membahas kasus pengaduan masyarakat", "Umpan balik atas draf laporan", "Menggunakan data untuk keputusan",
)
COACHING_TOPICS = (
    "Target kinerja semester ini", "Koordinasi dengan unit lain", "Pelayanan yang lebih cepat",
    "Rencana pengembangan diri",
)


@dataclass
class MentoringSummary:
    """What the demo wrote (all zero when the programme was there already)."""

    programme: MentoringProgramme | None = None
    mentors: int = 0
    pairs: int = 0
    active: int = 0
    sessions: int = 0
    covered: float = 0.0
    greedy_covered: float = 0.0
    mentor: Employee | None = None


def _today(agency):
    return timezone.localdate(timezone=ZoneInfo(agency.time_zone))


def _working_days_back(today, count):
    day = today
    while count:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def demo_coaching(*, agency, cast, seed=2026):
    """The supervisor's coaching conversations with each direct report over the last weeks; their count."""
    supervisor = cast.supervisor
    if CoachingConversation.objects.filter(coach=supervisor).exists():
        return 0
    rng = random.Random(seed)
    today = _today(agency)
    team = list(supervisor.reports.filter(active=True).order_by("nip"))
    required = {}
    for position_id, competency_id in (RequiredLevel.objects.filter(position__in={p.position_id for p in team})
                                       .order_by("competency__code").values_list("position_id", "competency_id")):
        required.setdefault(position_id, []).append(competency_id)
    made = 0
    for person in team:
        competencies = required.get(person.position_id, [])
        if not competencies:
            continue
        talks = 2 if person.pk == cast.learner.pk else rng.choice((0, 1, 1, 2))
        for k in range(talks):
            held_on = _working_days_back(today, 40 - 18 * k - rng.randrange(5))
            discussed = rng.sample(competencies, min(len(competencies), rng.choice((1, 2, 3))))
            coaching_save(coach=supervisor, employee=person, held_on=held_on, minutes=rng.choice((45, 60, 90)),
                          topic=rng.choice(COACHING_TOPICS),
                          agreed_actions="Mencoba pendekatan baru selama dua minggu lalu dibahas kembali.",
                          ratings={c: rng.choice((2, 3, 3, 4)) for c in discussed})
            made += 1
    return made


def _programme_competencies(agency, cycle, learner):
    """The competencies with the most staff at a gap of one level or more, the learner's largest among them."""
    common = list(CompetencyGap.objects.filter(cycle=cycle, agency=agency, gap__gte=1, employee__active=True)
                  .values("competency").annotate(n=Count("pk")).order_by("-n", "competency")
                  .values_list("competency", flat=True)[:COMPETENCIES])
    # The learner's weightiest gap in which someone of their job level or above masters the competency.
    rank = job_rank(learner.position.job_type)
    senior = [job_type for job_type in JOB_LEVEL if job_rank(job_type) >= rank]
    able = set(CompetencyGap.objects.filter(cycle=cycle, agency=agency, observed_level__gte=4, employee__active=True,
                                            employee__position__job_type__in=senior)
               .exclude(employee__in=[learner.pk, learner.supervisor_id]).values_list("competency", flat=True))
    own = next((c for c in CompetencyGap.objects.filter(cycle=cycle, employee=learner, gap__gt=0)
                .order_by("-gap", "-priority", "competency").values_list("competency", flat=True) if c in able), None)
    if own is not None and own not in common:
        common = [own, *common[:COMPETENCIES - 1]]
    return common, own


def _mentors(agency, cycle, competencies, programme, cast):
    """Up to MENTORS people at level 4 or more in a programme competency, the best first; offers written."""
    rows = (CompetencyGap.objects.filter(cycle=cycle, agency=agency, competency__in=competencies,
                                         observed_level__gte=programme.min_mentor_level, employee__active=True)
            .exclude(employee__in=[cast.learner.pk, cast.supervisor.pk])
            .order_by("-observed_level", "employee__nip").values_list("employee_id", "competency_id"))
    offered = {}
    for employee_id, competency_id in rows:
        if employee_id in offered or len(offered) < MENTORS:
            offered.setdefault(employee_id, []).append(competency_id)
    people = Employee.objects.in_bulk(offered)
    for employee_id, offered_competencies in offered.items():
        offer_nominate(programme=programme, mentor=people[employee_id], competencies=offered_competencies)
    return len(offered)


def _eligible_mentor(programme, cycle, mentee, competency_id):
    """The offered mentor in ``competency_id`` whom the matching rules allow for ``mentee`` (level, job level,
    not their supervisor, not themselves), the most able first; None when there is none."""
    levels = dict(CompetencyGap.objects.filter(cycle=cycle, competency=competency_id,
                                               employee__mentor_offers__programme=programme)
                  .values_list("employee_id", "observed_level"))
    offers = (MentorOffer.objects.filter(programme=programme, competencies=competency_id)
              .exclude(mentor__in=[mentee.pk, mentee.supervisor_id]).select_related("mentor__position"))
    rank = job_rank(mentee.position.job_type)
    able = [o.mentor for o in offers if (levels.get(o.mentor_id) or 0) >= programme.min_mentor_level
            and job_rank(o.mentor.position.job_type) >= rank]
    return max(able, key=lambda m: (levels[m.pk], -m.pk), default=None)


def demo_mentoring(*, agency, cycle, cast, seed=2026):
    """The agency's mentoring programme of this year, matched, started and under way; a ``MentoringSummary``."""
    today = _today(agency)
    code = PROGRAMME_CODE % today.year
    if MentoringProgramme.objects.filter(agency=agency, code=code).exists():
        return MentoringSummary()
    rng = random.Random(seed)
    competencies, own = _programme_competencies(agency, cycle, cast.learner)
    if not competencies:
        return MentoringSummary()
    started = today - datetime.timedelta(days=STARTED_DAYS_AGO)
    programme = programme_save(
        agency=agency, code=code, name="Mentoring Kompetensi %d" % today.year, competencies=competencies,
        starts_on=started - datetime.timedelta(days=14), ends_on=today + datetime.timedelta(days=150),
        target_jp=10, min_mentor_level=4, default_capacity=2, prefer_cross_unit=True, credit_mentor=True)
    summary = MentoringSummary(programme=programme, mentors=_mentors(agency, cycle, competencies, programme, cast))
    if own is not None and not CompetencyGap.objects.filter(cycle=cycle, employee=cast.learner, competency=own,
                                                            gap__gte=1).exists():
        # A gap under one level is no need of the TNA's: the learner asks for a mentor herself.
        application_create(programme=programme, employee=cast.learner, competency=Competency.objects.get(pk=own),
                           note="Saya ingin lebih percaya diri dalam kompetensi ini.")
    result = match_programme(programme=programme, cycle=cycle)
    learner_pair = MentoringPair.objects.filter(programme=programme, mentee=cast.learner).order_by("pk").first()
    if learner_pair is None and own is not None:
        # The learner's need lost to heavier ones: HR keeps a place for the demo's own journey with a
        # mentor the rules allow, taking it from that mentor's lightest pair, and locks it.
        mentor = _eligible_mentor(programme, cycle, cast.learner, own)
        if mentor is not None:
            lightest = (MentoringPair.objects.filter(programme=programme, mentor=mentor)
                        .order_by("reason__weight", "pk").first())
            if lightest is not None:
                lightest.delete()
            learner_pair = MentoringPair.objects.create(
                programme=programme, mentor=mentor, mentee=cast.learner, competency_id=own)
            pair_lock(pair=learner_pair, locked=True)
            result = match_programme(programme=programme, cycle=cycle)
            learner_pair.refresh_from_db()
    summary.covered, summary.greedy_covered = result.covered, result.greedy_covered

    # Most pairs started a month ago; a fifth stay proposed for HR to look at, two of them locked.
    waiting = []
    for pair in MentoringPair.objects.filter(programme=programme, status=MentoringPair.Status.PROPOSED).order_by("pk"):
        if pair != learner_pair and rng.random() < 0.2:
            waiting.append(pair)
            continue
        try:
            pair_activate(pair=pair, today=started)
        except ValidationError:  # the mentor has no place left: the pair waits for HR
            waiting.append(pair)
    for pair in waiting[:2]:
        pair_lock(pair=pair, locked=True)
    active = list(MentoringPair.objects.filter(programme=programme, status=MentoringPair.Status.ACTIVE)
                  .select_related("mentor", "mentee", "programme__agency").order_by("pk"))
    summary.pairs = MentoringPair.objects.filter(programme=programme).count()
    summary.active = len(active)

    for pair in active:
        if pair == learner_pair:
            continue
        for k in range(rng.choice((0, 1, 2, 2, 3))):
            summary.sessions += _held(pair, _working_days_back(today, 25 - 8 * k), rng, confirm=True)
    if learner_pair is not None:
        learner_pair.refresh_from_db()
    if learner_pair is not None and learner_pair.status == MentoringPair.Status.ACTIVE:
        summary.mentor = learner_pair.mentor
        summary.sessions += _held(learner_pair, _working_days_back(today, 20), rng, confirm=True, minutes=90)
        summary.sessions += _held(learner_pair, _working_days_back(today, 10), rng, confirm=True)
        # Logged by the mentor yesterday; the learner confirms it on their pair page.
        summary.sessions += _held(learner_pair, _working_days_back(today, 1), rng, confirm=False)
        summary.sessions += _planned(learner_pair, today, rng)
    return summary


def _held(pair, day, rng, *, confirm, minutes=None):
    """A session held on ``day`` (logged by the mentor; confirmed by the mentee when ``confirm``); 1 or 0."""
    minutes = minutes or rng.choice((60, 60, 90))
    start = datetime.time(rng.choice((9, 10, 13, 14)))
    try:
        session = session_record(pair=pair, by=pair.mentor, held_on=day, start_time=start, minutes=minutes,
                                 topic=rng.choice(TOPICS), notes="Catatan pribadi mentor.")
    except ValidationError:  # a clash with either person's training or leave that day: no session then
        return 0
    if confirm:
        session_confirm(session=session, by=pair.mentee, notes="Catatan pribadi saya.")
    return 1


def _planned(pair, today, rng):
    """The pair's next session in the first free slot from next Monday; 1 or 0."""
    monday = today + datetime.timedelta(days=7 - today.weekday())
    slots = free_slots(pair=pair, first_day=monday, days=10, minutes=60, limit=4)
    if not slots:
        return 0
    session_plan(pair=pair, starts_at=slots[0].starts_at, minutes=60, by=pair.mentee,
                 topic=rng.choice(TOPICS), place="Ruang rapat lantai 2")
    return 1

