"""The mentors import: who mentors which competencies in an agency's mentoring programme, and how many at once.

``mentor_import(file=…, user=…, dry_run=…)`` checks every row and writes them all in one
transaction (the command ``import_mentors`` calls it); ``MentorsFormat`` offers the same file in
the admin's *Imports* (``tna.hooks.register_import_format``). Each row becomes a ``MentorOffer``
(``source`` imported) with its competencies, to the same end state as ``mentor_offer_save``
(docs/imports.md#mentors).
"""

import re
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tna.infra.cells import chunked, code, integer, nip_text
from tna.infra.progress import no_progress
from tna.models import Agency, Competency, Employee

from ..models.mentoring import MentoringProgramme, MentorOffer
from .file_import import run_file_import
from .mentoring import CAPACITY_MAX

KIND = "mentors"
COLUMNS = ("agency", "programme", "nip", "competencies", "capacity")
REQUIRED = ("agency", "programme", "nip", "competencies")
COMPETENCY_SEPARATORS = re.compile(r"[;,]")
DUPLICATE = gettext_lazy("This mentor in the same programme")
COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged"}
IMPORTED = MentorOffer.Source.IMPORTED


@dataclass
class Plan:
    """What the file would do: counts, each row's action, and ``offers`` as ``(Offer, action, stored pk or None)``
    for the rows to create or update."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    actions: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    offers: list = field(default_factory=list)

    def count(self, row, action):
        self.actions[row] = action
        setattr(self, COUNTERS[action], getattr(self, COUNTERS[action]) + 1)


@dataclass
class MentorImportResult:
    """The outcome of an accepted file (written, or only checked when ``dry_run``); ``actions`` maps each
    row number to ``create``, ``update`` or ``unchanged``."""

    dry_run: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    actions: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Cells:
    """One row read but not resolved: codes lower-case, competency codes as written; ``ok`` False when a cell was refused."""

    row: int
    ok: bool
    agency: str | None
    programme: str | None
    nip: str | None
    competencies: tuple
    capacity: int | None  # None: empty, the programme's default


@dataclass(frozen=True, slots=True)
class Offer:
    """A row resolved to what a ``MentorOffer`` stores; ``competencies`` are sorted competency ids."""

    row: int
    programme_id: int
    mentor_id: int
    capacity: int
    competencies: tuple


def mentor_import(*, file, user=None, agency=None, dry_run=False, filename="", progress=no_progress, max_rows=None):
    """Check every row of ``file`` and, unless ``dry_run``, write them all in one transaction.

    ``file`` is a path, bytes or a seekable file object (CSV or XLSX). ``user`` limits the rows to
    their agency (None is the command line: every agency), ``agency`` to one agency. Returns a
    ``MentorImportResult``; raises ``ImportRejected`` listing every problem as row + column (then
    nothing was written) and ``PermissionDenied`` for users who may not import.
    """
    def write(plan):
        mentors_write(plan.offers)
        return len(plan.offers)

    table, plan = run_file_import(file=file, user=user, agency=agency, dry_run=dry_run, filename=filename,
                                  progress=progress, max_rows=max_rows, check_header=check_header,
                                  plan=plan_mentors, write=write)
    return MentorImportResult(dry_run=dry_run, rows=len(table.rows), created=plan.created, updated=plan.updated,
                              unchanged=plan.unchanged, notes=plan.notes, actions=plan.actions,
                              warnings=[replace(w, column=table.label(w.column)) for w in plan.warnings])


def check_header(columns, errors):
    for column in REQUIRED:
        if column not in columns:
            errors.add(1, column, _(
                "Required column \"%(column)s\" is missing. The header must name: %(all)s."
            ) % {"column": column, "all": ", ".join(COLUMNS)}, "")


def read_row(row, errors):
    """The row's cells read and checked on their own, without the database (``Cells``)."""
    bad = len(errors)
    agency = code(row, "agency", errors)
    programme = code(row, "programme", errors, max_length=60)
    nip = nip_text(row, "nip", errors)
    competencies = tuple(dict.fromkeys(
        part.strip() for part in COMPETENCY_SEPARATORS.split(row.get("competencies")) if part.strip()
    ))
    if not competencies:
        errors.add(row, "competencies", _(
            "Name at least one competency of the programme: codes separated by \";\" (M.05;TK.01)."))
    capacity = integer(row, "capacity", errors, low=0, high=CAPACITY_MAX, required=False)
    return Cells(row=row.number, ok=len(errors) == bad, agency=agency, programme=programme, nip=nip,
                 competencies=competencies, capacity=capacity)


