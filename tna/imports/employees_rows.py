"""The people of an employees file as four numbers each, and the checks across rows made on them.

Per person only the row number, the NIP, the supervisor's NIP and the agency are kept, in
typed arrays (28 bytes a person, against about a kilobyte as Python objects), so that
duplicates, unknown supervisors and loops in the chain are found for 600,000 people in a
few tens of MB.
"""

from array import array

import numpy as np
from django.utils.translation import gettext as _

from ..infra.cells import chunked
from ..models import Employee

# Fields compared to decide between "update" and "unchanged", in Employee's own names.
FIELDS = ("name", "agency_id", "unit_id", "position_id", "grade", "employment", "email")
STORED = ("pk", "nip", "user_id", "supervisor__nip", "user__first_name", "user__email", "grade_since", *FIELDS)


def stored_employees(nips):
    """``{nip: {field: value}}`` of the employees stored under ``nips`` (at most ``CHUNK``)."""
    return {
        values[1]: dict(zip(STORED, values, strict=True))
        for values in Employee.objects.filter(nip__in=nips).values_list(*STORED)
    }


def changed(old, parsed):
    """Whether the row ``parsed`` changes the stored employee ``old`` (its grade date only when it gives one)."""
    return (any(old[f] != parsed[f] for f in FIELDS) or old["supervisor__nip"] != parsed["supervisor"]
            or grade_since_changed(old, parsed))


def grade_since_changed(old, parsed):
    return "grade_since" in parsed and old["grade_since"] != parsed["grade_since"]


def nip_str(number):
    """An 18-digit NIP kept as a number, as text again."""
    return "%018d" % number


class FileRows:
    """Row number, NIP, supervisor NIP (0: none) and agency id (0: unknown) of each readable row."""

    def __init__(self):
        self.rows = array("i")
        self.nips = array("q")
        self.supervisors = array("q")
        self.agencies = array("i")
        self.valid = None  # after check_duplicates: the first row of each NIP

    def add(self, number, nip, supervisor, agency):
        self.rows.append(number)
        self.nips.append(int(nip))
        self.supervisors.append(int(supervisor) if supervisor else 0)
        self.agencies.append(agency or 0)

    def __len__(self):
        return len(self.rows)

    def check_duplicates(self, errors, what):
        """Report every row repeating an earlier row's NIP; only the first takes part from then on."""
        nips = np.asarray(self.nips, dtype=np.int64)
        self.valid = np.ones(len(nips), dtype=bool)
        if not len(nips):
            return
        order = np.argsort(nips, kind="stable")
        ordered = nips[order]
        repeats = np.flatnonzero(ordered[1:] == ordered[:-1]) + 1
        if not len(repeats):
            return
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        group_start = starts[np.searchsorted(starts, repeats, side="right") - 1]
        for at, first_at in zip(repeats.tolist(), group_start.tolist(), strict=True):
            index, first = int(order[at]), int(order[first_at])
            self.valid[index] = False
            errors.add(self.rows[index], "nip", _("%(what)s already appears in row %(row)d.")
                       % {"what": what, "row": self.rows[first]}, nip_str(self.nips[index]))

    def check_supervisors(self, errors, unreadable):
        """Each supervisor is in the file or stored, in the same agency, and no chain loops.

        ``unreadable`` holds the NIP cells of rows whose NIP could not be read: a supervisor
        named there is not reported again (that row has its own errors).
        """
        nips = np.asarray(self.nips, dtype=np.int64)
        supervisors = np.asarray(self.supervisors, dtype=np.int64)
        count = len(nips)
        valid = np.flatnonzero(self.valid)
        order = valid[np.argsort(nips[valid], kind="stable")]
        ordered = nips[order]
        at = np.minimum(np.searchsorted(ordered, supervisors), max(len(ordered) - 1, 0))
        in_file = (supervisors != 0) & (len(ordered) > 0)
        if len(ordered):
            in_file &= ordered[at] == supervisors
        parent = np.where(in_file, order[at] if len(ordered) else -1, -1).astype(np.int64)

        outside = {int(s) for s in supervisors[(supervisors != 0) & ~in_file & self.valid]}
        def in_file_at(nip):
            at = int(np.searchsorted(ordered, nip))
            return int(order[at]) if at < len(ordered) and ordered[at] == nip else None

        stored = StoredChains(outside, in_file_at=in_file_at)
        parents = parent.tolist()
        for index in np.flatnonzero((supervisors != 0) & ~in_file & self.valid).tolist():
            supervisor = int(supervisors[index])
            node = stored.node_of_nip.get(supervisor)
            if node is None:
                if nip_str(supervisor) not in unreadable:
                    errors.add(self.rows[index], "supervisor_nip", _(
                        "Supervisor NIP %(nip)s is neither in this file nor among the stored employees."
                    ) % {"nip": nip_str(supervisor)}, nip_str(supervisor))
                continue
            parents[index] = count + node
        self._check_agencies(errors, parent, stored)
        parents += [count + p if p >= 0 else (-2 - p if p <= -2 else -1) for p in stored.parents]
        self._check_loops(errors, parents, stored)

    def _check_agencies(self, errors, parent, stored):
        agencies = np.asarray(self.agencies, dtype=np.int64)
        for index in np.flatnonzero(self.valid & (np.asarray(self.supervisors) != 0)).tolist():
            own = int(agencies[index])
            if parent[index] >= 0:
                theirs = int(agencies[parent[index]])
            else:
                node = stored.node_of_nip.get(int(self.supervisors[index]))
                theirs = stored.agencies[node] if node is not None else 0
            if own and theirs and own != theirs:
                supervisor = nip_str(self.supervisors[index])
                errors.add(self.rows[index], "supervisor_nip", _(
                    "The supervisor must work in the same agency (NIP %(nip)s is in another one)."
                ) % {"nip": supervisor}, supervisor)

    def _check_loops(self, errors, parents, stored):
        count = len(self.rows)
        state = bytearray(len(parents))  # 1 while on the current walk, 2 when finished
        for start in np.flatnonzero(self.valid).tolist():
            if state[start]:
                continue
            path, node = [], start
            while node >= 0 and not state[node]:
                state[node] = 1
                path.append(node)
                node = parents[node]
            if node >= 0 and state[node] == 1:
                loop = path[path.index(node):]
                names = [nip_str(self.nips[n]) if n < count else stored.nips[n - count] for n in loop]
                chain = " → ".join([*names, names[0]])
                for n in loop:
                    if n < count:
                        errors.add(self.rows[n], "supervisor_nip",
                                   _("The supervisor chain would go round in a loop: %s.") % chain,
                                   nip_str(self.supervisors[n]))
            for visited in path:
                state[visited] = 2

    def supervisors_named(self):
        """The distinct supervisor NIPs of the file, as text."""
        return sorted({nip_str(s) for s in self.supervisors if s})


