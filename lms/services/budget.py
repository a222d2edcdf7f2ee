"""Budget planning at the ORM edge: candidates from a cycle's recommendations and gaps, plans written and moved on.

``read_candidates`` turns the cycle's recommendations (priority-weighted by their gaps), the
catalogue's costs, the agency's envelopes and the JP its staff already have into a
``lms.budget.Problem``; ``plan_budget`` solves it (MILP or greedy) and writes a draft
``TrainingPlan`` in one transaction; ``plan_submit``/``plan_approve``/``plan_return`` move a plan
on with who and when; ``plan_seats`` reads a plan back as a frame for the summaries, and
``planned_vs_spent`` sets it against enrollments and completions.
"""

import dataclasses
from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course, CourseCompetency
from tna.conf import settings as tna_settings
from tna.infra.formats import integer, seconds_text
from tna.models import Competency, CompetencyGap, Cycle, Employee, Unit
from tna.roles import PLANNER, has_role, user_agency

from ..budget import Params, Problem, greedy, optimise
from ..budget.accounts import account_for_route, match_envelopes
from ..budget.summary import with_seat_cost
from ..budget.whatif import scaled
from ..conf import settings
from ..models import (
    Enrollment,
    EnrollmentStatus,
    Envelope,
    JpCredit,
    PlanEvent,
    PlanItem,
    PlanMethod,
    PlanParticipant,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
    TrainingPlan,
)
from ..recommend import DEVELOPMENT_LEVELS

MILLION = 1_000_000


def budget_params(**overrides):
    """The optimiser's parameters from the ``LATIH_*`` settings."""
    return replace(Params(
        jp_minimum=tna_settings.JP_MINIMUM_PER_YEAR, jp_weight=settings.BUDGET_JP_WEIGHT,
        fairness=settings.BUDGET_FAIRNESS, floor_weight=settings.BUDGET_FLOOR_WEIGHT,
        time_limit=settings.BUDGET_TIME_LIMIT, relative_gap=settings.BUDGET_RELATIVE_GAP,
    ), **overrides)


def can_plan(user, agency):
    """Planners of ``agency`` and superusers."""
    if getattr(user, "is_superuser", False):
        return True
    return has_role(user, PLANNER) and user_agency(user) == agency


def _require(user, agency):
    if not can_plan(user, agency):
        raise PermissionDenied(_("Only the agency's planners may do this."))


# Envelopes ----------------------------------------------------------------------------------


def envelope_set(*, agency, fiscal_year, account, amount, user, unit=None, note=""):
    """Create or change the envelope of ``agency`` (or its ``unit``) for a year and account."""
    _require(user, agency)
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("The unit belongs to another agency.")})
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    envelope, _created = Envelope.objects.update_or_create(
        agency=agency, unit=unit, fiscal_year=fiscal_year, account=account,
        defaults={"amount": int(amount), "note": note, "updated_by": user},
    )
    return envelope


# Reading ------------------------------------------------------------------------------------


def top_units(agency):
    """Each unit of ``agency`` → its top unit (the perangkat daerah budgets and floors are kept by)."""
    parent = dict(Unit.objects.filter(agency=agency).values_list("pk", "parent_id"))
    top = {}
    for unit in parent:
        node, seen = unit, set()
        while parent.get(node) and node not in seen:
            seen.add(node)
            node = parent[node]
        top[unit] = node
    return top


@dataclasses.dataclass
class Candidates:
    """A ``Problem`` and what the writer needs to turn its seats back into plan rows.

    ``seats`` carries, beside the problem's columns, recommendation, course, competency,
    levels (expected closure in levels), account; ``pools`` course and envelope_id;
    ``envelopes`` id, unit, account, amount. ``unfunded``: seats no envelope pays for.
    """

    problem: Problem
    unfunded: int
    cycle: Cycle | None


def latest_cycle(fiscal_year):
    """The cycle whose gaps a fiscal year's plan rests on: that year's, else the latest before it."""
    return Cycle.objects.filter(year__lte=fiscal_year).order_by("-year").first()


