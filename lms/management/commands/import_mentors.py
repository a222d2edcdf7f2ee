"""`manage.py import_mentors FILE [--agency CODE] [--dry-run] [--max-rows N]`: see docs/imports.md#mentors.

The format is lms's, registered with ``tna.hooks.register_import_format``; the command is tna's shared one.
"""

from tna.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "mentors"
