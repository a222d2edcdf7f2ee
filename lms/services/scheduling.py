"""The ORM edge of scheduling: read demand and duty data into a ``Problem``, write the proposal back, publish it.

One bulk read per kind of data (demand, units, staff counts, survey answers, absences,
enrollments already held, closures, locked classes), the pure scheduler in ``lms.scheduling``,
then one atomic bulk write. A run is queued first (``schedule_run_queue``: the row remembers
what to compute) and computed by ``schedule_run_execute``, in a background task
(``lms.tasks.schedule_run_start``) or at once (``schedule_run``). Publishing turns each proposed class into a ``courses.Session``
and invites its participants through the enrollment write path (which emails the .ics).
"""

import dataclasses
import datetime
import logging
import traceback
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course, Meeting
from courses.recurrence import Slot
from courses.services import session_create
from tna.conf import settings as tna_settings
from tna.models import Cycle, Employee, SurveyResponse, Unit

from .. import scheduling as sch
from ..models import (
    AgencyClosure,
    Enrollment,
    EnrollmentStatus,
    ProposedClass,
    ProposedMeeting,
    Recommendation,
    RecommendationStatus,
    ScheduleRun,
    StaffAbsence,
    UnitDuty,
    UnplacedDemand,
)
from ..models.enrollment import ACTIVE_STATUSES
from .enrollment import enrollment_approve, enrollment_request

#: Formats each course mode may be scheduled in; self-paced courses need no session.
FORMATS_BY_MODE = {
    "classroom": (sch.Format.SHORT_BLOCKS, sch.Format.WHOLE_DAYS),
    "online": (sch.Format.ONLINE,),
    "blended": (sch.Format.SHORT_BLOCKS, sch.Format.ONLINE, sch.Format.WHOLE_DAYS),
}
HOLDING = [*ACTIVE_STATUSES, EnrollmentStatus.COMPLETED]

logger = logging.getLogger("latih.lms")


def scheduling_demand(*, agency, cycle) -> dict[int, list[int]]:
    """Course id → employee ids: accepted or planned recommendations of ``cycle`` not yet served.

    Someone already holding or having completed a seat in a session of the course is left out.
    """
    rows = (Recommendation.objects
            .filter(cycle=cycle, employee__agency=agency, employee__active=True, course__agency=agency)
            .filter(Q(status=RecommendationStatus.ACCEPTED) | Q(in_plan=True))
            .exclude(status=RecommendationStatus.DISMISSED)
            .values_list("course_id", "employee_id"))
    served = set(Enrollment.objects.filter(status__in=HOLDING, employee__agency=agency)
                 .values_list("session__course_id", "employee_id"))
    demand = defaultdict(list)
    for course_id, employee_id in rows:
        if (course_id, employee_id) not in served:
            demand[course_id].append(employee_id)
    return dict(demand)