def read_candidates(*, agency, fiscal_year, cycle=None, amounts=None):
    """The planning problem of ``agency`` for ``fiscal_year`` from ``cycle``'s recommendations.

    A seat's value is its expected closure (levels) times the gap's priority ÷ 100; top-ups
    (no gap) are worth only the JP they add. A seat of a course the person's development plan
    names (its recommendation's reason has ``development``) is worth one level at the priority
    the agency gives it (``TalentPolicy.leadership_priority`` when the plan was written), on top
    of any gap it closes. Dismissed recommendations are left out. Courses for the same gap are
    alternatives. ``amounts``: {envelope id: rupiah} to plan against
    instead of the stored amounts (the what-if).
    """
    cycle = cycle or latest_cycle(fiscal_year)
    top = top_units(agency)
    staff = pd.DataFrame.from_records(
        Employee.objects.filter(agency=agency, active=True).values_list("pk", "unit_id", "employment"),
        columns=["employee", "unit_id", "employment"],
    )
    staff["unit"] = staff["unit_id"].map(top).astype("Int64").fillna(-1).astype(np.int64)
    earned = _jp_earned(agency, fiscal_year)
    staff["jp_earned"] = staff["employee"].map(earned).fillna(0).astype(float)
    cap = settings.BUDGET_PPPK_JP_CAP
    staff["jp_cap"] = np.where((staff["employment"] == "PPPK") & (cap is not None), cap or 0, np.nan)

    recs = pd.DataFrame.from_records(
        Recommendation.objects.filter(cycle=cycle, employee__agency=agency, employee__active=True)
        .exclude(status=RecommendationStatus.DISMISSED)
        .values_list("pk", "employee_id", "course_id", "competency_id", "expected_closure"),
        columns=["recommendation", "employee", "course", "competency", "levels"],
    ) if cycle else pd.DataFrame(columns=["recommendation", "employee", "course", "competency", "levels"])
    gaps = pd.DataFrame.from_records(
        CompetencyGap.objects.filter(cycle=cycle, agency=agency).values_list("employee_id", "competency_id", "priority"),
        columns=["employee", "competency", "priority"],
    ) if cycle else pd.DataFrame(columns=["employee", "competency", "priority"])
    # Development-plan seats have no competency: a column of None only, which pandas would not merge
    # with the gaps' integers, so both sides are nullable integers first.
    recs["competency"] = recs["competency"].astype("Int64")
    gaps["competency"] = gaps["competency"].astype("Int64")
    recs = recs.merge(gaps, on=["employee", "competency"], how="left")
    recs["competency"] = recs["competency"].fillna(-1).astype(np.int64)
    recs["value"] = (recs["levels"].astype(float) * recs["priority"].fillna(0).clip(lower=1) / 100).where(
        recs["competency"] >= 0, 0.0)
    recs["value"] += recs["recommendation"].map(_development_priorities(agency, cycle)).fillna(0.0).astype(
        float).clip(0, 100) / 100 * DEVELOPMENT_LEVELS
    courses = pd.DataFrame.from_records(
        Course.objects.filter(pk__in=recs["course"].unique().tolist()).values_list(
            "pk", "jp", "cost_per_participant", "fixed_cost_per_class", "min_participants", "max_participants", "route"),
        columns=["course", "jp", "cost", "fixed_cost", "min_size", "max_size", "route"],
    )
    routes = {**settings.BUDGET_ROUTE_ACCOUNTS}
    courses["account"] = [account_for_route(r, routes or None) for r in courses["route"]]
    seats = recs.merge(courses, on="course", how="inner").merge(staff[["employee", "unit"]], on="employee")
    seats["agency"] = agency.pk

    envelopes = pd.DataFrame.from_records(
        Envelope.objects.filter(agency=agency, fiscal_year=fiscal_year).values_list("pk", "unit_id", "account", "amount"),
        columns=["id", "unit", "account", "amount"],
    )
    if amounts:
        envelopes["amount"] = [int(amounts.get(i, a)) for i, a in zip(envelopes["id"], envelopes["amount"], strict=True)]
    envelopes["unit"] = envelopes["unit"].astype("Int64").fillna(-1).astype(np.int64)
    envelopes["agency"] = agency.pk
    seats["envelope"] = match_envelopes(seats, envelopes)
    unfunded = int((seats["envelope"] < 0).sum())
    seats = seats[seats["envelope"] >= 0].reset_index(drop=True)
    # Alternatives: the courses recommended for one person's one gap.
    seats["group"] = np.where(seats["competency"] >= 0,
                              pd.factorize(seats["employee"].astype(str) + ":" + seats["competency"].astype(str))[0], -1)
    key = seats["course"].astype(np.int64) * 1_000_000 + seats["envelope"].astype(np.int64)
    seats["pool"], uniques = pd.factorize(key)
    pools = pd.DataFrame({"course": (np.asarray(uniques) // 1_000_000).astype(np.int64),
                          "envelope": (np.asarray(uniques) % 1_000_000).astype(np.int64)})
    pools = pools.merge(courses[["course", "fixed_cost", "min_size", "max_size"]], on="course", how="left")
    pools["envelope_id"] = envelopes["id"].to_numpy()[pools["envelope"].to_numpy()] if len(pools) else []
    staff = staff[["employee", "unit", "jp_earned", "jp_cap"]]
    problem = Problem(seats=seats, pools=pools, envelopes=envelopes, employees=staff)
    return Candidates(problem=problem, unfunded=unfunded, cycle=cycle)


def _development_priorities(agency, cycle):
    """{recommendation id: priority} of the cycle's recommendations of courses a development plan names."""
    if cycle is None:
        return {}
    return {pk: priority for pk, priority in Recommendation.objects.filter(
        cycle=cycle, employee__agency=agency, reason__has_key="development",
    ).values_list("pk", "reason__development__priority") if priority is not None}


def _jp_earned(agency, year):
    """JP each of the agency's staff has this year: credited, plus booked in sessions of the year."""
    earned = Counter(dict(JpCredit.objects.filter(employee__agency=agency, year=year)
                          .values("employee_id").annotate(total=Sum("jp")).values_list("employee_id", "total")))
    booked = (Enrollment.objects.filter(employee__agency=agency, session__starts_at__year=year,
                                        status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.REQUESTED])
              .values("employee_id").annotate(total=Sum("session__course__jp")).values_list("employee_id", "total"))
    earned.update(dict(booked))
    return dict(earned)