class Lookups:
    """What the rows name, read in bulk: agencies, their programmes (with their competencies), people, competencies."""

    def __init__(self, read):
        self.agencies = {c.lower(): (pk, c) for c, pk in Agency.objects.values_list("code", "pk")}
        self.competencies = {c.lower(): (pk, c) for c, pk in Competency.objects.values_list("code", "pk")}
        named = {self.agencies[c.agency][0] for c in read if c.agency in self.agencies}
        self.programmes = {}
        by_pk = {}
        for pk, agency_id, programme_code, default_capacity in MentoringProgramme.objects.filter(
                agency__in=named).values_list("pk", "agency_id", "code", "default_capacity"):
            by_pk[pk] = {"pk": pk, "code": programme_code, "default_capacity": default_capacity, "competencies": {}}
            self.programmes[(agency_id, programme_code.lower())] = by_pk[pk]
        for programme_id, competency_id, competency_code in MentoringProgramme.competencies.through.objects.filter(
                mentoringprogramme__in=list(by_pk)).values_list(
                "mentoringprogramme_id", "competency_id", "competency__code"):
            by_pk[programme_id]["competencies"][competency_id] = competency_code
        self.people = {}
        for chunk in chunked({c.nip for c in read if c.nip}):
            for pk, nip, agency_id, active in Employee.objects.filter(nip__in=chunk).values_list(
                    "pk", "nip", "agency_id", "active"):
                self.people[nip] = (pk, agency_id, active)


def resolve(cells, lookups, errors, *, scope):
    """``cells`` resolved against the database into an ``Offer``; None when the row has any problem."""
    bad = len(errors)
    agency = programme = person = None
    if cells.agency:
        if scope.limited and cells.agency != scope.agency_code.lower():
            scope.refuse(errors, cells.row, "agency", cells.agency)
        elif (agency := lookups.agencies.get(cells.agency)) is None:
            errors.add(cells.row, "agency", _("Unknown agency %(code)s: import it with the org file first.")
                       % {"code": cells.agency}, cells.agency)
    if agency and cells.programme:
        programme = lookups.programmes.get((agency[0], cells.programme))
        if programme is None:
            errors.add(cells.row, "programme", _("Agency %(agency)s has no mentoring programme with the code %(code)s.")
                       % {"agency": agency[1], "code": cells.programme}, cells.programme)
    if agency and cells.nip:
        person = lookups.people.get(cells.nip)
        if person is None:
            errors.add(cells.row, "nip", _("No employee has this NIP; import the employees file first."), cells.nip)
        elif person[1] != agency[0]:
            errors.add(cells.row, "nip", _("This employee does not work in agency %(agency)s; a mentor must work in "
                                           "the programme's agency.") % {"agency": agency[1]}, cells.nip)
        elif not person[2]:
            errors.add(cells.row, "nip", _("This employee is no longer active."), cells.nip)
    chosen = set()
    for written in cells.competencies:
        found = lookups.competencies.get(written.lower())
        if found is None:
            errors.add(cells.row, "competencies", _("No competency has the code %(code)s.") % {"code": written}, written)
        elif programme is not None and found[0] not in programme["competencies"]:
            errors.add(cells.row, "competencies", _(
                "Competency %(code)s is not one of programme %(programme)s's; it covers %(allowed)s."
            ) % {"code": found[1], "programme": programme["code"],
                 "allowed": ", ".join(sorted(programme["competencies"].values())) or "—"}, written)
        else:
            chosen.add(found[0])
    if not cells.ok or len(errors) > bad or programme is None or person is None:
        return None
    capacity = programme["default_capacity"] if cells.capacity is None else cells.capacity
    return Offer(row=cells.row, programme_id=programme["pk"], mentor_id=person[0], capacity=capacity,
                 competencies=tuple(sorted(chosen)))


