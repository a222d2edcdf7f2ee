"""Reads of HR's mentoring programme pages: the programmes HR may manage, each one's coverage by competency
and by unit, its pairs, mentors and applications, in a few bulk queries (docs/mentoring.md#hrs-programme-pages).

A *need* is what the matcher would serve: a gap of 1 or more in one of the programme's competencies
of the agency's active staff in the cycle, or an application (not withdrawn) of active staff that no
completed pair served. Each need is *covered* by an active or a proposed pair, or not covered; an
active or proposed pair over a need the TNA no longer shows counts as a need it covers.
"""

import dataclasses
from collections import defaultdict

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Sum, Value, When

from tna.models import Competency, CompetencyGap, Unit
from tna.roles import TRAINING_ADMIN, employee_of, has_role
from tna.selectors import current_cycle

from ..models.mentoring import MentoringApplication, MentoringPair, MentoringProgramme, MentorOffer
from ..services.budget import top_units

Status = MentoringPair.Status
COVERING = (Status.PROPOSED, Status.ACTIVE)
STATUS_ORDER = [Status.PROPOSED, Status.ACTIVE, Status.COMPLETED, Status.ENDED, Status.VETOED]


def manages_programmes(user):
    """Superusers, and training admins (HR) linked to an agency."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or (has_role(user, TRAINING_ADMIN) and employee_of(user) is not None)


def hr_programmes(user):
    """The programmes ``user`` manages: every agency's for a superuser, their agency's for HR, else none."""
    programmes = MentoringProgramme.objects.select_related("agency")
    if getattr(user, "is_superuser", False):
        return programmes
    if not manages_programmes(user):
        return programmes.none()
    return programmes.filter(agency_id=employee_of(user).agency_id)


def needs_cycle(agency):
    """The cycle the matcher reads by default: the agency's latest with TNA results (None without any)."""
    return current_cycle(CompetencyGap.objects.filter(agency=agency))


@dataclasses.dataclass
class Coverage:
    """How far the needs of one programme (or one competency, or one unit of it) are covered."""

    uncovered: int = 0
    proposed: int = 0
    active: int = 0
    completed: int = 0

    @property
    def covered(self):
        return self.proposed + self.active

    @property
    def needs(self):
        return self.uncovered + self.covered

    @property
    def share(self):
        """Covered ÷ needs (0–1), None without needs."""
        return self.covered / self.needs if self.needs else None

    def add(self, other):
        for field in ("uncovered", "proposed", "active", "completed"):
            setattr(self, field, getattr(self, field) + getattr(other, field))

    def bars(self):
        """The chart's segments as widths out of 100: active, then proposed after it."""
        if not self.needs:
            return {"active": 0, "proposed": 0, "proposed_x": 0}
        active = round(100 * self.active / self.needs, 2)
        proposed = round(100 * self.proposed / self.needs, 2)
        return {"active": active, "proposed": proposed, "proposed_x": active}


def _gap_need(cycle, employee_ref, competency_ref):
    """Exists: a gap of 1 or more of an active employee in ``cycle`` (False without a cycle)."""
    gaps = CompetencyGap.objects.filter(employee_id=OuterRef(employee_ref), competency_id=OuterRef(competency_ref),
                                        gap__gte=1, employee__active=True)
    return Exists(gaps.filter(cycle=cycle) if cycle is not None else gaps.none())


