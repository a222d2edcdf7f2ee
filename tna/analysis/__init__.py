"""The gap analysis, pure: evidence DataFrames in, one result row per employee x competency out.

No ORM here; ``tna.services.tna_run`` reads the database into an ``Evidence`` and writes the
``Result`` back. The method is described in docs/tna-method.md.
"""

from .inputs import COLUMNS, Evidence, EvidenceError
from .params import ROLES, ParameterError, Parameters
from .pipeline import STAGES, Result, analyse

__all__ = [
    "COLUMNS", "ROLES", "STAGES", "Evidence", "EvidenceError", "ParameterError", "Parameters", "Result", "analyse",
]
