"""`manage.py import_assessments FILE [--agency CODE] [--dry-run] [--max-rows N]`: see docs/imports.md#assessments."""

from tna.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "assessments"
