"""The budget optimiser on cases solved by hand, against the greedy baseline and the checker."""

import numpy as np
import pandas as pd
import pytest

from lms.budget import Params, Problem, check, greedy, optimise
from lms.budget.accounts import LEADERSHIP, SHORT_COURSE, TRAINING, match_envelopes
from lms.budget.evaluate import floor_shortfalls
from lms.budget.synthetic import synthetic_problem

M = 1_000_000
NO_JP = dict(jp_weight=0.0, time_limit=10)


def build(seats, pools, envelopes, earned=None, caps=None):
    """A Problem from plain rows: seats (employee, unit, pool, group, value, jp, cost); unit 1 is A, 2 is B."""
    seats = pd.DataFrame(seats, columns=["employee", "unit", "pool", "group", "value", "jp", "cost"])
    people = sorted(seats["employee"].unique())
    employees = pd.DataFrame({"employee": people,
                              "jp_earned": [(earned or {}).get(p, 20) for p in people],
                              "jp_cap": [(caps or {}).get(p, np.nan) for p in people]})
    return Problem(seats=seats, pools=pd.DataFrame(pools, columns=["envelope", "fixed_cost", "min_size", "max_size"]),
                   envelopes=pd.DataFrame({"amount": envelopes}), employees=employees)


def chosen_people(problem, plan):
    return sorted(problem.seats.loc[plan.chosen, "employee"].tolist())


def unit_b_case(budget):
    """Unit A: eight people for a classroom course (Rp 10 M a class + 1 M a head, 5–10 a class),
    each closing 1.0. Unit B: four people for an e-learning course (Rp 1 M a head), closing
    0.5, 0.45, 0.4, 0.35. One envelope."""
    seats = [(a, 1, 0, -1, 1.0, 24, 1 * M) for a in range(1, 9)]
    seats += [(10 + i, 2, 1, -1, v, 12, 1 * M) for i, v in enumerate((0.5, 0.45, 0.4, 0.35))]
    return build(seats, [(0, 10 * M, 5, 10), (0, 0, 1, 500)], [budget])


def test_fairness_floor_gives_the_small_unit_its_best_seats():
    # Rp 18 M. Alone, the class for all eight in A (18 M, 8.0) is best, and B gets nothing.
    # B's floor: half its share (1.7 of 9.7) of the 8.0 the plain list closes = 0.70, so a
    # careful planner gives B its two best e-learning seats (0.95) and runs the class with six:
    # 6.95 — rather than 7 in class + 1 seat (7.5, but 0.20 short of B's floor).
    problem = unit_b_case(18 * M)
    params = Params(fairness=0.5, **NO_JP)
    plan = optimise(problem, params)

    assert chosen_people(problem, plan) == [1, 2, 3, 4, 5, 6, 10, 11] or (
        sum(1 for p in chosen_people(problem, plan) if p < 10) == 6
        and [p for p in chosen_people(problem, plan) if p >= 10] == [10, 11])
    assert plan.classes.tolist() == [1, 1]
    assert plan.value == pytest.approx(6.95)
    assert plan.total_spent == 18 * M
    assert check(problem, params, plan) == []
    assert plan.status == "optimal" and plan.gap < 1e-6


def test_without_floors_the_class_takes_all_the_money():
    problem = unit_b_case(18 * M)
    plan = optimise(problem, Params(fairness=0.0, **NO_JP))
    assert chosen_people(problem, plan) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert plan.value == pytest.approx(8.0)


def test_no_class_runs_below_its_minimum_size():
    # Rp 14 M: a class needs 5 people (15 M); four would fit the money but not the rule, so the
    # money goes to all four e-learning seats. Unit A then has no demand the envelope could
    # ever meet, so no floor either.
    problem = unit_b_case(14 * M)
    params = Params(fairness=0.5, **NO_JP)
    plan = optimise(problem, params)
    assert chosen_people(problem, plan) == [10, 11, 12, 13]
    assert plan.classes.tolist() == [0, 1]
    assert check(problem, params, plan, floors=False) == []
    assert problem.demand()["unit"].tolist() == [2]
    assert floor_shortfalls(problem, params, plan.chosen).empty


