"""Matching a mentoring programme: TNA gaps and mentors' offers in, checked proposed pairs out (docs/mentoring.md).

``match_programme`` reads the programme's needs, mentors, locks and vetoes in a handful of bulk
queries, runs the optimal matcher (``lms.mentoring.match``) and the greedy baseline side by
side, has the independent checker judge the optimiser's pairs and, only when it finds nothing,
replaces the programme's unlocked proposed pairs with the new ones in one transaction.
``pair_lock`` and ``pair_veto`` are HR's two hands on a pair.

Inputs, as the matcher sees them:

* needs: gaps of 1 or more in the programme's competencies of the agency's active staff in the
  cycle (the latest with results unless given), priority from the gap; and the applications
  (``MentoringApplication``, not withdrawn) of active staff in those competencies, even without
  such a gap, at gap ``max(gap, 1)`` and the applicant's own priority (no result: gap 1 at the
  median priority of the programme's needs, else ``APPLICATION_PRIORITY``). A need already served
  by an active pair is not a need, nor an application served by an active or completed pair;
* mentors: the programme's offers of active staff of the agency, each offered competency at the
  mentor's observed level in that cycle (no result: the mentor is not eligible in it), capacity
  less the mentees of their active pairs;
* job rank: the level ``DEFAULT_REQUIRED_LEVELS`` asks of the job type (senior job types ask
  more), so a mentor's job type must ask at least as much as the mentee's;
* location: the person's top unit (``lms.services.budget.top_units``);
* locks: the programme's locked proposed pairs; vetoes: its vetoed pairs, and every other pair
  that stays (active, completed, ended), since a mentor and mentee meet once per programme.
"""

import dataclasses
import re
import statistics
import time

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tna.grades import JOB_LEVEL
from tna.infra.formats import number
from tna.models import CompetencyGap, Employee
from tna.selectors import current_cycle

from ..mentoring import Params, Problem, check, greedy, match, reasons
from ..mentoring.checker import feasible_locks
from ..mentoring.problem import Rules, pin_locks
from ..models.mentoring import MentoringApplication, MentoringPair, MentoringProgramme, MentorOffer
from .budget import top_units

Status = MentoringPair.Status
Applied = MentoringApplication.Status
LOCKABLE = (Status.PROPOSED, Status.ACTIVE)
VETOABLE = (Status.PROPOSED, Status.ACTIVE)
# The priority of an application whose applicant has no TNA result in the competency, when the
# programme has no needs from gaps to take the median of (priorities run 0–100).
APPLICATION_PRIORITY = 50.0
# Pairs that serve an application for good: it is no need any more (an ended or vetoed pair does not).
SERVES_APPLICATION = (Status.ACTIVE, Status.COMPLETED)

# Why a lock was not honoured, in words (the matcher's phrases, lms.mentoring.problem.pin_locks).
LOCK_REASONS = {
    "unknown mentor": gettext_lazy("The mentor no longer offers the competency, has no TNA result in it or has "
                                   "left."),
    "mentee has no gap of 1 or more in the competency": gettext_lazy(
        "The mentee no longer needs the competency (no gap of 1 or more and no application)."),
    "mentor has no capacity": gettext_lazy("The mentor has no place left."),
    "mentor is the mentee": gettext_lazy("The mentor and the mentee are the same person."),
    "mentor is the mentee's direct supervisor": gettext_lazy("The mentor is the mentee's direct supervisor."),
    "mentor's job rank is below the mentee's": gettext_lazy("The mentor's job level is below the mentee's."),
    "pair vetoed by HR": gettext_lazy("HR vetoed this pair."),
    "the need is locked to another mentor already": gettext_lazy(
        "An earlier lock gives this need to another mentor."),
    "the pair is locked for another competency already": gettext_lazy(
        "An earlier lock pairs the same two people in another competency."),
    "the mentor's capacity is taken by earlier locks": gettext_lazy("Earlier locks take the mentor's places."),
}
LEVEL_BELOW = re.compile(r"^mentor's level (\S+) is below (\S+)$")


