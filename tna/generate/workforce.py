"""Synthetic but realistic staff for an agency: plan them as plain records, then write them in bulk."""

import math
import secrets
import zlib
from collections import defaultdict, deque
from dataclasses import dataclass

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ..grades import GRADE_RANGE, GRADES, grade_rank, job_family
from ..infra.bulk.mode import bulk_write_mode
from ..infra.bulk.rows import db_now, insert_rows
from ..models import Agency, Employee, Position, Unit
from ..roles import ASN, SUPERVISOR
from . import staffing
from .names import draw_names, email_local


@dataclass(frozen=True)
class UnitSpec:
    id: int
    name: str
    parent_id: int | None


@dataclass(frozen=True)
class PositionSpec:
    id: int
    code: str
    job_type: str


@dataclass(slots=True)
class PersonRecord:
    """One planned employee; ``supervisor`` is the index of an earlier record of the same plan."""

    nip: str
    name: str
    first_name: str
    last_name: str
    email: str
    unit_id: int
    position_id: int
    grade: str
    employment: str
    supervisor: int | None


def email_domain(agency_code, agency_kind):
    """``lampungselatankab.go.id``-style domain of a regional government."""
    slug = agency_code
    for prefix in ("prov-", "kab-", "kota-"):
        slug = slug.removeprefix(prefix)
    suffix = {"regency": "kab", "city": "kota", "province": "prov"}.get(agency_kind, "")
    return "%s%s.go.id" % (slug.replace("-", ""), suffix)


class _PositionBook:
    """An agency's positions, looked up by preferred code with a fallback by job type."""

    def __init__(self, positions):
        self.positions = list(positions)
        self.by_code = {p.code: i for i, p in enumerate(self.positions)}
        self.by_job_type = defaultdict(list)
        for i, p in enumerate(self.positions):
            self.by_job_type[p.job_type].append(i)
        self.staff = [i for i, p in enumerate(self.positions) if job_family(p.job_type) != "managerial"]
        self.staff = self.staff or list(range(len(self.positions)))

    def pick(self, code, job_types):
        if code in self.by_code:
            return self.by_code[code]
        for job_type in job_types:
            if self.by_job_type.get(job_type):
                return self.by_job_type[job_type][0]
        managerial = [i for i, p in enumerate(self.positions) if job_family(p.job_type) == "managerial"]
        return (managerial or [0])[0]

    def staff_mix(self, kind):
        """(position indexes, probabilities) of the staff of a unit of ``kind``."""
        mix = {self.by_code[c]: w for c, w in staffing.STAFF_MIX.get(kind, staffing.OFFICE).items() if c in self.by_code}
        if not mix:
            return np.array(self.staff), None
        weights = np.array(list(mix.values()), dtype=float)
        return np.array(list(mix)), weights / weights.sum()


def _unit_order(units):
    """Units breadth-first from the top, each with its depth and staffing kind."""
    children = defaultdict(list)
    ids = {u.id for u in units}
    for u in sorted(units, key=lambda u: u.id):
        children[u.parent_id if u.parent_id in ids else None].append(u)
    order, queue = [], deque((u, 0, None) for u in children[None])
    while queue:
        unit, depth, parent_kind = queue.popleft()
        kind = staffing.unit_kind(unit.name, parent_kind)
        order.append((unit, depth, kind))
        queue.extend((child, depth + 1, kind) for child in children[unit.id])
    return order


def _allocate(order, employees, rng):
    """Non-head staff per unit: sized by kind with some jitter, largest remainder to sum exactly."""
    spare = max(0, employees - len(order))
    weights = np.array([staffing.KIND_SIZE.get(kind, 1.0) for _, _, kind in order]) * rng.uniform(0.75, 1.25, len(order))
    exact = spare * weights / weights.sum()
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact, kind="stable")[: spare - counts.sum()]] += 1
    return counts.tolist()


