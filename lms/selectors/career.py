"""Reads for the career page and the succession page: a person's criteria inputs, the courses that close a
missing competency, and an agency's key positions with their candidates, read in bulk.

The criteria themselves are computed by ``lms.career`` and readiness by ``lms.succession`` (both
pure); these functions only read. Every read is scoped by the caller: the career page passes the
signed-in person, the succession page the agency the user may see (``lms.views.career``).
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd
from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from courses.models import Course, CourseCompetency
from tna.models import (
    Appraisal,
    Assignment,
    Competency,
    CompetencyGap,
    Cycle,
    Employee,
    Position,
    RequiredLevel,
    TalentPlacement,
    TalentPolicy,
    Unit,
)
from tna.models.evidence import PREDIKAT
from tna.talent.ladder import PROGRAMME_OF_LEVEL
from tna.talent.selectors import level_standards

from .. import career, succession
from ..models import JpCredit

#: Modes in which a course of another agency's shared provider can be taken without travelling
#: (the recommender's rule, docs/recommendations.md).
REMOTE_MODES = ("online", "self_paced")
#: Courses listed per missing competency.
COURSES_PER_COMPETENCY = 3
#: Candidates shown per key position and readiness; the rest are counted.
SHOWN = {succession.READY_NOW: 5, succession.READY_SOON: 5, succession.NOT_YET: 3}
#: The predikat of each (results, behaviour) pair as a frame, to name appraisals read in bulk.
PREDIKAT_FRAME = pd.DataFrame([(r, b, p) for (r, b), p in PREDIKAT.items()], columns=["results", "behaviour", "predikat"])


def today_of(agency):
    """Today in the agency's time zone."""
    return timezone.localdate(timezone=ZoneInfo(agency.time_zone))


# --- one person ------------------------------------------------------------------------------------

def appraisal_years(agency, today, limit):
    """The agency's latest ``limit`` years with appraisals (up to this year), newest first."""
    return list(
        Cycle.objects.filter(year__lte=today.year)
        .filter(Exists(Appraisal.objects.filter(cycle=OuterRef("pk"), employee__agency=agency)))
        .order_by("-year").values_list("year", flat=True)[:limit]
    )


def project_cycles(today, limit):
    """The latest ``limit`` cycle years up to this year, newest first."""
    return list(Cycle.objects.filter(year__lte=today.year).order_by("-year").values_list("year", flat=True)[:limit])


def latest_results(employee):
    """(year, {competency id: observed level}) of the person's latest cycle with results; (None, {})."""
    year = CompetencyGap.objects.filter(employee=employee).aggregate(year=Max("cycle__year"))["year"]
    if year is None:
        return None, {}
    rows = CompetencyGap.objects.filter(employee=employee, cycle__year=year).values_list(
        "competency_id", "observed_level")
    return year, {cid: observed for cid, observed in rows if observed is not None}


def programmes_done(employees):
    """The leadership programmes done by ``employees`` (a queryset): {employee id: {programme}}."""
    rows = (JpCredit.objects.filter(employee__in=employees).exclude(course__leadership_programme="")
            .filter(course__isnull=False).order_by().values_list("employee_id", "course__leadership_programme")
            .distinct())
    done = {}
    for employee_id, programme in rows:
        done.setdefault(employee_id, set()).add(programme)
    return done


def jp_recent(employee, today):
    """JP of the development the person finished in the last 12 months."""
    start = today - datetime.timedelta(days=365)
    return JpCredit.objects.filter(employee=employee, end_date__gt=start, end_date__lte=today).aggregate(
        total=Sum("jp"))["total"] or 0