def lock_reason_text(reason):
    """The matcher's reason for refusing a lock (English, from the pure code) in the active language."""
    found = LEVEL_BELOW.match(reason or "")
    if found:
        level, lowest = found.groups()
        if level == "none":
            return _("The mentor has no observed level in the competency.")
        return _("The mentor's level %(level)s is below the programme's lowest, %(lowest)s.") % {
            "level": number(float(level), 1), "lowest": number(float(lowest), 0)}
    text = LOCK_REASONS.get(reason)
    return str(text) if text else _("The lock breaks a matching rule or conflicts with an earlier lock.")


class MatchingViolation(RuntimeError):
    """The checker found the optimiser's pairs break a rule: nothing was written."""

    def __init__(self, violations):
        self.violations = list(violations)
        super().__init__("The matching breaks %d rule(s): %s" % (len(self.violations), "; ".join(self.violations[:5])))


@dataclasses.dataclass
class MatchSummary:
    """What one run of ``match_programme`` did.

    ``rows``: the optimiser's pairs as written (mentor_nip, mentee_nip, competency code, weight,
    locked, reason); ``locks_refused``: the locks that could not be honoured, each with why (they
    stay as HR left them; their need goes to no other mentor). ``applications``: the needs that
    come from applications alone (no gap of 1 or more); ``applications_matched``: the
    applications that have a pair after the run.
    """

    programme: MentoringProgramme
    cycle: object
    pairs: int = 0
    covered: float = 0.0
    greedy_covered: float = 0.0
    needs: int = 0
    mentors: int = 0
    infeasible_locks: int = 0
    seconds: float = 0.0
    applications: int = 0
    applications_matched: int = 0
    rows: list = dataclasses.field(default_factory=list)
    locks_refused: list = dataclasses.field(default_factory=list)

    def as_dict(self):
        """The figures as plain JSON values (no rows)."""
        return {"programme": self.programme.code, "cycle": getattr(self.cycle, "year", None), "pairs": self.pairs,
                "covered": round(self.covered, 6), "greedy_covered": round(self.greedy_covered, 6),
                "needs": self.needs, "mentors": self.mentors, "infeasible_locks": self.infeasible_locks,
                "seconds": round(self.seconds, 3), "violations": 0}


def job_rank(job_type):
    """A job type's level across families (``tna.grades.JOB_LEVEL``, 1–9; an unknown type counts as 1)."""
    return JOB_LEVEL.get(job_type, 1)


def match_programme(*, programme, cycle=None) -> MatchSummary:
    """Match ``programme`` on the TNA results of ``cycle`` (default: the agency's latest with results).

    Writes the new proposed pairs in place of the unlocked proposed ones and returns a
    ``MatchSummary``. Raises ``ValidationError`` when the agency has no TNA results, and
    ``MatchingViolation`` (writing nothing) when the checker finds the matching breaks a rule.
    """
    started = time.perf_counter()
    agency = programme.agency
    if cycle is None:
        cycle = current_cycle(CompetencyGap.objects.filter(agency=agency))
        if cycle is None:
            raise ValidationError(_("The agency has no TNA results to match mentors on."))
    with transaction.atomic():
        # One run at a time per programme: the second waits for the first's pairs.
        MentoringProgramme.objects.select_for_update().filter(pk=programme.pk).first()
        data = _read(programme, cycle)
        problem, fixed_refused = data["problem"], data["refused"]
        params = Params(min_level=programme.min_mentor_level, prefer_cross_unit=programme.prefer_cross_unit)
        best = match(problem, params)
        baseline = greedy(problem, params)
        violations = check(problem, params, best.pairs)
        if violations:
            raise MatchingViolation(violations)
        rows, matched = _write(programme, problem, best.pairs, data)
    refused = fixed_refused + [
        {"mentor_nip": data["nip"].get(m), "mentee_nip": data["nip"].get(e), "competency": c,
         "reason": lock_reason_text(r)}
        for m, e, c, r in best.infeasible_locks.itertuples(index=False)]
    return MatchSummary(
        programme=programme, cycle=cycle, pairs=len(best.pairs), covered=best.covered,
        greedy_covered=baseline.covered, needs=len(problem.needs), mentors=len(problem.mentors),
        infeasible_locks=len(refused), seconds=time.perf_counter() - started, applications=data["applied_only"],
        applications_matched=matched, rows=rows, locks_refused=refused)


