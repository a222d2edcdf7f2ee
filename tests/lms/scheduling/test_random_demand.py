"""Random small problems, odd ones included (tiny units, all-blocked people, empty courses, no working days):
both schedulers' proposals pass the independent checker and account for every participant."""

import datetime
import random

import pytest

from lms.scheduling import (
    SERVICE_PATTERNS,
    Absence,
    CourseDemand,
    Format,
    Person,
    Preference,
    Problem,
    Unit,
    build_calendar,
    check,
    schedule,
    schedule_greedy,
)


def random_problem(seed):
    rng = random.Random(seed)
    first = datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 900))
    last = first + datetime.timedelta(days=rng.randint(0, 120))
    units = [Unit("u%d" % i, rng.randint(1, 15), rng.choice([0.0, 0.5, 0.8, 0.85, 1.0]),
                  rng.choice(list(SERVICE_PATTERNS.values()))) for i in range(rng.randint(1, 6))]
    people = []
    for u in units:
        for k in range(rng.randint(0, u.size)):
            absences = ()
            if rng.random() < 0.2:
                start = first + datetime.timedelta(days=rng.randint(0, 60))
                absences = (Absence(start, start + datetime.timedelta(days=rng.randint(0, 10))),)
            booked = ()
            if rng.random() < 0.1:
                day = first + datetime.timedelta(days=rng.randint(0, 30))
                booked = ((day, datetime.time(9), datetime.time(11)),)
            people.append(Person(
                "%s-%d" % (u.id, k), u.id, frozenset(rng.sample(range(5), rng.choice([0, 0, 0, 1, 2, 5]))), absences,
                Preference(rng.choice(["", "online", "classroom"]), rng.choice(["", "morning", "afternoon"])),
                commitments=booked,
            ))
    courses = []
    for c in range(rng.randint(1, 6)):
        participants = rng.sample([p.id for p in people], k=rng.randint(0, len(people))) if people else []
        low = rng.randint(1, 5)
        courses.append(CourseDemand("c%d" % c, rng.choice([2, 4, 8, 16, 30, 80]), tuple(participants), low,
                                    rng.randint(low, 12), tuple(rng.sample(list(Format), k=rng.randint(1, 3)))))
    return Problem(calendar=build_calendar(first, last, closures={first + datetime.timedelta(days=3): "Tutup"}),
                   units=units, people=people, courses=courses, rooms=rng.choice([None, 1, 2]))


@pytest.mark.parametrize("seed", range(12))
def test_random_problems_pass_the_checker(seed):
    case = random_problem(seed)
    demand = sum(len(c.participants) for c in case.courses)
    for proposal in (schedule_greedy(case), schedule(case, time_limit=2)):
        assert check(case, proposal.sessions) == []
        assert sum(len(s.participants) for s in proposal.sessions) + len(proposal.unplaced) == demand
