"""The assignments import: project participation (task forces, programme teams) per employee and cycle.

Rows are checked in bulk like the other evidence imports; each accepted row is then written
through ``tna.services.assignments.assignment_save``, the write path the supervisor's page uses,
so both keep the same rules (docs/imports.md#assignments).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..infra.cells import calendar_date, choice, chunked, duplicate, required_text
from ..infra.row_errors import ImportRejected, RowError
from ..models import Assignment, Cycle, Employee
from ..services.assignments import ROLE_WORDS, TITLE_MAX, assignment_save, tidy_title
from .base import Plan
from .evidence import EvidenceFormat

DUPLICATE = gettext_lazy("This employee's assignment with the same title and start date")
ALLOWED = "lead, secretary, member, adviser (ketua, sekretaris, anggota, pengarah)"
SEPARATORS = re.compile(r"[;,]")
PROGRESS_EVERY = 1000


class AssignmentsFormat(EvidenceFormat):
    kind = "assignments"
    label = gettext_lazy("Project assignments")
    required = ("nip", "cycle", "title", "role", "start", "end", "competencies")
    nip_columns = ("nip",)

    def cycle(self, row, errors):
        """An existing, open cycle: assignments never open one."""
        year = super().cycle(row, errors)
        if year is not None and year not in self.cycles:
            errors.add(row, "cycle", _("There is no cycle %(year)d; open it in the admin (Cycles) first.")
                       % {"year": year})
            return None
        return year

    def competency_ids(self, row, errors):
        """The codes of the ``competencies`` cell (``;``-separated, may be empty) as competency ids."""
        codes = dict.fromkeys(part.strip().lower() for part in SEPARATORS.split(row.get("competencies"))
                              if part.strip())
        unknown = [c for c in codes if c not in self.competencies]
        if unknown:
            errors.add(row, "competencies", _("No competency has the code %(code)s.")
                       % {"code": ", ".join(c.upper() for c in unknown)})
            return None
        return frozenset(self.competencies[c] for c in codes)

    def validate(self, table, errors, *, scope, progress):
        self.prepare(table)
        plan, seen, parsed = Plan(), {}, []
        for row in table.rows:
            bad = len(errors)
            year = self.cycle(row, errors)
            person = self.employee(row, "nip", errors, scope)
            title = required_text(row, "title", errors, max_length=TITLE_MAX)
            role = choice(row, "role", errors, ROLE_WORDS, allowed=ALLOWED)
            start = calendar_date(row, "start", errors)
            end = calendar_date(row, "end", errors, required=False)
            if start and end and end < start:
                errors.add(row, "end", _("The assignment ends before it starts (%(start)s).")
                           % {"start": start.isoformat()})
            competencies = self.competency_ids(row, errors)
            if len(errors) > bad:
                continue
            title = tidy_title(title)
            key = (year, person["pk"], title.lower(), start)
            if not duplicate(errors, seen, key, row, "title", DUPLICATE):
                parsed.append((row.number, key, {"title": title, "role": str(role), "end": end,
                                                 "competencies": competencies}))
        if errors:
            return plan
        existing = self._existing(parsed)
        for row, key, values in parsed:
            old = existing.get(key)
            if old is None:
                plan.count(row, "create")
            else:
                plan.count(row, "unchanged" if all(old[f] == values[f] for f in values) else "update")
        plan.data.update(parsed=parsed, existing=existing)
        return plan

    def _existing(self, parsed):
        """Stored assignments of the file's people in the file's cycles, by key (title in lower case)."""
        year_of = {pk: year for year, (pk, _open) in self.cycles.items()}
        years = {key[0] for _r, key, _v in parsed}
        cycles = [pk for pk, year in year_of.items() if year in years]
        existing, by_pk = {}, {}
        columns = ("pk", "cycle_id", "employee_id", "title", "role", "start", "end")
        for chunk in chunked({key[1] for _r, key, _v in parsed}):
            for values in Assignment.objects.filter(cycle__in=cycles, employee__in=chunk).order_by("pk") \
                    .values_list(*columns):
                record = dict(zip(columns, values, strict=True), competencies=set())
                key = (year_of[record["cycle_id"]], record["employee_id"], record["title"].lower(), record["start"])
                if key not in existing:
                    existing[key] = by_pk[record["pk"]] = record
        links = Assignment.competencies.through.objects
        for chunk in chunked(by_pk):
            for assignment_id, competency_id in links.filter(assignment__in=chunk).values_list(
                    "assignment_id", "competency_id"):
                by_pk[assignment_id]["competencies"].add(competency_id)
        for record in by_pk.values():
            record["competencies"] = frozenset(record["competencies"])
        return existing

    def write(self, plan, *, progress):
        parsed, existing = plan.data["parsed"], plan.data["existing"]
        todo = [(row, key, values) for row, key, values in parsed if plan.actions[row] != "unchanged"]
        cycles = {c.year: c for c in Cycle.objects.filter(year__in={key[0] for _r, key, _v in todo})}
        people, stored = {}, {}
        for chunk in chunked({key[1] for _r, key, _v in todo}):
            people.update(Employee.objects.in_bulk(chunk))
        for chunk in chunked([existing[key]["pk"] for _r, key, _v in todo if key in existing]):
            stored.update(Assignment.objects.in_bulk(chunk))
        for done, (row, key, values) in enumerate(todo, start=1):
            year, employee, _lowered, start = key
            old = existing.get(key)
            try:
                assignment_save(
                    employee=people[employee], cycle=cycles[year], title=values["title"], role=values["role"],
                    start=start, end=values["end"], competencies=values["competencies"], entered_by=None,
                    assignment=stored[old["pk"]] if old else None,
                )
            except ValidationError as error:
                # Checked above; only a change made meanwhile can get here. Nothing is kept.
                raise ImportRejected([RowError(row, "", "", " ".join(error.messages))]) from None
            if done % PROGRESS_EVERY == 0:
                progress("write", done, len(todo))
        progress("write", len(todo), len(todo))
