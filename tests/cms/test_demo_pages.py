"""ensure_demo_pages: every agency ends up with a live catalogue page and career page, once."""

from cms.demo_pages import ensure_demo_pages
from cms.models import CareerInfoPage, CataloguePage
from tna.factories import AgencyFactory


def test_every_agency_gets_its_pages_once(client, agency):
    AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    result = ensure_demo_pages()
    assert result["created"] == 4
    assert result["catalogues"] == [("kab-lain", "/katalog-kab-lain/"), ("kota-contoh", "/katalog-kota-contoh/")]
    assert result["career"] == [("kab-lain", "/karier-kab-lain/"), ("kota-contoh", "/karier-kota-contoh/")]
    page = CataloguePage.objects.get(agency=agency)
    assert page.live and page.latest_revision is not None  # published like an editor would
    page.title = "Katalog yang disunting"
    page.save_revision().publish()

    assert ensure_demo_pages()["created"] == 0
    assert CataloguePage.objects.get(agency=agency).title == "Katalog yang disunting"
    assert CareerInfoPage.objects.live().count() == 2
    html = client.get("/karier-kota-contoh/").content.decode()
    assert "20 JP" in html and "Kenaikan pangkat" in html
    assert 'href="/katalog-kota-contoh/"' in client.get("/").content.decode()
