"""The mentor matcher on a case solved by hand, on HR's locks and vetoes, and against exhaustive search."""

import itertools
import random
from collections import Counter

import pandas as pd
import pytest
from ortools.sat.python import cp_model

from lms.mentoring import Params, Problem, check, coverage, greedy, match, reasons
from lms.mentoring.checker import allowed, feasible_locks
from lms.mentoring.synthetic import synthetic_problem

C1, C2, C3, C4, C5 = "C1", "C2", "C3", "C4", "C5"


def build(needs, mentees, mentors, offers, locks=(), vetoes=()):
    """A Problem from plain rows in the column order of its docstring."""
    return Problem(
        needs=pd.DataFrame(needs, columns=["mentee_id", "competency_id", "gap", "priority"]),
        mentees=pd.DataFrame(mentees, columns=["mentee_id", "job_rank", "unit_id", "location", "supervisor_id"]),
        mentors=pd.DataFrame(mentors, columns=["mentor_id", "job_rank", "unit_id", "location", "capacity"]),
        offers=pd.DataFrame(offers, columns=["mentor_id", "competency_id", "level"]),
        locks=pd.DataFrame(list(locks), columns=["mentor_id", "mentee_id", "competency_id"]),
        vetoes=pd.DataFrame(list(vetoes), columns=["mentor_id", "mentee_id"]),
    )


def office(locks=(), vetoes=()):
    """Ani (1) and Budi (2) report to 10, the only level-5 mentor in C1. Mentor 20 (capacity 1) is the
    only one who teaches C2, which Citra (3) needs; 20 is also the nicest choice for Ani's heavy C1
    need (same location, other unit), while 30 (elsewhere) could take Ani and Budi both. Dewi (4)
    needs C4 and C5, both only from 60: one pair, one competency. Weights: Ani C1 2.7, Dewi C4 1.6,
    Citra C2 1.0, Citra C3 0.9, Dewi C5 0.5, Budi C1 0.4, Citra C1 0.1; Ani's C2 gap (0.5) is no need.
    """
    needs = [(1, C1, 3, 90), (1, C2, 0.5, 100), (2, C1, 1, 40), (3, C2, 2, 50), (3, C3, 1.5, 60), (3, C1, 1, 10),
             (4, C4, 2, 80), (4, C5, 1, 50)]
    mentees = [(1, 2, "A", "X", 10), (2, 2, "A", "X", 10), (3, 3, "B", "X", 11), (4, 1, "D", "Y", None)]
    mentors = [(10, 6, "A", "X", 3), (20, 5, "B", "X", 1), (30, 5, "C", "Y", 2), (40, 4, "C", "X", 2),
               (50, 1, "B", "X", 2), (60, 7, "E", "Y", 3)]
    offers = [(10, C1, 5), (20, C1, 4), (20, C2, 4), (30, C1, 4), (40, C2, 3), (40, C3, 4), (50, C3, 5),
              (60, C4, 5), (60, C5, 4)]
    return build(needs, mentees, mentors, offers, locks, vetoes)


def triples(matching):
    return sorted(matching.pairs[["mentor_id", "mentee_id", "competency_id"]].itertuples(index=False, name=None))


OPTIMUM = [(10, 3, C1), (20, 3, C2), (30, 1, C1), (30, 2, C1), (40, 3, C3), (60, 4, C4)]


def test_optimiser_finds_the_known_optimum_and_greedy_falls_into_the_capacity_trap():
    problem, params = office(), Params()
    best, base = match(problem, params), greedy(problem, params)

    assert triples(best) == OPTIMUM
    assert best.covered == pytest.approx(6.7) and best.soft == pytest.approx(6.5)
    # Greedy gives Ani the capacity-1 mentor 20 and strands Citra's C2, which only 20 teaches.
    assert triples(base) == [(10, 3, C1), (20, 1, C1), (30, 2, C1), (40, 3, C3), (60, 4, C4)]
    assert base.covered == pytest.approx(5.7) and base.covered < best.covered
    for result in (best, base):
        assert check(problem, params, result.pairs) == []
        assert coverage(problem, result.pairs) == pytest.approx(result.covered)
        assert not {(10, 1), (10, 2)} & {(m, e) for m, e, _c in triples(result)}  # the supervisor trap


