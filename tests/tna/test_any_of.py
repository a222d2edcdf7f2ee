"""AnyOf and scoped key ranges: an agency's rows found through their indexes give the same rows as the plain filters."""

from tna.factories import AgencyFactory, EmployeeFactory
from tna.infra.any_of import AnyOf
from tna.infra.bulk.reading import int_frame
from tna.models import Employee


def test_any_of_finds_what_in_finds(db):
    here, there = AgencyFactory(), AgencyFactory()
    staff = [EmployeeFactory(agency=here) for _ in range(3)] + [EmployeeFactory(agency=there) for _ in range(2)]
    subquery = Employee.objects.filter(agency=here).values("pk")
    found = set(Employee.objects.filter(AnyOf("pk", subquery)).values_list("pk", flat=True))
    assert found == {e.pk for e in staff[:3]}
    assert not Employee.objects.filter(AnyOf("pk", Employee.objects.none().values("pk"))).exists()
    Employee.objects.filter(AnyOf("pk", subquery)).exclude(pk=staff[0].pk).update(grade="IV/a")
    assert set(Employee.objects.filter(grade="IV/a").values_list("pk", flat=True)) == {e.pk for e in staff[1:3]}


def test_a_scoped_read_reads_the_same_rows(db):
    here, there = AgencyFactory(), AgencyFactory()
    for agency in (there, here, there, here, there):
        EmployeeFactory(agency=agency)
    scope = Employee.objects.filter(agency=here)
    plain = int_frame(scope, ("employee", "agency"), employee="pk", agency="agency_id")
    scoped = int_frame(scope, ("employee", "agency"), employee="pk", agency="agency_id", scoped=True)
    assert sorted(plain["employee"]) == sorted(scoped["employee"]) == sorted(scope.values_list("pk", flat=True))
    assert set(scoped["agency"]) == {here.pk}