def scheduling_problem(*, agency, first_day, last_day, demand, cycle=None, rooms=None, locked=()) -> sch.Problem:
    """A ``Problem`` for ``agency`` over ``first_day``–``last_day``.

    ``demand``: course id → employee ids. ``locked``: ``ProposedClass`` rows to keep as they are.
    Unit ids, person ids and course ids in the problem are the database primary keys.
    """
    tz = ZoneInfo(agency.time_zone)
    courses = {c.pk: c for c in Course.objects.filter(pk__in=demand, agency=agency)}
    course_demand = []
    for course_id, employees in sorted(demand.items()):
        course = courses.get(course_id)
        if course is None or course.mode not in FORMATS_BY_MODE or not employees:
            continue
        course_demand.append(sch.CourseDemand(
            id=course.pk, jp=course.jp, participants=tuple(sorted(set(employees))),
            min_size=course.min_participants, max_size=course.max_participants,
            formats=FORMATS_BY_MODE[course.mode], name=course.code,
        ))
    locked = list(locked)
    wanted = {e for c in course_demand for e in c.participants}
    wanted |= {e for pc in locked for e in pc.participants.values_list("pk", flat=True)}

    units = duty_units(agency=agency)
    absences = staff_absences(employees=Employee.objects.filter(agency=agency, active=True),
                              first_day=first_day, last_day=last_day)
    commitments = training_commitments(employees=Employee.objects.filter(agency=agency),
                                       first_day=first_day, last_day=last_day, tz=tz)

    answers = {}
    if cycle is not None:
        for employee_id, mode, time, blocked in (SurveyResponse.objects
                                                 .filter(cycle=cycle, employee__agency=agency)
                                                 .order_by("employee_id", "-updated_at")
                                                 .values_list("employee_id", "mode", "time", "blocked_days")):
            answers.setdefault(employee_id, (mode, time, blocked))
    involved = wanted | set(absences) | set(commitments)
    people = []
    for pk, unit_id, name in (Employee.objects.filter(agency=agency, active=True, pk__in=involved)
                              .values_list("pk", "unit_id", "name")):
        mode, time, blocked = answers.get(pk, ("", "", []))
        people.append(sch.Person(
            id=pk, unit=unit_id, blocked_weekdays=sch.weekdays_from_codes(blocked or []),
            absences=tuple(absences.get(pk, ())), preference=sch.Preference(mode or "", time or ""), name=name,
            commitments=tuple(commitments.get(pk, ())),
        ))
    # Demand of people no longer active drops out; so does a course left with nobody.
    active = {p.id for p in people}
    course_demand = [dataclasses.replace(c, participants=tuple(e for e in c.participants if e in active))
                     for c in course_demand if set(c.participants) & active]
    closures = dict(AgencyClosure.objects.filter(agency=agency, date__range=(first_day, last_day))
                    .values_list("date", "reason"))
    return sch.Problem(
        calendar=sch.build_calendar(first_day, last_day, closures=closures), units=units, people=people,
        courses=_with_locked_courses(course_demand, locked), rooms=rooms,
        locked=tuple(proposed_session(pc, tz) for pc in locked),
        jp_minutes=tna_settings.JP_MINUTES,
    )


def duty_units(*, agency, unit_ids=None) -> list[sch.Unit]:
    """The agency's units (only ``unit_ids`` when given) as the scheduler sees them: active staff,
    on-duty share (the default where the unit has none) and service pattern."""
    units = Unit.objects.filter(agency=agency)
    staff = Employee.objects.filter(agency=agency, active=True)
    duty = UnitDuty.objects.filter(unit__agency=agency)
    if unit_ids is not None:
        units, staff = units.filter(pk__in=unit_ids), staff.filter(unit__in=unit_ids)
        duty = duty.filter(unit__in=unit_ids)
    sizes = dict(staff.values_list("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n"))
    patterns = dict(duty.values_list("unit_id", "pattern"))
    default_share = float(tna_settings.MIN_ON_DUTY_SHARE)
    return [
        sch.Unit(id=pk, size=sizes.get(pk, 0),
                 min_on_duty_share=float(share) if share is not None else default_share,
                 pattern=sch.SERVICE_PATTERNS[patterns.get(pk, "office")], name=name)
        for pk, share, name in units.values_list("pk", "min_on_duty_share", "name")
    ]


def staff_absences(*, employees, first_day, last_day) -> dict[int, list[sch.Absence]]:
    """Employee id → their absences overlapping ``first_day``–``last_day``; ``employees`` a queryset or ids."""
    absences = defaultdict(list)
    for employee_id, first, last, kind in (StaffAbsence.objects
                                           .filter(employee__in=employees, first_day__lte=last_day,
                                                   last_day__gte=first_day)
                                           .values_list("employee_id", "first_day", "last_day", "kind")):
        absences[employee_id].append(sch.Absence(first, last, kind))
    return absences