def _plan_structure(order, counts, book, rng):
    """Who sits where: arrays of unit id, position index and supervisor index (-1: none)."""
    unit_ids, position_idx, supervisors = [], [], []

    def add(unit_id, positions, supervisor_of):
        first = len(unit_ids)
        unit_ids.extend([unit_id] * len(positions))
        position_idx.extend(positions)
        supervisors.extend(supervisor_of)
        return list(range(first, len(unit_ids)))

    heads = {}
    for (unit, depth, kind), n in zip(order, counts, strict=True):
        code, job_types = staffing.head_position(unit.name, kind, depth)
        head_position = book.pick(code, job_types)
        head = add(unit.id, [head_position], [heads.get(unit.parent_id, -1)])[0]
        heads[unit.id] = head
        leads = [head]
        job_type = book.positions[head_position].job_type
        if kind not in staffing.FLAT_KINDS and job_type != "pengawas" and n >= 4:
            admin_code, pengawas_code = staffing.deputy_positions(unit.name, depth)
            pengawas = math.ceil(n / (staffing.SPAN_PENGAWAS + 1))
            admins = max(1, math.ceil(pengawas / staffing.SPAN_ADMINISTRATOR)) if job_type.startswith("jpt") and n >= 8 else 0
            if admins:
                leads = add(unit.id, [book.pick(admin_code, ["administrator"])] * admins, [head] * admins)
            leads = add(
                unit.id, [book.pick(pengawas_code, ["pengawas"])] * pengawas,
                [leads[i % len(leads)] for i in range(pengawas)],
            )
            n -= admins + pengawas
        if n > 0:
            choices, p = book.staff_mix(kind)
            staff = rng.choice(choices, size=n, p=p).tolist()
            # Senior functionals (Ahli Madya/Utama) outrank a pengawas: they answer to the unit head.
            add(unit.id, staff, [
                head if book.positions[s].job_type in staffing.SENIOR_FUNCTIONAL else leads[i % len(leads)]
                for i, s in enumerate(staff)
            ])
    return np.array(unit_ids, dtype=np.int64), np.array(position_idx, dtype=np.int64), np.array(supervisors, dtype=np.int64)


def _dates(job_types, ranks, pppk, rng, year):
    """Birth dates (datetime64[D]) and CPNS start year/month consistent with grade and seniority."""
    n = len(ranks)
    degree, diploma, school = (grade_rank(g) for g in (
        staffing.ENTRY_GRADE_DEGREE, staffing.ENTRY_GRADE_DIPLOMA, staffing.ENTRY_GRADE_SCHOOL))
    entry = np.where(ranks >= degree, degree, np.where((ranks >= diploma) & (rng.random(n) < 0.6), diploma, school))
    entry = np.minimum(entry, ranks)
    entry_age = np.select(
        [entry == degree, entry == diploma], [rng.integers(23, 33, n), rng.integers(21, 29, n)], rng.integers(19, 27, n)
    )
    service = (ranks - entry) * staffing.YEARS_PER_GRADE + rng.integers(1, 5, n)
    retire = np.array([staffing.RETIREMENT_AGE.get(j, staffing.RETIREMENT_AGE_DEFAULT) for j in job_types])
    service = np.maximum(1, np.minimum(service, retire - 1 - entry_age))
    # PPPK were appointed from 2019 on, at any age.
    service = np.where(pppk, rng.integers(1, max(2, min(7, year - 2018)), n), service)
    entry_age = np.where(pppk, rng.integers(24, 49, n), entry_age)
    start_year = year - service
    month_weights = np.array([30, 6, 20] + [6] * 9, dtype=float)
    start_month = rng.choice(np.arange(1, 13), size=n, p=month_weights / month_weights.sum())
    birth = (start_year - entry_age - 1970).astype("datetime64[Y]").astype("datetime64[D]") + rng.integers(0, 365, n)
    return birth, start_year, start_month


def _nips(birth, start_year, start_month, sexes, pppk, taken):
    """Unique NIPs: the serial counts up per (birth date, start, sex); taken NIPs are skipped."""
    next_serial = defaultdict(lambda: 1)
    for nip in taken:
        prefix, serial = nip[:15], int(nip[15:18])
        next_serial[prefix] = max(next_serial[prefix], serial + 1)
    births = birth.astype(object).tolist()
    result = []
    for b, year, month, sex, is_pppk in zip(births, start_year.tolist(), start_month.tolist(), sexes.tolist(), pppk.tolist(), strict=True):
        while True:
            # PPPK numbers: birth date + appointment year + "21" + sex + serial.
            middle = "%04d21" % year if is_pppk else "%04d%02d" % (year, month)
            prefix = "%04d%02d%02d%s%d" % (b.year, b.month, b.day, middle, sex)
            serial = next_serial[prefix]
            if serial <= 999:
                break
            b = b.fromordinal(b.toordinal() + 1)  # every serial used: a neighbouring birthday
        next_serial[prefix] = serial + 1
        result.append("%s%03d" % (prefix, serial))
    return result