def _read(programme, cycle):
    """The programme's problem, from bulk queries (competencies by code, people by id)."""
    agency = programme.agency
    codes = dict(programme.competencies.values_list("pk", "code"))
    staff = {pk: (nip, unit, boss, job_type) for pk, nip, unit, boss, job_type in Employee.objects.filter(
        agency=agency, active=True).values_list("pk", "nip", "unit_id", "supervisor_id", "position__job_type")}
    top = top_units(agency)
    stored = list(MentoringPair.objects.filter(programme=programme).order_by("pk").values_list(
        "pk", "mentor_id", "mentee_id", "competency_id", "status", "locked"))
    applications = _applications(programme, codes, staff, stored)
    applicants = {key for _pk, key in applications}

    gaps = CompetencyGap.objects.filter(cycle=cycle, competency_id__in=codes, employee__agency=agency,
                                        employee__active=True).values_list(
        "employee_id", "competency_id", "gap", "priority", "observed_level")
    need_rows, observed, own = [], {}, {}
    for employee, competency, gap, priority, level in gaps:
        code = codes[competency]
        if level is not None:
            observed[(employee, code)] = level
        if gap >= 1:
            need_rows.append((employee, code, float(gap), float(priority)))
        elif (employee, code) in applicants:
            own[(employee, code)] = float(priority)
    # An application is a need of its own only where the TNA shows no gap of 1 or more: at gap 1 and the
    # applicant's own priority, or (no result in the competency) the median priority of the gaps.
    gap_needs = {(row[0], row[1]) for row in need_rows}
    usual = statistics.median(row[3] for row in need_rows) if need_rows else APPLICATION_PRIORITY
    applied_only = [(e, c, 1.0, own.get((e, c), usual)) for _pk, (e, c) in applications if (e, c) not in gap_needs]
    need_rows += applied_only

    active = [(m, e, codes.get(c, c)) for _pk, m, e, c, status, _lk in stored if status == Status.ACTIVE]
    locked = [(pk, m, e, codes.get(c, c)) for pk, m, e, c, status, lk in stored if status == Status.PROPOSED and lk]
    served = {(e, c) for _m, e, c in active}
    need_rows = [row for row in need_rows if (row[0], row[1]) not in served]
    # A mentor and mentee meet once per programme: every pair that stays forbids a second.
    vetoes = {(m, e) for _pk, m, e, _c, status, lk in stored
              if status != Status.PROPOSED}

    busy = {}
    for mentor, mentee, _c in active:
        busy.setdefault(mentor, set()).add(mentee)
    offered = {}
    through = MentorOffer.competencies.through.objects.filter(mentoroffer__programme=programme)
    for mentor, competency in through.values_list("mentoroffer__mentor_id", "competency_id"):
        if competency in codes:
            offered.setdefault(mentor, []).append(codes[competency])
    mentor_rows, offer_rows = [], []
    for mentor, capacity in MentorOffer.objects.filter(programme=programme).values_list("mentor_id", "capacity"):
        levels = [(mentor, code, observed[(mentor, code)]) for code in offered.get(mentor, ())
                  if (mentor, code) in observed]
        if mentor not in staff or not levels:
            continue
        _nip, unit, _boss, job_type = staff[mentor]
        mentor_rows.append((mentor, job_rank(job_type), unit, top.get(unit, unit),
                            max(capacity - len(busy.get(mentor, ())), 0)))
        offer_rows += levels

    mentee_ids = sorted({row[0] for row in need_rows})
    mentee_rows = [(pk, job_rank(staff[pk][3]), staff[pk][1], top.get(staff[pk][1], staff[pk][1]), staff[pk][2])
                   for pk in mentee_ids]
    lock_rows = [(m, e, c) for _pk, m, e, c in locked]

    def build(needs, extra_vetoes=()):
        return Problem(
            needs=pd.DataFrame(needs, columns=["mentee_id", "competency_id", "gap", "priority"]),
            mentees=pd.DataFrame(mentee_rows, columns=["mentee_id", "job_rank", "unit_id", "location",
                                                       "supervisor_id"]).astype({"supervisor_id": "Int64"}),
            mentors=pd.DataFrame(mentor_rows, columns=["mentor_id", "job_rank", "unit_id", "location", "capacity"]),
            offers=pd.DataFrame(offer_rows, columns=["mentor_id", "competency_id", "level"]),
            locks=pd.DataFrame(lock_rows, columns=["mentor_id", "mentee_id", "competency_id"]),
            vetoes=pd.DataFrame(sorted(vetoes | set(extra_vetoes)), columns=["mentor_id", "mentee_id"]),
        )

    nip = {pk: row[0] for pk, row in staff.items()}
    problem = build(need_rows)
    # A lock the rules refuse stays as HR left it: its need goes to nobody else and its mentor and
    # mentee are not paired again. Its mentor's place is not taken off (the locks were over it already).
    params = Params(min_level=programme.min_mentor_level, prefer_cross_unit=programme.prefer_cross_unit)
    honoured = set(feasible_locks(problem, params))
    refused_locks = [lock for lock in locked if lock[1:] not in honoured]
    refused, blocked = [], set()
    if refused_locks:
        # Why, in the matcher's own words (the checker above decides which; this only explains).
        why = {(m, e, c): r for m, e, c, r in pin_locks(Rules(problem, params))[2].itertuples(index=False)}
        blocked = {(e, c) for _pk, _m, e, c in refused_locks}
        lock_rows = [lock for lock in lock_rows if lock in honoured]
        problem = build([row for row in need_rows if (row[0], row[1]) not in blocked],
                        {(m, e) for _pk, m, e, _c in refused_locks})
        refused = [{"mentor_nip": nip.get(m), "mentee_nip": nip.get(e), "competency": c,
                    "reason": lock_reason_text(why.get((m, e, c)))}
                   for _pk, m, e, c in refused_locks]
    return {"problem": problem, "refused": refused, "nip": nip, "locked": {lock[1:]: lock[0] for lock in locked},
            "code_to_pk": {code: pk for pk, code in codes.items()}, "cycle": cycle,
            "applications": [(pk, key) for pk, key in applications if key not in served],
            "applicants": applicants, "applied_only": len([row for row in applied_only if (row[0], row[1])
                                                           not in served | blocked]),
            "kept": blocked}


