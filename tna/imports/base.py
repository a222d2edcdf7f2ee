"""What every import format shares: the plan it makes and the user's scope (cell parsers: ``tna.infra.cells``)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..infra.progress import no_progress  # noqa: F401 - part of this module's interface
from ..infra.scoping import ImportScope as Scope  # noqa: F401 - part of this module's interface

PREVIEW_ROWS = 20


@dataclass
class Plan:
    """What an import would do: counts per outcome, each row's action, notes for the summary.

    ``actions`` maps a row number to ``create``, ``update`` or ``unchanged``; formats keep
    whatever their writer needs in ``data``, as compact as they can (row numbers, not rows:
    a file may hold hundreds of thousands).
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    actions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    data: dict = field(default_factory=dict)

    def count(self, row, action):
        """Count ``row`` (a ``Row`` or its number) under ``action``."""
        self.actions[row if isinstance(row, int) else row.number] = action
        if action == "create":
            self.created += 1
        elif action == "update":
            self.updated += 1
        else:
            self.unchanged += 1


class ImportFormat:
    """One file format: its columns, its validation into a ``Plan`` and its bulk writer."""

    kind = ""
    label = ""
    required = ()
    optional = ()
    nip_columns = ()  # columns holding NIPs, tidied by ``normalise_nips`` before validation

    def check_header(self, table, errors):
        """Name every required column the header lacks."""
        for column in self.required:
            if column not in table.columns:
                errors.add(1, column, _(
                    "Required column \"%(column)s\" is missing. The header must name: %(all)s."
                ) % {"column": column, "all": ", ".join(self.required)}, "")

    def preview_columns(self, table):
        return [c for c in (*self.required, *self.optional) if c in table.columns]

    def validate(self, table, errors, *, scope, progress):  # pragma: no cover - abstract
        raise NotImplementedError

    def write(self, plan, *, progress):  # pragma: no cover - abstract
        raise NotImplementedError
