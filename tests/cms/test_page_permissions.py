"""An agency's staff edit and publish their own catalogue and career pages, and no other agency's."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cms.career_content import career_body
from cms.models import CareerInfoPage, HomePage
from tna.factories import AgencyFactory, EmployeeFactory


@pytest.fixture
def career_pages(agency):
    home = HomePage.objects.get()
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    pages = {}
    for owner in (agency, other):
        page = home.add_child(instance=CareerInfoPage(
            title="Informasi Karier %s" % owner.name, slug="karier-%s" % owner.code, agency=owner,
            body=career_body(owner),
        ))
        page.save_revision().publish()
        pages[owner.code] = page
    return pages


def edit_form(page, **changes):
    data = {"title": page.title, "slug": page.slug, "intro": rich_text("<p>Pengantar baru.</p>"),
            "body": streamfield([("heading", "Hak pengembangan kompetensi")]), "body_en": streamfield([]),
            "action-publish": "publish"}
    data.update(changes)
    return nested_form_data(data)


@pytest.mark.parametrize("role", ["training_admin", "planner"])
def test_staff_publish_their_own_career_page(client, agency, career_pages, role):
    client.force_login(EmployeeFactory(agency=agency, roles=[role]).user)
    page = career_pages[agency.code]
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = client.get(edit).content.decode()
    assert 'name="agency"' not in html  # only a superuser moves a page to another agency
    client.cookies["django_language"] = "en"
    assert "Our pages" in client.get(reverse("wagtailadmin_home")).content.decode()
    response = client.post(edit, edit_form(page, title="Karier dan Pengembangan ASN Kota Contoh"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    page.refresh_from_db()
    assert page.live and page.title == "Karier dan Pengembangan ASN Kota Contoh" and page.agency == agency
    assert "Karier dan Pengembangan ASN Kota Contoh" in client.get(page.url).content.decode()
    for name in ("delete", "move"):  # editing, not restructuring the site
        assert client.get(reverse("wagtailadmin_pages:" + name, args=[page.pk])).status_code in (302, 403), name


def test_staff_cannot_touch_another_agencys_pages(client, agency, career_pages):
    client.force_login(EmployeeFactory(agency=agency, roles=["training_admin"]).user)
    theirs = career_pages["kab-lain"]
    for name in ("edit", "unpublish", "delete", "move"):
        assert client.get(reverse("wagtailadmin_pages:" + name, args=[theirs.pk])).status_code in (302, 403), name
    client.post(reverse("wagtailadmin_pages:edit", args=[theirs.pk]), edit_form(theirs, title="Diambil alih"))
    theirs.refresh_from_db()
    assert theirs.title == "Informasi Karier Kabupaten Lain"


def test_an_asn_or_a_page_without_agency_gets_no_rights(client, agency, career_pages):
    mine = career_pages[agency.code]
    assert not mine.permissions_for_user(EmployeeFactory(agency=agency, roles=["asn"]).user).can_edit()
    national = HomePage.objects.get().add_child(instance=CareerInfoPage(title="Hak ASN", slug="hak-asn"))
    admin = EmployeeFactory(agency=agency, roles=["training_admin"]).user
    assert not national.permissions_for_user(admin).can_edit()
    assert mine.permissions_for_user(admin).can_publish() and not mine.permissions_for_user(admin).can_delete()