def stored_offers(offers):
    """{(programme id, mentor id): (pk, capacity, source, sorted competency ids)} of the offers already held."""
    stored, mentors = {}, {}
    for offer in offers:
        mentors.setdefault(offer.programme_id, set()).add(offer.mentor_id)
    for programme_id, mentor_ids in mentors.items():
        for chunk in chunked(mentor_ids):
            for pk, mentor_id, capacity, source in MentorOffer.objects.filter(
                    programme=programme_id, mentor__in=chunk).values_list("pk", "mentor_id", "capacity", "source"):
                stored[(programme_id, mentor_id)] = [pk, capacity, source, []]
    by_pk = {record[0]: record for record in stored.values()}
    for chunk in chunked(by_pk):
        for offer_id, competency_id in MentorOffer.competencies.through.objects.filter(
                mentoroffer__in=chunk).values_list("mentoroffer_id", "competency_id"):
            by_pk[offer_id][3].append(competency_id)
    return {key: (pk, capacity, source, tuple(sorted(ids))) for key, (pk, capacity, source, ids) in stored.items()}


def plan_mentors(table, errors, *, scope):
    """Read, resolve and compare every row of ``table`` into a ``Plan`` (empty when ``errors`` has any)."""
    read = [read_row(row, errors) for row in table.rows]
    lookups = Lookups(read)
    offers, seen = [], {}
    for cells in read:
        offer = resolve(cells, lookups, errors, scope=scope)
        if offer is None:
            continue
        first = seen.setdefault((offer.programme_id, offer.mentor_id), offer.row)
        if first != offer.row:
            errors.add(offer.row, "nip", _("%(what)s already appears in row %(row)d.") % {
                "what": DUPLICATE, "row": first}, cells.nip)
            continue
        offers.append(offer)
    plan = Plan()
    if errors:
        return plan
    stored = stored_offers(offers)
    for offer in offers:
        old = stored.get((offer.programme_id, offer.mentor_id))
        if old is None:
            plan.count(offer.row, "create")
            plan.offers.append((offer, "create", None))
        elif old[1:] == (offer.capacity, IMPORTED, offer.competencies):
            plan.count(offer.row, "unchanged")
        else:
            plan.count(offer.row, "update")
            plan.offers.append((offer, "update", old[0]))
    return plan


def mentors_write(offers):
    """Write planned ``(Offer, action, stored pk)`` triples in bulk, to the state ``mentor_offer_save`` leaves:
    new offers with their competencies, and the capacity, source and competencies (rewritten whole) of changed ones."""
    through = MentorOffer.competencies.through
    new = [offer for offer, action, _pk in offers if action == "create"]
    changed = [(pk, offer) for offer, action, pk in offers if action == "update"]
    created = MentorOffer.objects.bulk_create(
        [MentorOffer(programme_id=o.programme_id, mentor_id=o.mentor_id, capacity=o.capacity, source=IMPORTED)
         for o in new], batch_size=2000)
    MentorOffer.objects.bulk_update([MentorOffer(pk=pk, capacity=o.capacity, source=IMPORTED) for pk, o in changed],
                                    ["capacity", "source"], batch_size=500)
    for chunk in chunked([pk for pk, _offer in changed]):
        through.objects.filter(mentoroffer__in=chunk).delete()
    written = [*((row.pk, offer) for row, offer in zip(created, new, strict=True)), *changed]
    through.objects.bulk_create([through(mentoroffer_id=pk, competency_id=competency_id)
                                 for pk, offer in written for competency_id in offer.competencies], batch_size=2000)


class MentorsFormat:
    """The mentors file as one of the admin's import formats (``tna.hooks.register_import_format``): the same
    checks and write as ``mentor_import``, run by tna's upload, preview and background jobs."""

    kind = KIND
    label = gettext_lazy("Mentors")
    required = REQUIRED
    optional = ("capacity",)
    nip_columns = ("nip",)

    def check_header(self, table, errors):
        check_header(table.columns, errors)

    def preview_columns(self, table):
        return [column for column in COLUMNS if column in table.columns]

    def validate(self, table, errors, *, scope, progress):
        return plan_mentors(table, errors, scope=scope)

    def write(self, plan, *, progress):
        mentors_write(plan.offers)
        progress("write", len(plan.offers), len(plan.offers))