def test_greedy_is_beaten_where_the_best_ratio_blocks_a_better_pair():
    # Rp 10 M: X closes 6 for 5.5 M (the best ratio), Y and Z close 5 each for 5 M. Greedy takes
    # X and has 4.5 M left, too little for Y or Z; the optimum is Y + Z = 10.
    problem = build([(1, 1, 0, -1, 6.0, 8, int(5.5 * M)), (2, 1, 1, -1, 5.0, 8, 5 * M),
                     (3, 1, 2, -1, 5.0, 8, 5 * M)],
                    [(0, 0, 1, 30)] * 3, [10 * M])
    params = Params(fairness=0.0, **NO_JP)
    base, plan = greedy(problem, params), optimise(problem, params)
    assert chosen_people(problem, base) == [1] and base.value == pytest.approx(6.0)
    assert chosen_people(problem, plan) == [2, 3] and plan.value == pytest.approx(10.0)
    assert check(problem, params, base) == [] and check(problem, params, plan) == []


def test_every_envelope_holds_and_money_stays_on_its_account():
    # Leadership money (envelope 1, 30 M) cannot pay the short course (envelope 0, 4 M) even
    # though it is left over: two of the five short-course seats (2 M each) fit.
    seats = [(p, 1, 0, -1, 1.0 + p / 100, 16, 2 * M) for p in range(1, 6)]
    seats += [(9, 1, 1, -1, 3.0, 60, 12 * M)]
    problem = build(seats, [(0, 0, 1, 30), (1, 0, 1, 30)], [4 * M, 30 * M])
    params = Params(fairness=0.0, **NO_JP)
    plan = optimise(problem, params)
    assert chosen_people(problem, plan) == [4, 5, 9]
    assert plan.spent.tolist() == [4 * M, 12 * M]


def test_one_course_per_gap_and_nobody_over_the_pppk_cap():
    # Person 1 has two alternative courses for one gap (group 7): only the better one is taken.
    # Person 2 is PPPK with 24 JP a year, 8 already earned: of a 16-JP and a 12-JP course only
    # one fits, the one closing more.
    seats = [(1, 1, 0, 7, 1.0, 8, M), (1, 1, 0, 7, 0.8, 8, M),
             (2, 1, 0, -1, 0.6, 16, M), (2, 1, 0, -1, 0.7, 12, M)]
    problem = build(seats, [(0, 0, 1, 30)], [100 * M], earned={2: 8}, caps={2: 24})
    params = Params(fairness=0.0, **NO_JP)
    plan = optimise(problem, params)
    assert problem.seats.loc[plan.chosen, "value"].tolist() == [1.0, 0.7]
    assert check(problem, params, plan) == []


def test_money_left_tops_up_whoever_is_under_20_jp():
    # Equal gaps, money for one seat: the person with 4 JP this year gets it, not the one with 24.
    problem = build([(1, 1, 0, -1, 0.5, 16, M), (2, 1, 0, -1, 0.5, 16, M)], [(0, 0, 1, 30)], [M],
                    earned={1: 24, 2: 4})
    plan = optimise(problem, Params(fairness=0.0, time_limit=10))
    assert chosen_people(problem, plan) == [2]
    assert plan.jp_towards_minimum == 16 and plan.reaching_minimum == 2


def test_scip_agrees_with_highs():
    problem = unit_b_case(18 * M)
    highs = optimise(problem, Params(fairness=0.5, **NO_JP))
    scip = optimise(problem, Params(fairness=0.5, solver="SCIP", **NO_JP))
    assert scip.objective == pytest.approx(highs.objective)


def test_the_unit_envelope_pays_before_the_agency_one():
    envelopes = pd.DataFrame({"agency": [1, 1, 1], "unit": [-1, 5, -1],
                              "account": [SHORT_COURSE, TRAINING, LEADERSHIP]})
    seats = pd.DataFrame({"agency": [1, 1, 1, 2], "unit": [5, 6, 5, 6],
                          "account": [SHORT_COURSE, SHORT_COURSE, LEADERSHIP, SHORT_COURSE]})
    # Unit 5's own (any training) envelope pays its short course; unit 6 falls back on the
    # agency's; the leadership course of unit 5 also goes to its own envelope (any training);
    # agency 2 has no envelope.
    assert match_envelopes(seats, envelopes).tolist() == [1, 0, 1, -1]


def test_synthetic_plan_is_valid_and_beats_greedy():
    problem = synthetic_problem(seats=3000, agencies=2, units=5, courses=40, seed=3)
    params = Params(time_limit=20)
    base = greedy(problem, params)
    plan = optimise(problem, params, hint=base)
    assert check(problem, params, plan, floors=False) == []
    assert check(problem, params, base, floors=False) == []
    assert plan.objective >= base.objective
    assert plan.objective <= plan.bound + 1e-6 <= plan.lp_bound + 1e-6
    assert plan.gap < 0.02
