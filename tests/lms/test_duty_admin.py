"""The duty admin: closure days, absences and unit service patterns kept by each agency's own staff."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.models import AgencyClosure, StaffAbsence, UnitDuty
from lms.services.scheduling import scheduling_problem
from tna.factories import AgencyFactory, EmployeeFactory, UnitFactory, UserFactory

CLOSED = datetime.date(2026, 9, 8)  # a Tuesday, no national holiday


def url(name, *args):
    return reverse(name, args=args)


@pytest.fixture
def other(db):
    """Another agency with a unit, a person on leave and a closure day of its own."""
    agency = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    unit = UnitFactory(agency=agency, code="dinkes", name="Dinas Kesehatan Lain")
    person = EmployeeFactory(agency=agency, unit=unit, name="Lina Luar")
    return {
        "agency": agency, "unit": unit, "person": person,
        "closure": AgencyClosure.objects.create(agency=agency, date=CLOSED, reason="Hari jadi kabupaten"),
        "absence": StaffAbsence.objects.create(employee=person, first_day=CLOSED, last_day=CLOSED, note="Umroh"),
    }


@pytest.fixture
def planner(make_employee):
    return make_employee("Putri Perencana", roles=["planner"])


@pytest.fixture
def login(client):
    """``login(user)``: the test client signed in as ``user``, reading the admin in English."""

    def sign_in(user):
        client.force_login(user.user if hasattr(user, "user") else user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


def listed(client, name, **params):
    response = client.get(url(name + ":index"), params)
    assert response.status_code == 200
    return set(response.context["object_list"])


def test_training_admin_adds_a_closure_day_and_the_scheduler_sees_it(login, admin, agency, other):
    client = login(admin)
    assert client.get(url("lms_agencyclosure:add")).status_code == 200
    # The agency posted is ignored: a training admin's closure days are their own agency's.
    response = client.post(url("lms_agencyclosure:add"),
                           {"agency": other["agency"].pk, "date": CLOSED.isoformat(), "reason": "Hari jadi kota"})
    assert response.status_code == 302
    closure = AgencyClosure.objects.get(reason="Hari jadi kota")
    assert closure.agency == agency
    assert listed(client, "lms_agencyclosure") == {closure}

    problem = scheduling_problem(agency=agency, first_day=CLOSED - datetime.timedelta(days=7),
                                 last_day=CLOSED + datetime.timedelta(days=7), demand={})
    assert problem.calendar.closures == {CLOSED: "Hari jadi kota"}
    assert not problem.calendar.closures.get(CLOSED + datetime.timedelta(days=1))


def test_another_agencys_rows_are_neither_listed_nor_opened(login, admin, asn, agency, other):
    ours = StaffAbsence.objects.create(employee=asn, first_day=CLOSED, last_day=CLOSED, kind="duty_travel")
    client = login(admin)
    assert listed(client, "lms_staffabsence") == {ours}
    assert listed(client, "lms_agencyclosure") == set()
    page = client.get(url("lms_staffabsence:index")).content.decode()
    assert "Lina Luar" not in page and "Dinas Kesehatan Lain" not in page  # not even in the filters
    for name, obj in (("lms_agencyclosure", other["closure"]), ("lms_staffabsence", other["absence"])):
        for view in ("edit", "delete", "history"):
            assert client.get(url("%s:%s" % (name, view), obj.pk)).status_code == 404
    response = client.post(url("lms_agencyclosure:delete", other["closure"].pk))
    assert response.status_code == 404
    assert AgencyClosure.objects.filter(pk=other["closure"].pk).exists()


def test_superuser_sees_every_agency(login, asn, other):
    ours = StaffAbsence.objects.create(employee=asn, first_day=CLOSED, last_day=CLOSED)
    client = login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert listed(client, "lms_staffabsence") == {ours, other["absence"]}
    assert listed(client, "lms_staffabsence", agency=other["agency"].pk) == {other["absence"]}


def test_an_absence_for_another_agencys_person_is_refused(login, admin, other):
    client = login(admin)
    form = client.get(url("lms_staffabsence:add")).context["form"]
    assert other["person"] not in form.fields["employee"].queryset
    response = client.post(url("lms_staffabsence:add"), {
        "employee": other["person"].pk, "first_day": "2026-09-01", "last_day": "2026-09-04", "kind": "leave"})
    assert response.status_code == 200
    assert "valid choice" in " ".join(response.context["form"].errors["employee"])
    assert list(StaffAbsence.objects.filter(employee=other["person"])) == [other["absence"]]


def test_planner_records_leave_for_someone_in_the_agency(login, planner, asn):
    client = login(planner)
    response = client.post(url("lms_staffabsence:add"), {
        "employee": asn.pk, "first_day": "2026-09-01", "last_day": "2026-09-04", "kind": "leave", "note": "Cuti"})
    assert response.status_code == 302
    absence = StaffAbsence.objects.get(employee=asn)
    assert (absence.first_day, absence.last_day, absence.kind) == (datetime.date(2026, 9, 1),
                                                                   datetime.date(2026, 9, 4), "leave")


def test_an_absence_ending_before_it_starts_is_refused_with_a_message(login, admin, asn):
    client = login(admin)
    response = client.post(url("lms_staffabsence:add"), {
        "employee": asn.pk, "first_day": "2026-09-04", "last_day": "2026-09-01", "kind": "leave"})
    assert response.status_code == 200
    assert response.context["form"].errors["last_day"] == ["The last day cannot be before the first day."]
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not StaffAbsence.objects.exists()


def test_a_second_closure_on_the_same_day_is_refused_with_a_message(login, admin, agency):
    AgencyClosure.objects.create(agency=agency, date=CLOSED, reason="Hari jadi kota")
    client = login(admin)
    response = client.post(url("lms_agencyclosure:add"), {"date": CLOSED.isoformat(), "reason": "Rapat kerja"})
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["Kota Contoh is already closed on this date: Hari jadi kota."]
    assert AgencyClosure.objects.filter(agency=agency).count() == 1


def test_the_messages_are_in_indonesian_by_default(client, admin, agency):
    AgencyClosure.objects.create(agency=agency, date=CLOSED, reason="Hari jadi kota")
    client.force_login(admin.user)
    response = client.post(url("lms_agencyclosure:add"), {"date": CLOSED.isoformat(), "reason": "Rapat kerja"})
    page = response.content.decode()
    assert "Kota Contoh sudah tercatat tutup pada tanggal ini: Hari jadi kota." in page
    assert "Tugas dan ketersediaan" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_closures_filter_by_year_and_absences_by_kind_unit_and_day(login, admin, agency, unit, asn, colleague):
    earlier = AgencyClosure.objects.create(agency=agency, date=datetime.date(2025, 6, 2), reason="Lama")
    later = AgencyClosure.objects.create(agency=agency, date=CLOSED, reason="Baru")
    elsewhere = UnitFactory(agency=agency, code="dishub", name="Dinas Perhubungan")
    driver = EmployeeFactory(agency=agency, unit=elsewhere, name="Joko Sopir")
    leave = StaffAbsence.objects.create(employee=asn, first_day=CLOSED, last_day=CLOSED + datetime.timedelta(days=2))
    travel = StaffAbsence.objects.create(employee=driver, first_day=CLOSED, last_day=CLOSED, kind="duty_travel")
    other = StaffAbsence.objects.create(employee=colleague, first_day=CLOSED + datetime.timedelta(days=10),
                                        last_day=CLOSED + datetime.timedelta(days=10), kind="other")
    client = login(admin)
    assert listed(client, "lms_agencyclosure", year=2025) == {earlier}
    assert listed(client, "lms_agencyclosure", year=2026) == {later}
    assert listed(client, "lms_agencyclosure", q="baru") == {later}
    assert listed(client, "lms_staffabsence", kind="duty_travel") == {travel}
    assert listed(client, "lms_staffabsence", unit=unit.pk) == {leave, other}
    assert listed(client, "lms_staffabsence", away_on=(CLOSED + datetime.timedelta(days=1)).isoformat()) == {leave}
    assert listed(client, "lms_staffabsence", q="joko") == {travel}


def test_unit_service_patterns_offer_only_the_agencys_units_without_one(login, admin, agency, unit, other):
    school = UnitFactory(agency=agency, code="sd-1", name="SD Negeri 1")
    UnitDuty.objects.create(unit=school, pattern="school")
    client = login(admin)
    units = set(client.get(url("lms_unitduty:add")).context["form"].fields["unit"].queryset)
    assert school not in units and other["unit"] not in units and unit in units
    response = client.post(url("lms_unitduty:add"), {"unit": unit.pk, "pattern": "service_counter"})
    assert response.status_code == 302
    assert UnitDuty.objects.get(unit=unit).pattern == "service_counter"
    assert listed(client, "lms_unitduty", pattern="school") == {UnitDuty.objects.get(unit=school)}
    response = client.post(url("lms_unitduty:add"), {"unit": other["unit"].pk, "pattern": "clinic"})
    assert response.status_code == 200 and not UnitDuty.objects.filter(unit=other["unit"]).exists()


def test_an_asn_without_the_role_gets_no_access(login, asn, agency):
    AgencyClosure.objects.create(agency=agency, date=CLOSED, reason="Hari jadi kota")
    client = login(asn)
    for name in ("lms_unitduty", "lms_agencyclosure", "lms_staffabsence"):
        assert client.get(url(name + ":index")).status_code == 302
    response = client.post(url("lms_agencyclosure:add"), {"date": "2026-09-09", "reason": "Tutup"})
    assert response.status_code == 302
    assert AgencyClosure.objects.count() == 1


def test_both_roles_get_the_duty_permissions(db):
    wanted = {"%s_%s" % (action, model) for model in ("unitduty", "agencyclosure", "staffabsence")
              for action in ("add", "change", "delete", "view")}
    for role in ("training_admin", "planner"):
        assert wanted <= set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
    for role in ("asn", "supervisor"):
        assert not wanted & set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))
