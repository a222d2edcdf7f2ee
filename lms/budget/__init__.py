"""Budget planning as pure computation: candidate seats and envelopes in, an optimised or greedy plan out.

``optimise`` solves the MILP (``milp``), ``greedy`` draws up the ratio baseline; both return a
``Plan`` that ``check`` tests against every rule. docs/budget.md explains the formulation.
"""

from .evaluate import Plan, check, evaluate
from .greedy import greedy
from .milp import optimise
from .problem import Params, Problem

__all__ = ["Params", "Plan", "Problem", "check", "evaluate", "greedy", "optimise"]