def person_inputs(employee, *, today, rules):
    """``career.Person`` of ``employee`` (with position and agency loaded)."""
    years = appraisal_years(employee.agency, today, rules.appraisal_years)
    predikat = {
        year: PREDIKAT[(results, behaviour)]
        for year, results, behaviour in Appraisal.objects.filter(employee=employee, cycle__year__in=years)
        .values_list("cycle__year", "results", "behaviour")
    }
    results_year, observed = latest_results(employee)
    cycles = project_cycles(today, rules.project_cycles)
    return career.Person(
        job_type=employee.position.job_type, grade=employee.grade, grade_since=employee.grade_since,
        appraisal_years=tuple(years), predikat=predikat,
        programmes_done=frozenset(programmes_done(Employee.objects.filter(pk=employee.pk)).get(employee.pk, ())),
        jp_recent=jp_recent(employee, today), observed=observed, results_year=results_year,
        project_cycles=tuple(cycles),
        assignment_years=tuple(Assignment.objects.filter(employee=employee, cycle__year__in=cycles)
                               .values_list("cycle__year", flat=True)),
    )


def step_standards(agency, steps):
    """{job type: {competency id: required level}} of each of ``steps`` in ``agency``."""
    frame = level_standards([agency.pk])
    frame = frame[frame["job_type"].isin(list(steps))]
    standards = {step: {} for step in steps}
    for job_type, competency_id, required in zip(frame["job_type"], frame["competency_id"], frame["required"],
                                                 strict=True):
        standards[job_type][int(competency_id)] = int(required)
    return standards


def competency_names(ids):
    """{competency id: "code name"} in the active language."""
    return {c.pk: "%s %s" % (c.code, c.display_name) for c in Competency.objects.filter(pk__in=list(ids))}


def _offered(agency):
    """Courses a person of ``agency`` may take: published, from the agency's own catalogue or a shared
    provider's remote course of another agency."""
    return Q(course__live=True) & (
        Q(course__agency=agency) | Q(course__provider__agency__isnull=True, course__mode__in=REMOTE_MODES))


def closing_courses(agency, needs, *, limit=COURSES_PER_COMPETENCY):
    """{(competency id, required level): [Course]} for each pair of ``needs``: published courses that
    develop the competency to at least that level, the agency's own first, then the closest level and
    the fewest JP; at most ``limit`` each, one per course code. One query for all of them."""
    needs = set(needs)
    if not needs:
        return {}
    targets = (
        CourseCompetency.objects.filter(_offered(agency), competency_id__in={cid for cid, _level in needs},
                                        level__gte=min(level for _cid, level in needs))
        .select_related("course__agency", "course__provider").order_by("pk")
    )
    options = {}
    for target in targets:  # the catalogue's targets of a handful of competencies
        options.setdefault(target.competency_id, []).append(target)
    for found in options.values():
        found.sort(key=lambda t: (t.course.agency_id != agency.pk, t.level, t.course.jp, t.course.display_title))
    result = {}
    for competency_id, required in needs:
        chosen, codes = [], set()
        for target in options.get(competency_id, []):
            if target.level < required or target.course.code in codes:
                continue
            codes.add(target.course.code)
            chosen.append(target.course)
            if len(chosen) == limit:
                break
        result[(competency_id, required)] = chosen
    return result


def leadership_courses(agency, programmes):
    """{programme: Course}: a published course of each leadership programme, the agency's own first."""
    if not programmes:
        return {}
    courses = (
        Course.objects.filter(leadership_programme__in=list(programmes), live=True)
        .filter(Q(agency=agency) | Q(provider__agency__isnull=True))
        .select_related("agency", "provider").order_by("pk")
    )
    found = {}
    for course in sorted(courses, key=lambda c: (c.agency_id != agency.pk, c.jp, c.pk)):
        found.setdefault(course.leadership_programme, course)
    return found


def own_box(employee):
    """The person's latest placement when their agency lets people see their own box, else None."""
    if not TalentPolicy.objects.filter(agency_id=employee.agency_id, show_own_box=True).exists():
        return None
    return TalentPlacement.objects.filter(employee=employee).select_related("cycle").order_by("-cycle__year").first()


