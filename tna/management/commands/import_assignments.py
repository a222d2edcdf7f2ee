"""`manage.py import_assignments FILE [--agency CODE] [--dry-run] [--max-rows N]`: see docs/imports.md#assignments."""

from tna.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "assignments"
