"""REST API of the catalogue: courses/ and sessions/ (read-only, filterable)."""
