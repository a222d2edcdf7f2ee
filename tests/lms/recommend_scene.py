"""Builders for the recommendation tests: gap rows, courses with an open session, a cycle of this year."""

import datetime

from django.utils import timezone

from courses.factories import CourseFactory, ProviderFactory, session_for
from tna.factories import CompetencyFactory, CycleFactory
from tna.models import CompetencyGap


def this_cycle():
    """The cycle of the current year, so JP "this year" and the plan's year agree."""
    return CycleFactory(year=timezone.localdate().year)


def competency(code, name, name_en):
    return CompetencyFactory(code=code, name=name, name_en=name_en)


def gap(employee, competency, *, cycle, required, observed, priority):
    """A CompetencyGap row as ``run_tna`` writes it (observed None: no ratings, gap 0)."""
    value = max(required - observed, 0) if observed is not None else 0
    return CompetencyGap.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit, competency=competency,
        required_level=required, observed_level=observed, gap=value, priority=priority, confidence=0.8,
        reason={"required": required, "observed": observed, "gap": value},
    )


def first_monday(weeks=3):
    day = datetime.date.today() + datetime.timedelta(weeks=weeks)
    return day + datetime.timedelta(days=-day.weekday() % 7)


def course_with_session(agency, code, targets, *, jp=16, cost=1_000_000, mode="classroom", shared=False,
                        provider=None, live=True, weeks=3, start="08:00", end="12:00", capacity=20, **fields):
    """A published course of ``agency`` developing ``targets`` [(competency, level)], with one open session."""
    if provider is None and shared:
        provider = ProviderFactory(agency=None, kind="lan", name="LAN %s" % code)
    extra = {"provider": provider} if provider is not None else {}
    title = code.replace("-", " ").title()
    course = CourseFactory(agency=agency, code=code, title=title, title_en=title, jp=jp,
                           cost_per_participant=cost, fixed_cost_per_class=0, mode=mode, competencies=targets,
                           live=live, **extra, **fields)
    online = "https://vicon.example.org/%s" % code if mode in ("online", "blended", "self_paced") else ""
    session = session_for(course, first_day=first_monday(weeks), days=2, start=start, end=end, capacity=capacity,
                          label="Angkatan I", online_url=online, place="" if mode in ("online", "self_paced") else "Aula")
    return course, session
