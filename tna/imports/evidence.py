"""What the evidence imports (ratings, appraisals, survey) share: cycles, people by NIP, competencies."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..infra.cells import chunked, cycle_year, nip_text
from ..models import Competency, Cycle, Employee
from .base import ImportFormat


class EvidenceFormat(ImportFormat):
    """An import of per-cycle evidence about stored employees, identified by NIP."""

    def prepare(self, table):
        """Read the cycles, employees and competencies the file names, in a few bulk queries."""
        self.cycles = {year: (pk, is_open) for year, pk, is_open in Cycle.objects.values_list("year", "pk", "is_open")}
        nips = {row.get(c) for row in table.rows for c in self.nip_columns} - {""}
        self.people = {}
        for chunk in chunked(nips):
            for pk, nip, agency_id, supervisor_id in Employee.objects.filter(nip__in=chunk).values_list(
                    "pk", "nip", "agency_id", "supervisor_id"):
                self.people[nip] = {"pk": pk, "agency_id": agency_id, "supervisor_id": supervisor_id}
        self.competencies = {c.lower(): pk for c, pk in Competency.objects.values_list("code", "pk")}

    def cycle(self, row, errors):
        """The cycle year; a closed cycle is refused, a new one will be created on write."""
        year = cycle_year(row, errors)
        if year is not None and year in self.cycles and not self.cycles[year][1]:
            errors.add(row, "cycle", _("Cycle %(year)d is closed and takes no more entries.") % {"year": year})
            return None
        return year

    def employee(self, row, column, errors, scope):
        """The stored employee with the NIP in ``column`` (a dict with ``pk``), or None."""
        nip = nip_text(row, column, errors, known=self.people)
        if nip is None:
            return None
        person = self.people.get(nip)
        if person is None:
            errors.add(row, column, _("No employee has this NIP; import the employees file first."))
        elif scope.limited and person["agency_id"] != scope.agency_id:
            errors.add(row, column, _("This employee works in another agency; your account may only import "
                                      "data of agency %(agency)s.") % {"agency": scope.agency_code})
            return None
        return person

    def competency(self, row, errors, column="competency"):
        value = row.get(column)
        if not value:
            errors.add(row, column, _("This cell must not be empty: a competency code such as M.01."))
            return None
        pk = self.competencies.get(value.lower())
        if pk is None:
            errors.add(row, column, _("No competency has this code."))
        return pk

    def new_cycles_note(self, plan, years):
        new = sorted(set(years) - set(self.cycles))
        if new:
            plan.notes.append(ngettext("A new cycle will be opened: %s.", "New cycles will be opened: %s.", len(new)) % ", ".join(
                map(str, new)
            ))

    @staticmethod
    def cycle_ids(years):
        """Cycle pk per year, opening the cycles that do not exist yet."""
        ids = dict(Cycle.objects.filter(year__in=set(years)).values_list("year", "pk"))
        missing = [Cycle(year=y) for y in set(years) - set(ids)]
        Cycle.objects.bulk_create(missing)
        ids.update({c.year: c.pk for c in missing})
        return ids
