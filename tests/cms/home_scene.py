"""A small agency in which every role has work waiting, built with the factories (tests/cms home tests)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from courses.factories import CourseFactory
from courses.recurrence import Slot
from courses.services import session_create
from lms.budget.accounts import TRAINING
from lms.factories import EnrollmentFactory, attend, held_session
from lms.models import EnrollmentStatus, Envelope, PlanMethod, PlanStatus, TrainingPlan
from lms.selectors.home import week_span
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
)
from tna.models import PeerAssignment, TnaRun

S = EnrollmentStatus


@dataclass
class Scene:
    agency: object
    unit: object
    position: object
    cycle: object
    boss: object
    asn: object
    peer: object
    admin: object
    planner: object
    running: object
    wanted: object
    held: object
    unmarked: object
    draft: object
    plan: object

    def staff(self, n, **kwargs):
        """``n`` more colleagues of the ASN (same unit, position and supervisor)."""
        return [EmployeeFactory(agency=self.agency, unit=self.unit, position=self.position, supervisor=self.boss,
                                **kwargs) for _ in range(n)]


def now_meeting(now):
    """A meeting running now that starts in this week (Asia/Jakarta), whatever the day and hour."""
    from zoneinfo import ZoneInfo

    monday, _end = week_span(ZoneInfo("Asia/Jakarta"), now)
    start = max(now - datetime.timedelta(hours=1), monday + datetime.timedelta(minutes=1))
    return Slot(start, now + datetime.timedelta(hours=1))


def build_scene():
    now = timezone.now()
    agency = AgencyFactory(code="kab-uji", name="Kabupaten Uji", time_zone="Asia/Jakarta")
    unit = UnitFactory(agency=agency, name="Dinas Uji")
    position = PositionFactory(agency=agency, name="Analis Uji")
    for competency in (CompetencyFactory(), CompetencyFactory()):
        RequiredLevelFactory(position=position, competency=competency)
    cycle = CycleFactory(year=timezone.localdate().year, is_open=True)

    def person(name, roles=(), **kwargs):
        return EmployeeFactory(agency=agency, unit=unit, position=position, name=name, roles=list(roles), **kwargs)

    boss = person("Bu Atasan", ["supervisor"])
    asn = person("Andi Pegawai", supervisor=boss)
    peer = person("Citra Rekan", supervisor=boss)
    admin = person("Dewi Pengelola", ["training_admin"])
    planner = person("Eko Perencana", ["planner"])
    PeerAssignment.objects.create(cycle=cycle, rater=asn, ratee=peer)

    # This week: the ASN holds a seat in a session meeting now, and asks for another at the same time.
    excel = CourseFactory(agency=agency, title="Excel Lanjutan", title_en="Excel Lanjutan")
    running = session_create(course=excel, meetings=[now_meeting(now)], capacity=10, place="Aula", label="Angkatan I")
    EnrollmentFactory(employee=asn, session=running)
    wanted = session_create(course=CourseFactory(agency=agency, title="Menulis Laporan", title_en="Menulis Laporan"),
                            meetings=[now_meeting(now)], capacity=10, place="Ruang Rapat")
    EnrollmentFactory(employee=asn, session=wanted, status=S.REQUESTED)

    # Two weeks ago: the ASN completed (and has not rated it), the peer attended everything and waits
    # for completion, one more participant has no attendance at all.
    prima = CourseFactory(agency=agency, title="Pelayanan Prima", title_en="Pelayanan Prima")
    held = held_session(prima, weeks_ago=2, days=2)
    EnrollmentFactory(employee=asn, session=held, status=S.COMPLETED, completed_at=now)
    attend(EnrollmentFactory(employee=peer, session=held), list(held.meetings.all()))
    unmarked = person("Fajar Absen", supervisor=boss)
    EnrollmentFactory(employee=unmarked, session=held)

    draft = CourseFactory(agency=agency, title="Kursus Dalam Telaah", title_en="Kursus Dalam Telaah", live=False)
    draft.save_revision(user=admin.user)
    draft.get_workflow().start(draft, admin.user)

    TnaRun.objects.create(cycle=cycle, agency=agency, status=TnaRun.Status.SUCCEEDED, employees=6, gaps=9,
                          started_at=now, finished_at=now)
    plan = TrainingPlan.objects.create(agency=agency, fiscal_year=cycle.year, name="Rencana Uji", status=PlanStatus.SUBMITTED,
                                       method=PlanMethod.GREEDY, submitted_at=now, submitted_by=planner.user)
    Envelope.objects.create(agency=agency, fiscal_year=timezone.localdate().year, account=TRAINING, amount=250_000_000)
    return Scene(agency=agency, unit=unit, position=position, cycle=cycle, boss=boss, asn=asn, peer=peer, admin=admin,
                 planner=planner, running=running, wanted=wanted, held=held, unmarked=unmarked, draft=draft, plan=plan)
