"""`manage.py import_ratings FILE [--dry-run]`: see docs/imports.md for the columns."""

from tna.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "ratings"