def coverage_counts(agency, cycle, programme_ids):
    """{(programme id, competency id, unit id): Coverage} of the programmes (all of ``agency``), by the mentee's
    unit. Three bulk queries: the programmes' competencies, the gaps of 1 or more by competency and unit,
    the pairs, and the applications (the last two as rows: HR makes them by hand, so they stay few)."""
    programme_ids = list(programme_ids)
    counts = defaultdict(Coverage)
    if not programme_ids:
        return counts
    through = MentoringProgramme.competencies.through.objects.filter(mentoringprogramme_id__in=programme_ids)
    programmes_of = defaultdict(set)
    for programme, competency in through.values_list("mentoringprogramme_id", "competency_id"):
        programmes_of[competency].add(programme)
    if cycle is not None and programmes_of:
        gaps = CompetencyGap.objects.filter(cycle=cycle, competency_id__in=list(programmes_of), gap__gte=1,
                                            employee__agency=agency, employee__active=True)
        for competency, unit, n in gaps.values_list("competency_id", "employee__unit_id").annotate(n=Count("pk")):
            for programme in programmes_of[competency]:
                counts[(programme, competency, unit)].uncovered += n

    pairs = list(MentoringPair.objects.filter(programme_id__in=programme_ids).exclude(status=Status.VETOED).annotate(
        gap_need=_gap_need(cycle, "mentee_id", "competency_id")).values_list(
        "programme_id", "mentee_id", "competency_id", "status", "mentee__unit_id", "gap_need"))
    completed = {(p, e, c) for p, e, c, status, _u, _g in pairs if status == Status.COMPLETED}
    covering = {(p, e, c) for p, e, c, status, _u, _g in pairs if status in COVERING}

    applied = set()
    applications = MentoringApplication.objects.filter(
        programme_id__in=programme_ids, employee__agency=agency, employee__active=True).exclude(
        status=MentoringApplication.Status.WITHDRAWN).annotate(
        gap_need=_gap_need(cycle, "employee_id", "competency_id")).values_list(
        "programme_id", "employee_id", "competency_id", "employee__unit_id", "gap_need")
    for programme, employee, competency, unit, gap_need in applications:
        key = (programme, employee, competency)
        # Counted with the gaps already, or served for good by a completed pair (an active one covers it).
        if gap_need or programme not in programmes_of.get(competency, ()) or (key in completed
                                                                              and key not in covering):
            continue
        applied.add(key)
        counts[(programme, competency, unit)].uncovered += 1

    for programme, mentee, competency, status, unit, gap_need in pairs:
        cell = counts[(programme, competency, unit)]
        if status in COVERING:
            setattr(cell, status, getattr(cell, status) + 1)
            if gap_need or (programme, mentee, competency) in applied:
                cell.uncovered = max(cell.uncovered - 1, 0)
        elif status == Status.COMPLETED:
            cell.completed += 1
    return counts


def _places(programme_ids):
    """{programme id: (mentors, places offered)} over the offers of active staff."""
    rows = MentorOffer.objects.filter(programme_id__in=programme_ids, mentor__active=True).values(
        "programme_id").annotate(mentors=Count("pk"), places=Sum("capacity")).values_list(
        "programme_id", "mentors", "places")
    return {programme: (mentors, places or 0) for programme, mentors, places in rows}


def programme_rows(programmes, agency):
    """The programme list: per programme its competencies, mentors, places, needs and coverage.

    ``programmes`` are one agency's; returns dicts ``programme``, ``competencies`` (instances),
    ``mentors``, ``places``, ``coverage`` (a ``Coverage``) and ``cycle``. A fixed number of queries."""
    programmes = list(programmes.prefetch_related("competencies"))
    cycle = needs_cycle(agency) if programmes else None
    ids = [p.pk for p in programmes]
    counts = coverage_counts(agency, cycle, ids)
    totals = defaultdict(Coverage)
    for (programme, _competency, _unit), cell in counts.items():
        totals[programme].add(cell)
    places = _places(ids)
    return [{"programme": p, "competencies": list(p.competencies.all()), "mentors": places.get(p.pk, (0, 0))[0],
             "places": places.get(p.pk, (0, 0))[1], "coverage": totals[p.pk], "cycle": cycle}
            for p in programmes]


