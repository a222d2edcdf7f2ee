"""Small scheduling problems built by hand for the known-case tests."""

import datetime

from lms.scheduling import (
    CourseDemand,
    Format,
    Person,
    Problem,
    Unit,
    build_calendar,
)

D = datetime.date


def people(unit, n, prefix=None, **fields):
    prefix = prefix or unit
    return [Person("%s-%d" % (prefix, i), unit, **fields) for i in range(n)]


def problem(first, last, *, units, persons, courses, **fields):
    return Problem(calendar=build_calendar(first, last), units=units, people=persons, courses=courses, **fields)


def course(cid, participants, *, jp=8, min_size=1, max_size=30, formats=(Format.SHORT_BLOCKS,)):
    return CourseDemand(cid, jp, tuple(p.id if isinstance(p, Person) else p for p in participants),
                        min_size=min_size, max_size=max_size, formats=tuple(formats))


def big_unit(uid="office", size=100):
    """A unit large enough that its on-duty minimum never binds in a small case."""
    return Unit(uid, size)


def meetings_of(proposal, person_id):
    return [m for s in proposal.sessions if person_id in s.participants for m in s.meetings]