class StoredChains:
    """Stored employees above the file's outside supervisors, up to the top or back into the file.

    Node ``k`` is ``nips[k]`` with agency ``agencies[k]``; ``parents[k]`` is another node
    ``>= 0``, a row of the file as ``-2 - index``, or ``-1`` at the top of a chain.
    """

    def __init__(self, supervisor_nips, *, in_file_at):
        self.nips, self.agencies, self.parents = [], [], []
        self.node_of_nip, node_of_pk, pending = {}, {}, {}
        frontier = [("nip", nip_str(n)) for n in supervisor_nips]
        while frontier:
            by = frontier[0][0]
            keys = [k for _by, k in frontier]
            found = []
            for chunk in chunked(keys):
                found += Employee.objects.filter(**{by + "__in": chunk}).values_list(
                    "pk", "nip", "agency_id", "supervisor_id")
            frontier = []
            for pk, nip, agency, supervisor_id in found:
                if pk in node_of_pk:
                    continue
                node_of_pk[pk] = len(self.nips)
                self.node_of_nip[int(nip)] = len(self.nips)
                self.nips.append(nip)
                self.agencies.append(agency)
                self.parents.append(-1)
                # The file's row for a person replaces what is stored about them.
                if supervisor_id is not None and in_file_at(int(nip)) is None:
                    pending.setdefault(supervisor_id, []).append(node_of_pk[pk])
                    if supervisor_id not in node_of_pk:
                        frontier.append(("pk", supervisor_id))
            frontier = list(dict.fromkeys(frontier))
            self._link(pending, node_of_pk, in_file_at, final=not frontier)

    def _link(self, pending, node_of_pk, in_file_at, *, final):
        for supervisor_id in list(pending):
            if supervisor_id in node_of_pk:
                node = node_of_pk[supervisor_id]
                in_file = in_file_at(int(self.nips[node]))
                for child in pending.pop(supervisor_id):
                    self.parents[child] = -2 - in_file if in_file is not None else node
            elif final:
                pending.pop(supervisor_id)
