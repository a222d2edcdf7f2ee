"""The assessments import: assessment-centre results (job-person match, JPM %) per employee and cycle."""

import datetime
import math
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..infra.cells import calendar_date, chunked, duplicate
from ..models import AssessmentResult
from .base import Plan
from .evidence import EvidenceFormat

DUPLICATE = gettext_lazy("An assessment-centre result of this employee in this cycle")
# 85, 85.5, 85,5 (Indonesian decimal comma), with or without a trailing % sign.
JPM = re.compile(r"^(\d{1,3})(?:[.,](\d+))?\s*%?$")
ASSESSOR_MAX = 200
# "Still to come" is judged where the day begins first: Indonesia's easternmost zone (WIT).
EASTERNMOST = ZoneInfo("Asia/Jayapura")


def today_anywhere():
    """Today's date in the easternmost Indonesian time zone: no date valid somewhere is refused."""
    return datetime.datetime.now(EASTERNMOST).date()


def past_date(row, column, errors):
    """An optional date cell that may not lie in the future; None when empty or wrong."""
    found = calendar_date(row, column, errors, required=False)
    if found is not None and found > today_anywhere():
        errors.add(row, column, _("This date is still to come."))
        return None
    return found


def jpm(row, errors, column="jpm"):
    """The job-person match as a number 0–100; ``85,5`` and ``85.5 %`` are read as 85.5."""
    value = row.get(column)
    if not value:
        errors.add(row, column, _("This cell must not be empty: the job-person match, a number from 0 to 100."))
        return None
    match = JPM.match(value)
    number = float("%s.%s" % (match.group(1), match.group(2) or "0")) if match else None
    if number is None or math.isnan(number) or not 0 <= number <= 100:
        errors.add(row, column, _("The job-person match must be a number from 0 to 100, such as %(examples)s.")
                   % {"examples": "85, 85,5, 85.5%"})
        return None
    if column in row.numeric and 0 < number < 1:
        # An Excel percentage cell stores 85.5% as 0.855.
        errors.add(row, column, _("This looks like a spreadsheet percentage cell, which stores %(percent)s as "
                                  "%(fraction)s; write the job-person match as a number from 0 to 100, such as "
                                  "%(number)s.") % {"percent": "85.5%", "fraction": "0.855", "number": "85.5"})
        return None
    return number


class AssessmentsFormat(EvidenceFormat):
    kind = "assessments"
    label = gettext_lazy("Assessment-centre results")
    required = ("cycle", "nip", "jpm")
    optional = ("assessed_on", "assessor")
    nip_columns = ("nip",)

    def validate(self, table, errors, *, scope, progress):
        self.prepare(table)
        # A column the file lacks leaves what is stored alone.
        fields = ["jpm", *(c for c in self.optional if c in table.columns)]
        plan, seen, parsed = Plan(), {}, []
        for row in table.rows:
            bad = len(errors)
            year = self.cycle(row, errors)
            person = self.employee(row, "nip", errors, scope)
            values = {"jpm": jpm(row, errors)}
            if "assessed_on" in fields:
                values["assessed_on"] = past_date(row, "assessed_on", errors)
            if "assessor" in fields:
                values["assessor"] = row.get("assessor")
                if len(values["assessor"]) > ASSESSOR_MAX:
                    errors.add(row, "assessor", _("At most %(n)d characters.") % {"n": ASSESSOR_MAX})
            if len(errors) > bad:
                continue
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
                same = all(old[f] == values[f] for f in fields if f != "jpm") and math.isclose(
                    old["jpm"], values["jpm"], abs_tol=1e-9)
                plan.count(row, "unchanged" if same else "update")
        plan.data.update(parsed=parsed, existing=existing, fields=fields)
        return plan

    def _existing(self, parsed):
        year_of = {pk: year for year, (pk, _open) in self.cycles.items()}
        existing = {}
        columns = ("pk", "cycle_id", "employee_id", "jpm", "assessed_on", "assessor")
        for chunk in chunked({p[2] for p in parsed}):
            for values in AssessmentResult.objects.filter(cycle__in=list(year_of), employee__in=chunk).values_list(
                    *columns):
                record = dict(zip(columns, values, strict=True))
                existing[(year_of[record["cycle_id"]], record["employee_id"])] = record
        return existing

    def write(self, plan, *, progress):
        parsed, existing, fields = plan.data["parsed"], plan.data["existing"], plan.data["fields"]
        cycle_ids = self.cycle_ids([p[1] for p in parsed])
        new, changed = [], []
        for row, year, employee, values in parsed:
            action = plan.actions[row]
            if action == "create":
                new.append(AssessmentResult(cycle_id=cycle_ids[year], employee_id=employee, **values))
            elif action == "update":
                changed.append(AssessmentResult(pk=existing[(year, employee)]["pk"], **values))
        AssessmentResult.objects.bulk_create(new, batch_size=2000)
        AssessmentResult.objects.bulk_update(changed, fields, batch_size=500)
        progress("write", len(parsed), len(parsed))
