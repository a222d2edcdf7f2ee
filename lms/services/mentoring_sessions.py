"""Mentoring sessions: free times from both people's duty calendars, then plan, log, confirm or cancel.

The one write path of ``MentoringSession`` (docs/mentoring.md#sessions). Only the pair's mentor and
mentee act on its sessions; each keeps private notes nobody else reads. A session counts towards
JP once both have confirmed it (``lms.services.mentoring_credit``).

The free times come from the pure ``lms.mentoring.slots`` over one bulk read per kind of data,
with the scheduler's own readers (``lms.services.scheduling``): the two units (staff, on-duty
share, service pattern), absences and training meetings of their staff, their mentoring sessions,
the two people's blocked weekdays from their latest survey answer, and the agency's closures.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tna.infra.formats import date_text
from tna.models import Employee, SurveyResponse

from .. import scheduling as sch
from ..mentoring import slots
from ..mentoring_notify import CANCELLED, LOGGED, PLANNED, notify_session
from ..models import AgencyClosure
from ..models.mentoring import MentoringPair, MentoringSession
from .mentoring_credit import mentoring_credit_refresh
from .scheduling import duty_units, staff_absences, training_commitments

MENTOR, MENTEE = "mentor", "mentee"
MIN_MINUTES, MAX_MINUTES = 5, 480  # as the model's validators
#: Lengths offered when planning.
PLAN_LENGTHS = (30, 60, 90)
S = MentoringSession.Status


@dataclass(frozen=True)
class FreeSlot:
    """A time that suits both: aware start and end in the agency's zone, and whether it avoids peak hours."""

    starts_at: datetime.datetime
    ends_at: datetime.datetime
    minutes: int
    off_peak: bool


# --- who and when -------------------------------------------------------------------------------

def pair_role(pair, employee) -> str | None:
    """``mentor`` or ``mentee`` when ``employee`` is one of the pair, else None."""
    if employee is None:
        return None
    if employee.pk == pair.mentor_id:
        return MENTOR
    if employee.pk == pair.mentee_id:
        return MENTEE
    return None


def pair_zone(pair) -> ZoneInfo:
    return ZoneInfo(pair.programme.agency.time_zone)


def _role(pair, by):
    role = pair_role(pair, by)
    if role is None:
        raise ValidationError(_("Only the mentor and the mentee of a pair can act on its sessions."), code="not_pair")
    return role


def _require_active(pair):
    if pair.status != MentoringPair.Status.ACTIVE:
        raise ValidationError(_("Sessions can be planned and recorded only while the pair is active."),
                              code="not_active")


def _minutes(minutes):
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(_("The length is a whole number of minutes from %(low)d to %(high)d.")
                              % {"low": MIN_MINUTES, "high": MAX_MINUTES}, code="minutes")
    return minutes


def _in_programme(pair, day):
    programme = pair.programme
    if not programme.starts_on <= day <= programme.ends_on:
        raise ValidationError(_("The programme runs from %(first)s to %(last)s; %(day)s is outside it.") % {
            "first": date_text(programme.starts_on), "last": date_text(programme.ends_on), "day": date_text(day)},
            code="period")


def _confirm_field(role):
    return "mentor_confirmed_at" if role == MENTOR else "mentee_confirmed_at"


def _notes_field(role):
    return "mentor_notes" if role == MENTOR else "mentee_notes"


def own_notes(session, role) -> str:
    """The private notes of ``role`` (mentor or mentee) on ``session``; '' for anyone else."""
    return getattr(session, _notes_field(role), "") if role in (MENTOR, MENTEE) else ""