def plan_workforce(*, agency_code, agency_kind, units, positions, employees, seed, taken_nips=(), today=None, batch=0):
    """Plan ``employees`` people for one agency; pure and deterministic for a seed.

    ``units`` are UnitSpec and ``positions`` PositionSpec of the agency. Every unit gets a head
    (breadth-first, so while people last a parent's head exists before its children's); the
    head of a child unit reports to the parent unit's head. Inside office units the head leads
    administrators (JPT-headed units only), who lead pengawas, who lead the staff, at spans of
    ``staffing.SPAN_*``; schools and puskesmas are flat. Grades lie in the job type's
    ``GRADE_RANGE``; birth date and CPNS start follow from the grade; NIPs avoid ``taken_nips``.
    ``batch`` (the agency's head count so far) varies the draw when adding to an agency with the
    same seed, so the added people are not namesakes of the first ones.
    Returns a list of PersonRecord in which supervisors come before their reports.
    """
    if employees < 1:
        raise ValueError("employees must be at least 1 (got %s)." % employees)
    if not units:
        raise ValueError("Agency %s has no units; load or import its organisation first." % agency_code)
    if not positions:
        raise ValueError("Agency %s has no positions; load or import them first." % agency_code)
    rng = np.random.default_rng([int(seed), zlib.crc32(agency_code.encode()), *([int(batch)] if batch else [])])
    year = (today or timezone.localdate()).year
    book = _PositionBook(positions)
    order = _unit_order(units)[:employees]
    unit_ids, position_idx, supervisors = _plan_structure(order, _allocate(order, employees, rng), book, rng)
    n = len(unit_ids)

    # Per-position attributes, gathered per person.
    codes = [p.code for p in book.positions]
    job_types = [p.job_type for p in book.positions]
    families = [job_family(j) for j in job_types]
    low = np.array([grade_rank(GRADE_RANGE.get(j, ("II/a", "III/b"))[0]) for j in job_types])
    high = np.array([grade_rank(GRADE_RANGE.get(j, ("II/a", "III/b"))[1]) for j in job_types])
    female = np.array([staffing.female_share(c, f) for c, f in zip(codes, families, strict=True)])
    pppk_p = np.array([staffing.pppk_share(c, f) for c, f in zip(codes, families, strict=True)])

    sexes = np.where(rng.random(n) < female[position_idx], 2, 1)
    pppk = rng.random(n) < pppk_p[position_idx]
    span = high[position_idx] - low[position_idx] + 1
    # Lower grades of a range are more common than higher ones; PPPK get the entry grade
    # their level corresponds to (their own grades are not golongan/ruang).
    offset = np.minimum(span - 1, np.floor(span * (1 - np.sqrt(rng.random(n)))).astype(int))
    ranks = np.where(pppk, low[position_idx], low[position_idx] + offset)
    person_job_types = [job_types[i] for i in position_idx.tolist()]
    birth, start_year, start_month = _dates(person_job_types, ranks, pppk, rng, year)
    nips = _nips(birth, start_year, start_month, sexes, pppk, taken_nips)
    raw_names = draw_names(agency_code, sexes, rng)

    titles = [staffing.titles_for(c, f) for c, f in zip(codes, families, strict=True)]
    picks = rng.random(n).tolist()
    domain = email_domain(agency_code, agency_kind)
    diploma, degree = grade_rank("II/c"), grade_rank("III/a")
    records = []
    for i, (raw, nip, p, rank, sup, u) in enumerate(zip(
        raw_names, nips, position_idx.tolist(), ranks.tolist(), supervisors.tolist(), picks, strict=True,
    )):
        prefix, suffixes = titles[p]
        if families[p] == "pelaksana":  # the entry grade shows the schooling: III/a needs a degree
            suffixes = ("",) if rank < diploma else (", A.Md.",) if rank < degree else suffixes
        words = raw.split()
        records.append(PersonRecord(
            nip=nip, name=prefix + raw + suffixes[int(u * len(suffixes))],
            first_name=" ".join(words[:-1]) or raw, last_name=words[-1] if len(words) > 1 else "",
            email="%s@%s" % (email_local(raw, nip[4:8]), domain), unit_id=int(unit_ids[i]),
            position_id=book.positions[p].id, grade=GRADES[rank], employment="PPPK" if pppk[i] else "PNS",
            supervisor=sup if sup >= 0 else None,
        ))
    return records