def training_commitments(*, employees, first_day, last_day, tz) -> dict[int, list[tuple]]:
    """Employee id → (local date, start, end) in ``tz`` of the meetings of sessions they hold a seat in over the
    period; ``employees`` a queryset or ids."""
    commitments = defaultdict(list)
    window = (datetime.datetime.combine(first_day, datetime.time.min, tz),
              datetime.datetime.combine(last_day, datetime.time.max, tz))
    for employee_id, starts, ends in (Meeting.objects
                                      .filter(cancelled=False, starts_at__lte=window[1], ends_at__gte=window[0],
                                              session__enrollments__status__in=ACTIVE_STATUSES,
                                              session__enrollments__employee__in=employees)
                                      .values_list("session__enrollments__employee_id", "starts_at", "ends_at")):
        starts, ends = timezone.localtime(starts, tz), timezone.localtime(ends, tz)
        commitments[employee_id].append((starts.date(), starts.time(), ends.time()))
    return commitments


def _with_locked_courses(course_demand, locked):
    """Locked classes' participants belong to their course's demand (they stay placed)."""
    by_id = {c.id: c for c in course_demand}
    for pc in locked:
        seated = set(pc.participants.values_list("pk", flat=True))
        course = by_id.get(pc.course_id)
        if course is None:
            c = pc.course
            by_id[c.pk] = sch.CourseDemand(id=c.pk, jp=c.jp, participants=tuple(sorted(seated)),
                                           min_size=c.min_participants, max_size=c.max_participants,
                                           formats=FORMATS_BY_MODE.get(c.mode, (sch.Format(pc.format),)),
                                           name=c.code)
        else:
            by_id[course.id] = sch.CourseDemand(
                id=course.id, jp=course.jp, participants=tuple(sorted(set(course.participants) | seated)),
                min_size=course.min_size, max_size=course.max_size, formats=course.formats, name=course.name)
    return list(by_id.values())


def proposed_session(pc, tz) -> sch.ProposedSession:
    """A stored class as the scheduler's dataclass, locked (it is kept as it is)."""
    meetings = tuple(
        sch.Meeting(timezone.localtime(m.starts_at, tz).date(), timezone.localtime(m.starts_at, tz).time(),
                    timezone.localtime(m.ends_at, tz).time())
        for m in pc.meetings.all()
    )
    return sch.ProposedSession(key=pc.key, course=pc.course_id, format=sch.Format(pc.format), meetings=meetings,
                               participants=tuple(sorted(pc.participants.values_list("pk", flat=True))), locked=True)


def schedule_run(*, agency, first_day, last_day, user=None, cycle=None, demand=None, method="cp-sat",
                 time_limit=30.0, rooms=None, previous=None) -> ScheduleRun:
    """Run the scheduler for ``agency`` now and store its proposal as a draft ``ScheduleRun``.

    ``demand`` (course id → employee ids) defaults to ``scheduling_demand`` for ``cycle``;
    ``previous`` is an earlier run whose locked classes are kept as they are. The same as
    ``schedule_run_queue`` followed by ``schedule_run_execute``; a failure propagates and leaves
    the run failed with its error.
    """
    run = schedule_run_queue(agency=agency, first_day=first_day, last_day=last_day, user=user, cycle=cycle,
                             demand=demand, method=method, time_limit=time_limit, rooms=rooms, previous=previous)
    return schedule_run_execute(run=run)


def schedule_run_queue(*, agency, first_day, last_day, user=None, cycle=None, demand=None, method="cp-sat",
                       time_limit=30.0, rooms=None, previous=None) -> ScheduleRun:
    """A queued ``ScheduleRun`` that remembers what to compute (``schedule_run``'s arguments).

    Refuses at once what the computation would refuse anyway (neither a cycle nor demand).
    """
    if demand is None and cycle is None:
        raise ValidationError(_("Give a cycle or the demand to schedule."))
    request = {
        "cycle": cycle.year if cycle is not None else None, "method": method, "time_limit": float(time_limit),
        "rooms": rooms, "previous": previous.pk if previous is not None else None,
        # JSON keys are text; schedule_run_execute turns them back into course ids.
        "demand": None if demand is None else {str(course): sorted(set(people)) for course, people in demand.items()},
    }
    return ScheduleRun.objects.create(
        agency=agency, first_day=first_day, last_day=last_day, method=method, created_by=user,
        state=ScheduleRun.State.QUEUED, request=request,
    )


