"""Reads for gap results (scoping, the current cycle, profiles, heatmaps, summaries, rater privacy)
and for the work waiting in an open cycle (evidence due, team ratings due, the latest TNA run)."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import IsNull

from .conf import settings
from .infra.scoping import scope_people, scope_to_agency
from .models import (
    Appraisal,
    Competency,
    CompetencyGap,
    CompetencyLevel,
    Cycle,
    Employee,
    PeerAssignment,
    Rating,
    RequiredLevel,
    SurveyResponse,
    TnaRun,
)
from .roles import SUPERVISOR, employee_of, has_role, is_agency_staff

# Rows without any rating carry gap 0 by contract; they are counted apart so they don't dilute means.
ASSESSED = Q(observed_level__isnull=False)
SUMMARY_KEYS = {
    "unit": ("unit_id", "unit__code", "unit__name"),
    "competency": ("competency_id", "competency__code", "competency__name"),
    "agency": ("agency_id", "agency__code", "agency__name"),
}
RATER_ROLE_ORDER = ["supervisor", "peer", "subordinate", "other", "self"]


# --- scoping -------------------------------------------------------------------------------------

def scope_gaps(queryset, user):
    """Limit gap rows to what ``user`` may see.

    HR staff (training admins, planners) are scoped by the agency snapshot stored on each row, so
    their summaries need no join; everyone else by ``tna.roles.scope_people`` (self, or self and the
    supervisor chain below).
    """
    if not getattr(user, "is_superuser", False) and is_agency_staff(user):
        return scope_to_agency(queryset, user, field="agency")
    return scope_people(queryset, user)


def visible_gaps(user):
    """Every CompetencyGap row ``user`` may read, across cycles."""
    return scope_gaps(CompetencyGap.objects.all(), user)


def visible_employee(user, nip):
    """The employee with ``nip`` if ``user`` may view their profile, else None."""
    return scope_people(Employee.objects.filter(nip=nip), user, employee_field="").select_related(
        "unit", "position", "agency"
    ).first()


def is_planner(user):
    """Who may open the unit × competency heatmap: planners and training admins (superusers too)."""
    return is_agency_staff(user)


def is_team_lead(user):
    """Who may open the team heatmap: supervisors with an employee record."""
    return has_role(user, SUPERVISOR) and employee_of(user) is not None


# --- cycles --------------------------------------------------------------------------------------

def cycles_with_results(gaps):
    """Cycles (newest first) that have at least one row in the ``gaps`` queryset."""
    return Cycle.objects.filter(Exists(gaps.filter(cycle=OuterRef("pk")))).order_by("-year")


def parse_cycle_year(value):
    """``?cycle=`` as an int year, None when empty; ValueError with a readable message otherwise."""
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"cycle must be a year such as 2026, not {value!r}") from None
    if not 1900 <= year <= 2999:
        raise ValueError(f"cycle must be a year such as 2026, not {value!r}")
    return year


def current_cycle(gaps, year=None):
    """The cycle asked for (``year``), or the latest cycle with results in ``gaps``; None if none."""
    if year is not None:
        return Cycle.objects.filter(year=year).first()
    return cycles_with_results(gaps).first()


# --- one person ----------------------------------------------------------------------------------

def profile_gaps(employee, cycle):
    """The person's gap rows in ``cycle`` with competencies, in dictionary order."""
    return list(
        CompetencyGap.objects.filter(cycle=cycle, employee=employee)
        .select_related("competency")
        .order_by("competency__sort_order", "competency__code")
    )


def level_descriptors(pairs):
    """{(competency_id, level): CompetencyLevel} for the given pairs, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    levels = CompetencyLevel.objects.filter(
        competency_id__in={c for c, _ in pairs}, level__in={lv for _, lv in pairs}
    )
    return {(lv.competency_id, lv.level): lv for lv in levels if (lv.competency_id, lv.level) in pairs}


def self_levels(employee, cycle):
    """{competency_id: level} the person chose in their own self-assessment of ``cycle`` (before any
    correction): shown to the person beside the corrected value."""
    return dict(
        Rating.objects.filter(cycle=cycle, ratee=employee, rater=employee, rater_role="self")
        .values_list("competency_id", "level")
    )


# --- rater privacy -------------------------------------------------------------------------------

def merge_rater_roles(raters, *, min_raters):
    """Per-role rater averages as the ratee (and their supervisors) may see them.

    ``raters`` is ``reason["raters"]`` ({role: {"n", "mean", "weight"}}), which holds only the
    groups the analysis counted (``tna.analysis.anonymity``): self, the supervisor, peer and
    subordinate groups of at least ``min_raters``, and smaller peer and subordinate groups that
    together reach ``min_raters``. Those are shown as one ``"other"`` average (by rater count),
    exactly the group the analysis weighed, so nothing shown isolates a smaller group. A pool
    still under ``min_raters`` (results of runs before the rule) is not shown. Returns
    [{"role", "n", "mean"}] in a fixed order.
    """
    shown, pooled_n, pooled_sum = [], 0, 0.0
    for role, part in (raters or {}).items():
        n, mean = int(part.get("n") or 0), part.get("mean")
        if n <= 0 or mean is None:
            continue
        if role in ("self", "supervisor") or n >= min_raters:
            shown.append({"role": role, "n": n, "mean": round(float(mean), 2)})
        else:
            pooled_n += n
            pooled_sum += n * float(mean)
    if pooled_n >= min_raters:
        shown.append({"role": "other", "n": pooled_n, "mean": round(pooled_sum / pooled_n, 2)})
    return sorted(shown, key=lambda part: RATER_ROLE_ORDER.index(part["role"]) if part["role"] in RATER_ROLE_ORDER else 99)


def sees_rater_detail(user, *, employee_id, agency_id):
    """True when ``user`` is authorised HR for this person: superuser, or training admin/planner of
    the person's agency, and not the person themself (nobody unmasks their own raters)."""
    me = employee_of(user)
    if me is not None and me.pk == employee_id:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return me is not None and is_agency_staff(user) and me.agency_id == agency_id


