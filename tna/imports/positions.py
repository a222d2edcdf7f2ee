"""The positions import: jobs per agency with their job type and required competency levels."""

import re

from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..grades import JobType
from ..infra.cells import choice, code, duplicate, integer, required_text
from ..infra.spreadsheets import fold
from ..models import Agency, Competency, Position, RequiredLevel
from ..services.positions import default_level, required_levels_apply_defaults
from .base import ImportFormat, Plan

DUPLICATE = gettext_lazy("This position of this agency")

# The optional "key" column (key position, for succession): yes/no in English or Indonesian.
KEY_WORDS = {
    **dict.fromkeys(("yes", "y", "ya", "true", "1"), True),
    **dict.fromkeys(("no", "n", "tidak", "false", "0"), False),
}
KEY_ALLOWED = "yes, no (ya, tidak, 1, 0, true, false)"

# A header that looks like a competency code (M.01, SK.01, TK.12, PM.01); unknown ones are errors.
COMPETENCY_HEADER = re.compile(r"^[a-z]{1,4}\.\d{1,3}$")


def job_type_values():
    """Folded job-type codes and labels (every site language, with and without "Fungsional")."""
    mapping = {}
    for language, _name in django_settings.LANGUAGES:
        with translation.override(language):
            for value, label in JobType.choices:
                for text in (value, str(label), re.sub(r"(?i)^fungsional\s+", "", str(label))):
                    mapping[fold(text)] = value
    return mapping


