"""Career information pages: promotion and appraisal criteria and the 20-JP right, in plain view."""

from cms.career_content import career_body
from cms.models import CareerInfoPage, HomePage


def test_career_page_shows_criteria_tables_and_the_jp_right(client, agency):
    page = HomePage.objects.get().add_child(instance=CareerInfoPage(
        title="Informasi Karier Kota Contoh", slug="karier-kota-contoh", agency=agency, body=career_body(agency),
    ))
    html = client.get(page.url).content.decode()
    assert "<caption>Predikat kinerja dari hasil kerja dan perilaku kerja</caption>" in html
    assert '<th scope="row">Sangat Baik</th>' in html and '<th scope="row">Butuh Perbaikan</th>' in html
    assert 'class="rights"' in html and "<span>20</span> JP" in html
    assert "paling sedikit 20 JP" in html
    assert "Kota Contoh" in html
