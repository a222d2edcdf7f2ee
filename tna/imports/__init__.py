"""Workforce and evidence imports from CSV or XLSX: parse, validate every row, then write all or nothing."""
