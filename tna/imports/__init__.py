"""Workforce and evidence imports from CSV or XLSX: parse, validate every row, then write all or nothing."""

from ..infra.row_errors import ImportRejected, RowError
from .service import FORMATS, KINDS, ImportResult, import_file, import_scope

__all__ = ["FORMATS", "KINDS", "ImportRejected", "ImportResult", "RowError", "import_file", "import_scope"]
