"""The org import: agencies and their unit trees (``agency, agency_name, unit, unit_name, parent_unit``)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..infra.cells import code, duplicate, required_text
from ..models import Agency, Unit
from ..models.organisation import AgencyKind
from .base import ImportFormat, Plan
from .graph import depth_levels, find_loops

DUPLICATE = gettext_lazy("This unit of this agency")


def agency_kind(name):
    """Guess an agency's kind from its name; the file has no column for it (regency if unsure)."""
    words = name.lower().split()
    if "kota" in words:
        return AgencyKind.CITY
    if "provinsi" in words or "pemprov" in words:
        return AgencyKind.PROVINCE
    if {"kementerian", "badan", "lembaga"} & set(words[:1]):
        return AgencyKind.MINISTRY
    return AgencyKind.REGENCY


class OrgFormat(ImportFormat):
    kind = "org"
    label = gettext_lazy("Organisation (agencies and units)")
    required = ("agency", "agency_name", "unit", "unit_name")
    optional = ("parent_unit",)

    def validate(self, table, errors, *, scope, progress):
        agencies = {c: (pk, name) for c, pk, name in Agency.objects.values_list("code", "pk", "name")}
        plan = Plan()
        agency_names, units_seen, parsed, nameless = {}, {}, [], []
        for row in table.rows:
            agency = code(row, "agency", errors)
            unit = code(row, "unit", errors)
            unit_name = required_text(row, "unit_name", errors)
            parent = code(row, "parent_unit", errors, required=False)
            agency_name = row.get("agency_name")
            if agency is None:
                continue
            if scope.limited and agency != scope.agency_code:
                scope.refuse(errors, row, "agency")
                continue
            if agency_name:
                first = agency_names.setdefault(agency, (agency_name, row.number))
                if first[0] != agency_name:
                    errors.add(row, "agency_name", _("Agency %(agency)s is named \"%(name)s\" in row %(row)d.")
                               % {"agency": agency, "name": first[0], "row": first[1]})
            elif agency not in agencies:
                nameless.append((row, agency))
            if unit is None or unit_name is None:
                continue
            if duplicate(errors, units_seen, (agency, unit), row, "unit", DUPLICATE):
                continue
            if parent == unit:
                errors.add(row, "parent_unit", _("A unit cannot be its own parent."))
                continue
            parsed.append((row, agency, unit, unit_name, parent))
        for row, agency in nameless:
            if agency not in agency_names:
                errors.add(row, "agency_name", _("Agency %(agency)s is new: give its name.") % {"agency": agency})
        for agency, (name, _row) in agency_names.items():
            if agency not in agencies:
                plan.notes.append(_("New agency %(code)s \"%(name)s\" (%(kind)s).")
                                  % {"code": agency, "name": name, "kind": agency_kind(name).label})
            elif agencies[agency][1] != name:
                plan.notes.append(_("Agency %(code)s renamed to \"%(name)s\".") % {"code": agency, "name": name})

        existing = {}
        id_to_key = {}
        codes = {a for a, _u in units_seen} | set(agency_names)
        for pk, agency, unit, name, parent_id in Unit.objects.filter(agency__code__in=codes).values_list(
            "pk", "agency__code", "code", "name", "parent_id"
        ):
            existing[(agency, unit)] = (pk, name, parent_id)
            id_to_key[pk] = (agency, unit)
        parent_of = {key: id_to_key.get(parent_id) for key, (_pk, _n, parent_id) in existing.items()}
        rows_by_key = {}
        for row, agency, unit, _name, parent in parsed:
            key = (agency, unit)
            rows_by_key[key] = row
            parent_key = (agency, parent) if parent else None
            if parent_key and parent_key not in units_seen and parent_key not in existing:
                errors.add(row, "parent_unit", _(
                    "Unit %(parent)s is neither in this file nor among agency %(agency)s's units."
                ) % {"parent": parent, "agency": agency})
                parent_key = None
            parent_of[key] = parent_key
        for loop in find_loops(parent_of):
            chain = " → ".join(u for _a, u in [*loop, loop[0]])
            for key in loop:
                if key in rows_by_key:
                    errors.add(rows_by_key[key], "parent_unit", _("Units would sit inside each other: %s.") % chain)
        if errors:
            return plan

        for row, agency, unit, name, _parent in parsed:
            key = (agency, unit)
            old = existing.get(key)
            if old is None:
                plan.count(row, "create")
            else:
                old_parent = id_to_key.get(old[2])
                plan.count(row, "unchanged" if (old[1], old_parent) == (name, parent_of[key]) else "update")
        plan.data.update(
            agencies={a: n for a, (n, _r) in agency_names.items()}, known_agencies=agencies,
            parsed=parsed, existing=existing, parent_of=parent_of,
        )
        return plan

    def write(self, plan, *, progress):
        data = plan.data
        known = data["known_agencies"]
        new_agencies = [
            Agency(code=c, name=n, kind=agency_kind(n)) for c, n in data["agencies"].items() if c not in known
        ]
        Agency.objects.bulk_create(new_agencies)
        renamed = [
            Agency(pk=known[c][0], name=n) for c, n in data["agencies"].items() if c in known and known[c][1] != n
        ]
        Agency.objects.bulk_update(renamed, ["name"])
        codes = set(data["agencies"]) | {a for _r, a, *_rest in data["parsed"]}
        agency_ids = dict(Agency.objects.filter(code__in=codes).values_list("code", "pk"))
        unit_ids = {key: pk for key, (pk, _n, _p) in data["existing"].items()}
        parent_of = data["parent_of"]
        rows = {(a, u): (name,) for _row, a, u, name, _p in data["parsed"]}
        new_keys = [key for key in rows if key not in unit_ids]
        for level in depth_levels(new_keys, parent_of):
            created = Unit.objects.bulk_create([
                Unit(agency_id=agency_ids[key[0]], code=key[1], name=rows[key][0],
                     parent_id=unit_ids.get(parent_of[key]))
                for key in level
            ])
            unit_ids.update({(key[0], unit.code): unit.pk for key, unit in zip(level, created, strict=True)})
        changed = [
            Unit(pk=unit_ids[key], name=rows[key][0], parent_id=unit_ids.get(parent_of[key]))
            for key in rows
            if key in data["existing"]
            and (data["existing"][key][1], data["existing"][key][2]) != (rows[key][0], unit_ids.get(parent_of[key]))
        ]
        Unit.objects.bulk_update(changed, ["name", "parent"], batch_size=500)
        progress("write", len(rows), len(rows))