def _applications(programme, codes, staff, stored):
    """The applications that may be needs: [(application id, (employee id, competency code))].

    Every application not withdrawn of the agency's active staff in the programme's competencies,
    except those served by an active or completed pair (an ended or vetoed pair leaves it waiting).
    """
    done = {(e, c) for _pk, _m, e, c, status, _lk in stored if status in SERVES_APPLICATION}
    rows = MentoringApplication.objects.filter(programme=programme, competency_id__in=codes).exclude(
        status=Applied.WITHDRAWN).values_list("pk", "employee_id", "competency_id")
    return [(pk, (employee, codes[competency])) for pk, employee, competency in rows
            if employee in staff and (employee, competency) not in done]


def _write(programme, problem, pairs, data):
    """Replace the unlocked proposed pairs by ``pairs``; refresh the reasons of the locked ones kept; mark
    each application matched when its need has a pair now, open when not.

    Returns (rows, applications with a pair)."""
    why = reasons(problem, pairs)
    nip, locked, to_pk = data["nip"], data["locked"], data["code_to_pk"]
    year, applicants = getattr(data["cycle"], "year", None), data["applicants"]
    MentoringPair.objects.filter(programme=programme, status=Status.PROPOSED, locked=False).delete()
    new, kept, rows, paired = [], [], [], set(data["kept"])
    for row, reason in zip(pairs.itertuples(index=False), why, strict=True):
        mentor, mentee, code = int(row.mentor_id), int(row.mentee_id), row.competency_id
        key = (mentor, mentee, code)
        paired.add((mentee, code))
        # The cycle whose results made the pair (its goal level is read from them when it starts).
        reason["cycle"] = year
        reason["applied"] = (mentee, code) in applicants
        if reason["applied"]:
            reason["text"] += "; applied for mentoring"
        if key in locked:
            kept.append(MentoringPair(pk=locked[key], reason=reason))
        else:
            new.append(MentoringPair(programme=programme, mentor_id=mentor, mentee_id=mentee,
                                     competency_id=to_pk[code], status=Status.PROPOSED, reason=reason))
        rows.append({"programme": programme.code, "mentor_nip": nip[mentor], "mentee_nip": nip[mentee],
                     "competency": code, "weight": round(float(row.weight), 6), "locked": key in locked,
                     "reason": reason})
    MentoringPair.objects.bulk_create(new, batch_size=1000)
    MentoringPair.objects.bulk_update(kept, ["reason"], batch_size=1000)
    matched = [pk for pk, key in data["applications"] if key in paired]
    waiting = [pk for pk, key in data["applications"] if key not in paired]
    for status, pks in ((Applied.MATCHED, matched), (Applied.OPEN, waiting)):
        for start in range(0, len(pks), 1000):
            MentoringApplication.objects.filter(pk__in=pks[start:start + 1000]).exclude(status=status).update(
                status=status)
    return rows, len(matched)


