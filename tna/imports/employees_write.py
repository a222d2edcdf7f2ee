"""Bulk writer of a validated employees import: users, employees in supervisor order, roles."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group

from ..infra.bulk.rows import db_now, insert_rows, max_pk, update_rows
from ..models import Employee
from ..roles import ASN, SUPERVISOR
from .graph import depth_levels

FIELDS = ("name", "agency_id", "unit_id", "position_id", "grade", "employment", "email")
USER_FIELDS = ("username", "password", "first_name", "last_name", "email", "is_staff", "is_active",
               "is_superuser", "date_joined")


def _unusable_password():
    # What make_password(None) stores, at a fraction of the cost for 100,000 users: never usable.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _new_ids(model, key, since, wanted):
    """``{key value: pk}`` of the rows inserted after pk ``since`` whose key is in ``wanted``."""
    return {
        k: pk for k, pk in model._default_manager.filter(pk__gt=since).values_list(key, "pk") if k in wanted
    }


def write_employees(plan, *, progress):
    """Write ``plan.data`` (``rows``, ``existing``, ``users``) made by ``EmployeesFormat.validate``.

    New employees get a user named after their NIP with an unusable password (they sign in
    after a password reset or through single sign-on) and the ``asn`` group; everyone who
    supervises someone in the file gets the ``supervisor`` group. Groups are only ever added.
    """
    User = get_user_model()
    rows, existing = plan.data["rows"], plan.data["existing"]
    user_ids = dict(plan.data["users"])
    new = [nip for nip in rows if nip not in existing]
    total = len(rows)

    now = db_now()
    since = max_pk(User)
    to_create = [nip for nip in new if nip not in user_ids]
    if User._meta.label == "auth.User":
        insert_rows(User, USER_FIELDS, [
            (nip, _unusable_password(), rows[nip]["name"][:150], "", rows[nip]["email"], False, True, False, now)
            for nip in to_create
        ])
    else:  # a host project's own user model may need its defaults and save logic
        User.objects.bulk_create([User(**{User.USERNAME_FIELD: nip}, password=_unusable_password()) for nip in to_create])
    user_ids.update(_new_ids(User, User.USERNAME_FIELD, since, set(to_create)))
    progress("write users", len(to_create), total)

    pk_of = {nip: e["pk"] for nip, e in existing.items()}
    columns = ("nip", "user", *FIELDS, "supervisor_id", "active")
    done = 0
    for level in depth_levels(new, {nip: rows[nip]["supervisor"] for nip in new}):
        since = max_pk(Employee)
        insert_rows(Employee, columns, [
            (nip, user_ids[nip], *(rows[nip][f] for f in FIELDS), pk_of.get(rows[nip]["supervisor"]), True)
            for nip in level
        ])
        pk_of.update(_new_ids(Employee, "nip", since, set(level)))
        done += len(level)
        progress("write employees", done, total)

    changed = [nip for nip in rows if nip in existing and plan.actions[rows[nip]["row"].number] == "update"]
    update_rows(Employee, (*FIELDS, "supervisor_id"), [
        (*(rows[nip][f] for f in FIELDS), pk_of.get(rows[nip]["supervisor"]), pk_of[nip]) for nip in changed
    ])
    # Keep the login's name and email (used for password resets) in step with the employee.
    reused = [nip for nip in new if nip in plan.data["users"]]
    update_rows(User, ("first_name", "email"), [
        (rows[nip]["name"][:150], rows[nip]["email"], user_ids[nip]) for nip in reused
    ] + [
        (rows[nip]["name"][:150], rows[nip]["email"], existing[nip]["user_id"]) for nip in changed
        if (existing[nip]["user__first_name"], existing[nip]["user__email"]) != (rows[nip]["name"][:150], rows[nip]["email"])
    ])
    progress("write updates", total, total)

    def user_of(nip):
        return user_ids.get(nip) or existing[nip]["user_id"]

    asn = Group.objects.get_or_create(name=ASN)[0].pk
    supervisor = Group.objects.get_or_create(name=SUPERVISOR)[0].pk
    supervisors = {r["supervisor"] for r in rows.values() if r["supervisor"]}
    insert_rows(
        User.groups.through, ("user", "group"),
        [(user_ids[nip], asn) for nip in new] + [(user_of(nip), supervisor) for nip in supervisors],
        ignore_conflicts=True,
    )
