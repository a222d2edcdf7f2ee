"""Admin for agencies, units, positions (with their standard), competencies, cycles and IKM, by role."""

from decimal import Decimal

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from django.urls import reverse

from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
    UserFactory,
)
from tna.models import Competency, Position, RequiredLevel, Unit, UnitSatisfaction


def formset(prefix, rows, initial=0):
    """Management form plus rows for an InlinePanel formset."""
    data = {
        "%s-TOTAL_FORMS" % prefix: str(len(rows)), "%s-INITIAL_FORMS" % prefix: str(initial),
        "%s-MIN_NUM_FORMS" % prefix: "0", "%s-MAX_NUM_FORMS" % prefix: "1000",
    }
    for i, row in enumerate(rows):
        for key, value in {"ORDER": str(i + 1), "DELETE": "", **row}.items():
            data["%s-%d-%s" % (prefix, i, key)] = value
    return data


class AdminTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.a, cls.b = AgencyFactory(name="Kabupaten Alpha"), AgencyFactory(name="Kota Beta")
        cls.top_a = UnitFactory(agency=cls.a, name="Dinas Pendidikan Alpha", code="disdik")
        cls.sub_a = UnitFactory(agency=cls.a, name="Bidang SD Alpha", parent=cls.top_a)
        cls.top_b = UnitFactory(agency=cls.b, name="Dinas Kesehatan Beta", code="dinkes")
        cls.integrity = CompetencyFactory(code="M.01", name="Integritas", name_en="Integrity", group="managerial",
                                          category="integrity", applies_to_all=True)
        cls.coding = CompetencyFactory(code="TK.90", name="Pemrograman", group="technical")
        cls.position_a = PositionFactory(agency=cls.a, name="Kepala Seksi Alpha", job_type="pengawas")
        cls.position_b = PositionFactory(agency=cls.b, name="Analis Beta")
        cls.admin_a = EmployeeFactory(agency=cls.a, unit=cls.top_a, roles=["training_admin"])
        cls.planner_a = EmployeeFactory(agency=cls.a, unit=cls.top_a, roles=["planner"])
        cls.superuser = UserFactory(username="root", is_superuser=True, is_staff=True)

    def setUp(self):
        # The admin's messages are asserted as their English msgids (Indonesian is the default).
        self.client.cookies["django_language"] = "en"

    def get(self, user, name, *args, **params):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), params)

    def listed(self, user, name, **params):
        """The rows a listing shows (filter dropdowns may name other objects)."""
        response = self.get(user, name, **params)
        self.assertEqual(response.status_code, 200)
        return set(response.context["object_list"])

    def assertDenied(self, response):
        self.assertRedirects(response, reverse("wagtailadmin_home"), fetch_redirect_response=False)


class RolePermissionMigrationTests(TestCase):
    def test_roles_get_admin_access_and_model_permissions(self):
        def codenames(role):
            return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))

        admin, planner = codenames("training_admin"), codenames("planner")
        self.assertLessEqual({"access_admin", "add_employee", "change_employee", "change_position",
                              "add_unitsatisfaction", "view_competency"}, admin)
        self.assertFalse({"delete_employee", "change_competency", "change_agency"} & admin)
        self.assertLessEqual({"access_admin", "view_employee", "change_unitsatisfaction", "change_cycle"}, planner)
        self.assertFalse({"change_employee", "add_unit", "change_position"} & planner)
        self.assertFalse(codenames("asn") | codenames("supervisor"))


