"""Mentor matching as pure computation: needs, mentors and HR's locks and vetoes in, checked pairs out."""

from .checker import check, coverage
from .greedy import greedy
from .optimise import match
from .problem import Matching, Params, Problem
from .reasons import reasons

__all__ = ["Matching", "Params", "Problem", "check", "coverage", "greedy", "match", "reasons"]