def schedule_run_execute(*, run) -> ScheduleRun:
    """Compute the queued ``run`` and store its proposal; returns the run, done (or failed, re-raising)."""
    run.state, run.started_at, run.error = ScheduleRun.State.RUNNING, timezone.now(), ""
    run.save(update_fields=["state", "started_at", "error"])
    request = run.request
    try:
        cycle = Cycle.objects.get(year=request["cycle"]) if request.get("cycle") is not None else None
        demand = request.get("demand")
        if demand is not None:
            demand = {int(course): people for course, people in demand.items()}
        elif cycle is None:
            raise ValidationError(_("Give a cycle or the demand to schedule."))
        else:
            demand = scheduling_demand(agency=run.agency, cycle=cycle)
        previous = ScheduleRun.objects.filter(pk=request["previous"]).first() if request.get("previous") else None
        locked = list(previous.classes.filter(locked=True).select_related("course").prefetch_related("meetings"))\
            if previous else []
        problem = scheduling_problem(agency=run.agency, first_day=run.first_day, last_day=run.last_day, demand=demand,
                                     cycle=cycle, rooms=request.get("rooms"), locked=locked)
        if request.get("method") == "greedy":
            proposal = sch.schedule_greedy(problem)
        else:
            proposal = sch.schedule(problem, time_limit=request.get("time_limit", 30.0))
        violations = sch.check(problem, proposal.sessions)
        figures = sch.figures(problem, proposal).as_dict()
        with transaction.atomic():
            run.method, run.figures, run.log = proposal.method, figures, proposal.log
            run.violations = [_violation(v) for v in violations]
            _write_classes(run, proposal.sessions, ZoneInfo(run.agency.time_zone))
            UnplacedDemand.objects.bulk_create(
                UnplacedDemand(run=run, employee_id=u.person, course_id=u.course, reason=u.reason.value,
                               unit_id=u.unit, detail=u.detail)
                for u in proposal.unplaced
            )
            run.state, run.finished_at = ScheduleRun.State.DONE, timezone.now()
            run.save(update_fields=["method", "figures", "log", "violations", "state", "finished_at"])
    except Exception as exc:
        logger.exception("Scheduling run %s failed", run.pk)
        run.state, run.finished_at = ScheduleRun.State.FAILED, timezone.now()
        run.error = " ".join(exc.messages) if isinstance(exc, ValidationError) else "%s: %s\n\n%s" % (
            type(exc).__name__, exc, traceback.format_exc(limit=8))
        run.save(update_fields=["state", "finished_at", "error"])
        raise
    return run


def _write_classes(run, sessions, tz):
    classes = ProposedClass.objects.bulk_create(
        ProposedClass(run=run, key=s.key, course_id=s.course, format=s.format.value, locked=s.locked)
        for s in sessions
    )
    ProposedMeeting.objects.bulk_create(
        ProposedMeeting(proposed_class=pc, starts_at=datetime.datetime.combine(m.date, m.start, tz),
                        ends_at=datetime.datetime.combine(m.date, m.end, tz))
        for pc, s in zip(classes, sessions, strict=True) for m in s.meetings
    )
    through = ProposedClass.participants.through
    through.objects.bulk_create(
        through(proposedclass_id=pc.pk, employee_id=pid)
        for pc, s in zip(classes, sessions, strict=True) for pid in s.participants
    )


def _violation(v):
    return {"code": v.code, "message": v.message, "session": v.session, "person": v.person, "unit": v.unit,
            "date": v.date.isoformat() if v.date else None}


