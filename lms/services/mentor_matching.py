"""Matching a mentoring programme: TNA gaps and mentors' offers in, checked proposed pairs out (docs/mentoring.md).

``match_programme`` reads the programme's needs, mentors, locks and vetoes in a handful of bulk
queries, runs the optimal matcher (``lms.mentoring.match``) and the greedy baseline side by
side, has the independent checker judge the optimiser's pairs and, only when it finds nothing,
replaces the programme's unlocked proposed pairs with the new ones in one transaction.
``pair_lock`` and ``pair_veto`` are HR's two hands on a pair.

Inputs, as the matcher sees them:

* needs: gaps of 1 or more in the programme's competencies of the agency's active staff in the
  cycle (the latest with results unless given), priority from the gap; a need already served by
  an active pair is not a need;
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
import time

import pandas as pd
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tna.conf import settings as tna_settings
from tna.models import CompetencyGap, Employee
from tna.selectors import current_cycle

from ..mentoring import Params, Problem, check, greedy, match, reasons
from ..mentoring.checker import feasible_locks
from ..models.mentoring import MentoringPair, MentoringProgramme, MentorOffer
from .budget import top_units

Status = MentoringPair.Status
LOCKABLE = (Status.PROPOSED, Status.ACTIVE)
VETOABLE = (Status.PROPOSED, Status.ACTIVE)


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
    stay as HR left them; their need goes to no other mentor).
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
    rows: list = dataclasses.field(default_factory=list)
    locks_refused: list = dataclasses.field(default_factory=list)

    def as_dict(self):
        """The figures as plain JSON values (no rows)."""
        return {"programme": self.programme.code, "cycle": getattr(self.cycle, "year", None), "pairs": self.pairs,
                "covered": round(self.covered, 6), "greedy_covered": round(self.greedy_covered, 6),
                "needs": self.needs, "mentors": self.mentors, "infeasible_locks": self.infeasible_locks,
                "seconds": round(self.seconds, 3), "violations": 0}


def job_rank(job_type):
    """A job type's rank: the level ``DEFAULT_REQUIRED_LEVELS`` asks of it (1–5, senior job types ask more)."""
    return int(tna_settings.DEFAULT_REQUIRED_LEVELS.get(job_type, 1))


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
        rows = _write(programme, problem, best.pairs, data)
    refused = fixed_refused + [
        {"mentor_nip": data["nip"].get(m), "mentee_nip": data["nip"].get(e), "competency": c, "reason": r}
        for m, e, c, r in best.infeasible_locks.itertuples(index=False)]
    return MatchSummary(
        programme=programme, cycle=cycle, pairs=len(best.pairs), covered=best.covered,
        greedy_covered=baseline.covered, needs=len(problem.needs), mentors=len(problem.mentors),
        infeasible_locks=len(refused), seconds=time.perf_counter() - started, rows=rows, locks_refused=refused)


def _read(programme, cycle):
    """The programme's problem, from bulk queries (competencies by code, people by id)."""
    agency = programme.agency
    codes = dict(programme.competencies.values_list("pk", "code"))
    staff = {pk: (nip, unit, boss, job_type) for pk, nip, unit, boss, job_type in Employee.objects.filter(
        agency=agency, active=True).values_list("pk", "nip", "unit_id", "supervisor_id", "position__job_type")}
    top = top_units(agency)
    gaps = CompetencyGap.objects.filter(cycle=cycle, competency_id__in=codes, employee__agency=agency,
                                        employee__active=True).values_list(
        "employee_id", "competency_id", "gap", "priority", "observed_level")
    need_rows, observed = [], {}
    for employee, competency, gap, priority, level in gaps:
        if level is not None:
            observed[(employee, codes[competency])] = level
        if gap >= 1:
            need_rows.append((employee, codes[competency], float(gap), float(priority)))

    stored = list(MentoringPair.objects.filter(programme=programme).order_by("pk").values_list(
        "pk", "mentor_id", "mentee_id", "competency_id", "status", "locked"))
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
    honoured = set(feasible_locks(problem, Params(min_level=programme.min_mentor_level,
                                                  prefer_cross_unit=programme.prefer_cross_unit)))
    refused_locks = [lock for lock in locked if lock[1:] not in honoured]
    refused = []
    if refused_locks:
        blocked = {(e, c) for _pk, _m, e, c in refused_locks}
        lock_rows = [lock for lock in lock_rows if lock in honoured]
        problem = build([row for row in need_rows if (row[0], row[1]) not in blocked],
                        {(m, e) for _pk, m, e, _c in refused_locks})
        refused = [{"mentor_nip": nip.get(m), "mentee_nip": nip.get(e), "competency": c,
                    "reason": _("The lock breaks a matching rule or conflicts with an earlier lock.")}
                   for _pk, m, e, c in refused_locks]
    return {"problem": problem, "refused": refused, "nip": nip, "locked": {lock[1:]: lock[0] for lock in locked},
            "code_to_pk": {code: pk for pk, code in codes.items()}}


def _write(programme, problem, pairs, data):
    """Replace the unlocked proposed pairs by ``pairs``; refresh the reasons of the locked ones kept."""
    why = reasons(problem, pairs)
    nip, locked, to_pk = data["nip"], data["locked"], data["code_to_pk"]
    MentoringPair.objects.filter(programme=programme, status=Status.PROPOSED, locked=False).delete()
    new, kept, rows = [], [], []
    for row, reason in zip(pairs.itertuples(index=False), why, strict=True):
        mentor, mentee, code = int(row.mentor_id), int(row.mentee_id), row.competency_id
        key = (mentor, mentee, code)
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
    return rows


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
    return pair
