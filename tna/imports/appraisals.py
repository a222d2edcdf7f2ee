"""The appraisals import: SKP results and behaviour per employee and cycle, plus optional indicators."""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..infra.cells import choice, chunked, duplicate, integer
from ..models import Appraisal
from .base import Plan
from .evidence import EvidenceFormat

DUPLICATE = gettext_lazy("An appraisal of this employee in this cycle")

# English codes and the Indonesian wording of PermenPANRB 6/2022 ("di atas ekspektasi", …).
EXPECTATION = {}
for _value, _words in {
    "above": ("above", "above expectations", "di atas", "diatas", "di atas ekspektasi", "diatas ekspektasi"),
    "meets": ("meets", "meets expectations", "sesuai", "sesuai ekspektasi"),
    "below": ("below", "below expectations", "di bawah", "dibawah", "di bawah ekspektasi", "dibawah ekspektasi"),
}.items():
    EXPECTATION.update(dict.fromkeys(_words, _value))
ALLOWED = "above, meets, below (di atas / sesuai / di bawah ekspektasi)"
INDICATORS = ("discipline", "quality", "innovation")
FIELDS = ("rated_by_id", "results", "behaviour", *INDICATORS)


class AppraisalsFormat(EvidenceFormat):
    kind = "appraisals"
    label = gettext_lazy("Appraisals (SKP)")
    required = ("cycle", "nip", "results", "behaviour")
    optional = INDICATORS
    nip_columns = ("nip",)

    def validate(self, table, errors, *, scope, progress):
        self.prepare(table)
        plan, seen, parsed = Plan(), {}, []
        for row in table.rows:
            bad = len(errors)
            year = self.cycle(row, errors)
            person = self.employee(row, "nip", errors, scope)
            values = {
                "results": choice(row, "results", errors, EXPECTATION, allowed=ALLOWED),
                "behaviour": choice(row, "behaviour", errors, EXPECTATION, allowed=ALLOWED),
                **{f: integer(row, f, errors, low=1, high=5, required=False) for f in INDICATORS},
            }
            if len(errors) > bad:
                continue
            # The direct superior rates the SKP (PermenPANRB 6/2022).
            values["rated_by_id"] = person["supervisor_id"]
            if not duplicate(errors, seen, (year, person["pk"]), row, "nip", DUPLICATE):
                parsed.append((row.number, year, person["pk"], values))
        if errors:
            return plan
        self.new_cycles_note(plan, [p[1] for p in parsed])
        existing = self._existing(parsed)
        for row, year, employee, values in parsed:
            old = existing.get((year, employee))
            if old is None:
                plan.count(row, "create")
            else:
                plan.count(row, "unchanged" if all(old[f] == values[f] for f in FIELDS) else "update")
        plan.data.update(parsed=parsed, existing=existing)
        return plan

    def _existing(self, parsed):
        year_of = {pk: year for year, (pk, _open) in self.cycles.items()}
        existing = {}
        columns = ("pk", "cycle_id", "employee_id", *FIELDS)
        for chunk in chunked({p[2] for p in parsed}):
            for values in Appraisal.objects.filter(cycle__in=list(year_of), employee__in=chunk).values_list(*columns):
                record = dict(zip(columns, values, strict=True))
                existing[(year_of[record["cycle_id"]], record["employee_id"])] = record
        return existing

    def write(self, plan, *, progress):
        parsed, existing = plan.data["parsed"], plan.data["existing"]
        cycle_ids = self.cycle_ids([p[1] for p in parsed])
        now = timezone.now()
        new, changed = [], []
        for row, year, employee, values in parsed:
            action = plan.actions[row]
            if action == "create":
                new.append(Appraisal(cycle_id=cycle_ids[year], employee_id=employee, **values))
            elif action == "update":
                changed.append(Appraisal(pk=existing[(year, employee)]["pk"], updated_at=now, **values))
        Appraisal.objects.bulk_create(new, batch_size=2000)
        Appraisal.objects.bulk_update(changed, [*FIELDS, "updated_at"], batch_size=500)
        progress("write", len(parsed), len(parsed))
