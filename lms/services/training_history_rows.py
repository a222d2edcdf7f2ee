"""The training-history import's check: each row read, resolved in bulk and planned, or refused with row + column.

``read_row`` reads one row's cells without the database. ``plan_history`` reads every row,
looks up the people, courses, competencies and required levels the file names in a few bulk
queries, compares each training with what is stored and returns a ``Plan`` of ``Credit`` values
for ``lms.services.training_history`` to write (docs/imports.md#training-history).
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import Course, CourseCompetency, Route
from tna.infra.cells import calendar_date, chunked, code, integer, nip_text
from tna.infra.row_errors import RowError
from tna.infra.spreadsheets import fold
from tna.models import Competency, Employee, RequiredLevel

from ..conf import settings
from ..models.ledger import CreditedCompetency, CreditSource, JpCredit
from ..national import ROUTE_NAMES

COLUMNS = ("nip", "course", "title", "competency", "jp", "start", "end", "provider", "route", "certificate")
REQUIRED = ("nip", "start", "end")
# A file without a course column needs these in every row.
FREE_TEXT = ("title", "competency", "jp")
FIELDS = ("course_id", "year", "jp", "title", "competency_type", "route", "provider", "start_date", "end_date",
          "certificate_number")
COMPETENCY_SEPARATORS = re.compile(r"[;,]")
ROUTE_CODE = re.compile(r"^(n?kl)0*(\d{1,2})$")
# Route codes, and their Indonesian names as the national export writes them (jenisDiklat).
ROUTES = {**{fold(name): route for route, name in ROUTE_NAMES.items()}, **{r.lower(): r for r in Route.values}}
JP_MAX = 1000  # as for a catalogue course
# "Still to come" is judged where the day begins first: Indonesia's easternmost zone (WIT).
EASTERNMOST = ZoneInfo("Asia/Jayapura")
DUPLICATE = gettext_lazy("This employee's training with the same course (or title) and start date")
COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged"}


@dataclass
class Plan:
    """What the file would do: counts, each row's action, warnings, and the credits to write.

    ``credits`` holds ``(Credit, action, stored pk or None)`` for the rows to create or update.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    actions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    credits: list = field(default_factory=list)

    def count(self, row, action):
        self.actions[row] = action
        setattr(self, COUNTERS[action], getattr(self, COUNTERS[action]) + 1)


@dataclass(frozen=True, slots=True)
class Cells:
    """What one row says, read but not yet resolved: codes lower-case, dates parsed, None where unreadable.

    ``ok`` is False when some cell of the row was refused.
    """

    row: int
    ok: bool
    nip: str | None
    course: str | None
    title: str
    competencies: tuple
    jp: int | None
    start: datetime.date | None
    end: datetime.date | None
    provider: str
    route: str
    certificate: str


@dataclass(slots=True)
class Credit:
    """One training resolved to what a ``JpCredit`` stores, with its sorted ``(competency id, level)`` pairs."""

    row: int
    employee_id: int
    course_id: int | None
    year: int
    jp: int
    title: str
    competency_type: str
    route: str
    provider: str
    start_date: datetime.date
    end_date: datetime.date
    certificate_number: str
    levels: tuple

    @property
    def key(self):
        """The natural key of an imported training: person + course + start, or person + title (any case) + start."""
        if self.course_id is not None:
            return ("course", self.employee_id, self.course_id, self.start_date)
        return ("title", self.employee_id, self.title.lower(), self.start_date)

    def values(self):
        """The ``JpCredit`` fields as keyword arguments."""
        return {name: getattr(self, name) for name in FIELDS}


def check_header(columns, errors):
    """Name the columns the header lacks: nip, start, end, and course or else title + competency + jp."""
    for column in REQUIRED:
        if column not in columns:
            errors.add(1, column, _(
                "Required column \"%(column)s\" is missing. The header must name: %(all)s."
            ) % {"column": column, "all": ", ".join(COLUMNS)}, "")
    if "course" not in columns:
        for column in FREE_TEXT:
            if column not in columns:
                errors.add(1, column, _("Without a \"course\" column the header must name title, competency and jp."),
                           "")


