"""The employee admin: what each role sees, finds and may change, and the rules the form enforces."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from tna.factories import AgencyFactory, EmployeeFactory, PositionFactory, UnitFactory, UserFactory, nip_for
from tna.models import Employee


def url(name, *args):
    return reverse("tna_employee:%s" % name, args=args)


def employee_post(**overrides):
    """Form data for the employee add/edit form."""
    data = {
        "nip": nip_for(9001), "name": "Siti Rahayu", "email": "siti@example.go.id", "employment": "PNS",
        "grade": "III/b", "active": "on", "supervisor": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


class EmployeeAdminTests(TestCase):
    def assertDenied(self, response):
        """Wagtail's admin answers a permission error by sending the user home with a message."""
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)

    @classmethod
    def setUpTestData(cls):
        cls.a, cls.b = AgencyFactory(name="Kabupaten Alpha"), AgencyFactory(name="Kota Beta")
        cls.unit_a = UnitFactory(agency=cls.a, name="Dinas Pendidikan Alpha")
        cls.unit_a2 = UnitFactory(agency=cls.a, name="Bappeda Alpha")
        cls.unit_b = UnitFactory(agency=cls.b, name="Dinas Kesehatan Beta")
        cls.position_a = PositionFactory(agency=cls.a, name="Analis Alpha")
        cls.head = EmployeeFactory(agency=cls.a, unit=cls.unit_a, position=cls.position_a, name="Budi Kepala",
                                   grade="IV/a")
        cls.staff = EmployeeFactory(agency=cls.a, unit=cls.unit_a, position=cls.position_a, name="Citra Staf",
                                    supervisor=cls.head)
        cls.outsider = EmployeeFactory(agency=cls.b, unit=cls.unit_b, name="Dewi Luar")
        cls.admin_a = EmployeeFactory(agency=cls.a, unit=cls.unit_a2, name="Eko Admin", roles=["training_admin"])
        cls.planner_a = EmployeeFactory(agency=cls.a, unit=cls.unit_a2, name="Fajar Planner", roles=["planner"])
        cls.superuser = UserFactory(username="root", is_superuser=True, is_staff=True)

    def setUp(self):
        # The admin's messages are asserted as their English msgids (Indonesian is the default).
        self.client.cookies["django_language"] = "en"

    def listing(self, user, **params):
        self.client.force_login(user)
        response = self.client.get(url("index"), params)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_superuser_lists_every_agency(self):
        page = self.listing(self.superuser)
        for person in (self.head, self.staff, self.outsider):
            self.assertIn(person.nip, page)

    def test_training_admin_lists_only_their_agency(self):
        page = self.listing(self.admin_a.user)
        self.assertIn(self.head.nip, page)
        self.assertIn(self.staff.nip, page)
        self.assertNotIn(self.outsider.nip, page)
        self.assertNotIn("Dewi Luar", page)

    def test_training_admin_cannot_open_another_agencys_employee(self):
        self.client.force_login(self.admin_a.user)
        self.assertEqual(self.client.get(url("edit", self.outsider.pk)).status_code, 404)
        self.assertEqual(self.client.get(url("inspect", self.outsider.pk)).status_code, 404)
        self.assertEqual(self.client.get(url("history", self.outsider.pk)).status_code, 404)
        self.assertEqual(self.client.get(url("edit", self.staff.pk)).status_code, 200)

    def test_training_admin_chooses_only_their_agencys_units_and_people(self):
        self.client.force_login(self.admin_a.user)
        response = self.client.get(url("add"))
        form = response.context["form"]
        self.assertEqual(set(form.fields["unit"].queryset), {self.unit_a, self.unit_a2})
        self.assertNotIn(self.outsider, form.fields["supervisor"].queryset)
        self.assertEqual(list(form.fields["agency"].queryset), [self.a])
        self.assertTrue(form.fields["agency"].disabled)
        page = response.content.decode()
        self.assertIn("Bappeda Alpha", page)
        self.assertNotIn("Dinas Kesehatan Beta", page)

    def test_filter_choices_are_scoped_too(self):
        page = self.listing(self.admin_a.user)
        self.assertIn("Bappeda Alpha", page)  # unit filter
        self.assertNotIn("Dinas Kesehatan Beta", page)
        self.assertNotIn("Kota Beta", page)  # agency filter

    def test_search_by_nip_finds_the_person(self):
        page = self.listing(self.superuser, q=self.staff.nip)
        self.assertIn("Citra Staf", page)
        self.assertNotIn("Budi Kepala", page)
        self.assertNotIn("Dewi Luar", page)

    def test_search_by_name(self):
        page = self.listing(self.admin_a.user, q="budi")
        self.assertIn(self.head.nip, page)
        self.assertNotIn(self.staff.nip, page)

    def test_filter_by_grade_and_employment(self):
        page = self.listing(self.superuser, grade="IV/a")
        self.assertIn("Budi Kepala", page)
        self.assertNotIn("Citra Staf", page)
        self.assertIn("Pembina", page)  # the grade column shows the pangkat
        page = self.listing(self.superuser, employment="PPPK")
        self.assertNotIn("Budi Kepala", page)

    def test_filter_by_unit_and_job_type(self):
        page = self.listing(self.superuser, unit=self.unit_a2.pk)
        self.assertIn("Eko Admin", page)
        self.assertNotIn("Citra Staf", page)
        page = self.listing(self.superuser, job_type="administrator")
        self.assertNotIn("Citra Staf", page)

    def test_csv_export_uses_the_import_columns(self):
        self.client.force_login(self.admin_a.user)
        response = self.client.get(url("index"), {"export": "csv"})
        body = b"".join(response.streaming_content).decode()
        header, *rows = body.strip().splitlines()
        self.assertTrue(header.startswith("nip,name,agency,unit,position,grade,employment,supervisor_nip,email"))
        self.assertEqual(len(rows), 4)  # agency A only
        staff_row = next(r for r in rows if r.startswith(self.staff.nip))
        self.assertIn(self.head.nip, staff_row)

    def test_creating_an_employee_creates_their_login(self):
        self.client.force_login(self.admin_a.user)
        nip = nip_for(9001)
        data = employee_post(nip=nip, unit=self.unit_a.pk, position=self.position_a.pk, supervisor=self.head.pk)
        response = self.client.post(url("add"), data)
        self.assertEqual(response.status_code, 302)
        employee = Employee.objects.get(nip=nip)
        self.assertEqual(employee.agency, self.a)  # fixed to the admin's agency
        self.assertEqual(employee.user.username, nip)
        self.assertFalse(employee.user.has_usable_password())
        self.assertEqual(employee.user.email, "siti@example.go.id")
        self.assertEqual(list(employee.user.groups.values_list("name", flat=True)), ["asn"])

    def test_changing_the_nip_renames_the_login(self):
        self.client.force_login(self.admin_a.user)
        new_nip = nip_for(9002)
        data = employee_post(
            nip=new_nip, name=self.staff.name, unit=self.unit_a.pk, position=self.position_a.pk,
            supervisor=self.head.pk, grade=self.staff.grade,
        )
        response = self.client.post(url("edit", self.staff.pk), data)
        self.assertEqual(response.status_code, 302)
        self.staff.user.refresh_from_db()
        self.assertEqual(self.staff.user.username, new_nip)
        self.assertEqual(get_user_model().objects.filter(username=new_nip).count(), 1)

    def test_invalid_nip_is_refused_with_the_rule_broken(self):
        self.client.force_login(self.admin_a.user)
        bad = "19851340" + nip_for(1)[8:]  # month 13
        response = self.client.post(url("add"), employee_post(nip=bad, unit=self.unit_a.pk, position=self.position_a.pk))
        self.assertEqual(response.status_code, 200)
        errors = response.context["form"].errors
        self.assertIn("not a real birth date", " ".join(errors["nip"]))
        self.assertFalse(Employee.objects.filter(nip=bad).exists())
        self.assertFalse(get_user_model().objects.filter(username=bad).exists())

    def test_pppk_numbers_are_checked_leniently(self):
        self.client.force_login(self.admin_a.user)
        pppk = "19900101" + "202421" + "1" + "045"  # month 21 is fine for PPPK, not for PNS
        data = employee_post(nip=pppk, unit=self.unit_a.pk, position=self.position_a.pk)
        response = self.client.post(url("add"), data)
        self.assertIn("01–12", " ".join(response.context["form"].errors["nip"]))
        response = self.client.post(url("add"), {**data, "employment": "PPPK"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Employee.objects.filter(nip=pppk, employment="PPPK").exists())

    def test_supervisor_loop_is_refused(self):
        self.client.force_login(self.admin_a.user)
        data = employee_post(
            nip=self.head.nip, name=self.head.name, grade=self.head.grade, unit=self.unit_a.pk,
            position=self.position_a.pk, supervisor=self.staff.pk,  # staff reports to head
        )
        response = self.client.post(url("edit", self.head.pk), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("loop", " ".join(response.context["form"].errors["supervisor"]))
        self.head.refresh_from_db()
        self.assertIsNone(self.head.supervisor)

    def test_superuser_cannot_mix_agencies(self):
        self.client.force_login(self.superuser)
        data = employee_post(agency=self.a.pk, unit=self.unit_b.pk, position=self.position_a.pk,
                             supervisor=self.outsider.pk)
        response = self.client.post(url("add"), data)
        errors = response.context["form"].errors
        self.assertIn("another agency", " ".join(errors["unit"]))
        self.assertIn("another agency", " ".join(errors["supervisor"]))

    def test_planner_reads_but_cannot_edit(self):
        page = self.listing(self.planner_a.user)
        self.assertIn(self.staff.nip, page)
        self.assertNotIn(url("add"), page)
        self.client.force_login(self.planner_a.user)
        self.assertEqual(self.client.get(url("inspect", self.staff.pk)).status_code, 200)
        self.assertDenied(self.client.get(url("edit", self.staff.pk)))
        self.assertDenied(self.client.get(url("add")))
        self.assertDenied(self.client.post(url("edit", self.staff.pk), employee_post(name="Hacked")))
        self.staff.refresh_from_db()
        self.assertEqual(self.staff.name, "Citra Staf")

    def test_nobody_but_superusers_deletes_people(self):
        self.client.force_login(self.admin_a.user)
        self.assertDenied(self.client.get(url("delete", self.staff.pk)))
        self.assertTrue(Employee.objects.filter(pk=self.staff.pk).exists())

    def test_plain_asn_has_no_admin(self):
        self.client.force_login(self.staff.user)
        response = self.client.get(url("index"))
        self.assertNotEqual(response.status_code, 200)
        self.assertFalse(Employee.objects.filter(nip="x").exists())


class EmployeeChooserTests(TestCase):
    """The supervisor field pages through people with a search instead of listing a whole agency."""

    @classmethod
    def setUpTestData(cls):
        cls.a, cls.b = AgencyFactory(), AgencyFactory()
        cls.ours = EmployeeFactory(agency=cls.a, name="Gita Pengawas")
        cls.theirs = EmployeeFactory(agency=cls.b, name="Gita Lain")
        cls.gone = EmployeeFactory(agency=cls.a, name="Gita Pensiun", active=False)
        cls.admin_a = EmployeeFactory(agency=cls.a, roles=["training_admin"])

    def choose(self, **params):
        self.client.force_login(self.admin_a.user)
        response = self.client.get(reverse("tna_employee_chooser:choose_results"), params)
        self.assertEqual(response.status_code, 200)
        return set(response.context["results"])

    def test_chooser_offers_active_people_of_the_agency_only(self):
        self.assertEqual(self.choose(q="gita"), {self.ours})
        self.assertEqual(self.choose(q=self.ours.nip[:10]), {self.ours})

    def test_another_agencys_person_cannot_be_chosen(self):
        self.client.force_login(self.admin_a.user)
        response = self.client.get(reverse("tna_employee_chooser:chosen", args=[self.theirs.pk]))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("tna_employee_chooser:chosen", args=[self.ours.pk]))
        self.assertContains(response, "Gita Pengawas")

    def test_edit_form_uses_the_chooser(self):
        self.client.force_login(self.admin_a.user)
        response = self.client.get(reverse("tna_employee:add"))
        self.assertContains(response, reverse("tna_employee_chooser:choose"))
        self.assertNotContains(response, "Gita Lain")
