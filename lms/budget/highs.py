"""HiGHS (through highspy) on a ``Model``: its LP relaxation and its MIP, printing nothing unless asked."""

import math

import highspy
import numpy as np


class QuietHighs(highspy.Highs):
    """``highspy.Highs`` that prints nothing — its banner included — unless ``log`` is true.

    highspy's constructor hooks HiGHS's logging up (``enableCallbacks``), and that prints the
    banner while ``output_flag`` still has its default, on; switching the flag off once the
    object exists is too late, so it is set in the hook itself.
    """

    def __init__(self, *, log=False):
        self.log = log
        super().__init__()

    def enableCallbacks(self):
        self.setOptionValue("output_flag", self.log)
        super().enableCallbacks()


def relaxation(model, *, log=False):
    """Optimum of the LP relaxation (every variable continuous), and each seat's value in it."""
    highs = _load(model, integer=False, log=log)
    highs.run()
    seat_values = np.zeros(len(model.problem.seats))
    seat_values[model.seat_ids] = np.asarray(highs.getSolution().col_value)[: len(model.seat_ids)]
    return highs.getInfo().objective_function_value, seat_values


def solve_highs(model, seconds, hint, *, fixed=None, log=False):
    """The plan HiGHS finds in ``seconds``, starting from ``hint`` = (chosen, classes); a ``model.Result``.

    ``fixed``: seat positions (in the problem) whose choice the hint fixes — a neighbourhood
    search; the bound it reports is then not a bound of the whole problem.
    """
    highs = _load(model, integer=True, log=log)
    if fixed is not None and len(fixed):
        columns = np.flatnonzero(np.isin(model.seat_ids, fixed))
        at = hint[0][model.seat_ids[columns]].astype(float)
        highs.changeColsBounds(len(columns), columns.astype(np.int32), at, at)
    highs.setOptionValue("time_limit", float(seconds))
    highs.setOptionValue("mip_rel_gap", float(model.params.relative_gap))
    start = model.start(hint) if hint is not None else np.zeros(model.n_cols)
    if not model.feasible(start):
        start = np.zeros(model.n_cols)  # the empty plan is always valid
    solution = highspy.HighsSolution()
    solution.col_value = start.tolist()
    solution.value_valid = True
    highs.setSolution(solution)
    highs.run()
    info = highs.getInfo()
    feasible = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else math.nan
    start_value = float(start @ np.concatenate(model.cost)) if model.cost else 0.0
    if not feasible or info.objective_function_value < start_value - 1e-9:
        return model.result(start, "start", bound)
    values = np.asarray(highs.getSolution().col_value)
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return model.result(values, "optimal" if optimal else "feasible", bound)


def _load(model, *, integer, log):
    """A HiGHS instance holding ``model`` (its integrality only when ``integer``)."""
    col_lower, col_upper, cost, is_int, row_lower, row_upper = model.arrays()
    start, index, value = model.matrix()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.n_cols, model.n_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, col_lower, np.where(np.isinf(col_upper), highspy.kHighsInf, col_upper)
    lp.row_lower_ = np.where(np.isinf(row_lower), -highspy.kHighsInf, row_lower)
    lp.row_upper_ = np.where(np.isinf(row_upper), highspy.kHighsInf, row_upper)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = model.n_cols, model.n_rows
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = start, index, value
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                           for i in is_int.tolist()]
    highs = QuietHighs(log=log)
    highs.setOptionValue("threads", int(model.params.threads))
    highs.passModel(lp)
    return highs