def _ids_by_key(model, field, keys, chunk=900):
    """``{key: id}`` for rows of ``model`` whose unique ``field`` is in ``keys``."""
    found = {}
    for start in range(0, len(keys), chunk):
        found.update(model.objects.filter(**{field + "__in": keys[start:start + chunk]}).values_list(field, "id"))
    return found


def write_workforce(*, agency, records, progress=None):
    """Create users, employees (with supervisor links) and group memberships for planned records.

    Rows go in with plain multi-row inserts (COPY on PostgreSQL) rather than ``bulk_create``:
    at 100,000 people that is several times faster. Employees are written level by level of
    the supervisor chain, so each supervisor's id is known before their reports are written.
    Users get the NIP as username and an unusable password (hashing 100,000 passwords would take
    many minutes). Returns the new employee ids in record order.
    """
    User = get_user_model()
    Membership = User.groups.through
    total = len(records)
    report = progress or (lambda stage, done, total: None)
    now = db_now()
    # Rows go in NIP order: index pages then fill in sequence instead of at random.
    by_nip = sorted(range(total), key=lambda i: records[i].nip)
    with bulk_write_mode(), transaction.atomic():
        insert_rows(User, [
            "username", "password", "first_name", "last_name", "email", "is_staff", "is_active", "is_superuser",
            "date_joined",
        ], (
            (r.nip, UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(24), r.first_name[:150], r.last_name[:150],
             r.email, False, True, False, now)
            for r in (records[i] for i in by_nip)
        ))
        user_ids = _ids_by_key(User, "username", [r.nip for r in records])
        report("users", total, total)

        depth = []
        for r in records:
            depth.append(0 if r.supervisor is None else depth[r.supervisor] + 1)
        employee_ids = [None] * total
        done = 0
        for level in range(max(depth) + 1):
            rows = [i for i in by_nip if depth[i] == level]
            insert_rows(Employee, [
                "user", "nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor", "email", "active",
            ], (
                (user_ids[r.nip], r.nip, r.name, agency.pk, r.unit_id, r.position_id, r.grade, r.employment,
                 None if r.supervisor is None else employee_ids[r.supervisor], r.email, True)
                for r in (records[i] for i in rows)
            ))
            ids = _ids_by_key(Employee, "nip", [records[i].nip for i in rows])
            for i in rows:
                employee_ids[i] = ids[records[i].nip]
            done += len(rows)
            report("employees", done, total)

        asn = Group.objects.get_or_create(name=ASN)[0].pk
        supervisor = Group.objects.get_or_create(name=SUPERVISOR)[0].pk
        leads = sorted({r.supervisor for r in records if r.supervisor is not None})
        insert_rows(Membership, ["user", "group"], [
            *((user_ids[r.nip], asn) for r in records),
            *((user_ids[records[i].nip], supervisor) for i in leads),
        ])
        report("groups", total, total)
    return employee_ids


def generate_workforce(*, agency, employees, seed, progress=None):
    """Generate and save ``employees`` staff for ``agency`` (an Agency or its code); returns the count.

    ``progress(stage, done, total)`` is called as the work advances. Calling it again for an
    agency that has staff adds another, separate staffing of its units (heads included) with
    fresh NIPs and other names; the ``generate_workforce`` command refuses that unless asked.
    """
    if isinstance(agency, str):
        try:
            agency = Agency.objects.get(code=agency)
        except Agency.DoesNotExist:
            raise ValueError("No agency with code %r." % agency) from None
    units = [UnitSpec(*row) for row in Unit.objects.filter(agency=agency).values_list("id", "name", "parent_id")]
    positions = [
        PositionSpec(*row) for row in Position.objects.filter(agency=agency).values_list("id", "code", "job_type")
    ]
    # Usernames are NIPs too, so a NIP-like username without an employee is taken as well.
    taken = set(Employee.objects.values_list("nip", flat=True))
    taken |= set(get_user_model().objects.filter(username__regex=r"^[0-9]{18}$").values_list("username", flat=True))
    if progress:
        progress("plan", 0, employees)
    records = plan_workforce(
        agency_code=agency.code, agency_kind=agency.kind, units=units, positions=positions,
        employees=employees, seed=seed, taken_nips=taken, batch=Employee.objects.filter(agency=agency).count(),
    )
    if progress:
        progress("plan", employees, employees)
    write_workforce(agency=agency, records=records, progress=progress)
    return len(records)