def available_actions(session, role, now=None) -> frozenset[str]:
    """What ``role`` may do with ``session`` now: ``cancel``, ``ics``, ``log`` (a planned meeting that has
    started), ``confirm`` and ``correct`` (held, not yet confirmed by them), ``edit`` (their log, while
    the other has not confirmed) and ``notes`` (their notes, once both confirmed)."""
    if role not in (MENTOR, MENTEE) or session.status == S.CANCELLED:
        return frozenset()
    now = now or timezone.now()
    if session.status == S.PLANNED:
        return frozenset({"cancel", "ics"} | ({"log"} if session.starts_at <= now else set()))
    if session.confirmed:
        return frozenset({"notes"})
    if getattr(session, _confirm_field(role)) is None:
        return frozenset({"confirm", "correct"})
    return frozenset({"edit"})


# --- free times ---------------------------------------------------------------------------------

def _blocked_weekdays(employee_ids):
    """Employee id → weekdays from their latest survey answer (the scheduler's reading of it)."""
    found = {}
    for employee_id, blocked in (SurveyResponse.objects.filter(employee__in=employee_ids)
                                 .order_by("employee_id", "-cycle__year", "-updated_at")
                                 .values_list("employee_id", "blocked_days")):
        if employee_id not in found:
            try:
                found[employee_id] = sch.weekdays_from_codes(blocked or [])
            except ValueError:
                found[employee_id] = frozenset()
    return found


def _mentoring_sessions(staff_ids, window, tz, *, exclude=None):
    """Employee id → (date, start, end) of the mentoring sessions (not cancelled) of ``staff_ids`` in ``window``."""
    found = defaultdict(list)
    rows = (MentoringSession.objects.exclude(status=S.CANCELLED)
            .filter(starts_at__lte=window[1], ends_at__gte=window[0])
            .filter(Q(pair__mentor__in=staff_ids) | Q(pair__mentee__in=staff_ids)))
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    for mentor_id, mentee_id, starts, ends in rows.values_list("pair__mentor_id", "pair__mentee_id",
                                                               "starts_at", "ends_at"):
        starts, ends = timezone.localtime(starts, tz), timezone.localtime(ends, tz)
        for person in (mentor_id, mentee_id):
            if person in staff_ids:
                found[person].append((starts.date(), starts.time(), ends.time()))
    return found


def slot_problem(*, pair, first_day, last_day, exclude=None) -> slots.SlotProblem:
    """The pure problem of ``pair``'s free times over ``first_day``–``last_day`` (both in the agency's zone).

    ``exclude``: a session not to count as taking anyone's time (the one being moved).
    """
    agency = pair.programme.agency
    tz = ZoneInfo(agency.time_zone)
    mentor, mentee = pair.mentor, pair.mentee
    people = {mentor.pk: mentor, mentee.pk: mentee}
    unit_ids = {mentor.unit_id, mentee.unit_id}
    units = {u.id: u for u in duty_units(agency=agency, unit_ids=unit_ids)}
    staff_units = dict(Employee.objects.filter(unit__in=unit_ids, active=True).values_list("pk", "unit_id"))
    staff_units.update({p.pk: p.unit_id for p in people.values()})
    staff = set(staff_units)
    absences = staff_absences(employees=staff, first_day=first_day, last_day=last_day)
    training = training_commitments(employees=staff, first_day=first_day, last_day=last_day, tz=tz)
    window = (datetime.datetime.combine(first_day, datetime.time.min, tz),
              datetime.datetime.combine(last_day, datetime.time.max, tz))
    mentoring = _mentoring_sessions(staff, window, tz, exclude=exclude)

    # How many of each unit's other staff are away each day: on leave, in training or mentoring.
    away = defaultdict(lambda: defaultdict(set))
    for person, unit_id in staff_units.items():
        if person in people:
            continue
        days = away[unit_id]
        for absence in absences.get(person, ()):
            day = max(absence.first, first_day)
            while day <= min(absence.last, last_day):
                days[day].add(person)
                day += datetime.timedelta(days=1)
        for day, _start, _end in (*training.get(person, ()), *mentoring.get(person, ())):
            days[day].add(person)

    blocked = _blocked_weekdays(list(people))
    sides = []
    for person in (mentor, mentee):
        unit = units.get(person.unit_id) or sch.Unit(id=person.unit_id, size=1, min_on_duty_share=0)
        sides.append(slots.Side(
            person=sch.Person(id=person.pk, unit=person.unit_id, blocked_weekdays=blocked.get(person.pk, frozenset()),
                              absences=tuple(absences.get(person.pk, ())), name=person.name,
                              commitments=tuple(training.get(person.pk, ()))),
            unit=unit, sessions=tuple(mentoring.get(person.pk, ())),
            away={day: len(who) for day, who in away[person.unit_id].items()},
        ))
    closures = dict(AgencyClosure.objects.filter(agency=agency, date__range=(first_day, last_day))
                    .values_list("date", "reason"))
    return slots.SlotProblem(calendar=sch.build_calendar(first_day, last_day, closures=closures), sides=sides)


