"""Write path for the site's per-agency pages: a catalogue page and a career-information page."""

from django.db import transaction

from .career_content import career_body, career_body_en
from .models import CareerInfoPage, CataloguePage, HomePage


@transaction.atomic
def agency_pages_ensure(*, agencies):
    """Give each agency a live catalogue page and career page under the home page (idempotent).

    Returns the number of pages created. Existing pages are left as their editors made them. New
    pages are published through a revision, so their history starts like any page an editor makes.
    """
    home = HomePage.objects.first()
    if home is None:
        raise ValueError("The site has no home page; run the migrations first.")
    created = 0
    have_catalogue = set(CataloguePage.objects.values_list("agency_id", flat=True))
    have_career = set(CareerInfoPage.objects.filter(agency__isnull=False).values_list("agency_id", flat=True))
    for agency in agencies:
        if agency.pk not in have_catalogue:
            _publish(home, CataloguePage(
                title="Katalog Pelatihan %s" % agency.name, slug="katalog-%s" % agency.code, agency=agency,
                intro="<p>Pelatihan yang dibuka %s untuk ASN-nya: pilih kategori, kompetensi, moda atau bulan, "
                      "lalu buka kursus untuk melihat jadwal dan sisa kursi.</p>" % agency.name,
                title_en="Training catalogue of %s" % agency.name,
                intro_en="<p>The training %s offers its civil servants: choose a category, competency, mode or "
                         "month, then open a course to see its dates and the seats left.</p>" % agency.name,
            ))
            created += 1
        if agency.pk not in have_career:
            _publish(home, CareerInfoPage(
                title="Informasi Karier %s" % agency.name, slug="karier-%s" % agency.code, agency=agency,
                intro="<p>Kriteria kenaikan pangkat dan penilaian kinerja, serta hak pengembangan kompetensi "
                      "ASN di %s.</p>" % agency.name,
                body=career_body(agency),
                title_en="Career information at %s" % agency.name,
                intro_en="<p>The criteria for promotion in rank and performance appraisal, and the competency "
                         "development rights of civil servants (ASN) at %s.</p>" % agency.name,
                body_en=career_body_en(agency),
            ))
            created += 1
    return created


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