def read_row(row, errors, *, today):
    """The row's cells read and checked on their own, without the database (``Cells``)."""
    bad = len(errors)
    nip = nip_text(row, "nip", errors)
    course = code(row, "course", errors, required=False)
    title = _text(row, "title", errors, 200)
    competencies = tuple(dict.fromkeys(
        part.strip().lower() for part in COMPETENCY_SEPARATORS.split(row.get("competency")) if part.strip()
    ))
    jp = integer(row, "jp", errors, low=1, high=JP_MAX, required=False)
    start = calendar_date(row, "start", errors)
    end = calendar_date(row, "end", errors)
    if start and end and end < start:
        errors.add(row, "end", _("The training ends before it starts (%(start)s).") % {"start": start.isoformat()})
    elif end and end > today:
        errors.add(row, "end", _("This date is still to come: the training history holds completed training only."))
    provider = _text(row, "provider", errors, 200)
    route = _route(row, errors)
    certificate = _text(row, "certificate", errors, 40)
    if not row.get("course"):
        for column, message in (
            ("title", _("Without a catalogue course, give the training's title.")),
            ("competency", _("Without a catalogue course, give the competency it developed: a code such as "
                             "TK.01, several separated by ;.")),
            ("jp", _("Without a catalogue course, give the JP: a whole number from 1 to %(max)d.") % {"max": JP_MAX}),
            ("route", _("Without a catalogue course, give the development route (KL01–KL12, NKL01–NKL13).")),
        ):
            if not row.get(column):
                errors.add(row, column, message)
    return Cells(row.number, len(errors) == bad, nip, course, title, competencies, jp, start, end, provider, route,
                 certificate)


def _text(row, column, errors, max_length):
    value = row.get(column)
    if len(value) > max_length:
        errors.add(row, column, _("At most %(n)d characters.") % {"n": max_length})
        return ""
    return value


def _route(row, errors):
    """A route code (``KL10``; ``nkl3`` reads as ``NKL03``) or its Indonesian name (``Bimbingan Teknis``)."""
    value = row.get("route")
    if not value:
        return ""
    folded = fold(value)
    match = ROUTE_CODE.match(folded.replace(" ", ""))
    if match:
        folded = "%s%02d" % (match.group(1), int(match.group(2)))
    found = ROUTES.get(folded)
    if found is None:
        errors.add(row, "route", _(
            "Not a development route: write a code KL01–KL12 or NKL01–NKL13 (PerLAN 10/2018), or its "
            "Indonesian name such as Bimbingan Teknis."
        ))
        return ""
    return found


class Lookups:
    """What the rows name, read in bulk: people by NIP, courses by agency + code, competencies, required levels."""

    def __init__(self, read):
        self.people = {}
        for chunk in chunked({c.nip for c in read if c.nip}):
            for pk, nip, agency_id, agency_code, position_id in Employee.objects.filter(nip__in=chunk).values_list(
                    "pk", "nip", "agency_id", "agency__code", "position_id"):
                self.people[nip] = (pk, agency_id, agency_code, position_id)
        self.competencies = {
            c.lower(): (pk, group) for c, pk, group in Competency.objects.values_list("code", "pk", "group")
        }
        self.courses = self._courses(read)
        self.required = {}
        for chunk in chunked({person[3] for person in self.people.values()}):
            for position_id, competency_id, level in RequiredLevel.objects.filter(position__in=chunk).values_list(
                    "position_id", "competency_id", "level"):
                self.required[(position_id, competency_id)] = level

    def _courses(self, read):
        """{(agency id, code lower-case): course facts with its targets in the course's order}."""
        codes = {c.course for c in read if c.course}
        agencies = {self.people[c.nip][1] for c in read if c.course and c.nip in self.people}
        if not codes or not agencies:
            return {}
        courses = {}
        for pk, agency_id, course_code, title, jp, route, provider in (
            Course.objects.annotate(code_lower=Lower("code")).filter(agency__in=agencies, code_lower__in=codes)
            .values_list("pk", "agency_id", "code_lower", "title", "jp", "route", "provider__name")
        ):
            courses[pk] = {"agency": agency_id, "code": course_code, "pk": pk, "title": title, "jp": jp,
                           "route": route, "provider": provider, "targets": []}
        for course_id, competency_id, level, group in (
            CourseCompetency.objects.filter(course__in=list(courses)).order_by("course_id", "sort_order", "pk")
            .values_list("course_id", "competency_id", "level", "competency__group")
        ):
            courses[course_id]["targets"].append((competency_id, level, group))
        return {(c["agency"], c["code"]): c for c in courses.values()}


def default_level():
    """The level credited where neither a course nor the position names one (``LATIH_TRAINING_HISTORY_LEVEL``)."""
    return min(max(int(settings.TRAINING_HISTORY_LEVEL), 1), 5)


