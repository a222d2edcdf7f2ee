"""Career information pages: promotion and appraisal criteria and the 20-JP right, in plain view."""

import json

from cms.career_content import career_body, career_body_en
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


def _career_page(agency, **english):
    return HomePage.objects.get().add_child(instance=CareerInfoPage(
        title="Informasi Karier Kota Contoh", slug="karier-kota-contoh", agency=agency,
        intro="<p>Kriteria kenaikan pangkat.</p>", body=career_body(agency), **english,
    ))


def test_career_page_is_indonesian_by_default_and_english_when_chosen(client, agency):
    page = _career_page(
        agency, title_en="Career information at Kota Contoh", intro_en="<p>Criteria for promotion in rank.</p>",
        body_en=career_body_en(agency),
    )
    html = client.get(page.url).content.decode()
    assert "<title>Informasi Karier Kota Contoh · Latih</title>" in html
    assert "<h1>Informasi Karier Kota Contoh</h1>" in html
    assert "Kriteria kenaikan pangkat." in html and "Hak pengembangan kompetensi" in html
    assert "Career information" not in html and "Criteria for promotion" not in html

    client.cookies["django_language"] = "en"
    html = client.get(page.url).content.decode()
    assert "<title>Career information at Kota Contoh · Latih</title>" in html
    assert "<h1>Career information at Kota Contoh</h1>" in html
    assert "Criteria for promotion in rank." in html and "Kriteria kenaikan pangkat." not in html
    assert '<h2 class="block-heading">The right to competency development</h2>' in html
    assert "<caption>Performance rating (predikat) from work results and work behaviour</caption>" in html
    assert "at least 20 JP of competency development a year" in html and "<span>20</span> JP" in html
    assert "Hak pengembangan kompetensi" not in html and "paling sedikit 20 JP" not in html


def test_career_page_without_english_content_falls_back_to_indonesian(client, agency):
    page = _career_page(agency)
    client.cookies["django_language"] = "en"
    html = client.get(page.url).content.decode()
    assert "<title>Informasi Karier Kota Contoh · Latih</title>" in html
    assert "<h1>Informasi Karier Kota Contoh</h1>" in html
    assert "Kriteria kenaikan pangkat." in html
    assert "<caption>Predikat kinerja dari hasil kerja dan perilaku kerja</caption>" in html
    assert "paling sedikit 20 JP" in html


def test_english_demo_content_has_the_same_blocks_as_the_indonesian(agency):
    indonesian, english = json.loads(career_body(agency)), json.loads(career_body_en(agency))
    assert [b["type"] for b in english] == [b["type"] for b in indonesian]
    for id_block, en_block in zip(indonesian, english, strict=True):
        if id_block["type"] == "criteria":
            assert len(en_block["value"]["rows"]) == len(id_block["value"]["rows"])