def agency_today(pair) -> datetime.date:
    return timezone.localtime(timezone.now(), pair_zone(pair)).date()


def free_slots(*, pair, first_day=None, days=21, minutes=60, limit=8) -> list[FreeSlot]:
    """Up to ``limit`` times of ``minutes`` that suit both people, best first (off-peak, then soonest).

    Looks ``days`` days from ``first_day`` (default: tomorrow in the agency's zone), within the
    programme's period and never past its end.
    """
    minutes = _minutes(minutes)
    programme = pair.programme
    first = max(first_day or agency_today(pair) + datetime.timedelta(days=1), programme.starts_on)
    last = min(first + datetime.timedelta(days=max(days, 1) - 1), programme.ends_on)
    if last < first:
        return []
    tz = pair_zone(pair)
    problem = slot_problem(pair=pair, first_day=first, last_day=last)
    return [
        FreeSlot(starts_at=datetime.datetime.combine(s.date, s.start, tz),
                 ends_at=datetime.datetime.combine(s.date, s.end, tz), minutes=minutes, off_peak=s.off_peak)
        for s in slots.free_slots(problem, minutes=minutes, limit=limit)
    ]


def clash_messages(found, pair) -> list[str]:
    """Each clash of ``lms.mentoring.slots`` as a sentence naming the person, day or unit."""
    names = {pair.mentor_id: pair.mentor.name, pair.mentee_id: pair.mentee.name}
    texts = {
        slots.PERIOD: _("That day is outside the period looked at."),
        slots.HOLIDAY: _("That day is a holiday: %(detail)s."),
        slots.CLOSURE: _("The agency is closed that day: %(detail)s."),
        slots.DAY_OFF: _("That day is not a working day."),
        slots.HOURS: _("The session must lie within working hours."),
        slots.BREAK: _("The session overlaps a break."),
        slots.ABSENT: _("%(name)s is away that day (leave or duty travel)."),
        slots.BLOCKED: _("%(name)s cannot leave their post on that weekday."),
        slots.TRAINING: _("%(name)s has a training meeting at that time."),
        slots.MENTORING: _("%(name)s has another mentoring session at that time."),
        slots.UNIT_MINIMUM: _("%(detail)s would fall below its on-duty minimum if %(name)s left then."),
    }
    return [texts[c.code] % {"name": names.get(c.person, ""), "detail": c.detail} for c in found]


def _lock_people(pair):
    """Lock the two people (in id order, as enrollment does) so two plans for either never interleave."""
    list(Employee.objects.select_for_update().filter(pk__in=[pair.mentor_id, pair.mentee_id]).order_by("pk")
         .values_list("pk", flat=True))


def _check_free(pair, starts_at, ends_at, *, exclude=None):
    tz = pair_zone(pair)
    start, end = timezone.localtime(starts_at, tz), timezone.localtime(ends_at, tz)
    if start.date() != end.date():
        raise ValidationError(_("The session must lie within working hours."), code="clash")
    problem = slot_problem(pair=pair, first_day=start.date(), last_day=start.date(), exclude=exclude)
    found = slots.clashes(problem, start.date(), start.time(), end.time())
    if found:
        raise ValidationError(clash_messages(found, pair), code="clash")


