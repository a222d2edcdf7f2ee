"""Scoping of people and agency data by role."""

import pytest

from tna.factories import AgencyFactory, EmployeeFactory, UnitFactory, UserFactory
from tna.infra.scoping import scope_people, scope_to_agency
from tna.models import Employee, Unit
from tna.roles import subordinate_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    a, b = AgencyFactory(), AgencyFactory()
    head = EmployeeFactory(agency=a, roles=["supervisor"])
    middle = EmployeeFactory(agency=a, unit=head.unit, supervisor=head, roles=["supervisor"])
    staff = EmployeeFactory(agency=a, unit=head.unit, supervisor=middle)
    colleague = EmployeeFactory(agency=a, unit=head.unit)
    outsider = EmployeeFactory(agency=b)
    return locals()


def test_supervisor_sees_the_whole_chain_below_but_not_colleagues(org):
    seen = set(scope_people(Employee.objects.all(), org["head"].user, employee_field=""))
    assert seen == {org["head"], org["middle"], org["staff"]}
    assert subordinate_ids(org["middle"]) == {org["staff"].pk}


def test_asn_sees_only_themselves(org):
    assert list(scope_people(Employee.objects.all(), org["staff"].user, employee_field="")) == [org["staff"]]


def test_planner_sees_their_agency_never_another(org):
    planner = EmployeeFactory(agency=org["a"], roles=["planner"])
    seen = set(scope_people(Employee.objects.all(), planner.user, employee_field=""))
    assert org["outsider"] not in seen
    assert {org["head"], org["colleague"], planner} <= seen


def test_agency_data_is_scoped_and_superusers_see_all(org):
    UnitFactory(agency=org["b"])
    assert set(scope_to_agency(Unit.objects.all(), org["staff"].user).values_list("agency", flat=True)) == {org["a"].pk}
    admin = UserFactory(is_superuser=True)
    assert scope_to_agency(Unit.objects.all(), admin).count() == Unit.objects.count()


def test_user_without_employee_sees_nothing(org):
    assert not scope_to_agency(Unit.objects.all(), UserFactory()).exists()
