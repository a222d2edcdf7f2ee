"""The same MILP solved by SCIP through OR-Tools' linear solver, for comparison with HiGHS."""

import math

import numpy as np
from ortools.linear_solver import linear_solver_pb2, pywraplp

STATUS = {pywraplp.Solver.OPTIMAL: "optimal", pywraplp.Solver.FEASIBLE: "feasible"}


def solve_scip(model, seconds, hint, *, log=False):
    """Solve ``model`` (a ``model.Model``) with SCIP in ``seconds``; returns a ``model.Result``.

    SCIP prints its log only with ``log``.
    """
    col_lower, col_upper, cost, is_int, row_lower, row_upper = model.arrays()
    start, index, value = model.matrix()
    proto = linear_solver_pb2.MPModelProto(maximize=True)
    for lo, hi, c, integer in zip(col_lower.tolist(), col_upper.tolist(), cost.tolist(), is_int.tolist(), strict=True):
        proto.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c, is_integer=integer)
    for r, (lo, hi) in enumerate(zip(row_lower.tolist(), row_upper.tolist(), strict=True)):
        row = proto.constraint.add(lower_bound=lo, upper_bound=hi)
        row.var_index.extend(index[start[r]:start[r + 1]].tolist())
        row.coefficient.extend(value[start[r]:start[r + 1]].tolist())
    solver = pywraplp.Solver.CreateSolver("SCIP")
    if log:
        solver.EnableOutput()
    else:
        solver.SuppressOutput()
    error = solver.LoadModelFromProto(proto)
    if error:
        raise RuntimeError(error)
    solver.SetTimeLimit(int(seconds * 1000))
    first = model.start(hint) if hint is not None else np.zeros(model.n_cols)
    if not model.feasible(first):
        first = np.zeros(model.n_cols)
    variables = solver.variables()
    solver.SetHint(variables, first.tolist())
    settings = pywraplp.MPSolverParameters()
    settings.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, model.params.relative_gap)
    status = solver.Solve(settings)
    bound = solver.Objective().BestBound() if status in STATUS else math.nan
    if status not in STATUS or solver.Objective().Value() < float(first @ cost) - 1e-9:
        return model.result(first, "start", bound)
    return model.result(np.array([v.solution_value() for v in variables]), STATUS[status], bound)