def test_checker_flags_a_broken_pairing():
    problem, params = office(), Params()
    broken = pd.DataFrame([(10, 1, C1), (20, 3, C2), (20, 2, C1), (30, 2, C1), (40, 3, C2), (60, 4, C4),
                           (60, 4, C5)], columns=["mentor_id", "mentee_id", "competency_id"])
    violations = check(problem, params, broken)

    assert "mentor 10 – mentee 1 in C1: mentor is the mentee's direct supervisor" in violations
    assert "mentor 20 takes 2 mentees, capacity 1" in violations
    assert "mentee 2 in C1 has 2 mentors" in violations
    assert "mentor 60 – mentee 4 paired for 2 competencies" in violations
    assert "mentor 40 – mentee 3 in C2: mentor's level 3 below 4" in violations
    assert "mentee 3 in C2 has 2 mentors" in violations
    assert len(violations) == 6


def test_soft_bonus_never_outweighs_coverage_and_breaks_ties():
    # One place; a need of weight 0.02 far away in the same unit against one of 0.01 next door elsewhere.
    needs = [(1, C1, 1, 2), (2, C1, 1, 1)]
    mentees = [(1, 1, "A", "Y", None), (2, 1, "B", "X", None)]
    mentors = [(9, 5, "A", "X", 1)]
    problem = build(needs, mentees, mentors, [(9, C1, 4)])
    loud = Params(same_location_bonus=1000, cross_unit_bonus=1000)
    assert triples(match(problem, loud)) == [(9, 1, C1)]

    # Equal weights: the soft points decide. Mentee 1 sits next door in the mentor's unit, mentee 2
    # elsewhere in another unit; without the cross-unit preference only the location counts.
    problem = build([(1, C1, 1, 50), (2, C1, 1, 50)], [(1, 1, "B", "X", None), (2, 1, "A", "Y", None)],
                    [(9, 5, "B", "X", 1)], [(9, C1, 4)])
    assert triples(match(problem, Params(same_location_bonus=1, cross_unit_bonus=3))) == [(9, 2, C1)]
    assert triples(match(problem, Params(same_location_bonus=1, cross_unit_bonus=0.5))) == [(9, 1, C1)]
    assert triples(match(problem, Params(cross_unit_bonus=3, prefer_cross_unit=False))) == [(9, 1, C1)]


@pytest.mark.parametrize("matcher", [match, greedy], ids=["flow", "greedy"])
def test_a_lock_is_honoured_even_against_the_optimum(matcher):
    problem, params = office(locks=[(20, 1, C1)]), Params()
    result = matcher(problem, params)

    assert (20, 1, C1) in triples(result)
    assert result.pairs.set_index(["mentor_id", "mentee_id"]).loc[(20, 1), "locked"]
    assert result.pairs["locked"].sum() == 1
    assert (20, 3, C2) not in triples(result) and result.infeasible_locks.empty
    assert check(problem, params, result.pairs) == []
    if matcher is match:
        assert result.covered == pytest.approx(5.7)
        # Locks are pinned before candidates are pruned: the lock stands with one candidate per need.
        assert (20, 1, C1) in triples(matcher(problem, Params(candidates_per_need=1)))


def test_a_veto_is_respected():
    problem, params = office(vetoes=[(30, 1)]), Params()
    best = match(problem, params)
    # Ani can only have 20 now; her 2.7 outweighs Citra's C2.
    assert (20, 1, C1) in triples(best) and all((m, e) != (30, 1) for m, e, _c in triples(best))
    assert best.covered == pytest.approx(5.7)
    assert check(problem, params, best.pairs) == []
    assert "mentor 30 – mentee 1 in C1: pair vetoed by HR" in check(
        problem, params, pd.DataFrame([(30, 1, C1)], columns=["mentor_id", "mentee_id", "competency_id"]))


