"""A synthetic agency's demand for benchmarks and tests: units, people, courses, reproducible by seed.

Schools, clinics, service counters and offices of varied size; teachers and nurses who declared
days they cannot leave their post; people on leave; preferences as the survey collects them;
courses of 8–40 JP in mixed formats, each aimed mostly at one kind of unit.
"""

import datetime

import numpy as np

from .duty import (
    CLINIC,
    OFFICE,
    SCHOOL,
    SERVICE_COUNTER,
    Absence,
    Person,
    Preference,
    Unit,
    default_working_week,
)
from .period import build_calendar
from .problem import CourseDemand, Format, Problem

KINDS = (  # pattern, share of people, unit sizes (low, high), chance of blocked days, how many
    (SCHOOL, 0.35, (8, 40), 0.30, 2),
    (CLINIC, 0.15, (10, 40), 0.15, 1),
    (SERVICE_COUNTER, 0.10, (5, 15), 0.05, 1),
    (OFFICE, 0.40, (5, 60), 0.05, 1),
)
FORMAT_MIXES = (
    ((Format.SHORT_BLOCKS, Format.WHOLE_DAYS), 0.35),
    ((Format.WHOLE_DAYS,), 0.20),
    ((Format.SHORT_BLOCKS, Format.ONLINE, Format.WHOLE_DAYS), 0.25),
    ((Format.ONLINE, Format.SHORT_BLOCKS), 0.10),
    ((Format.SHORT_BLOCKS,), 0.10),
)
JP = ((8, 0.2), (12, 0.2), (16, 0.2), (20, 0.1), (24, 0.15), (32, 0.1), (40, 0.05))
MODES = ("", "classroom", "online", "blended")
TIMES = ("", "morning", "afternoon", "full_day", "short_blocks")


def synthetic_problem(*, people: int = 10_000, courses: int = 300, first: datetime.date = datetime.date(2026, 1, 1),
                      months: int = 6, seed: int = 1, rooms: int | None = None,
                      courses_per_person=(0.55, 0.35, 0.10)) -> Problem:
    """A problem with ``people`` participants (about three in four of their units' staff)."""
    rng = np.random.default_rng(seed)
    last = _add_months(first, months) - datetime.timedelta(days=1)
    calendar = build_calendar(first, last)
    working = calendar.working_days(default_working_week())

    units, persons, kind_of = [], [], []
    for k, (pattern, share, (low, high), p_blocked, n_blocked) in enumerate(KINDS):
        target = int(round(people * share)) if k < len(KINDS) - 1 else people - len(persons)
        placed = 0
        while placed < target:
            staff = int(rng.integers(low, high + 1))
            participants = min(target - placed, max(1, int(round(staff * rng.uniform(0.6, 0.9)))))
            staff = max(staff, participants, 5)
            uid = "u%04d" % len(units)
            share_on_duty = float(rng.choice([0.8, 0.8, 0.8, 0.75, 0.85]))
            units.append(Unit(uid, staff, share_on_duty, pattern, name="%s %d" % (pattern.code, len(units))))
            for _ in range(participants):
                persons.append(_person(rng, "p%05d" % len(persons), uid, p_blocked, n_blocked, working))
                kind_of.append(k)
            placed += participants

    kind_of = np.array(kind_of)
    audience = rng.choice(len(KINDS) + 1, size=courses, p=[0.3, 0.15, 0.1, 0.2, 0.25])  # last: everyone
    popularity = rng.uniform(0.5, 2.0, size=courses)
    mixes = rng.choice(len(FORMAT_MIXES), size=courses, p=[w for _, w in FORMAT_MIXES])
    jps = rng.choice([j for j, _ in JP], size=courses, p=[w for _, w in JP])
    wants = [[] for _ in range(courses)]
    n_courses = rng.choice(len(courses_per_person), size=len(persons), p=courses_per_person) + 1
    for i in range(len(persons)):
        weight = popularity * np.where((audience == kind_of[i]) | (audience == len(KINDS)), 1.0, 0.08)
        chosen = rng.choice(courses, size=n_courses[i], replace=False, p=weight / weight.sum())
        for c in chosen:
            wants[c].append(persons[i].id)
    demand = []
    for c in range(courses):
        min_size = int(rng.integers(8, 16))
        demand.append(CourseDemand(
            id="c%03d" % c, jp=int(jps[c]), participants=tuple(wants[c]), min_size=min_size,
            max_size=int(rng.integers(max(25, min_size), 41)), formats=FORMAT_MIXES[mixes[c]][0],
            name="Course %d" % c,
        ))
    return Problem(calendar=calendar, units=units, people=persons, courses=demand, rooms=rooms)


def _person(rng, pid, unit, p_blocked, n_blocked, working):
    blocked = frozenset()
    if rng.random() < p_blocked:
        blocked = frozenset(int(d) for d in rng.choice(5, size=n_blocked, replace=False))
    absences = ()
    if rng.random() < 0.08 and working:
        start = int(rng.integers(0, len(working)))
        first = working[start]
        absences = (Absence(first, first + datetime.timedelta(days=int(rng.integers(2, 14)))),)
    return Person(pid, unit, blocked, absences, Preference(str(rng.choice(MODES, p=[0.5, 0.25, 0.15, 0.1])),
                                                           str(rng.choice(TIMES, p=[0.5, 0.1, 0.2, 0.1, 0.1]))))


def _add_months(date, months):
    month = date.month - 1 + months
    return datetime.date(date.year + month // 12, month % 12 + 1, 1)
