"""Bulk writer of a validated employees import: users, employees, then the supervisor chain, roles.

The file is read again, a chunk of rows at a time, so that no more than one chunk of people is
held as Python objects; new employees are inserted without a supervisor, and each chain is
linked once every person of the file is stored (no ordering by depth needed).
"""

import secrets

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import connection

from ..infra.bulk.rows import db_now, insert_rows, update_rows
from ..infra.cells import CHUNK, chunked
from ..infra.row_errors import ErrorList
from ..models import Employee
from ..roles import ASN, SUPERVISOR
from .employees_rows import FIELDS, changed, grade_since_changed, nip_str, stored_employees

USER_FIELDS = ("username", "password", "first_name", "last_name", "email", "is_staff", "is_active",
               "is_superuser", "date_joined")


def _unusable_password():
    # What make_password(None) stores, at a fraction of the cost for 100,000 users: never usable.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def write_employees(plan, *, parse, progress):
    """Write the file checked by ``EmployeesFormat.validate`` (``plan.data``: table, lookups, scope, people).

    New employees get a user named after their NIP with an unusable password (they sign in
    after a password reset or through single sign-on) and the ``asn`` group; everyone who
    supervises someone in the file gets the ``supervisor`` group. Groups are only ever added.
    ``parse(row, errors, lookups, scope)`` reads a row as validation did.
    """
    data = plan.data
    people = data["people"]
    relink = bytearray(len(people))  # 1: the person's supervisor must be (re)written
    groups = {
        "asn": Group.objects.get_or_create(name=ASN)[0].pk,
        "supervisor": Group.objects.get_or_create(name=SUPERVISOR)[0].pk,
    }
    # The rows report their own progress as they are read again (stage "write").
    index, chunk = 0, []
    ignored = ErrorList(limit=0)
    for row in data["table"].rows:
        parsed = parse(row, ignored, data["lookups"], data["scope"])
        if parsed["nip"] is None:
            continue
        chunk.append(parsed)
        if len(chunk) == CHUNK:
            _write_chunk(chunk, index, relink, groups)
            index += len(chunk)
            chunk = []
    _write_chunk(chunk, index, relink, groups)
    _link_supervisors(people, relink, progress)
    _supervisor_group(people, groups["supervisor"])


def _write_chunk(chunk, start, relink, groups):
    if not chunk:
        return
    User = get_user_model()
    username = User.USERNAME_FIELD
    existing = stored_employees([p["nip"] for p in chunk])
    new = [p for p in chunk if p["nip"] not in existing]
    # Logins named after a new NIP but without an employee (admins, earlier manual users) are reused.
    reused = dict(User.objects.filter(**{username + "__in": [p["nip"] for p in new]}, employee__isnull=True)
                  .values_list(username, "pk")) if new else {}
    to_create = [p for p in new if p["nip"] not in reused]
    if User._meta.label == "auth.User":
        now = db_now()
        insert_rows(User, USER_FIELDS, [
            (p["nip"], _unusable_password(), p["name"][:150], "", p["email"], False, True, False, now)
            for p in to_create
        ])
    else:  # a host project's own user model may need its defaults and save logic
        User.objects.bulk_create([User(**{username: p["nip"]}, password=_unusable_password()) for p in to_create])
    user_ids = dict(reused)
    if to_create:
        user_ids.update(User.objects.filter(**{username + "__in": [p["nip"] for p in to_create]})
                        .values_list(username, "pk"))
    adapt = connection.ops.adapt_datefield_value
    insert_rows(Employee, ("nip", "user", *FIELDS, "grade_since", "supervisor_id", "active"), [
        (p["nip"], user_ids[p["nip"]], *(p[f] for f in FIELDS), adapt(p.get("grade_since")), None, True) for p in new
    ])
    updates, user_updates, since_updates = [], [], []
    for p in new:
        if p["nip"] in reused:  # keep the login's name and email (used for password resets) in step
            user_updates.append((p["name"][:150], p["email"], reused[p["nip"]]))
    for offset, p in enumerate(chunk):
        old = existing.get(p["nip"])
        if old is None:
            relink[start + offset] = p["supervisor"] is not None
            continue
        if old["supervisor__nip"] != p["supervisor"]:
            relink[start + offset] = 1
        if grade_since_changed(old, p):
            since_updates.append((adapt(p["grade_since"]), old["pk"]))
        if changed(old, p):
            updates.append((*(p[f] for f in FIELDS), old["pk"]))
            if (old["user__first_name"], old["user__email"]) != (p["name"][:150], p["email"]):
                user_updates.append((p["name"][:150], p["email"], old["user_id"]))
    update_rows(Employee, FIELDS, updates)
    update_rows(Employee, ("grade_since",), since_updates)
    update_rows(User, ("first_name", "email"), user_updates)
    insert_rows(User.groups.through, ("user", "group"), [(user_ids[p["nip"]], groups["asn"]) for p in new],
                ignore_conflicts=True)


def _link_supervisors(people, relink, progress):
    """Point every new or moved employee at their supervisor, now that everyone is stored."""
    marked = np.flatnonzero(np.frombuffer(bytes(relink), dtype=np.uint8)).tolist()
    for done, indexes in enumerate(chunked(marked), start=1):
        pairs = [(nip_str(people.nips[i]), nip_str(people.supervisors[i]) if people.supervisors[i] else None)
                 for i in indexes]
        wanted = {n for pair in pairs for n in pair if n}
        pk_of = dict(Employee.objects.filter(nip__in=wanted).values_list("nip", "pk"))
        update_rows(Employee, ("supervisor_id",), [(pk_of.get(supervisor), pk_of[nip]) for nip, supervisor in pairs])
        progress("link supervisors", min(done * CHUNK, len(marked)), len(marked))


def _supervisor_group(people, group):
    User = get_user_model()
    for chunk in chunked(people.supervisors_named()):
        user_ids = Employee.objects.filter(nip__in=chunk).values_list("user_id", flat=True)
        insert_rows(User.groups.through, ("user", "group"), [(pk, group) for pk in user_ids], ignore_conflicts=True)
