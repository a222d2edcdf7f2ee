"""The baseline a planner with a spreadsheet would draw up: best value per rupiah first, until the money runs out.

The list and the rules for going down it are in ``ratio_list.py``. The fairness floors
(``floors.py``) are sought the way a planner would: first each unit's best seats — in classes
the plain list would hold anyway — are taken until it reaches its floor, then the list is gone
down for everyone.
"""

import time

import numpy as np

from .evaluate import evaluate
from .floors import floor_targets
from .problem import Params, Problem
from .ratio_list import fill, ranked


def greedy(problem: Problem, params: Params | None = None, *, floors=True):
    """The ratio-greedy plan for ``problem`` (a ``Plan``); ``floors=False`` ignores the fairness floors."""
    params = params or Params()
    started = time.perf_counter()
    order = ranked(problem, params)
    draft = fill(problem, order, targets=None)
    if floors and params.fairness > 0:
        targets = floor_targets(problem, params, plain=draft.chosen)
        targets = targets[targets["floor"] > 0].rename(columns={"floor": "target"})
        if len(targets):
            # Floor seats go to classes the plain list holds (or that need no class), which the rest fill.
            pools = problem.pools
            open_pool = (draft.classes > 0) | ((pools["fixed_cost"].to_numpy() == 0) & (pools["min_size"].to_numpy() == 1))
            floor_order = order[open_pool[problem.seats["pool"].to_numpy(np.int64)[order]]]
            draft = fill(problem, order, targets=targets, floor_order=floor_order)
    return evaluate(problem, params, draft.chosen, draft.classes, method="greedy",
                    seconds=time.perf_counter() - started, status="feasible")