def rater_view(user, gap):
    """THE rule for who sees which rater averages of ``gap`` (views and API both call this).

    Authorised HR gets every counted role with its count and weight, and its average unless it is
    a peer or subordinate group too small to be anonymous: those only in the pool ("other"), as
    everyone else sees it, so HR never reads what one or two raters said either. The ratee, their
    supervisors and anyone else allowed to see the row get ``merge_rater_roles``.
    """
    raters = (gap.reason or {}).get("raters") or {}
    minimum = settings.MIN_RATERS_PER_ROLE_SHOWN
    merged = merge_rater_roles(raters, min_raters=minimum)
    if not sees_rater_detail(user, employee_id=gap.employee_id, agency_id=gap.agency_id):
        return merged
    rows = []
    for role, part in sorted(raters.items(), key=lambda kv: RATER_ROLE_ORDER.index(kv[0]) if kv[0] in RATER_ROLE_ORDER else 99):
        n, mean = int(part.get("n") or 0), part.get("mean")
        if role in ("peer", "subordinate") and n < minimum:
            mean = None
        rows.append({"role": role, "n": n, "mean": mean, "weight": part.get("weight")})
    return rows + [{**pool, "weight": None} for pool in merged if pool["role"] == "other"]


def public_reason(reason):
    """The reason dict without its per-role rater block (which ``rater_view`` replaces)."""
    return {key: value for key, value in (reason or {}).items() if key != "raters"}


# --- teams and heatmaps --------------------------------------------------------------------------

# Everyone below a supervisor, walked in the database: one subquery, whatever the team's size
# (tna.roles.subordinate_ids walks level by level and returns ids, which a query then has to bind
# one by one: 7,632 of them under an agency head of 20,000 staff). Same depth limit. Plain SQL
# that SQLite and PostgreSQL both run; the supervisor's id is its only parameter.
TEAM_SQL = (
    "WITH RECURSIVE team(id, depth) AS ("
    " SELECT id, 1 FROM tna_employee WHERE supervisor_id = %s"
    " UNION ALL"
    " SELECT e.id, team.depth + 1 FROM tna_employee e JOIN team ON e.supervisor_id = team.id"
    " WHERE team.depth < 10"
    ") SELECT id FROM team"
)


def team_members(supervisor):
    """Direct and indirect reports of ``supervisor`` (a QuerySet ordered by unit and name)."""
    return (
        Employee.objects.filter(pk__in=RawSQL(TEAM_SQL, [supervisor.pk]))
        .select_related("unit", "position")
        .order_by("unit__name", "name")
    )


def team_gaps(supervisor):
    """Gap rows of ``supervisor``'s direct and indirect reports, across cycles."""
    return CompetencyGap.objects.filter(employee__in=RawSQL(TEAM_SQL, [supervisor.pk]))


def team_competency_gaps(supervisor, cycle, competency):
    """One competency's gap rows across ``supervisor``'s team in ``cycle``: largest gap first, people
    without ratings last (a QuerySet with the person and their unit)."""
    return (
        team_gaps(supervisor).filter(cycle=cycle, competency=competency)
        .select_related("employee", "employee__unit")
        .order_by(IsNull(F("observed_level"), True), "-gap", "employee__name")
    )


def team_competencies(supervisor, cycle):
    """Competencies required of anyone in ``supervisor``'s team in ``cycle``, in dictionary order."""
    return Competency.objects.filter(pk__in=team_gaps(supervisor).filter(cycle=cycle).values("competency_id")).order_by(
        "sort_order", "code"
    )