# Planning -----------------------------------------------------------------------------------


def solve(candidates, *, method=PlanMethod.OPTIMISED, params=None, factor=1.0, hint=None):
    """The plan for ``candidates`` by ``method``, envelopes times ``factor``; returns (problem, Plan)."""
    params = params or budget_params()
    problem = candidates.problem if factor == 1.0 else scaled(candidates.problem, factor)
    if method == PlanMethod.GREEDY:
        return problem, greedy(problem, params)
    return problem, optimise(problem, params, hint=hint)


@transaction.atomic
def plan_budget(*, agency, fiscal_year, user, method=PlanMethod.OPTIMISED, cycle=None, factor=1.0, name="",
                params=None, amounts=None):
    """Draw up a draft plan for ``agency``'s ``fiscal_year`` and store it; returns the ``TrainingPlan``.

    ``factor`` scales every envelope (0.8 = the budget cut by 20%); ``amounts`` ({envelope id:
    rupiah}) plans against other amounts than the stored ones (a what-if kept as a draft).
    """
    _require(user, agency)
    candidates = read_candidates(agency=agency, fiscal_year=fiscal_year, cycle=cycle, amounts=amounts)
    params = params or budget_params()
    problem, plan = solve(candidates, method=method, params=params, factor=factor)
    label = name or "{} {}{}{}".format(PlanMethod(method).label, fiscal_year,
                                   "" if factor == 1.0 else f" ({round(100 * (factor - 1)):+d}%)",
                                   " ({})".format(_("what-if")) if amounts else "")
    figures = plan_figures(problem, plan, candidates)
    training_plan = TrainingPlan.objects.create(
        agency=agency, fiscal_year=fiscal_year, cycle=candidates.cycle, name=label[:120], method=method,
        parameters={**dataclasses.asdict(params), "factor": factor}, figures=figures,
        envelopes=[{"id": int(r.id), "unit": int(r.unit), "account": r.account, "amount": int(r.amount)}
                   for r in problem.envelopes.itertuples()],
        created_by=user,
    )
    write_items(training_plan, problem, plan)
    _plan_seat_records(training_plan)  # the dashboard's first view of the new plan reads it from the cache
    PlanEvent.objects.create(plan=training_plan, action=PlanEvent.Action.CREATED, user=user, at=timezone.now(),
                             note=_("%(method)s, %(duration)s") % {"method": PlanMethod(method).label,
                                                                   "duration": seconds_text(plan.seconds)})
    return training_plan


