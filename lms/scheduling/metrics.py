"""Figures of a proposal: share placed, classes used, peak-hour disruption, preferences met.

Computed from the sessions' own meetings (not the scheduler's internals), like the checker.
"""

import datetime
from dataclasses import asdict, dataclass

from .problem import Format, Problem, Proposal

NOON = datetime.time(12, 0)


@dataclass(frozen=True)
class Figures:
    demand: int
    placed: int
    classes: int
    peak_hours: float  # person-hours of training inside the units' peak service hours
    training_hours: float  # person-hours of training in all
    preferences_stated: int
    preferences_met: int
    seconds: float

    @property
    def placed_share(self) -> float:
        return self.placed / self.demand if self.demand else 1.0

    @property
    def preferences_share(self) -> float:
        return self.preferences_met / self.preferences_stated if self.preferences_stated else 1.0

    def as_dict(self) -> dict:
        return asdict(self) | {"placed_share": self.placed_share, "preferences_share": self.preferences_share}


def preference_met(preference, fmt: Format, meetings) -> tuple[int, int]:
    """(stated, met) for one person's preference and one class."""
    stated = met = 0
    if preference.mode in ("classroom", "online", "self_paced"):
        stated += 1
        met += (fmt is Format.ONLINE) == (preference.mode != "classroom")
    if preference.time:
        stated += 1
        whole = fmt is Format.WHOLE_DAYS
        met += {
            "morning": not whole and all(m.end <= datetime.time(12, 30) for m in meetings),
            "afternoon": not whole and all(m.start >= NOON for m in meetings),
            "full_day": whole,
            "short_blocks": not whole,
        }.get(preference.time, False)
    return stated, met


def figures(problem: Problem, proposal: Proposal) -> Figures:
    people = {p.id: p for p in problem.people}
    units = {u.id: u for u in problem.units}
    peak_cache = {}
    peak = training = 0
    stated = met = 0
    for s in proposal.sessions:
        for m in s.meetings:
            day = problem.week.day(m.date, m.date in problem.calendar.ramadan)
            breaks = day.breaks if day else ()
            minutes = _span(m.start, m.end) - sum(_overlap(m.start, m.end, b) for b in breaks)
            for pid in s.participants:
                pattern = units[people[pid].unit].pattern
                key = (pattern.code, m)
                if key not in peak_cache:
                    peak_cache[key] = pattern.peak_minutes(m.date, m.start, m.end, breaks)
                peak += peak_cache[key]
                training += minutes
        for pid in s.participants:
            a, b = preference_met(people[pid].preference, s.format, s.meetings)
            stated += a
            met += b
    return Figures(
        demand=sum(len(c.participants) for c in problem.courses),
        placed=sum(len(s.participants) for s in proposal.sessions),
        classes=len(proposal.sessions), peak_hours=peak / 60, training_hours=training / 60,
        preferences_stated=stated, preferences_met=met, seconds=proposal.seconds,
    )


def _span(start, end):
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def _overlap(start, end, interval):
    return max(0, _span(max(start, interval[0]), min(end, interval[1])))


def on_duty_by_day(problem: Problem, sessions) -> dict:
    """Unit id → {date: the lowest share of its staff on duty at any moment that day}.

    Only days on which some of the unit's staff train appear; staff on leave count as away.
    """
    people = {p.id: p for p in problem.people}
    units = {u.id: u for u in problem.units}
    events = {}
    for s in sessions:
        for pid in set(s.participants):
            for m in s.meetings:
                events.setdefault((people[pid].unit, m.date), []).extend([(m.start, 1), (m.end, -1)])
    on_leave = {}
    for p in problem.people:
        if p.absences:
            on_leave.setdefault(p.unit, []).append(p)
    out = {}
    for (uid, date), ev in events.items():
        unit = units[uid]
        away = most = 0
        for _t, step in sorted(ev):
            away += step
            most = max(most, away)
        absent = sum(1 for p in on_leave.get(uid, ()) if p.absent_on(date))
        out.setdefault(uid, {})[date] = (unit.size - absent - most) / unit.size if unit.size else 0.0
    return out
