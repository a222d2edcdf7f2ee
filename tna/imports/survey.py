"""The training-needs survey import: ``cycle, nip, competency, priority`` + mode, time, blocked days, note."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..infra.cells import choice, chunked, duplicate, integer
from ..infra.spreadsheets import fold
from ..models import SurveyResponse
from ..models.evidence import WEEKDAYS
from .base import Plan
from .evidence import EvidenceFormat

DUPLICATE = gettext_lazy("This employee's answer on this competency")

MODES = {
    "classroom": "classroom", "class": "classroom", "tatap muka": "classroom", "klasikal": "classroom",
    "online": "online", "daring": "online",
    "blended": "blended", "campuran": "blended", "bauran": "blended",
    "self paced": "self_paced", "selfpaced": "self_paced", "mandiri": "self_paced",
}
TIMES = {
    "any": "", "bebas": "",
    "morning": "morning", "pagi": "morning",
    "afternoon": "afternoon", "siang": "afternoon", "sore": "afternoon",
    "full day": "full_day", "sehari penuh": "full_day",
    "short blocks": "short_blocks", "blok pendek": "short_blocks",
}
DAY_NAMES = {
    **{code: code for code in WEEKDAYS},
    **dict(zip(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"], WEEKDAYS, strict=True)),
    **dict(zip(["senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"], WEEKDAYS, strict=True)),
    "jum'at": "fri", "ahad": "sun",
}
DAY_SEPARATORS = re.compile(r"[;,/]|\s+")
FIELDS = ("priority", "mode", "time", "blocked_days", "note")


def blocked_days(row, errors, column="blocked_days"):
    """``"tue;thu"`` (English or Indonesian names, ``;`` ``,`` or spaces) → ``["tue", "thu"]``."""
    value = row.get(column)
    days, unknown = set(), []
    for part in DAY_SEPARATORS.split(value.lower()):
        if part in DAY_NAMES:
            days.add(DAY_NAMES[part])
        elif part:
            unknown.append(part)
    if unknown:
        errors.add(row, column, _(
            "Unknown weekday %(names)s; use mon, tue, wed, thu, fri, sat, sun (or senin … minggu), "
            "separated by ; or ,."
        ) % {"names": ", ".join(unknown)})
        return None
    return [d for d in WEEKDAYS if d in days]


class SurveyFormat(EvidenceFormat):
    kind = "survey"
    label = gettext_lazy("Training-needs survey")
    required = ("cycle", "nip", "competency", "priority")
    optional = ("mode", "time", "blocked_days", "note")
    nip_columns = ("nip",)

    def validate(self, table, errors, *, scope, progress):
        self.prepare(table)
        plan, seen, parsed = Plan(), {}, []
        for row in table.rows:
            bad = len(errors)
            year = self.cycle(row, errors)
            person = self.employee(row, "nip", errors, scope)
            competency = self.competency(row, errors)
            values = {
                "priority": integer(row, "priority", errors, low=1, high=3),
                "mode": choice(row, "mode", errors, MODES, required=False,
                               allowed="classroom, online, blended, self_paced") or "",
                "time": self._time(row, errors),
                "blocked_days": blocked_days(row, errors),
                "note": row.get("note"),
            }
            if len(errors) > bad:
                continue
            key = (year, person["pk"], competency)
            if not duplicate(errors, seen, key, row, "competency", DUPLICATE):
                parsed.append((row.number, key, values))
        if errors:
            return plan
        self.new_cycles_note(plan, [p[1][0] for p in parsed])
        existing = self._existing(parsed)
        for row, key, values in parsed:
            old = existing.get(key)
            if old is None:
                plan.count(row, "create")
            else:
                plan.count(row, "unchanged" if all(old[f] == values[f] for f in FIELDS) else "update")
        plan.data.update(parsed=parsed, existing=existing)
        return plan

    def _time(self, row, errors):
        value = row.get("time")
        if not value:
            return ""
        found = TIMES.get(fold(value))
        if found is None:
            errors.add(row, "time", _("Not an allowed value; allowed: morning, afternoon, full_day, short_blocks "
                                      "(or empty for any time)."))
        return found

    def _existing(self, parsed):
        year_of = {pk: year for year, (pk, _open) in self.cycles.items()}
        existing = {}
        columns = ("pk", "cycle_id", "employee_id", "competency_id", *FIELDS)
        for chunk in chunked({key[1] for _r, key, _v in parsed}):
            for values in SurveyResponse.objects.filter(cycle__in=list(year_of), employee__in=chunk).values_list(*columns):
                record = dict(zip(columns, values, strict=True))
                existing[(year_of[record["cycle_id"]], record["employee_id"], record["competency_id"])] = record
        return existing

    def write(self, plan, *, progress):
        parsed, existing = plan.data["parsed"], plan.data["existing"]
        cycle_ids = self.cycle_ids([key[0] for _r, key, _v in parsed])
        now = timezone.now()
        new, changed = [], []
        for row, (year, employee, competency), values in parsed:
            action = plan.actions[row]
            if action == "create":
                new.append(SurveyResponse(cycle_id=cycle_ids[year], employee_id=employee, competency_id=competency,
                                          **values))
            elif action == "update":
                pk = existing[(year, employee, competency)]["pk"]
                changed.append(SurveyResponse(pk=pk, updated_at=now, **values))
        SurveyResponse.objects.bulk_create(new, batch_size=2000)
        SurveyResponse.objects.bulk_update(changed, [*FIELDS, "updated_at"], batch_size=500)
        progress("write", len(parsed), len(parsed))
