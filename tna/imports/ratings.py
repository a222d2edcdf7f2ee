"""The ratings import: 360° competency ratings (``cycle, ratee_nip, rater_nip, rater_role, competency, level``)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..infra.cells import choice, chunked, duplicate, integer
from ..infra.row_errors import RowError
from ..models import Rating
from .base import Plan
from .evidence import EvidenceFormat

DUPLICATE = gettext_lazy("This rater's rating of this person on this competency")

ROLES = {
    "self": "self", "diri": "self", "diri sendiri": "self",
    "supervisor": "supervisor", "atasan": "supervisor",
    "peer": "peer", "rekan": "peer", "rekan kerja": "peer", "sejawat": "peer",
    "subordinate": "subordinate", "bawahan": "subordinate",
}
MAX_WARNINGS = 200


class RatingsFormat(EvidenceFormat):
    kind = "ratings"
    label = gettext_lazy("Competency ratings (360°)")
    required = ("cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level")
    nip_columns = ("ratee_nip", "rater_nip")

    def validate(self, table, errors, *, scope, progress):
        self.prepare(table)
        plan, seen, parsed = Plan(), {}, []
        for row in table.rows:
            bad = len(errors)
            year = self.cycle(row, errors)
            ratee = self.employee(row, "ratee_nip", errors, scope)
            rater = self.employee(row, "rater_nip", errors, scope)
            role = choice(row, "rater_role", errors, ROLES, allowed="self, supervisor, peer, subordinate")
            competency = self.competency(row, errors)
            level = integer(row, "level", errors, low=1, high=5)
            if len(errors) > bad:
                continue
            if not self._role_fits(row, errors, plan, role, ratee, rater):
                continue
            key = (year, ratee["pk"], rater["pk"], competency)
            if not duplicate(errors, seen, key, row, "competency", DUPLICATE):
                parsed.append((row.number, key, role, level))
        if errors:
            return plan
        self.new_cycles_note(plan, [p[1][0] for p in parsed])
        existing = self._existing(parsed)
        for row, key, role, level in parsed:
            old = existing.get(key)
            plan.count(row, "create" if old is None else ("unchanged" if old[1:] == (role, level) else "update"))
        plan.data.update(parsed=parsed, existing=existing)
        return plan

    def _role_fits(self, row, errors, plan, role, ratee, rater):
        same = ratee["pk"] == rater["pk"]
        if role == "self" and not same:
            errors.add(row, "rater_role", _("A self rating needs the same NIP as ratee and rater."))
            return False
        if role != "self" and same:
            errors.add(row, "rater_role", _("Rater and ratee are the same person: use the role self."))
            return False
        # Leniency is judged among raters of the same people; agencies never see each other's staff.
        if rater["agency_id"] != ratee["agency_id"]:
            errors.add(row, "rater_nip", _("The rater works in another agency than the ratee."))
            return False
        # The supervisor's rating weighs most in the analysis, so the claim must match the records.
        if role == "supervisor" and ratee["supervisor_id"] != rater["pk"]:
            errors.add(row, "rater_role", _(
                "The rater is not the ratee's direct supervisor in Latih; correct the employees file "
                "first or use the role peer."
            ))
            return False
        if role == "subordinate" and rater["supervisor_id"] != ratee["pk"] and len(plan.warnings) < MAX_WARNINGS:
            plan.warnings.append(RowError(row.number, "rater_role", role, _(
                "The rater is not a direct report of the ratee; imported as a subordinate rating anyway."
            )))
        return True

    def _existing(self, parsed):
        cycle_ids = {year: pk for year, (pk, _open) in self.cycles.items()}
        year_of = {pk: year for year, pk in cycle_ids.items()}
        years = {key[0] for _r, key, _ro, _l in parsed if key[0] in cycle_ids}
        ratees = {key[1] for _r, key, _ro, _l in parsed}
        existing = {}
        for chunk in chunked(ratees):
            for pk, cycle_id, ratee, rater, competency, role, level in Rating.objects.filter(
                cycle__in=[cycle_ids[y] for y in years], ratee__in=chunk,
            ).values_list("pk", "cycle_id", "ratee_id", "rater_id", "competency_id", "rater_role", "level"):
                existing[(year_of[cycle_id], ratee, rater, competency)] = (pk, role, level)
        return existing

    def write(self, plan, *, progress):
        parsed, existing = plan.data["parsed"], plan.data["existing"]
        cycle_ids = self.cycle_ids([key[0] for _r, key, _ro, _l in parsed])
        now = timezone.now()
        new, changed = [], []
        for row, (year, ratee, rater, competency), role, level in parsed:
            action = plan.actions[row]
            if action == "create":
                new.append(Rating(cycle_id=cycle_ids[year], ratee_id=ratee, rater_id=rater, rater_role=role,
                                  competency_id=competency, level=level))
            elif action == "update":
                pk = existing[(year, ratee, rater, competency)][0]
                changed.append(Rating(pk=pk, rater_role=role, level=level, updated_at=now))
        Rating.objects.bulk_create(new, batch_size=2000)
        Rating.objects.bulk_update(changed, ["rater_role", "level", "updated_at"], batch_size=500)
        progress("write", len(parsed), len(parsed))