def plan_figures(problem, plan, candidates=None):
    """What the planner sees of a plan's run, as JSON-safe numbers."""
    def num(x):
        return None if x is None or (isinstance(x, float) and not np.isfinite(x)) else round(float(x), 4)

    return {
        "objective": num(plan.objective), "value": num(plan.value), "jp_towards_minimum": num(plan.jp_towards_minimum),
        "floor_shortfall": num(plan.floor_shortfall), "bound": num(plan.bound), "gap": num(plan.gap),
        "lp_bound": num(plan.lp_bound), "lp_gap": num(plan.lp_gap), "status": plan.status,
        "seconds": round(plan.seconds, 2), "seats": plan.seats_chosen, "classes": int(plan.classes.sum()),
        "spent": plan.total_spent, "budget": int(problem.envelopes["amount"].sum()),
        "reaching_minimum": plan.reaching_minimum, "employees": plan.employees,
        "candidates": len(problem.seats), "unfunded": candidates.unfunded if candidates else 0,
    }


def write_items(training_plan, problem, plan):
    """One PlanItem per course × envelope with chosen seats, and its participants, in bulk."""
    seats = problem.seats[plan.chosen]
    if seats.empty:
        return
    course_ids = seats["course"].unique().tolist()
    courses = Course.objects.in_bulk(course_ids)
    providers = dict(Course.objects.filter(pk__in=course_ids).values_list("pk", "provider__name"))
    groups = dict(Competency.objects.values_list("pk", "group"))
    course_group = {}
    for course_id, competency_id in CourseCompetency.objects.filter(course_id__in=course_ids).order_by(
            "course", "sort_order").values_list("course_id", "competency_id"):
        course_group.setdefault(course_id, groups.get(competency_id))
    unit_names = dict(Unit.objects.filter(agency=training_plan.agency).values_list("pk", "name"))
    envelopes = problem.envelopes
    items, rows = [], []
    for pool, members in seats.groupby("pool"):
        course = courses[int(problem.pools["course"].iat[pool])]
        envelope = envelopes.iloc[int(problem.pools["envelope"].iat[pool])]
        classes = int(plan.classes[pool])
        n = len(members)
        kinds = Counter(groups.get(int(c)) for c in members["competency"] if c >= 0)
        units = Counter(unit_names.get(int(u), "") for u in members["unit"])
        items.append(PlanItem(
            plan=training_plan, course=course, envelope_id=int(envelope["id"]), account=envelope["account"],
            unit_id=int(envelope["unit"]) if envelope["unit"] >= 0 else None, classes=classes,
            cost_per_participant=course.cost_per_participant, cost_per_class=course.fixed_cost_per_class,
            jp=course.jp, expected_closure=float(members["value"].sum()),
            levels_closed=float(members["levels"].where(members["competency"] >= 0, 0).sum()),
            competency_type=(kinds.most_common(1)[0][0] if kinds else course_group.get(course.pk)) or "technical",
            target_staff=_("%(n)s staff: %(units)s") % {
                "n": integer(n), "units": ", ".join(f"{u} ({integer(c)})" for u, c in units.most_common())},
            route=course.route, provider=providers.get(course.pk, "")[:200],
            schedule=_("To be scheduled in %(year)s") % {"year": training_plan.fiscal_year},
            budget=classes * course.fixed_cost_per_class + n * course.cost_per_participant,
        ))
        rows.append(members)
    PlanItem.objects.bulk_create(items)
    participants = []
    for item, members in zip(items, rows, strict=True):
        for seat in members.itertuples():
            participants.append(PlanParticipant(
                item=item, employee_id=int(seat.employee), unit_id=int(seat.unit) if seat.unit >= 0 else None,
                recommendation_id=int(seat.recommendation), competency_id=int(seat.competency) if seat.competency >= 0 else None,
                expected_closure=float(seat.value), levels_closed=float(seat.levels) if seat.competency >= 0 else 0.0,
            ))
    PlanParticipant.objects.bulk_create(participants, batch_size=5000)


