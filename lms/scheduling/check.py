"""An independent checker: does a set of sessions keep every hard constraint of a problem?

It shares nothing with the schedulers but the input dataclasses: no grid, no blocks, no occupancy arrays.
It works on the meetings' own dates and times, so it also judges proposals made by hand, by an
earlier run, or by another program. An empty list means no constraint is broken.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from .duty import WEEKDAY_CODES, overlap_minutes
from .problem import Format, Problem, ProposedSession


@dataclass(frozen=True)
class Violation:
    code: str
    message: str
    session: str | None = None
    person: object = None
    unit: object = None
    date: datetime.date | None = None


def check(problem: Problem, sessions: list[ProposedSession]) -> list[Violation]:
    """Every broken hard constraint of ``sessions`` against ``problem``."""
    out = []
    out += _sessions(problem, sessions)
    out += _participants(problem, sessions)
    out += _on_duty(problem, sessions)
    out += _rooms(problem, sessions)
    out += _locks(problem, sessions)
    return out


def _day(problem, date):
    return problem.week.day(date, date in problem.calendar.ramadan)


def _sessions(problem, sessions):
    out = []
    courses = {c.id: c for c in problem.courses}
    cal = problem.calendar
    for s in sessions:
        course = courses.get(s.course)
        if course is None:
            out.append(Violation("unknown_course", "Course %s is not in the demand." % s.course, s.key))
            continue
        if s.format not in course.formats:
            out.append(Violation("format_not_allowed", "%s is not an allowed format." % s.format, s.key))
        if not course.min_size <= len(s.participants) <= course.max_size:
            out.append(Violation("class_size", "%d participants; the course allows %d–%d."
                                 % (len(s.participants), course.min_size, course.max_size), s.key))
        if not s.meetings:
            out.append(Violation("no_meetings", "The session has no meetings.", s.key))
        minutes = 0
        for m in s.meetings:
            where = "%s %s–%s" % (m.date, m.start, m.end)
            if not cal.first <= m.date <= cal.last:
                out.append(Violation("outside_period", "%s is outside the period." % where, s.key, date=m.date))
            if m.date in cal.holidays:
                out.append(Violation("holiday", "%s is %s." % (where, cal.holidays[m.date]), s.key, date=m.date))
            if m.date in cal.closures:
                out.append(Violation("closure", "%s: the agency is closed (%s)." % (where, cal.closures[m.date]),
                                     s.key, date=m.date))
            day = _day(problem, m.date)
            if day is None:
                out.append(Violation("day_off", "%s is not a working day." % where, s.key, date=m.date))
                continue
            if m.start < day.start or m.end > day.end or m.end <= m.start:
                out.append(Violation("outside_hours", "%s is outside working hours %s–%s."
                                     % (where, day.start, day.end), s.key, date=m.date))
            in_breaks = sum(overlap_minutes((m.start, m.end), b) for b in day.breaks)
            if in_breaks and s.format is not Format.WHOLE_DAYS:
                out.append(Violation("break", "%s runs into a break." % where, s.key, date=m.date))
            minutes += _minutes(m) - in_breaks
        if minutes < problem.need_minutes(course):
            out.append(Violation("too_short", "%d minutes of teaching; %d JP need %d."
                                 % (minutes, course.jp, problem.need_minutes(course)), s.key))
        ordered = sorted(s.meetings, key=lambda m: (m.date, m.start))
        for a, b in zip(ordered, ordered[1:], strict=False):
            if a.date == b.date and b.start < a.end:
                out.append(Violation("meetings_overlap", "Two meetings overlap on %s." % a.date, s.key, date=a.date))
    return out


def _participants(problem, sessions):
    out = []
    people = {p.id: p for p in problem.people}
    wanted = {(pid, c.id) for c in problem.courses for pid in c.participants}
    seats = defaultdict(list)  # (person, course) → sessions
    meetings = defaultdict(list)  # person → [(start, end, session)]
    for s in sessions:
        if len(set(s.participants)) != len(s.participants):
            out.append(Violation("listed_twice", "A participant is listed twice.", s.key))
        for pid in set(s.participants):
            person = people.get(pid)
            if person is None or (pid, s.course) not in wanted:
                out.append(Violation("not_demanded", "%s did not ask for course %s." % (pid, s.course), s.key, pid))
            seats[pid, s.course].append(s.key)
            for m in s.meetings:
                meetings[pid].append((m.date, m.start, m.end, s.key))
                if person is None:
                    continue
                if m.date.weekday() in person.blocked_weekdays:
                    out.append(Violation("blocked_day", "%s declared %s a day they cannot leave their post."
                                         % (pid, WEEKDAY_CODES[m.date.weekday()]), s.key, pid, person.unit, m.date))
                if person.absent_on(m.date):
                    out.append(Violation("absent", "%s is away on %s." % (pid, m.date), s.key, pid, person.unit, m.date))
    for (pid, course), keys in seats.items():
        if len(keys) > 1:
            out.append(Violation("twice", "%s sits in %d classes of course %s." % (pid, len(keys), course),
                                 keys[1], pid))
    for p in problem.people:
        if p.commitments and p.id in meetings:
            meetings[p.id] += [(date, start, end, "(booked before)") for date, start, end in p.commitments]
    for pid, items in meetings.items():
        items.sort()
        last_end, last_key = None, None
        for date, start, end, key in items:
            # (Two bookings made before this proposal share the key and are not its business.)
            if last_end is not None and last_end[0] == date and start < last_end[1] and key != last_key:
                out.append(Violation("double_booked", "%s is in %s and %s at once on %s." % (pid, last_key, key, date),
                                     key, pid, date=date))
            if last_end is None or (date, end) > last_end:
                last_end, last_key = (date, end), key
    return out


def _on_duty(problem, sessions):
    """At every moment of every day, each unit keeps its minimum share at work."""
    out = []
    people = {p.id: p for p in problem.people}
    units = {u.id: u for u in problem.units}
    events = defaultdict(list)  # (unit, date) → [(time, +1/-1)]
    for s in sessions:
        for pid in set(s.participants):
            if pid not in people:
                continue
            for m in s.meetings:
                events[people[pid].unit, m.date] += [(m.start, 1), (m.end, -1)]
    keys = set(events)
    dates = {date for _unit, date in keys}
    for p in problem.people:  # training booked before this proposal takes people away too
        for date, start, end in p.commitments:
            if (p.unit, date) in keys and not p.absent_on(date):
                events[p.unit, date] += [(start, 1), (end, -1)]
    absent = defaultdict(int)
    for p in problem.people:
        for date in dates if p.absences else ():
            if p.absent_on(date):
                absent[p.unit, date] += 1
    for (uid, date), ev in sorted(events.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        unit = units[uid]
        ev.sort(key=lambda e: (e[0], e[1]))  # an end at 10:00 frees the seat before a start at 10:00
        away = most = 0
        for _t, step in ev:
            away += step
            most = max(most, away)
        on_duty = unit.size - absent[uid, date] - most
        if unit.size and on_duty < unit.size * unit.min_on_duty_share - 1e-9:
            out.append(Violation(
                "unit_below_minimum", "Unit %s has %d of %d on duty at the worst moment of %s (minimum %.0f%%)."
                % (uid, on_duty, unit.size, date, 100 * unit.min_on_duty_share), unit=uid, date=date))
    return out


def _rooms(problem, sessions):
    if problem.rooms is None:
        return []
    events = defaultdict(list)
    for s in sessions:
        if s.format.needs_room:
            for m in s.meetings:
                events[m.date] += [(m.start, 1), (m.end, -1)]
    out = []
    for date, ev in sorted(events.items()):
        ev.sort()
        used = most = 0
        for _t, step in ev:
            used += step
            most = max(most, used)
        if most > problem.rooms:
            out.append(Violation("rooms", "%d classrooms in use at once on %s; %d exist." % (most, date, problem.rooms),
                                 date=date))
    return out


def _locks(problem, sessions):
    by_key = {s.key: s for s in sessions}
    out = []
    for lock in problem.locked:
        s = by_key.get(lock.key)
        if s is None or set(s.meetings) != set(lock.meetings) or set(s.participants) != set(lock.participants):
            out.append(Violation("lock_changed", "Locked session %s was moved or changed." % lock.key, lock.key))
    return out


def _minutes(m):
    return (m.end.hour * 60 + m.end.minute) - (m.start.hour * 60 + m.start.minute)