def _check_no_other_session(pair, starts_at, ends_at, *, exclude=None):
    """A meeting in the past needs no duty check, only that neither person logged another one then."""
    others = (MentoringSession.objects.exclude(status=S.CANCELLED)
              .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
              .filter(Q(pair__mentor__in=[pair.mentor_id, pair.mentee_id])
                      | Q(pair__mentee__in=[pair.mentor_id, pair.mentee_id])))
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    other = others.select_related("pair").first()
    if other is not None:
        busy = {other.pair.mentor_id, other.pair.mentee_id} & {pair.mentor_id, pair.mentee_id}
        name = pair.mentor.name if pair.mentor_id in busy else pair.mentee.name
        raise ValidationError(_("%(name)s has another mentoring session at that time.") % {"name": name},
                              code="clash")


def _pair(pair):
    return (MentoringPair.objects.select_related("programme__agency", "mentor", "mentee", "competency")
            .get(pk=pair.pk))


def _session(session):
    return (MentoringSession.objects.select_for_update(of=("self",))
            .select_related("pair__programme__agency", "pair__mentor", "pair__mentee", "pair__competency")
            .get(pk=session.pk))


# --- writes -------------------------------------------------------------------------------------

def session_plan(*, pair, starts_at, minutes, by, topic="", place="") -> MentoringSession:
    """Plan a session of ``pair`` at ``starts_at`` (aware) for ``minutes``, by its mentor or mentee ``by``.

    The time must be in the future, inside the programme's period and still free for both
    (working day and hours, no holiday, closure, absence, blocked weekday, training, other
    mentoring session, and both units keep their on-duty minimum); a ValidationError names every
    clash otherwise. Both people get the invitation (.ics, METHOD:REQUEST) by e-mail after commit.
    """
    pair = _pair(pair)
    _role(pair, by)
    _require_active(pair)
    minutes = _minutes(minutes)
    if timezone.is_naive(starts_at):
        raise ValidationError(_("Give the time with its time zone."), code="naive")
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    if starts_at <= timezone.now():
        raise ValidationError(_("Choose a time in the future."), code="past")
    _in_programme(pair, timezone.localtime(starts_at, pair_zone(pair)).date())
    with transaction.atomic():
        _lock_people(pair)
        _check_free(pair, starts_at, ends_at)
        session = MentoringSession.objects.create(
            pair=pair, starts_at=starts_at, ends_at=ends_at, minutes=minutes, topic=(topic or "").strip()[:200],
            place=(place or "").strip()[:300], status=S.PLANNED,
        )
        notify_session(session, PLANNED, by=by)
    return session


def session_cancel(*, session, by) -> MentoringSession:
    """Cancel a planned session; both people get the cancellation (.ics, METHOD:CANCEL) by e-mail."""
    with transaction.atomic():
        session = _session(session)
        _role(session.pair, by)
        if session.status != S.PLANNED:
            raise ValidationError(_("Only a planned session can be cancelled."), code="not_planned")
        session.status = S.CANCELLED
        session.sequence += 1
        session.save(update_fields=["status", "sequence", "updated_at"])
        notify_session(session, CANCELLED, by=by)
    return session