# Status -------------------------------------------------------------------------------------


def _move(plan, *, user, to, allowed_from, action, note=""):
    _require(user, plan.agency)
    with transaction.atomic():
        plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        if plan.status not in allowed_from:
            raise ValidationError(_("A %(status)s plan cannot be %(action)s.") % {
                "status": plan.get_status_display().lower(), "action": PlanEvent.Action(action).label.lower()})
        now = timezone.now()
        plan.status = to
        if to == PlanStatus.SUBMITTED:
            plan.submitted_by, plan.submitted_at = user, now
        elif to == PlanStatus.APPROVED:
            if TrainingPlan.objects.of_year(plan.agency, plan.fiscal_year).filter(status=PlanStatus.APPROVED).exists():
                raise ValidationError(_("Another plan of this year is already approved; return it to draft first."))
            plan.approved_by, plan.approved_at = user, now
        else:
            plan.approved_by = plan.approved_at = None
        plan.save()
        PlanEvent.objects.create(plan=plan, action=action, user=user, at=now, note=note)
    return plan


def plan_submit(*, plan, user, note=""):
    """Draft → submitted, for the head of the agency's approval."""
    return _move(plan, user=user, to=PlanStatus.SUBMITTED, allowed_from=[PlanStatus.DRAFT],
                 action=PlanEvent.Action.SUBMITTED, note=note)


def plan_approve(*, plan, user, note=""):
    """Submitted → approved (one approved plan per agency and year)."""
    return _move(plan, user=user, to=PlanStatus.APPROVED, allowed_from=[PlanStatus.SUBMITTED],
                 action=PlanEvent.Action.APPROVED, note=note)


def plan_return(*, plan, user, note=""):
    """Submitted or approved → draft again, with the reason."""
    return _move(plan, user=user, to=PlanStatus.DRAFT, allowed_from=[PlanStatus.SUBMITTED, PlanStatus.APPROVED],
                 action=PlanEvent.Action.RETURNED, note=note)


# Reading plans back -------------------------------------------------------------------------


PARTICIPANT_COLUMNS = ["item", "employee", "unit", "competency", "expected_closure", "levels_closed"]
ITEM_COLUMNS = ["item", "competency_type", "account", "jp", "cost_per_participant", "cost_per_class", "classes",
                "course"]
SEATS_CACHE_SECONDS = 24 * 3600


def _plan_seat_records(plan):
    """The plan's seats joined to their item's fixed figures, as ids and numbers.

    A plan's items and seats are written once, when it is made (``write_items``), and never
    change after; so the frame is cached under the plan's id and creation time (ids can come back
    after a rollback, the time does not). Names that can change (units, categories, codes) are
    looked up on each read by ``plan_seats``.
    """
    key = "latih:plan-seats:v1:%d:%s" % (plan.pk, plan.created_at.timestamp() if plan.created_at else "")
    seats = cache.get(key)
    if seats is None:
        participants = pd.DataFrame.from_records(
            PlanParticipant.objects.filter(item__plan=plan).order_by().values_list(
                "item_id", "employee_id", "unit_id", "competency_id", "expected_closure", "levels_closed"),
            columns=PARTICIPANT_COLUMNS)
        items = pd.DataFrame.from_records(
            plan.items.order_by().values_list("pk", "competency_type", "account", "jp", "cost_per_participant",
                                              "cost_per_class", "classes", "course_id"),
            columns=ITEM_COLUMNS)
        seats = with_seat_cost(participants.merge(items, on="item", how="left", validate="many_to_one"))
        cache.set(key, seats, SEATS_CACHE_SECONDS)
    return seats


def plan_seats(plan):
    """The plan's seats as a frame (``lms.budget.summary`` columns) with seat_cost, and unit/competency labels."""
    seats = _plan_seat_records(plan).copy()
    categories = dict(plan.items.order_by().values_list("pk", "course__category"))
    units = dict(Unit.objects.filter(agency=plan.agency_id).values_list("pk", "name"))
    competencies = dict(Competency.objects.values_list("pk", "code"))
    seats["agency"] = plan.agency_id
    seats["category"] = seats["item"].map(categories)
    seats["unit_name"] = seats["unit"].map(units).fillna("—")
    seats["competency_code"] = seats["competency"].map(competencies).fillna(_("top-up (JP)"))
    return seats