def team_cells(employee_ids, cycle):
    """{(employee_id, competency_id): row dict} for a page of a team, plus the competencies seen."""
    rows = CompetencyGap.objects.filter(cycle=cycle, employee_id__in=list(employee_ids)).values(
        "employee_id", "competency_id", "gap", "observed_level", "required_level", "priority"
    )
    return {(r["employee_id"], r["competency_id"]): r for r in rows}


def _sums():
    # Sums and counts only (no COUNT DISTINCT, no AVG): they roll up exactly from cells to totals.
    return {
        "count": Count("id", filter=ASSESSED),
        "unassessed": Count("id", filter=~ASSESSED),
        "gap_sum": Sum("gap", filter=ASSESSED),
        "gap_ge_1": Count("id", filter=ASSESSED & Q(gap__gte=1)),
        "priority_sum": Sum("priority", filter=ASSESSED),
    }


def finish(sums):
    """Means from a row of sums: adds mean_gap, share_gap_ge_1 and mean_priority (None when nothing
    was assessed) and drops the sums; keeps every other key."""
    row = {k: v for k, v in sums.items() if k not in ("gap_sum", "gap_ge_1", "priority_sum")}
    n = sums["count"]
    row["mean_gap"] = sums["gap_sum"] / n if n else None
    row["share_gap_ge_1"] = sums["gap_ge_1"] / n if n else None
    row["mean_priority"] = sums["priority_sum"] / n if n else None
    return row


def roll_up(rows, key):
    """Add up rows of sums (from ``heatmap_sums``) by ``key(row)``: {key: sums}."""
    totals = {}
    for row in rows:
        total = totals.setdefault(key(row), {"count": 0, "unassessed": 0, "gap_sum": 0.0, "gap_ge_1": 0, "priority_sum": 0.0})
        total["count"] += row["count"]
        total["unassessed"] += row["unassessed"]
        total["gap_sum"] += row["gap_sum"] or 0.0
        total["gap_ge_1"] += row["gap_ge_1"]
        total["priority_sum"] += row["priority_sum"] or 0.0
    return totals


def heatmap_sums(gaps):
    """Unit × competency sums of ``gaps`` in one grouped query (rows: unit_id, competency_id, count,
    unassessed, gap_sum, gap_ge_1, priority_sum); ``finish`` turns a row into means."""
    return list(gaps.order_by().values("unit_id", "competency_id").annotate(**_sums()))


# Long enough to outlive a working day; a new run changes the key anyway.
HEATMAP_CACHE_SECONDS = 24 * 60 * 60


