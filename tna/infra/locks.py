"""Row locks that order the bulk writers of one cycle's results: the TNA run and the recommendations.

``lock_scope(cycle_id, agency_id)`` is taken inside the writing transaction. A whole-cycle write
locks the cycle's row for update; an agency's write locks it for share and the agency's row for
update. So the agencies' writes of one cycle (each worker of a national run its own agency) go
side by side, a second write of the same agency waits for the first, and a whole-cycle write
waits for every agency's and they for it. PostgreSQL only: SQLite has one writer anyway.
"""

from django.db import connection


def lock_scope(cycle_id, agency_id=None):
    """Wait for the writes of ``cycle_id`` (and ``agency_id``) this one would clash with; see the module."""
    if connection.vendor != "postgresql":
        return
    from ..models import Agency, Cycle

    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if agency_id is None:
            cursor.execute("SELECT 1 FROM %s WHERE id = %%s FOR UPDATE" % qn(Cycle._meta.db_table), [cycle_id])
            return
        cursor.execute("SELECT 1 FROM %s WHERE id = %%s FOR SHARE" % qn(Cycle._meta.db_table), [cycle_id])
        cursor.execute("SELECT 1 FROM %s WHERE id = %%s FOR UPDATE" % qn(Agency._meta.db_table), [agency_id])