def resolve(cells, lookups, errors, *, scope):
    """``cells`` resolved against the database into a ``Credit``; None when the row has any problem.

    Levels: a competency the catalogue course targets gets the course's level; any other the
    level the person's position requires of it, else ``default_level()``.
    """
    bad = len(errors)
    person = course = None
    if cells.nip:
        person = lookups.people.get(cells.nip)
        if person is None:
            errors.add(cells.row, "nip", _("No employee has this NIP; import the employees file first."), cells.nip)
        elif scope.limited and person[1] != scope.agency_id:
            errors.add(cells.row, "nip", _("This employee works in another agency; your account may only import "
                                           "data of agency %(agency)s.") % {"agency": scope.agency_code}, cells.nip)
    if person and cells.course:
        course = lookups.courses.get((person[1], cells.course))
        if course is None:
            errors.add(cells.row, "course", _(
                "Agency %(agency)s has no course with the code %(code)s in its catalogue; leave the course "
                "out and give the title, competency, JP and route instead."
            ) % {"agency": person[2], "code": cells.course}, cells.course)
    chosen = []
    for competency in cells.competencies:
        found = lookups.competencies.get(competency)
        if found is None:
            errors.add(cells.row, "competency", _("No competency has the code %(code)s.") % {"code": competency})
        chosen.append(found)
    if not cells.ok or len(errors) > bad:
        return None
    employee_id, _agency, _code, position_id = person
    targets = {competency_id: level for competency_id, level, _group in course["targets"]} if course else {}
    if not chosen and course:
        chosen = [(competency_id, group) for competency_id, _level, group in course["targets"]]
    fallback = default_level()
    return Credit(
        row=cells.row, employee_id=employee_id, course_id=course["pk"] if course else None,
        year=cells.end.year, jp=cells.jp or course["jp"], title=cells.title or course["title"],
        competency_type=chosen[0][1] if chosen else "", route=cells.route or course["route"],
        provider=cells.provider or (course["provider"] if course else ""), start_date=cells.start,
        end_date=cells.end, certificate_number=cells.certificate,
        levels=tuple(sorted(
            (pk, targets.get(pk) or lookups.required.get((position_id, pk)) or fallback) for pk, _group in chosen
        )),
    )


class Stored:
    """The credits already held for the people of the file: imported ones by key, Latih's to compare with."""

    def __init__(self, employee_ids):
        self.imported, self.latih = {}, {}
        columns = ("pk", "employee_id", "source", *FIELDS)
        for chunk in chunked(employee_ids):
            for values in JpCredit.objects.filter(employee__in=chunk).values_list(*columns):
                record = dict(zip(columns, values, strict=True))
                if record["source"] == CreditSource.IMPORT:
                    stored = Credit(row=0, levels=(), **{k: v for k, v in record.items() if k not in ("pk", "source")})
                    self.imported[stored.key] = record | {"levels": []}
                else:
                    self.latih.setdefault(record["employee_id"], []).append(record)
        by_pk = {record["pk"]: record for record in self.imported.values()}
        for chunk in chunked(by_pk):
            for credit_id, competency_id, level in CreditedCompetency.objects.filter(credit__in=chunk).values_list(
                    "credit_id", "competency_id", "level"):
                by_pk[credit_id]["levels"].append((competency_id, level))

    def completed_in_latih(self, credit):
        """The Latih credit ``credit`` already is, or None: the same course or title starting the same
        day, or the same certificate number."""
        for record in self.latih.get(credit.employee_id, ()):
            same_training = record["title"].lower() == credit.title.lower() or (
                credit.course_id is not None and record["course_id"] == credit.course_id)
            if (same_training and record["start_date"] == credit.start_date) or (
                    credit.certificate_number and record["certificate_number"] == credit.certificate_number):
                return record
        return None


def plan_history(table, errors, *, scope):
    """Read, resolve and compare every row of ``table`` into a ``Plan`` (empty when ``errors`` has any)."""
    today = timezone.now().astimezone(EASTERNMOST).date()
    read = [read_row(row, errors, today=today) for row in table.rows]
    lookups = Lookups(read)
    credits, seen = [], {}
    for cells in read:
        credit = resolve(cells, lookups, errors, scope=scope)
        if credit is None:
            continue
        first = seen.setdefault(credit.key, credit.row)
        if first != credit.row:
            errors.add(credit.row, "start", _("%(what)s already appears in row %(row)d.") % {
                "what": DUPLICATE, "row": first}, credit.start_date.isoformat())
            continue
        credits.append(credit)
    plan = Plan()
    if errors:
        return plan
    stored = Stored({c.employee_id for c in credits})
    for credit in credits:
        if stored.completed_in_latih(credit):
            # Latih's own record (with its certificate) is the one that stands.
            plan.count(credit.row, "unchanged")
            plan.warnings.append(RowError(credit.row, "course" if credit.course_id else "title", credit.title, _(
                "This training is already in the record as completed in Latih; Latih's record is kept and this "
                "row is left out."
            )))
            continue
        old = stored.imported.get(credit.key)
        if old is None:
            plan.count(credit.row, "create")
            plan.credits.append((credit, "create", None))
        elif all(old[f] == getattr(credit, f) for f in FIELDS) and sorted(old["levels"]) == list(credit.levels):
            plan.count(credit.row, "unchanged")
        else:
            plan.count(credit.row, "update")
            plan.credits.append((credit, "update", old["pk"]))
    return plan