def test_infeasible_locks_are_reported_not_fatal():
    locks = [(10, 1, C1), (40, 3, C2), (20, 1, C2), (60, 4, C4), (60, 4, C5), (99, 2, C1), (30, 2, C1)]
    problem, params = office(locks=locks), Params()
    best = match(problem, params)
    reasons_by_lock = {(m, e, c): r for m, e, c, r in best.infeasible_locks.itertuples(index=False)}

    assert reasons_by_lock == {
        (10, 1, C1): "mentor is the mentee's direct supervisor",
        (40, 3, C2): "mentor's level 3.0 is below 4",
        (20, 1, C2): "mentee has no gap of 1 or more in the competency",
        (60, 4, C5): "the pair is locked for another competency already",
        (99, 2, C1): "unknown mentor",
    }
    assert {(60, 4, C4), (30, 2, C1)} <= set(triples(best))
    assert triples(best) == OPTIMUM  # the feasible locks were in the optimum anyway
    assert feasible_locks(problem, params) == [(60, 4, C4), (30, 2, C1)]
    assert check(problem, params, best.pairs) == []
    assert check(problem, params, greedy(problem, params).pairs) == []


def test_each_pair_states_its_reason():
    problem = office(locks=[(60, 4, C4)])
    best = match(problem, Params())
    why = dict(zip(triples(best), reasons(problem, best.pairs.sort_values(["mentor_id", "mentee_id"])), strict=True))
    assert why[(30, 1, C1)] | {"text": None} == {
        "competency": C1, "gap": 3.0, "priority": 90.0, "weight": pytest.approx(2.7), "mentor_level": 4.0,
        "same_location": False, "cross_unit": True, "locked": False, "text": None}
    assert why[(60, 4, C4)]["locked"] and why[(60, 4, C4)]["text"].endswith("locked by HR")


def random_problem(rng):
    """A small random problem: 3–4 mentees with up to 7 needs, 3 mentors (often mentees too), 2–3 competencies."""
    competencies = ["K%d" % i for i in range(rng.randint(2, 3))]
    mentee_ids = list(range(1, rng.randint(4, 5)))
    mentor_ids = rng.sample(range(1, 7), 3)
    needs = [(m, c, rng.choice([0.5, 1, 2, 3]), rng.choice([0, 20, 50, 100]))
             for m in mentee_ids for c in competencies if rng.random() < 0.6][:7]
    mentees = [(m, rng.randint(1, 4), rng.choice("AB"), rng.choice("XY"), rng.choice([None, None, *mentor_ids]))
               for m in mentee_ids]
    mentors = [(m, rng.randint(2, 5), rng.choice("AB"), rng.choice("XY"), rng.choice([0, 1, 1, 2]))
               for m in mentor_ids]
    offers = [(m, c, rng.choice([3, 4, 4, 5])) for m in mentor_ids for c in competencies if rng.random() < 0.7]
    vetoes = {(rng.choice(mentor_ids), rng.choice(mentee_ids)) for _ in range(rng.randint(0, 2))}
    locks = []
    for mentee, competency, _g, _p in rng.sample(needs, min(len(needs), rng.randint(0, 2))):
        teachers = [m for m, c, _lv in offers if c == competency] or mentor_ids
        locks.append((rng.choice(teachers), mentee, competency))
    return build(needs, mentees, mentors, offers, locks, vetoes)


