"""The bulk-write stack (tna.infra.bulk): rows and column arrays land as the ORM would store them."""

import numpy as np
import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction

from tna.factories import CycleFactory, EmployeeFactory
from tna.infra.bulk.columns import column_writer
from tna.infra.bulk.mode import bulk_write_mode
from tna.infra.bulk.rows import db_now, insert_rows, max_pk, update_rows
from tna.models import Appraisal, PeerAssignment

pytestmark = pytest.mark.django_db


def test_rows_are_inserted_updated_and_duplicates_skipped_only_when_asked():
    since = max_pk(Group)
    assert insert_rows(Group, ["name"], (("bulk-a",), ("bulk-b",))) == 2
    assert insert_rows(Group, ["name"], iter(())) == 0
    assert insert_rows(Group, ["name"], [("bulk-a",), ("bulk-c",)], ignore_conflicts=True) == 2
    assert sorted(Group.objects.filter(pk__gt=since).values_list("name", flat=True)) == ["bulk-a", "bulk-b", "bulk-c"]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(Group, ["name"], [("bulk-a",)])

    group = Group.objects.get(name="bulk-a")
    update_rows(Group, ["name"], [("bulk-a2", group.pk)])
    group.refresh_from_db()
    assert group.name == "bulk-a2" and max_pk(Group) > since


def test_column_arrays_get_their_constants_and_nulls():
    cycle = CycleFactory(year=2026)
    staff = [EmployeeFactory() for _ in range(3)]
    ids = np.array([e.pk for e in staff], dtype=np.int64)
    with connection.cursor() as cursor:
        # All integers: a binary COPY on PostgreSQL.
        with column_writer(cursor, PeerAssignment, ["cycle", "ratee", "rater"], constants={"cycle": cycle.pk}) as writer:
            writer.write({"ratee": ids, "rater": np.roll(ids, 1)})
        # Text and datetimes too: a text COPY on PostgreSQL.
        fields = ["cycle", "employee", "rated_by", "results", "behaviour", "discipline", "quality", "updated_at"]
        with column_writer(cursor, Appraisal, fields, constants={"cycle": cycle.pk, "updated_at": db_now()}) as writer:
            writer.write({"employee": ids, "rated_by": np.array([ids[1], -1, ids[0]]),
                          "results": np.array(["meets", "above", "below"], dtype=object),
                          "behaviour": np.array(["meets"] * 3, dtype=object),
                          "discipline": np.array([3, -1, 5]), "quality": np.array([-1, -1, 2])})

    assert set(PeerAssignment.objects.values_list("cycle", "ratee", "rater")) == {
        (cycle.pk, staff[0].pk, staff[2].pk), (cycle.pk, staff[1].pk, staff[0].pk), (cycle.pk, staff[2].pk, staff[1].pk)
    }
    assert sorted(Appraisal.objects.filter(cycle=cycle).values_list("employee", "rated_by", "results", "discipline",
                                                                     "quality")) == [
        (staff[0].pk, staff[1].pk, "meets", 3, None),
        (staff[1].pk, None, "above", None, None),
        (staff[2].pk, staff[0].pk, "below", 5, 2),
    ]
    assert Appraisal.objects.filter(updated_at__isnull=False).count() == 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's pragmas")
def test_sqlite_bulk_mode_is_undone_on_leaving_even_after_a_failure():
    def pragma(name):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA %s" % name)
            return cursor.fetchone()[0]

    cache = pragma("cache_size")
    with pytest.raises(RuntimeError), bulk_write_mode(ignore_check_constraints=True):
        assert pragma("ignore_check_constraints") == 1 and pragma("cache_size") == -262_144
        raise RuntimeError
    assert (pragma("cache_size"), pragma("ignore_check_constraints")) == (cache, 0)
    with bulk_write_mode():
        assert pragma("ignore_check_constraints") == 0