def session_log(*, session, by, minutes, topic, notes=None, held_on=None) -> MentoringSession:
    """Log (or correct) a meeting that took place: its length, topic and, optionally, another date.

    The logger's own private notes are replaced by ``notes`` when given, and the log counts as
    their confirmation; a change of length, topic or date clears the other side's confirmation
    (they confirm what was changed). Once both have confirmed, only the notes can change. Refused
    before the meeting's start and for a cancelled session. When both have confirmed, the pair's
    JP are credited; otherwise the other side is asked by e-mail to confirm.
    """
    topic = (topic or "").strip()[:200]
    if not topic:
        raise ValidationError(_("Say what the session was about."), code="topic")
    minutes = _minutes(minutes)
    with transaction.atomic():
        session = _session(session)
        pair = session.pair
        role = _role(pair, by)
        if session.status == S.CANCELLED:
            raise ValidationError(_("This session was cancelled."), code="cancelled")
        tz = pair_zone(pair)
        starts_at = session.starts_at
        if held_on is not None:
            starts_at = datetime.datetime.combine(held_on, timezone.localtime(session.starts_at, tz).time(), tz)
        changed = (session.status != S.HELD or minutes != session.minutes or topic != session.topic
                   or starts_at != session.starts_at)
        if session.confirmed and changed:
            raise ValidationError(_("Both of you confirmed this session: its length, topic and date can no longer "
                                    "change."), code="confirmed")
        if starts_at > timezone.now():
            raise ValidationError(_("A session can be logged once it has started."), code="future")
        if changed:
            ends_at = starts_at + datetime.timedelta(minutes=minutes)
            _in_programme(pair, timezone.localtime(starts_at, tz).date())
            _check_no_other_session(pair, starts_at, ends_at, exclude=session)
            session.status, session.minutes, session.topic = S.HELD, minutes, topic
            session.starts_at, session.ends_at = starts_at, ends_at
            other = MENTEE if role == MENTOR else MENTOR
            setattr(session, _confirm_field(other), None)
        if notes is not None:
            setattr(session, _notes_field(role), notes.strip()[:5000])
        if changed or getattr(session, _confirm_field(role)) is None:
            setattr(session, _confirm_field(role), timezone.now())
        session.save()
        if session.confirmed:
            mentoring_credit_refresh(pair=pair)
        elif changed:
            notify_session(session, LOGGED, by=by)
    return session


def session_record(*, pair, by, held_on, start_time, minutes, topic, notes="") -> MentoringSession:
    """Record a meeting that was held but never planned: a held session confirmed by ``by``.

    ``held_on`` and ``start_time`` are local to the agency; the meeting must have started, lie in
    the programme's period and not overlap another mentoring session of either person. The other
    side is asked by e-mail to confirm it.
    """
    pair = _pair(pair)
    role = _role(pair, by)
    _require_active(pair)
    topic = (topic or "").strip()[:200]
    if not topic:
        raise ValidationError(_("Say what the session was about."), code="topic")
    minutes = _minutes(minutes)
    starts_at = datetime.datetime.combine(held_on, start_time, pair_zone(pair))
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    if starts_at > timezone.now():
        raise ValidationError(_("A session can be logged once it has started; plan a future one instead."),
                              code="future")
    _in_programme(pair, held_on)
    with transaction.atomic():
        _lock_people(pair)
        _check_no_other_session(pair, starts_at, ends_at)
        session = MentoringSession(pair=pair, starts_at=starts_at, ends_at=ends_at, minutes=minutes, topic=topic,
                                   status=S.HELD)
        setattr(session, _notes_field(role), (notes or "").strip()[:5000])
        setattr(session, _confirm_field(role), timezone.now())
        session.save()
        notify_session(session, LOGGED, by=by)
    return session


def session_confirm(*, session, by, notes=None) -> MentoringSession:
    """The other side confirms a logged session (and may set their own private notes).

    When both have confirmed, the pair's JP credits are refreshed.
    """
    with transaction.atomic():
        session = _session(session)
        role = _role(session.pair, by)
        if session.status != S.HELD:
            raise ValidationError(_("Only a session that was logged can be confirmed."), code="not_held")
        if getattr(session, _confirm_field(role)) is not None:
            raise ValidationError(_("You have already confirmed this session."), code="confirmed")
        setattr(session, _confirm_field(role), timezone.now())
        if notes is not None and notes.strip():
            setattr(session, _notes_field(role), notes.strip()[:5000])
        session.save()
        if session.confirmed:
            mentoring_credit_refresh(pair=session.pair)
    return session