class UnitAdminTests(AdminTestCase):
    def test_training_admin_lists_and_searches_only_their_units(self):
        self.assertEqual(self.listed(self.admin_a.user, "tna_unit:index"), {self.top_a, self.sub_a})
        self.assertEqual(self.listed(self.admin_a.user, "tna_unit:index", q="disdik"), {self.top_a})
        page = self.get(self.admin_a.user, "tna_unit:index").content.decode()
        self.assertNotIn("Dinas Kesehatan Beta", page)  # not even in the filters

    def test_filter_by_parent(self):
        self.assertEqual(self.listed(self.superuser, "tna_unit:index", parent=self.top_a.pk), {self.sub_a})
        self.assertEqual(self.listed(self.superuser, "tna_unit:index", agency=self.b.pk), {self.top_b})

    def test_parent_choices_are_the_agencys_units_without_itself(self):
        form = self.get(self.admin_a.user, "tna_unit:edit", self.top_a.pk).context["form"]
        self.assertEqual(list(form.fields["parent"].queryset), [self.sub_a])

    def test_another_agencys_unit_is_not_found(self):
        self.assertEqual(self.get(self.admin_a.user, "tna_unit:edit", self.top_b.pk).status_code, 404)

    def test_unit_loop_and_foreign_parent_are_refused(self):
        self.client.force_login(self.superuser)
        data = {"agency": self.a.pk, "code": self.top_a.code, "name": self.top_a.name, "parent": self.sub_a.pk}
        response = self.client.post(reverse("tna_unit:edit", args=[self.top_a.pk]), data)
        self.assertIn("inside itself", " ".join(response.context["form"].errors["parent"]))
        data["parent"] = self.top_b.pk
        response = self.client.post(reverse("tna_unit:edit", args=[self.top_a.pk]), data)
        self.assertIn("same agency", " ".join(response.context["form"].errors["parent"]))

    def test_training_admin_creates_a_unit_in_their_agency(self):
        self.client.force_login(self.admin_a.user)
        data = {"agency": self.b.pk, "code": "bappeda", "name": "Bappeda Alpha", "parent": ""}
        response = self.client.post(reverse("tna_unit:add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Unit.objects.get(code="bappeda").agency, self.a)  # agency fixed, not the posted one

    def test_planner_may_look_but_not_add(self):
        self.assertEqual(self.get(self.planner_a.user, "tna_unit:index").status_code, 200)
        self.assertEqual(self.get(self.planner_a.user, "tna_unit:inspect", self.top_a.pk).status_code, 200)
        self.assertDenied(self.get(self.planner_a.user, "tna_unit:add"))


class PositionAdminTests(AdminTestCase):
    def post_position(self, position, levels, **fields):
        data = {"agency": position.agency_id, "code": position.code, "name": position.name,
                "job_type": position.job_type, **fields}
        data.update(formset("required_levels", levels, initial=len([r for r in levels if r.get("id")])))
        self.client.force_login(self.admin_a.user)
        return self.client.post(reverse("tna_position:edit", args=[position.pk]), data)

    def test_new_position_gets_the_job_type_defaults(self):
        self.client.force_login(self.admin_a.user)
        data = {"code": "kabid", "name": "Kepala Bidang", "job_type": "administrator",
                **formset("required_levels", [{"competency": str(self.coding.pk), "level": "4", "weight": "2"}])}
        response = self.client.post(reverse("tna_position:add"), data)
        self.assertEqual(response.status_code, 302)
        position = Position.objects.get(code="kabid")
        levels = {r.competency.code: (r.level, r.is_default) for r in position.required_levels.all()}
        self.assertEqual(levels, {"M.01": (3, True), "TK.90": (4, False)})

    def test_editing_a_default_row_makes_it_the_positions_own(self):
        default = RequiredLevel.objects.create(position=self.position_a, competency=self.integrity, level=2)
        response = self.post_position(self.position_a, [
            {"id": str(default.pk), "competency": str(self.integrity.pk), "level": "4", "weight": "1.00"},
        ])
        self.assertEqual(response.status_code, 302)
        default.refresh_from_db()
        self.assertEqual((default.level, default.is_default), (4, False))

    def test_changing_the_job_type_refreshes_default_rows_only(self):
        default = RequiredLevel.objects.create(position=self.position_a, competency=self.integrity, level=2)
        own = RequiredLevelFactory(position=self.position_a, competency=self.coding, level=3)
        response = self.post_position(self.position_a, [
            {"id": str(default.pk), "competency": str(self.integrity.pk), "level": "2", "weight": "1.00"},
            {"id": str(own.pk), "competency": str(self.coding.pk), "level": "3", "weight": "1.00"},
        ], job_type="jpt_pratama")
        self.assertEqual(response.status_code, 302)
        default.refresh_from_db()
        own.refresh_from_db()
        self.assertEqual((default.level, default.is_default), (4, True))
        self.assertEqual(own.level, 3)

    @override_settings(LANGUAGE_CODE="en")
    def test_edit_page_marks_default_rows(self):
        RequiredLevel.objects.create(position=self.position_a, competency=self.integrity, level=2)
        page = self.get(self.admin_a.user, "tna_position:edit", self.position_a.pk).content.decode()
        self.assertIn("Competency standard", page)
        self.assertIn("Job type's default", page.replace("&#x27;", "'"))

    def test_level_outside_1_5_is_refused(self):
        response = self.post_position(self.position_a, [
            {"competency": str(self.coding.pk), "level": "6", "weight": "1.00"},
        ])
        self.assertEqual(response.status_code, 200)
        self.assertFalse(RequiredLevel.objects.filter(position=self.position_a, competency=self.coding).exists())

    def test_listing_filters_by_job_type_and_hides_other_agencies(self):
        listed = self.listed(self.admin_a.user, "tna_position:index")
        self.assertIn(self.position_a, listed)
        self.assertNotIn(self.position_b, listed)
        self.assertEqual(self.listed(self.superuser, "tna_position:index", job_type="pengawas"), {self.position_a})
        self.assertEqual(self.get(self.admin_a.user, "tna_position:edit", self.position_b.pk).status_code, 404)


@override_settings(LANGUAGE_CODE="en")
class CompetencyAdminTests(AdminTestCase):
    def test_everyone_reads_the_dictionary_but_only_superusers_edit_it(self):
        self.assertEqual(self.listed(self.admin_a.user, "tna_competency:index", group="managerial"), {self.integrity})
        page = self.get(self.admin_a.user, "tna_competency:index").content.decode()
        self.assertNotIn(reverse("tna_competency:add"), page)
        self.assertEqual(self.get(self.planner_a.user, "tna_competency:inspect", self.integrity.pk).status_code, 200)
        self.assertDenied(self.get(self.admin_a.user, "tna_competency:edit", self.integrity.pk))
        self.assertDenied(self.get(self.admin_a.user, "tna_competency:add"))

    def test_search_by_code(self):
        self.assertEqual(self.listed(self.admin_a.user, "tna_competency:index", q="TK.90"), {self.coding})

    def test_superuser_creates_a_competency_with_its_levels(self):
        self.client.force_login(self.superuser)
        levels = [{"level": str(n), "descriptor": "Tingkat %d" % n, "descriptor_en": "Level %d" % n}
                  for n in range(1, 6)]
        data = {"code": "TK.91", "name": "Analisis Data", "name_en": "Data analysis", "group": "technical",
                "category": "data_performance", "sort_order": "0", "active": "on", **formset("levels", levels)}
        response = self.client.post(reverse("tna_competency:add"), data)
        self.assertEqual(response.status_code, 302)
        competency = Competency.objects.get(code="TK.91")
        self.assertEqual(list(competency.levels.values_list("level", flat=True)), [1, 2, 3, 4, 5])
        self.assertEqual(competency.levels.get(level=5).descriptor_en, "Level 5")


class CycleAndIkmAdminTests(AdminTestCase):
    def test_training_admin_enters_ikm_for_their_own_units_only(self):
        cycle = CycleFactory(year=2026)
        form = self.get(self.admin_a.user, "tna_unitsatisfaction:add").context["form"]
        self.assertEqual(set(form.fields["unit"].queryset), {self.top_a, self.sub_a})
        self.client.force_login(self.admin_a.user)
        response = self.client.post(reverse("tna_unitsatisfaction:add"),
                                    {"cycle": cycle.pk, "unit": self.top_b.pk, "score": "80"})
        self.assertIn("unit", response.context["form"].errors)
        response = self.client.post(reverse("tna_unitsatisfaction:add"),
                                    {"cycle": cycle.pk, "unit": self.top_a.pk, "score": "81.5"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(UnitSatisfaction.objects.get(unit=self.top_a).score, Decimal("81.5"))

    def test_closed_cycle_and_out_of_range_score_are_refused(self):
        closed = CycleFactory(year=2024, is_open=False)
        self.client.force_login(self.planner_a.user)
        response = self.client.post(reverse("tna_unitsatisfaction:add"),
                                    {"cycle": closed.pk, "unit": self.top_a.pk, "score": "80"})
        self.assertIn("closed", " ".join(response.context["form"].errors["cycle"]))
        response = self.client.post(reverse("tna_unitsatisfaction:add"),
                                    {"cycle": CycleFactory(year=2026).pk, "unit": self.top_a.pk, "score": "12"})
        self.assertIn("score", response.context["form"].errors)
        self.assertFalse(UnitSatisfaction.objects.exists())

    def test_ikm_listing_is_scoped(self):
        cycle = CycleFactory(year=2026)
        UnitSatisfaction.objects.create(cycle=cycle, unit=self.top_a, score=70)
        UnitSatisfaction.objects.create(cycle=cycle, unit=self.top_b, score=90)
        ours = UnitSatisfaction.objects.get(unit=self.top_a)
        self.assertEqual(self.listed(self.planner_a.user, "tna_unitsatisfaction:index"), {ours})

    def test_planner_opens_a_cycle(self):
        self.client.force_login(self.planner_a.user)
        response = self.client.post(reverse("tna_cycle:add"), {"year": "2027", "is_open": "on"})
        self.assertEqual(response.status_code, 302)


class MenuTests(AdminTestCase):
    def test_menu_groups_follow_permissions(self):
        page = self.get(self.superuser, "wagtailadmin_home").content.decode()
        for url_name in ("tna_agency:index", "tna_employee:index", "tna_competency:index", "tna_cycle:index"):
            self.assertIn(reverse(url_name), page)
        page = self.get(self.admin_a.user, "wagtailadmin_home").content.decode()
        self.assertIn(reverse("tna_employee:index"), page)
        self.assertNotIn(reverse("tna_agency:index"), page)
        self.assertDenied(self.get(self.admin_a.user, "tna_agency:index"))