def my_assignments(employee):
    """The person's project assignments, latest first."""
    return list(Assignment.objects.filter(employee=employee).select_related("cycle").order_by("-start", "pk"))


# --- succession --------------------------------------------------------------------------------------

@dataclass
class Candidate:
    employee_id: int
    name: str
    nip: str
    position: str
    job_type: str
    unit: str
    grade: str
    readiness: succession.Readiness
    gaps: list


@dataclass
class KeyPosition:
    position: Position
    holders: list
    counts: dict
    candidates: dict = field(default_factory=dict)  # readiness → [Candidate]
    standard_from_level: bool = False

    @property
    def ready_now(self):
        return self.counts.get(succession.READY_NOW, 0)

    @property
    def pool(self):
        return sum(self.counts.values())

    @property
    def more(self):
        """Candidates counted but not listed, per readiness."""
        return {level: self.counts.get(level, 0) - len(self.candidates.get(level, []))
                for level in succession.READINESS}


def unit_subtree(agency, unit):
    """Ids of ``unit`` and every unit under it (units of one agency, read at once)."""
    children = {}
    for pk, parent in Unit.objects.filter(agency=agency).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, frontier = {unit.pk}, [unit.pk]
    while frontier:
        frontier = [child for pk in frontier for child in children.get(pk, []) if child not in found]
        found.update(frontier)
    return found


def succession_board(agency, *, unit=None, today, rules, shown=None):
    """The agency's key positions (those held in ``unit``'s subtree when given), each with its holders and
    its candidates ranked by readiness (``succession.rank_candidates``).

    Reads are a fixed number of bulk queries over the agency's candidate set (the staff whose job
    type leads to a key position's); the per-position ranking is array work on those frames.
    """
    shown = shown or SHOWN
    keys = list(Position.objects.filter(agency=agency, is_key=True).order_by("name", "pk"))
    holders = {}
    for person in (Employee.objects.filter(agency=agency, active=True, position__agency=agency,
                                           position__is_key=True).select_related("unit").order_by("name", "pk")):
        holders.setdefault(person.position_id, []).append(person)
    if unit is not None:
        inside = unit_subtree(agency, unit)
        keys = [p for p in keys if any(h.unit_id in inside for h in holders.get(p.pk, []))]
    if not keys:
        return []
    feeders = {p.pk: succession.feeder_types(p.job_type) for p in keys}
    lower = sorted({jt for types in feeders.values() for jt in types})

    required = {p.pk: {} for p in keys}
    for position_id, competency_id, level in RequiredLevel.objects.filter(
            position__in=[p.pk for p in keys]).values_list("position_id", "competency_id", "level"):
        required[position_id][competency_id] = level
    from_level = {p.pk for p in keys if not required[p.pk]}
    if from_level:
        standards = step_standards(agency, {p.job_type for p in keys if p.pk in from_level})
        for p in keys:
            if p.pk in from_level:
                required[p.pk] = standards.get(p.job_type, {})
    competencies = sorted({cid for levels in required.values() for cid in levels})

    pool = Employee.objects.filter(agency=agency, active=True, position__job_type__in=lower)
    people = pd.DataFrame.from_records(
        pool.order_by("name", "pk").values_list("pk", "name", "nip", "position__name", "position__job_type",
                                                "unit__name", "grade"),
        columns=["employee_id", "name", "nip", "position", "job_type", "unit", "grade"],
    )
    observed = _observed_levels(pool, competencies, people["employee_id"])
    years = appraisal_years(agency, today, rules.appraisal_years)
    appraisals = pd.DataFrame.from_records(
        Appraisal.objects.filter(employee__in=pool, cycle__year__in=years).values_list(
            "employee_id", "cycle__year", "results", "behaviour"),
        columns=["employee_id", "year", "results", "behaviour"],
    )
    appraisals = appraisals.merge(PREDIKAT_FRAME, on=["results", "behaviour"], how="left")
    appraisal = career.appraisal_statuses(appraisals, years, rules)
    done = programmes_done(pool)
    done_by_programme = {}
    for employee_id, programmes in done.items():  # the few people with a leadership programme
        for programme in programmes:
            done_by_programme.setdefault(programme, set()).add(employee_id)
    names = competency_names(competencies)
    by_id = people.set_index("employee_id")

    board, ranked_by_standard = [], {}
    for position in keys:  # key positions, not people
        programme = PROGRAMME_OF_LEVEL.get(position.job_type)
        levels = required[position.pk]
        # Key positions of one job level with one standard share their ranking.
        signature = (tuple(feeders[position.pk]), tuple(sorted(levels.items())), programme)
        if signature not in ranked_by_standard:
            ids = people.loc[people["job_type"].isin(feeders[position.pk]), "employee_id"].to_numpy()
            frame = observed.reindex(index=pd.Index(ids, name="employee_id"))
            finished = None
            if programme:
                finished = pd.Series(pd.Index(ids).isin(list(done_by_programme.get(programme, ()))), index=ids)
            ranked_by_standard[signature] = succession.rank_candidates(levels, frame, appraisal, finished,
                                                                       rules=rules)
        ranked = ranked_by_standard[signature]
        holding = holders.get(position.pk, [])
        if holding:
            ranked = ranked[~ranked["employee_id"].isin([h.pk for h in holding])]
        counts = {level: int(n) for level, n in ranked["readiness"].value_counts().items()}
        entry = KeyPosition(position=position, holders=holding, counts=counts,
                            standard_from_level=position.pk in from_level)
        for level in succession.READINESS:
            listed = ranked[ranked["readiness"] == level].head(shown.get(level, 0))
            entry.candidates[level] = [
                _candidate(int(i), by_id, observed, levels, appraisal, programme, done, names, rules)
                for i in listed["employee_id"]
            ]
        board.append(entry)
    return board