def plan_items(plan):
    """The plan's items with course and a participant count ``n``, most closure first."""
    from django.db.models import Count

    return plan.items.select_related("course").annotate(n=Count("seats")).order_by("-expected_closure", "pk")


def planned_vs_spent(plan):
    """Per account: planned rupiah, committed (enrolled) and spent (completed) in the plan's year.

    Committed and spent count each enrollment of the agency's staff in a session of the year at
    the course's cost per participant, plus the fixed cost once per session that has any.
    """
    planned = pd.DataFrame.from_records(plan.items.values_list("account", "budget"), columns=["account", "planned"])
    planned = planned.groupby("account", as_index=False)["planned"].sum()
    enrollments = pd.DataFrame.from_records(
        Enrollment.objects.filter(employee__agency=plan.agency, session__starts_at__year=plan.fiscal_year,
                                  status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED])
        .values_list("session_id", "status", "session__course__route", "session__course__cost_per_participant",
                     "session__course__fixed_cost_per_class"),
        columns=["session", "status", "route", "cost", "fixed"],
    )
    routes = settings.BUDGET_ROUTE_ACCOUNTS or None
    enrollments["account"] = [account_for_route(r, routes) for r in enrollments["route"]]
    first = ~enrollments.duplicated("session")
    enrollments["amount"] = enrollments["cost"] + np.where(first, enrollments["fixed"], 0)
    done = enrollments["status"] == EnrollmentStatus.COMPLETED
    actual = pd.DataFrame({
        "committed": enrollments.groupby("account")["amount"].sum(),
        "spent": enrollments[done].groupby("account")["amount"].sum(),
    }).reset_index().rename(columns={"index": "account"})
    table = planned.merge(actual, on="account", how="outer").fillna(0)
    for column in ("planned", "committed", "spent"):
        table[column] = table[column].astype(np.int64)
    return table.sort_values("account").reset_index(drop=True)


def reaching_minimum(plan, seats=None):
    """Staff of the agency and how many reach the JP minimum with what they have and the plan gives.

    ``seats``, the plan's seats frame when the caller has it already, saves reading them again.
    """
    earned = _jp_earned(plan.agency, plan.fiscal_year)
    if seats is None:
        planned = dict(PlanParticipant.objects.filter(item__plan=plan).order_by().values("employee_id")
                       .annotate(jp=Sum("item__jp")).values_list("employee_id", "jp"))
    else:
        planned = {int(k): int(v) for k, v in seats.groupby("employee")["jp"].sum().items()}
    staff = set(Employee.objects.filter(agency=plan.agency, active=True).order_by().values_list("pk", flat=True))
    minimum = tna_settings.JP_MINIMUM_PER_YEAR
    if minimum <= 0:
        return len(staff), len(staff)
    # Only people with some JP earned or planned can reach a minimum above zero.
    reached = sum(1 for employee in earned.keys() | planned.keys()
                  if employee in staff and earned.get(employee, 0) + (planned.get(employee) or 0) >= minimum)
    return len(staff), reached


def next_money_value(*, agency, fiscal_year, user, cycle=None, amount=10 * MILLION, factor=1.0, amounts=None):
    """Per envelope, the gap closure the next ``amount`` rupiah on it would add (re-planned each time)."""
    from ..budget.whatif import value_of_next_money

    _require(user, agency)
    candidates = read_candidates(agency=agency, fiscal_year=fiscal_year, cycle=cycle, amounts=amounts)
    params = budget_params(time_limit=max(2.0, settings.BUDGET_TIME_LIMIT / 2))
    problem, base = solve(candidates, params=params, factor=factor)
    results = value_of_next_money(problem, params, base, amount=amount)
    return base, [
        {"envelope": int(problem.envelopes["id"].iat[r.envelope]), "account": problem.envelopes["account"].iat[r.envelope],
         "unit": int(problem.envelopes["unit"].iat[r.envelope]), "value": r.value, "objective": r.objective, "jp": r.jp}
        for r in results
    ]