def programme_coverage(programme, cycle):
    """One programme's coverage: ``competencies`` (rows of competency, Coverage, mentors offering it),
    ``units`` (rows of top unit, Coverage), ``total`` (Coverage) and ``places`` (mentors, offered, used)."""
    agency = programme.agency
    competencies = list(programme.competencies.all())
    counts = coverage_counts(agency, cycle, [programme.pk])
    top = top_units(agency)
    by_competency, by_unit, total = defaultdict(Coverage), defaultdict(Coverage), Coverage()
    for (_programme, competency, unit), cell in counts.items():
        by_competency[competency].add(cell)
        by_unit[top.get(unit, unit)].add(cell)
        total.add(cell)
    offering = dict(MentorOffer.competencies.through.objects.filter(
        mentoroffer__programme=programme, mentoroffer__mentor__active=True).values("competency_id").annotate(
        n=Count("pk")).values_list("competency_id", "n"))
    names = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    mentors, offered = _places([programme.pk]).get(programme.pk, (0, 0))
    known = {c.pk for c in competencies}
    rows = [{"competency": c, "coverage": by_competency[c.pk], "mentors": offering.get(c.pk, 0)} for c in competencies]
    # Pairs in a competency taken out of the programme since: still shown, under their code.
    gone = [c for c in by_competency if c not in known]
    if gone:
        rows += [{"competency": c, "coverage": by_competency[c.pk], "mentors": 0}
                 for c in Competency.objects.filter(pk__in=gone)]
    units = sorted(({"unit": names.get(u, "–"), "unit_id": u, "coverage": cell} for u, cell in by_unit.items()
                    if cell.needs), key=lambda row: (-row["coverage"].needs, row["unit"]))
    return {"competencies": rows, "units": units, "total": total,
            "places": {"mentors": mentors, "offered": offered, "used": total.covered}}


def top_unit_choices(agency):
    """[(top unit id, name)] of ``agency`` by name: the pairs list's unit filter."""
    return list(Unit.objects.filter(agency=agency, parent__isnull=True).order_by("name").values_list("pk", "name"))


def programme_pairs(programme, *, status=None, competency=None, top_unit=None):
    """The programme's pairs, proposed first, with both people, their units and the competency; filtered by
    ``status``, ``competency`` (id) and ``top_unit`` (the mentee's top unit id)."""
    pairs = MentoringPair.objects.filter(programme=programme).select_related(
        "mentor", "mentor__unit", "mentee", "mentee__unit", "competency")
    if status:
        pairs = pairs.filter(status=status)
    if competency:
        pairs = pairs.filter(competency_id=competency)
    if top_unit:
        top = top_units(programme.agency)
        pairs = pairs.filter(mentee__unit_id__in=[u for u, t in top.items() if t == top_unit])
    order = Case(*[When(status=s, then=Value(i)) for i, s in enumerate(STATUS_ORDER)], output_field=IntegerField())
    return pairs.annotate(status_order=order).order_by("status_order", "competency__code", "mentee__name", "pk")


def proposed_count(programme):
    """How many pairs of ``programme`` wait to be made active."""
    return MentoringPair.objects.filter(programme=programme, status=Status.PROPOSED).count()


def programme_mentors(programme):
    """The programme's offers with the mentor, their unit and the competencies offered, by name."""
    return MentorOffer.objects.filter(programme=programme).select_related("mentor", "mentor__unit").prefetch_related(
        "competencies").order_by("mentor__name", "pk")


def mentor_loads(programme, mentor_ids):
    """{mentor id: {"proposed": n, "active": n}} of ``mentor_ids`` in ``programme``, in one query."""
    loads = defaultdict(lambda: {"proposed": 0, "active": 0})
    rows = MentoringPair.objects.filter(programme=programme, mentor_id__in=list(mentor_ids),
                                        status__in=COVERING).values("mentor_id", "status").annotate(
        n=Count("pk")).values_list("mentor_id", "status", "n")
    for mentor, status, n in rows:
        loads[mentor][status] = n
    return loads


def open_applications(programme):
    """Applications of ``programme`` still waiting for a mentor, oldest first, with the person and competency."""
    return MentoringApplication.objects.filter(
        programme=programme, status=MentoringApplication.Status.OPEN).select_related(
        "employee", "employee__unit", "competency").order_by("created_at", "pk")