def _observed_levels(pool, competencies, ids):
    """A frame of observed levels, employee id × competency id, from each person's latest cycle with results."""
    latest = pd.DataFrame.from_records(
        CompetencyGap.objects.filter(employee__in=pool).values("employee_id").annotate(year=Max("cycle__year"))
        .values_list("employee_id", "year"),
        columns=["employee_id", "year"],
    )
    rows = pd.DataFrame.from_records(
        CompetencyGap.objects.filter(employee__in=pool, competency_id__in=competencies, observed_level__isnull=False)
        .values_list("employee_id", "cycle__year", "competency_id", "observed_level"),
        columns=["employee_id", "year", "competency_id", "observed"],
    )
    rows = rows.merge(latest, on=["employee_id", "year"])
    if not len(rows):
        return pd.DataFrame(index=pd.Index(ids, name="employee_id"), columns=competencies, dtype=float)
    table = rows.pivot_table(index="employee_id", columns="competency_id", values="observed", aggfunc="first")
    return table.reindex(index=pd.Index(ids, name="employee_id"), columns=competencies).astype(float)


def _candidate(employee_id, people, observed, required, appraisal, programme, done, names, rules):
    """One listed candidate with the readiness in detail (the same answer ``rank_candidates`` gave)."""
    row = people.loc[employee_id]
    levels = observed.loc[employee_id]
    seen = {int(cid): float(value) for cid, value in levels.items() if pd.notna(value)}
    readiness = succession.succession_readiness(
        required, seen, appraisal.get(employee_id, career.UNKNOWN), programme=programme,
        programme_done=programme in done.get(employee_id, ()), rules=rules)
    return Candidate(employee_id=employee_id, name=row["name"], nip=row["nip"], position=row["position"],
                     job_type=row["job_type"], unit=row["unit"], grade=row["grade"], readiness=readiness,
                     gaps=succession.readiness_gaps(readiness, names))
