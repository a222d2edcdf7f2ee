"""The employees import: validate every row (NIP, codes, grade, supervisor chain) before any write."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..grades import GRADE_RANGE, GRADES, grade_rank
from ..infra.cells import choice, chunked, code, duplicate, nip_text, required_text
from ..infra.row_errors import RowError
from ..models import Agency, Employee, Position, Unit
from ..nip import parse_nip
from .base import ImportFormat, Plan
from .employees_write import write_employees
from .graph import find_loops

DUPLICATE = gettext_lazy("This NIP")

GRADE_LOOKUP = {g.lower(): g for g in GRADES}
EMPLOYMENT = {"pns": "PNS", "pppk": "PPPK"}
# Fields compared to decide between "update" and "unchanged", in Employee's own names.
FIELDS = ("name", "agency_id", "unit_id", "position_id", "grade", "employment", "email")
MAX_WARNINGS = 200
NO_UNIT = gettext_lazy("Agency %(agency)s has no unit with the code %(code)s; import it with the org file first.")
NO_POSITION = gettext_lazy(
    "Agency %(agency)s has no position with the code %(code)s; import it with the positions file first."
)


def grade(row, errors):
    """``III/a`` in any case and with any spaces; nothing else is guessed."""
    value = row.get("grade")
    found = GRADE_LOOKUP.get("".join(value.split()).lower()) if value else None
    if found is None:
        errors.add(row, "grade", _("Grade (golongan/ruang) must be one of I/a … IV/e, written like III/a."))
    return found


class EmployeesFormat(ImportFormat):
    kind = "employees"
    label = gettext_lazy("Employees (workforce)")
    required = ("nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor_nip", "email")
    nip_columns = ("nip", "supervisor_nip")

    def validate(self, table, errors, *, scope, progress):
        lookups = self._lookups(table)
        # Every row with a readable NIP takes part in the checks across rows (duplicates,
        # supervisors, loops), even when another of its cells is wrong: all problems at once.
        rows, seen = {}, {}
        total = len(table.rows)
        for i, row in enumerate(table.rows, start=1):
            parsed = self._row(row, errors, lookups, scope)
            if parsed["nip"] and not duplicate(errors, seen, parsed["nip"], row, "nip", DUPLICATE):
                rows[parsed["nip"]] = parsed
            if i % 5000 == 0:
                progress("validate", i, total)
        progress("validate", total, total)
        existing = self._existing(list(rows) + [r["supervisor"] for r in rows.values() if r["supervisor"]])
        self._check_existing(rows, existing, errors, scope)
        self._check_supervisors(rows, existing, errors, file_nips={row.get("nip") for row in table.rows})
        users = self._free_users(rows, existing, errors)
        plan = Plan()
        if errors:
            return plan
        for nip, r in rows.items():
            plan.count(r["row"], self._action(r, existing.get(nip), existing))
        plan.warnings = self._grade_warnings(rows, lookups["job_type"])
        plan.data.update(rows=rows, existing=existing, users=users)
        return plan

    def write(self, plan, *, progress):
        write_employees(plan, progress=progress)

    # -- reading lookups in bulk ---------------------------------------------------------------

    def _lookups(self, table):
        codes = {r.get("agency").lower() for r in table.rows}
        agencies = dict(Agency.objects.filter(code__in=codes).values_list("code", "pk"))
        units = {(a, c): pk for pk, a, c in Unit.objects.filter(agency__in=agencies.values())
                 .values_list("pk", "agency_id", "code")}
        positions, job_type = {}, {}
        for pk, a, c, jt in Position.objects.filter(agency__in=agencies.values()).values_list(
                "pk", "agency_id", "code", "job_type"):
            positions[(a, c.lower())] = pk
            job_type[pk] = jt
        units = {(a, c.lower()): pk for (a, c), pk in units.items()}
        return {"agency": agencies, "unit": units, "position": positions, "job_type": job_type}

    def _existing(self, nips):
        """Employees already stored under these NIPs, plus everyone above them (for loops)."""
        existing = {}
        columns = ("pk", "nip", "supervisor_id", "user_id", "user__first_name", "user__email", *FIELDS)
        wanted = set(nips)
        for chunk in chunked(wanted):
            for values in Employee.objects.filter(nip__in=chunk).values_list(*columns):
                existing[values[1]] = dict(zip(columns, values, strict=True))
        # Walk up the stored supervisor chains so loops through people not in the file show.
        by_pk = {e["pk"]: nip for nip, e in existing.items()}
        missing = {e["supervisor_id"] for e in existing.values()} - set(by_pk) - {None}
        while missing:
            found = {}
            for chunk in chunked(missing):
                for values in Employee.objects.filter(pk__in=chunk).values_list(*columns):
                    found[values[1]] = dict(zip(columns, values, strict=True))
            existing.update(found)
            by_pk.update({e["pk"]: nip for nip, e in found.items()})
            missing = {e["supervisor_id"] for e in found.values()} - set(by_pk) - {None}
        for e in existing.values():
            e["supervisor_nip"] = by_pk.get(e["supervisor_id"])
        return existing

    # -- per-row checks ------------------------------------------------------------------------

    def _row(self, row, errors, lookups, scope):
        """The row's values, ``None`` where a cell is wrong (its problem is then in ``errors``)."""
        employment = choice(row, "employment", errors, EMPLOYMENT, allowed="PNS, PPPK")
        nip = nip_text(row, "nip", errors)
        if nip:
            try:
                # An unreadable employment cell gets the lenient (PPPK) check: report only sure faults.
                parse_nip(nip, employment=employment or "PPPK")
            except ValidationError as exc:
                errors.add(row, "nip", exc.messages[0])
        name = required_text(row, "name", errors)
        the_grade = grade(row, errors)
        email = row.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.add(row, "email", _("Not a valid email address."))
        supervisor = nip_text(row, "supervisor_nip", errors, required=False)
        if supervisor and supervisor == nip:
            errors.add(row, "supervisor_nip", _("An employee cannot be their own supervisor."))
            supervisor = None  # reported once, not again as a loop
        agency_code = code(row, "agency", errors)
        agency = lookups["agency"].get(agency_code)
        if agency_code and scope.limited and agency_code != scope.agency_code:
            scope.refuse(errors, row, "agency")
            agency = None
        elif agency_code and agency is None:
            errors.add(row, "agency", _("Unknown agency %(code)s: import it with the org file first.")
                       % {"code": agency_code})
        unit = position = None
        if agency is not None:
            unit = self._in_agency(row, "unit", errors, lookups["unit"], agency, agency_code, NO_UNIT)
            position = self._in_agency(row, "position", errors, lookups["position"], agency, agency_code,
                                       NO_POSITION, max_length=60)
        return {
            "row": row, "nip": nip, "name": name, "agency_id": agency, "unit_id": unit, "position_id": position,
            "grade": the_grade, "employment": employment, "email": email, "supervisor": supervisor or None,
        }

    def _in_agency(self, row, column, errors, lookup, agency, agency_code, message, max_length=40):
        value = code(row, column, errors, max_length=max_length)
        if value is None:
            return None
        found = lookup.get((agency, value))
        if found is None:
            errors.add(row, column, message % {"agency": agency_code, "code": value})
        return found

    # -- checks across rows --------------------------------------------------------------------

    def _check_existing(self, rows, existing, errors, scope):
        for nip, r in rows.items():
            old = existing.get(nip)
            if old and scope.limited and old["agency_id"] != scope.agency_id:
                errors.add(r["row"], "nip", _(
                    "This NIP belongs to an employee of another agency; a superuser must move them."
                ))

    def _check_supervisors(self, rows, existing, errors, *, file_nips):
        for r in rows.values():
            supervisor = r["supervisor"]
            if not supervisor:
                continue
            if supervisor in rows:
                agency = rows[supervisor]["agency_id"]
            elif supervisor in existing:
                agency = existing[supervisor]["agency_id"]
            elif supervisor in file_nips:
                continue  # that row is reported with its own errors
            else:
                errors.add(r["row"], "supervisor_nip", _(
                    "Supervisor NIP %(nip)s is neither in this file nor among the stored employees."
                ) % {"nip": supervisor})
                continue
            if None not in (agency, r["agency_id"]) and agency != r["agency_id"]:
                errors.add(r["row"], "supervisor_nip", _(
                    "The supervisor must work in the same agency (NIP %(nip)s is in another one)."
                ) % {"nip": supervisor})
        parent_of = {nip: e["supervisor_nip"] for nip, e in existing.items()}
        parent_of.update({nip: r["supervisor"] for nip, r in rows.items()})
        for loop in find_loops(parent_of):
            chain = " → ".join([*loop, loop[0]])
            for nip in loop:
                if nip in rows:
                    errors.add(rows[nip]["row"], "supervisor_nip",
                               _("The supervisor chain would go round in a loop: %s.") % chain)

    def _free_users(self, rows, existing, errors):
        """Logins named after a new NIP but without an employee are reused; one held by another
        employee blocks the row. Two queries: such logins are few (admins, earlier manual users)."""
        User = get_user_model()
        username = User.USERNAME_FIELD
        new = {nip for nip in rows if nip not in existing}
        users = {
            name: pk for name, pk in User.objects.filter(employee__isnull=True).values_list(username, "pk")
            if name in new
        }
        for name in Employee.objects.exclude(nip=F("user__" + username)).values_list("user__" + username, flat=True):
            if name in new:
                errors.add(rows[name]["row"], "nip", _("The login named after this NIP belongs to another employee."))
        return users

    def _action(self, r, old, existing):
        if old is None:
            return "create"
        if any(old[f] != r[f] for f in FIELDS) or old["supervisor_nip"] != r["supervisor"]:
            return "update"
        return "unchanged"

    def _grade_warnings(self, rows, job_types):
        warnings, count = [], 0
        for r in rows.values():
            job_type = job_types[r["position_id"]]
            low, high = GRADE_RANGE.get(job_type, (GRADES[0], GRADES[-1]))
            if not grade_rank(low) <= grade_rank(r["grade"]) <= grade_rank(high):
                count += 1
                if len(warnings) < MAX_WARNINGS:
                    warnings.append(RowError(r["row"].number, "grade", r["grade"], _(
                        "Unusual grade for a %(job_type)s position (typically %(low)s–%(high)s); imported anyway."
                    ) % {"job_type": job_type, "low": low, "high": high}))
        if count > len(warnings):
            warnings.append(RowError(0, "grade", "", _("… and %d more unusual grades.") % (count - len(warnings))))
        return warnings
