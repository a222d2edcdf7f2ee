"""Reads for gap results: scoping, the current cycle, profiles, heatmaps, summaries and rater privacy."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from .conf import settings
from .infra.scoping import scope_people, scope_to_agency
from .models import CompetencyGap, CompetencyLevel, Cycle, Employee
from .roles import SUPERVISOR, employee_of, has_role, is_agency_staff, subordinate_ids

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


# --- rater privacy -------------------------------------------------------------------------------

def merge_rater_roles(raters, *, min_raters):
    """Per-role rater averages as the ratee may see them.

    ``raters`` is ``reason["raters"]`` ({role: {"n", "mean", "weight"}}). Roles with at least
    ``min_raters`` raters keep their own average; the rest are pooled into one ``"other"`` average
    (weighted by rater count), shown only when the pool itself reaches ``min_raters``. Self is one
    known person, so it is always shown. Returns [{"role", "n", "mean"}] in a fixed order.
    """
    shown, pooled_n, pooled_sum = [], 0, 0.0
    for role, part in (raters or {}).items():
        n, mean = int(part.get("n") or 0), part.get("mean")
        if n <= 0 or mean is None:
            continue
        if role == "self" or n >= min_raters:
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

    Authorised HR gets every role's average with its weight; the ratee, their supervisors and
    anyone else allowed to see the row get ``merge_rater_roles`` (small roles pooled, never an
    individual rater).
    """
    raters = (gap.reason or {}).get("raters") or {}
    if sees_rater_detail(user, employee_id=gap.employee_id, agency_id=gap.agency_id):
        return [
            {"role": role, "n": int(part.get("n") or 0), "mean": part.get("mean"), "weight": part.get("weight")}
            for role, part in sorted(raters.items(), key=lambda kv: RATER_ROLE_ORDER.index(kv[0]) if kv[0] in RATER_ROLE_ORDER else 99)
        ]
    return merge_rater_roles(raters, min_raters=settings.MIN_RATERS_PER_ROLE_SHOWN)


def public_reason(reason):
    """The reason dict without its per-role rater block (which ``rater_view`` replaces)."""
    return {key: value for key, value in (reason or {}).items() if key != "raters"}


# --- teams and heatmaps --------------------------------------------------------------------------

def team_members(supervisor):
    """Direct and indirect reports of ``supervisor`` (a QuerySet ordered by unit and name)."""
    return (
        Employee.objects.filter(pk__in=subordinate_ids(supervisor))
        .select_related("unit", "position")
        .order_by("unit__name", "name")
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