class PositionsFormat(ImportFormat):
    kind = "positions"
    label = gettext_lazy("Positions and required levels")
    required = ("agency", "position", "position_name", "job_type")
    optional = ("key",)

    def competency_columns(self, table, errors):
        """Header columns naming a competency, as ``{column: (pk, applies_to_all)}``."""
        known = {
            c.lower(): (pk, applies) for c, pk, applies in Competency.objects.values_list("code", "pk", "applies_to_all")
        }
        columns = {}
        for column in table.columns:
            if column in known:
                columns[column] = known[column]
            elif COMPETENCY_HEADER.match(column):
                errors.add(1, column, _(
                    "No competency has the code %(code)s; fix the header or add the competency first."
                ) % {"code": column.upper()}, column.upper())
        return columns

    def preview_columns(self, table):
        return [c for c in table.columns if c in self.required or c in self.optional or COMPETENCY_HEADER.match(c)]

    def validate(self, table, errors, *, scope, progress):
        plan = Plan()
        levels_by_column = self.competency_columns(table, errors)
        agencies = dict(Agency.objects.values_list("code", "pk"))
        job_types = job_type_values()
        allowed_job_types = ", ".join(JobType.values)
        seen, parsed = {}, []
        for row in table.rows:
            agency = code(row, "agency", errors)
            position = code(row, "position", errors, max_length=60)
            name = required_text(row, "position_name", errors)
            job_type = self._job_type(row, errors, job_types, allowed_job_types)
            # None (an empty cell or no column): a stored position keeps its mark, a new one is no key position.
            is_key = choice(row, "key", errors, KEY_WORDS, allowed=KEY_ALLOWED, required=False)
            levels = {
                column: integer(row, column, errors, low=1, high=5, required=False)
                for column in levels_by_column
            }
            if agency is None:
                continue
            if scope.limited and agency != scope.agency_code:
                scope.refuse(errors, row, "agency")
                continue
            if agency not in agencies:
                errors.add(row, "agency", _("Unknown agency %(code)s: import it with the org file first.")
                           % {"code": agency})
                continue
            if position and not duplicate(errors, seen, (agency, position), row, "position", DUPLICATE):
                parsed.append((row.number, agencies[agency], position, name, job_type, is_key, levels))
        if errors:
            return plan

        existing = {
            (agency_id, c): (pk, n, jt, key)
            for pk, agency_id, c, n, jt, key in Position.objects.filter(agency__in={p[1] for p in parsed})
            .values_list("pk", "agency_id", "code", "name", "job_type", "is_key")
        }
        competency_ids = {pk for pk, _a in levels_by_column.values()}
        required = {
            (position_id, competency_id): (pk, level, is_default)
            for pk, position_id, competency_id, level, is_default in RequiredLevel.objects.filter(
                position__in=[v[0] for v in existing.values()], competency__in=competency_ids,
            ).values_list("pk", "position_id", "competency_id", "level", "is_default")
        }
        for row, agency_id, position, name, job_type, is_key, levels in parsed:
            old = existing.get((agency_id, position))
            changes = self._level_changes(old, job_type, levels, levels_by_column, required)
            if is_key is None:
                is_key = old[3] if old else False
            if old is None:
                plan.count(row, "create")
            elif old[1:] != (name, job_type, is_key) or any(changes.values()):
                plan.count(row, "update")
            else:
                plan.count(row, "unchanged")
            plan.data.setdefault("rows", []).append((agency_id, position, (name, job_type, is_key), old, changes))
        explicit = sum(level is not None for *_r, levels in parsed for level in levels.values())
        if levels_by_column:
            plan.notes.append(ngettext(
                "%(n)d required level given in the file; the other competencies for every position take "
                "the job type's default.",
                "%(n)d required levels given in the file; the other competencies for every position take "
                "the job type's default.",
                explicit,
            ) % {"n": explicit})
        return plan

    def _job_type(self, row, errors, job_types, allowed):
        value = row.get("job_type")
        found = job_types.get(fold(value)) if value else None
        if found is None:
            errors.add(row, "job_type", _("Unknown job type; use one of: %(allowed)s.") % {"allowed": allowed})
        return found

    def _level_changes(self, old, job_type, levels, levels_by_column, required):
        """What to do with each competency cell: ``set`` new explicit rows, ``update`` or ``delete`` old ones."""
        changes = {"set": [], "update": [], "delete": []}
        for column, (competency_id, applies_to_all) in levels_by_column.items():
            level = levels[column]
            current = required.get((old[0], competency_id)) if old else None
            if level is not None:
                if current is None:
                    changes["set"].append((competency_id, level))
                elif (current[1], current[2]) != (level, False):
                    changes["update"].append((current[0], level, False))
            elif current is not None and not current[2]:
                # An empty cell returns the competency to the job type's default.
                if applies_to_all:
                    changes["update"].append((current[0], default_level(job_type), True))
                else:
                    changes["delete"].append(current[0])
        return changes

    def write(self, plan, *, progress):
        rows = plan.data.get("rows", [])
        new = [Position(agency_id=a, code=c, name=n, job_type=jt, is_key=key)
               for a, c, (n, jt, key), old, _ch in rows if old is None]
        Position.objects.bulk_create(new, batch_size=1000)
        ids = iter(p.pk for p in new)
        Position.objects.bulk_update(
            [Position(pk=old[0], name=n, job_type=jt, is_key=key) for _a, _c, (n, jt, key), old, _ch in rows
             if old is not None and old[1:] != (n, jt, key)],
            ["name", "job_type", "is_key"], batch_size=500,
        )
        to_create, to_update, to_delete, touched = [], [], [], []
        for _a, _c, _values, old, changes in rows:
            position_id = old[0] if old else next(ids)
            touched.append(position_id)
            to_create += [
                RequiredLevel(position_id=position_id, competency_id=cid, level=level, is_default=False)
                for cid, level in changes["set"]
            ]
            to_update += [RequiredLevel(pk=pk, level=level, is_default=d) for pk, level, d in changes["update"]]
            to_delete += changes["delete"]
        RequiredLevel.objects.bulk_create(to_create, batch_size=2000)
        RequiredLevel.objects.bulk_update(to_update, ["level", "is_default"], batch_size=500)
        RequiredLevel.objects.filter(pk__in=to_delete).delete()
        required_levels_apply_defaults(positions=Position.objects.filter(pk__in=touched), overwrite=True)
        progress("write", len(rows), len(rows))