def applications_reopen(*, programme, keys):
    """Open again the matched applications of ``programme`` whose need (mentee id, competency id) in ``keys``
    has no proposed or active pair any more (after a veto, an early end, a mentor leaving)."""
    keys = set(keys)
    if not keys:
        return 0
    taken = set(MentoringPair.objects.filter(
        programme=programme, status__in=LOCKABLE, mentee_id__in={e for e, _c in keys}).values_list(
        "mentee_id", "competency_id"))
    rows = MentoringApplication.objects.filter(
        programme=programme, status=Applied.MATCHED, employee_id__in={e for e, _c in keys}).values_list(
        "pk", "employee_id", "competency_id")
    reopen = [pk for pk, e, c in rows if (e, c) in keys and (e, c) not in taken]
    if reopen:
        MentoringApplication.objects.filter(pk__in=reopen).update(status=Applied.OPEN)
    return len(reopen)


@transaction.atomic
def pair_lock(*, pair, locked):
    """Lock (``locked=True``) or unlock a proposed or active pair, so a new matching keeps it as it is."""
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if locked and pair.status not in LOCKABLE:
        raise ValidationError(_("Only a proposed or active pair can be locked."))
    if pair.locked != bool(locked):
        pair.locked = bool(locked)
        pair.save(update_fields=["locked", "updated_at"])
    return pair


@transaction.atomic
def pair_veto(*, pair):
    """Forbid a proposed or active pair: it becomes vetoed and unlocked, and no matching proposes it again."""
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if pair.status == Status.VETOED:
        return pair
    if pair.status not in VETOABLE:
        raise ValidationError(_("Only a proposed or active pair can be vetoed."))
    pair.status, pair.locked = Status.VETOED, False
    pair.save(update_fields=["status", "locked", "updated_at"])
    applications_reopen(programme=pair.programme_id, keys=[(pair.mentee_id, pair.competency_id)])
    return pair