def results_stamp(cycle):
    """What identifies the results of ``cycle`` as they stand: the latest succeeded run ("" when no
    run wrote them, e.g. rows created directly). Results change only when a run commits."""
    run = (
        TnaRun.objects.filter(cycle=cycle, status=TnaRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-pk").values_list("pk", "finished_at").first()
    )
    if run is None or run[1] is None:
        return ""
    return "%d.%d" % (run[0], run[1].timestamp() * 1_000_000)


def cycle_heatmap_sums(cycle, agency=None):
    """``heatmap_sums`` of ``cycle`` (one agency's rows, or all), kept in the cache until the next run.

    The grouped query reads every result row of the agency (1.4 s on SQLite for 20,000 staff);
    its outcome changes only when a TNA run commits, so it is cached under the latest run.
    """
    gaps = CompetencyGap.objects.filter(cycle=cycle)
    if agency is not None:
        gaps = gaps.filter(agency=agency)
    stamp = results_stamp(cycle)
    if not stamp:
        return heatmap_sums(gaps)
    key = "latih:tna:heatmap:%d:%s:%s" % (cycle.pk, agency.pk if agency is not None else "all", stamp)
    sums = cache.get(key)
    if sums is None:
        sums = heatmap_sums(gaps)
        cache.set(key, sums, HEATMAP_CACHE_SECONDS)
    return sums


def gap_summary(gaps, by):
    """Aggregates of ``gaps`` grouped ``by`` unit, competency or agency (KeyError for anything else).

    Returns dicts with key, code, name, count (assessed rows), unassessed, mean_gap, share_gap_ge_1
    and mean_priority, ordered by mean gap, largest first.
    """
    key, code, name = SUMMARY_KEYS[by]
    rows = gaps.order_by().values(key, code, name).annotate(**_sums())
    summary = [
        finish({"key": row[key], "code": row[code], "name": row[name],
                **{field: row[field] for field in _sums()}})
        for row in rows
    ]
    return sorted(summary, key=lambda r: (r["mean_gap"] is None, -(r["mean_gap"] or 0), r["code"]))


# --- work waiting (the role homes) ---------------------------------------------------------------

def open_cycle():
    """The newest cycle still open for entries, or None."""
    return Cycle.objects.filter(is_open=True).order_by("-year").first()


@dataclass
class RateeDue:
    """Someone ``rater`` is asked to rate in a cycle: required competencies, those rated so far and,
    for a direct report, whether the SKP appraisal is in (None where none is asked)."""

    employee: Employee
    needed: int
    rated: int
    appraised: bool | None = None

    @property
    def done(self):
        return self.rated >= self.needed > 0 and self.appraised is not False


@dataclass
class EvidenceDue:
    """What one person still has to enter in an open cycle: self-assessment, survey, assigned peers."""

    cycle: Cycle
    self_needed: int
    self_rated: int
    survey_done: bool
    peers: list = field(default_factory=list)  # RateeDue not yet done

    @property
    def self_done(self):
        return self.self_rated >= self.self_needed > 0

    def __bool__(self):
        return not self.self_done or not self.survey_done or bool(self.peers)


def _required_count(position):
    """A subquery: how many active competencies ``position`` (an OuterRef) requires."""
    return Subquery(
        RequiredLevel.objects.filter(position=position, competency__active=True)
        .order_by().values("position").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def _rated_count(cycle, rater, ratee, position):
    """A subquery: how many of the competencies ``position`` requires ``rater`` rated ``ratee`` on."""
    return Subquery(
        Rating.objects.filter(
            cycle=cycle, rater=rater, ratee=ratee, competency__active=True,
            competency__required_levels__position=position,
        ).order_by().values("ratee").annotate(n=Count("pk")).values("n"),
        output_field=IntegerField(),
    )


def evidence_due(employee, cycle):
    """``EvidenceDue`` of ``employee`` in ``cycle`` (counted as the evidence hub counts), in three queries."""
    me = (
        Employee.objects.filter(pk=employee.pk)
        .annotate(
            needed=Coalesce(_required_count(OuterRef("position")), 0),
            rated=Coalesce(_rated_count(cycle, employee.pk, OuterRef("pk"), OuterRef("position")), 0),
            surveyed=Exists(SurveyResponse.objects.filter(cycle=cycle, employee=OuterRef("pk"))),
        )
        .values("needed", "rated", "surveyed")
        .get()
    )
    # Direct reports and one's own supervisor are rated as such, not as peers (as on the hub).
    assignments = (
        PeerAssignment.objects.filter(cycle=cycle, rater=employee, ratee__active=True)
        .exclude(ratee__supervisor=employee)
        .exclude(ratee=employee.supervisor_id or 0)
        .select_related("ratee__position")
        .annotate(
            needed=Coalesce(_required_count(OuterRef("ratee__position")), 0),
            rated=Coalesce(_rated_count(cycle, employee.pk, OuterRef("ratee"), OuterRef("ratee__position")), 0),
        )
        .order_by("ratee__name")
    )
    peers = [RateeDue(a.ratee, a.needed, a.rated) for a in assignments]
    return EvidenceDue(
        cycle=cycle, self_needed=me["needed"], self_rated=me["rated"], survey_done=me["surveyed"],
        peers=[p for p in peers if not p.done],
    )


def team_ratings_due(supervisor, cycle):
    """The supervisor's active direct reports whose competency rating or SKP appraisal by them is not
    complete in ``cycle`` (``RateeDue``, by name), in one query."""
    reports = (
        Employee.objects.active().filter(supervisor=supervisor)
        .select_related("position")
        .annotate(
            needed=Coalesce(_required_count(OuterRef("position")), 0),
            rated=Coalesce(_rated_count(cycle, supervisor.pk, OuterRef("pk"), OuterRef("position")), 0),
            appraised=Exists(Appraisal.objects.filter(cycle=cycle, employee=OuterRef("pk"))),
        )
        # Not done (RateeDue.done) decided in SQL: a head of 1,600 reports builds no object per report.
        .filter(Q(needed=0) | Q(rated__lt=F("needed")) | Q(appraised=False))
        .order_by("name")
    )
    return [RateeDue(r, r.needed, r.rated, r.appraised) for r in reports]


def latest_tna_run(cycle, agency=None):
    """The latest TNA run of ``cycle`` that covers ``agency`` (its own or an all-agency run); any
    agency's when ``agency`` is None. None when there is none."""
    runs = TnaRun.objects.filter(cycle=cycle).select_related("agency")
    if agency is not None:
        runs = runs.filter(Q(agency=agency) | Q(agency__isnull=True))
    return runs.order_by("-created_at", "-pk").first()


def staff_of(agency, *, active=True):
    """The pks of ``agency``'s (active) staff, as a subquery for ``AnyOf("employee_id", …)``
    (``tna.infra.any_of``), which looks each person up in an index that starts with the employee
    (or the cycle and the employee); where no such index serves, the array would be searched row
    by row, and a join is better."""
    staff = Employee.objects.filter(agency=agency)
    return (staff.filter(active=True) if active else staff).values("pk")
