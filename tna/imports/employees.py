"""The employees import: validate every row (NIP, codes, grade, supervisor chain) before any write.

A national workforce file holds hundreds of thousands of people, so the rows are checked as
they stream past, in chunks of ``CHUNK`` for the database look-ups, and only four numbers per
person are kept for the checks across rows (``FileRows``); the writer reads the file again.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..grades import GRADE_RANGE, GRADES, grade_rank
from ..infra.cells import CHUNK, choice, code, nip_text, required_text
from ..infra.row_errors import RowError
from ..models import Agency, Position, Unit
from ..nip import parse_nip
from .assessments import past_date
from .base import PREVIEW_ROWS, ImportFormat, Plan
from .employees_rows import FileRows, changed, stored_employees
from .employees_write import write_employees

DUPLICATE = gettext_lazy("This NIP")

GRADE_LOOKUP = {g.lower(): g for g in GRADES}
EMPLOYMENT = {"pns": "PNS", "pppk": "PPPK"}
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


class Lookups:
    """Agencies by code, and each agency's units and positions, read once when first needed."""

    def __init__(self):
        self.agency = dict(Agency.objects.values_list("code", "pk"))
        self.unit, self.position, self.job_type = {}, {}, {}
        self._loaded = set()

    def load(self, agency):
        if agency in self._loaded:
            return
        self._loaded.add(agency)
        for pk, c in Unit.objects.filter(agency=agency).values_list("pk", "code"):
            self.unit[(agency, c.lower())] = pk
        for pk, c, job_type in Position.objects.filter(agency=agency).values_list("pk", "code", "job_type"):
            self.position[(agency, c.lower())] = pk
            self.job_type[pk] = job_type


class EmployeesFormat(ImportFormat):
    kind = "employees"
    label = gettext_lazy("Employees (workforce)")
    required = ("nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor_nip", "email")
    optional = ("grade_since",)
    nip_columns = ("nip", "supervisor_nip")
    # Whether the file has the optional column: without it, stored dates stay as they are.
    has_grade_since = False

    def validate(self, table, errors, *, scope, progress):
        self.has_grade_since = "grade_since" in table.columns
        lookups = Lookups()
        plan = Plan()
        plan.data["warning_count"] = 0
        # Every row with a readable NIP takes part in the checks across rows (duplicates,
        # supervisors, loops), even when another of its cells is wrong: all problems at once.
        people, unreadable, chunk = FileRows(), set(), []
        for row in table.rows:
            parsed = self.parse(row, errors, lookups, scope)
            if parsed["nip"] is None:
                if row.get("nip"):
                    unreadable.add(row.get("nip"))
                continue
            people.add(row.number, parsed["nip"], parsed["supervisor"], parsed["agency_id"])
            chunk.append(parsed)
            if len(chunk) == CHUNK:
                self._check_chunk(chunk, errors, plan, scope, lookups)
                chunk = []
        self._check_chunk(chunk, errors, plan, scope, lookups)
        people.check_duplicates(errors, DUPLICATE)
        progress("check supervisors", 0, 1)
        people.check_supervisors(errors, unreadable)
        progress("check supervisors", 1, 1)
        hidden = plan.data.pop("warning_count") - len(plan.warnings)
        if hidden > 0:
            plan.warnings.append(RowError(0, "grade", "", _("… and %d more unusual grades.") % hidden))
        plan.data.update(table=table, lookups=lookups, scope=scope, people=people)
        return plan

    def write(self, plan, *, progress):
        write_employees(plan, parse=self.parse, progress=progress)

    # -- per-row checks ------------------------------------------------------------------------

    def parse(self, row, errors, lookups, scope):
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
        agency = lookups.agency.get(agency_code)
        if agency_code and scope.limited and agency_code != scope.agency_code:
            scope.refuse(errors, row, "agency")
            agency = None
        elif agency_code and agency is None:
            errors.add(row, "agency", _("Unknown agency %(code)s: import it with the org file first.")
                       % {"code": agency_code})
        unit = position = None
        if agency is not None:
            lookups.load(agency)
            unit = self._in_agency(row, "unit", errors, lookups.unit, agency, agency_code, NO_UNIT)
            position = self._in_agency(row, "position", errors, lookups.position, agency, agency_code,
                                       NO_POSITION, max_length=60)
        parsed = {
            "row": row, "nip": nip, "name": name, "agency_id": agency, "unit_id": unit, "position_id": position,
            "grade": the_grade, "employment": employment, "email": email, "supervisor": supervisor or None,
        }
        # In this grade since: only a date given changes it (an empty cell or no column keeps it).
        if self.has_grade_since and row.get("grade_since"):
            since = past_date(row, "grade_since", errors)
            if since is not None:
                parsed["grade_since"] = since
        return parsed

    def _in_agency(self, row, column, errors, lookup, agency, agency_code, message, max_length=40):
        value = code(row, column, errors, max_length=max_length)
        if value is None:
            return None
        found = lookup.get((agency, value))
        if found is None:
            errors.add(row, column, message % {"agency": agency_code, "code": value})
        return found

    # -- checks against the database, a chunk of rows at a time -----------------------------------

    def _check_chunk(self, chunk, errors, plan, scope, lookups):
        if not chunk:
            return
        existing = stored_employees([p["nip"] for p in chunk])
        new = [p["nip"] for p in chunk if p["nip"] not in existing]
        # A login named after a new NIP may exist without an employee (it is then reused), but
        # not as another employee's login.
        held = set(get_user_model().objects.filter(
            **{get_user_model().USERNAME_FIELD + "__in": new}, employee__isnull=False,
        ).values_list(get_user_model().USERNAME_FIELD, flat=True)) if new else set()
        for p in chunk:
            old = existing.get(p["nip"])
            if old is None:
                if p["nip"] in held:
                    errors.add(p["row"], "nip", _("The login named after this NIP belongs to another employee."))
                action = "create"
            else:
                if scope.limited and old["agency_id"] != scope.agency_id:
                    errors.add(p["row"], "nip", _(
                        "This NIP belongs to an employee of another agency; a superuser must move them."
                    ))
                action = "update" if changed(old, p) else "unchanged"
            plan.created += action == "create"
            plan.updated += action == "update"
            plan.unchanged += action == "unchanged"
            if len(plan.actions) < PREVIEW_ROWS:
                plan.actions[p["row"].number] = action
            self._grade_warning(p, plan, lookups.job_type)

    def _grade_warning(self, p, plan, job_types):
        if p["grade"] is None or p["position_id"] is None:
            return
        job_type = job_types[p["position_id"]]
        low, high = GRADE_RANGE.get(job_type, (GRADES[0], GRADES[-1]))
        if not grade_rank(low) <= grade_rank(p["grade"]) <= grade_rank(high):
            plan.data["warning_count"] += 1
            if len(plan.warnings) < MAX_WARNINGS:
                plan.warnings.append(RowError(p["row"].number, "grade", p["grade"], _(
                    "Unusual grade for a %(job_type)s position (typically %(low)s–%(high)s); imported anyway."
                ) % {"job_type": job_type, "low": low, "high": high}))