def run_problem(run, *, cycle=None) -> sch.Problem:
    """The problem a run's classes are judged against now (its current classes all locked)."""
    classes = list(run.classes.select_related("course").prefetch_related("meetings", "participants"))
    demand = defaultdict(list)
    for u in run.unplaced.all():
        demand[u.course_id].append(u.employee_id)
    return scheduling_problem(agency=run.agency, first_day=run.first_day, last_day=run.last_day,
                              demand=dict(demand), cycle=cycle, locked=classes)


def proposed_class_lock(*, proposed_class, locked=True) -> ProposedClass:
    """Lock (or unlock) a class so the next run keeps it as it is."""
    _draft(proposed_class.run)
    proposed_class.locked = locked
    proposed_class.save(update_fields=["locked"])
    return proposed_class


def proposed_class_move(*, proposed_class, days: int) -> list[sch.Violation]:
    """Move a class ``days`` calendar days (keeping its times), lock it, and re-check the run.

    Returns what the independent checker finds in the whole run afterwards; the run keeps the
    findings and cannot be published until they are resolved.
    """
    run = proposed_class.run
    _draft(run)
    delta = datetime.timedelta(days=days)
    with transaction.atomic():
        meetings = list(proposed_class.meetings.all())
        for m in meetings:
            m.starts_at += delta
            m.ends_at += delta
        ProposedMeeting.objects.bulk_update(meetings, ["starts_at", "ends_at"])
        proposed_class.locked = True
        proposed_class.save(update_fields=["locked"])
        violations = sch.check(run_problem(run), _run_sessions(run))
        run.violations = [_violation(v) for v in violations]
        run.save(update_fields=["violations"])
    return violations


def _run_sessions(run):
    tz = ZoneInfo(run.agency.time_zone)
    return [proposed_session(pc, tz) for pc in run.classes.prefetch_related("meetings", "participants")]


def _draft(run):
    if run.state != ScheduleRun.State.DONE:
        raise ValidationError(_("This run has no proposal yet."), code="not_done")
    if run.status != ScheduleRun.Status.DRAFT:
        raise ValidationError(_("This schedule is already published."), code="published")


def schedule_publish(*, run, user, place="", online_url="") -> list:
    """Create a session per proposed class and invite its participants (each gets the .ics by email).

    ``place`` is where classroom meetings happen and ``online_url`` the link of online ones (the
    catalogue requires them by the course's mode); edit single sessions afterwards as needed.
    All or nothing: refuses a run the checker finds fault with, and rolls back if any invitation
    fails. Participants are enrolled through the enrollment write path and approved by ``user``
    (the plan they come from is already approved).
    """
    _draft(run)
    violations = sch.check(run_problem(run), _run_sessions(run))
    if violations:
        raise ValidationError(_("The schedule breaks %(n)d constraints; first: %(first)s")
                              % {"n": len(violations), "first": violations[0].message}, code="violations")
    sessions = []
    with transaction.atomic():
        for pc in run.classes.select_related("course").prefetch_related("meetings", "participants"):
            slots = [Slot(m.starts_at, m.ends_at) for m in pc.meetings.all()]
            session = session_create(
                course=pc.course, meetings=slots, capacity=pc.course.max_participants, user=user,
                label=pc.key, place=place, online_url=online_url,
            )
            for employee in pc.participants.all():
                enrollment = enrollment_request(employee=employee, session=session, user=user)
                if enrollment.status == EnrollmentStatus.REQUESTED:
                    enrollment_approve(enrollment=enrollment, user=user, note=_("Scheduled from the approved plan."))
            pc.session = session
            pc.save(update_fields=["session"])
            sessions.append(session)
        run.status = ScheduleRun.Status.PUBLISHED
        run.published_at = timezone.now()
        run.save(update_fields=["status", "published_at"])
    return sessions