def exhaustive(problem, params):
    """The best (coverage in hundredths, soft points) over every matching, by enumeration."""
    ok = allowed(problem, params)
    needs = [(e, c, round(g * max(p, 1))) for e, c, g, p in problem.needs.itertuples(index=False)]
    capacity, place, unit = (dict(zip(problem.mentors["mentor_id"], problem.mentors[k], strict=True))
                             for k in ("capacity", "location", "unit_id"))
    where, home = (dict(zip(problem.mentees["mentee_id"], problem.mentees[k], strict=True))
                   for k in ("location", "unit_id"))
    must = set(feasible_locks(problem, params))
    options = [[None] + [m for m in capacity if (m, e, c) in ok] for e, c, _w in needs]
    best = None
    for choice in itertools.product(*options):
        chosen = {(m, e, c) for m, (e, c, _w) in zip(choice, needs, strict=True) if m is not None}
        pairs = [(m, e) for m, e, _c in chosen]
        if len(set(pairs)) < len(pairs) or not must <= chosen:
            continue
        load = Counter(m for m, _e in pairs)
        if any(load[m] > capacity[m] for m in load):
            continue
        covered = sum(w for m, (_e, _c, w) in zip(choice, needs, strict=True) if m is not None)
        soft = sum(10 * (place[m] == where[e]) + 5 * (unit[m] != home[e]) for m, e in pairs)
        best = max(best or (covered, soft), (covered, soft))
    return best


@pytest.mark.parametrize("seed", range(60))
def test_optimal_against_exhaustive_search(seed):
    problem, params = random_problem(random.Random(seed)), Params(candidates_per_need=None)
    best, base = match(problem, params), greedy(problem, params)
    covered, soft = exhaustive(problem, params)

    assert round(best.covered * 100) == covered and round(best.soft * 10) == soft
    assert base.covered <= best.covered + 1e-9
    assert check(problem, params, best.pairs) == [] and check(problem, params, base.pairs) == []


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_optimal_against_cp_sat_on_a_small_agency(seed):
    problem = synthetic_problem(mentees=80, mentors=20, competencies=4, units=5, locations=2, locks=4, vetoes=5,
                                seed=seed)
    params = Params(candidates_per_need=None)
    ok = sorted(allowed(problem, params))
    weight = {(e, c): round(g * max(p, 1) * 100) for e, c, g, p in problem.needs.itertuples(index=False)}
    mentors, mentees = problem.mentors.set_index("mentor_id"), problem.mentees.set_index("mentee_id")
    model = cp_model.CpModel()
    x = {t: model.new_bool_var(str(t)) for t in ok}
    for key in ("need", "pair"):
        groups = {}
        for m, e, c in ok:
            groups.setdefault((e, c) if key == "need" else (m, e), []).append(x[(m, e, c)])
        for group in groups.values():
            model.add(sum(group) <= 1)
    for m in mentors.index:
        load = [v for (mm, _e, _c), v in x.items() if mm == m]
        if load:
            model.add(sum(load) <= int(mentors.loc[m, "capacity"]))
    for lock in feasible_locks(problem, params):
        model.add(x[lock] == 1)
    big = 15 * len(ok) + 1
    model.maximize(sum(v * (weight[(e, c)] * big + 10 * int(mentors.loc[m, "location"] == mentees.loc[e, "location"])
                            + 5 * int(mentors.loc[m, "unit_id"] != mentees.loc[e, "unit_id"]))
                       for (m, e, c), v in x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(model) == cp_model.OPTIMAL
    covered = sum(weight[(e, c)] for (_m, e, c), v in x.items() if solver.value(v))

    best = match(problem, params)
    assert round(best.covered * 10_000) == covered
    assert check(problem, params, best.pairs) == []
    assert match(problem, Params()).covered == pytest.approx(best.covered)  # 40 candidates: nothing pruned here


def test_synthetic_agency_beats_greedy_with_no_violations():
    problem, params = synthetic_problem(mentees=3000, mentors=600, units=30, locations=6, seed=7), Params()
    best, base = match(problem, params), greedy(problem, params)
    assert best.covered >= base.covered
    assert best.pairs["locked"].sum() + len(best.infeasible_locks) == len(problem.locks)
    assert check(problem, params, best.pairs) == [] and check(problem, params, base.pairs) == []
    assert coverage(problem, best.pairs) == pytest.approx(best.covered)
