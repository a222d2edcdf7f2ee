"""`manage.py import_training_history FILE [--agency CODE] [--dry-run] [--max-rows N]`: see docs/imports.md#training-history.

The format is lms's, registered with ``tna.hooks.register_import_format``; the command is tna's shared one.
"""

from tna.imports.command import ImportCommand


class Command(ImportCommand):
    kind = "training_history"
    title = "training history"
