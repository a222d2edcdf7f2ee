"""An agency's catalogue page and course pages, as an ASN browsing them would see."""

import datetime
import re

import pytest
from django.utils import formats, timezone

from courses import services
from tna.factories import AgencyFactory, EmployeeFactory, UserFactory


@pytest.fixture(autouse=True)
def english(client):
    """These pages are checked in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"


def titles(response):
    return re.findall(r'<h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


def test_catalogue_lists_published_courses_soonest_first(client, catalogue_page, courses):
    response = client.get(catalogue_page.url)
    assert response.status_code == 200
    assert titles(response) == ["Excel for data analysis", "Cyber security", "Public speaking"]
    html = response.content.decode()
    assert "Draf Belum Terbit" not in html
    assert "Rp 1,750,000" in html and "3 courses" in html
    assert 'href="/katalog-kota-contoh/excel-data/"' in html


@pytest.mark.parametrize("query, expected", [
    ("category=communication", ["Public speaking"]),
    ("competency=TK.01", ["Excel for data analysis", "Cyber security"]),
    ("mode=online", ["Cyber security"]),
    ("q=siber", ["Cyber security"]),
    ("category=it_digital&mode=classroom", ["Excel for data analysis"]),
    ("category=nonsense", ["Excel for data analysis", "Cyber security", "Public speaking"]),
])
def test_filters_and_search(client, catalogue_page, courses, query, expected):
    response = client.get(catalogue_page.url + "?" + query)
    assert titles(response) == expected


def test_month_filter_uses_session_start(client, catalogue_page, courses, first_day):
    month = (first_day + datetime.timedelta(days=63)).strftime("%Y-%m")
    response = client.get(catalogue_page.url + "?month=" + month)
    assert "Public speaking" in titles(response)
    assert 'value="%s" selected' % month in response.content.decode()


def test_filters_stay_selected_and_can_be_cleared(client, catalogue_page, courses):
    html = client.get(catalogue_page.url + "?category=communication").content.decode()
    assert '<option value="communication" selected>' in html
    assert "Clear filters" in html
    assert "No course matches these filters." in client.get(catalogue_page.url + "?q=zzzz").content.decode()


def test_course_page_shows_competencies_sessions_seats_and_calendar(client, catalogue_page, courses):
    response = client.get(catalogue_page.url + "public-speaking/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Public speaking</h1>" in html
    assert "M.03" in html and "Communication" in html and "3/5" in html
    assert "Rp 1,250,000" in html and "Rp 5,000,000" in html
    assert "20 seats left" in html
    session = courses["speaking"].sessions.get()
    assert 'href="/catalogue/sessions/%s.ics"' % session.uid in html
    assert html.count("13:30–15:30 WIB") == 4  # four meetings, Tuesday and Thursday afternoons
    assert 'href="/accounts/login/?next=/katalog-kota-contoh/public-speaking/"' in html  # sign in to enrol


def test_without_lms_enrollment_a_signed_in_asn_sees_no_enrol_button(client, catalogue_page, courses, agency, settings):
    settings.ROOT_URLCONF = "tests.cms.urls_without_lms"
    client.force_login(EmployeeFactory(agency=agency).user)
    html = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert "Sign in to enrol" not in html and ">Enrol<" not in html
    assert "Add to calendar" in html


def test_enrol_button_points_at_lms_enrollment_request(client, catalogue_page, courses, agency, settings):
    settings.ROOT_URLCONF = "tests.cms.urls_with_lms"
    client.force_login(EmployeeFactory(agency=agency).user)
    session = courses["excel"].sessions.get()
    html = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert '<a class="button" href="/lms/enrol/%d/">Enrol</a>' % session.pk in html


def test_only_an_asn_gets_the_enrol_button(client, catalogue_page, courses, settings):
    settings.ROOT_URLCONF = "tests.cms.urls_with_lms"
    client.force_login(UserFactory(is_superuser=True))  # no employee record: nobody to enrol
    html = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert "/lms/enrol/" not in html and "Add to calendar" in html


def test_enrollment_window_is_explained(client, catalogue_page, courses, settings):
    settings.ROOT_URLCONF = "tests.cms.urls_with_lms"
    session = courses["excel"].sessions.get()
    opens = session.starts_at - datetime.timedelta(days=7)
    services.session_update(session=session, enrollment_opens=opens, enrollment_closes=opens + datetime.timedelta(days=3))
    html = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert "Enrollment opens %s." % formats.date_format(opens.astimezone(session.tz), "j M Y") in html
    assert "/lms/enrol/" not in html and "Sign in to enrol" not in html
    services.session_update(session=session, enrollment_opens=None,
                            enrollment_closes=timezone.now() - datetime.timedelta(hours=1))
    html = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert "Enrollment is closed." in html and "Sign in to enrol" not in html


def test_postponed_sessions_say_so_and_cancelled_ones_disappear(client, catalogue_page, courses):
    excel = courses["excel"].sessions.get()
    services.session_postpone(session=excel, reason="Ruang kelas sedang direnovasi")
    services.session_cancel(session=courses["speaking"].sessions.get(), reason="Narasumber berhalangan")
    html = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert "Postponed" in html and "Ruang kelas sedang direnovasi" in html and "New dates will be announced." in html
    html = client.get(catalogue_page.url + "public-speaking/").content.decode()
    assert "No session is scheduled yet." in html
    # On the catalogue's card a postponed session is no "next session": its old date no longer holds.
    card = client.get(catalogue_page.url).content.decode().split(">Excel", 1)[1].split("</li>", 1)[0]
    assert "Next session" not in card and "No session scheduled yet" in card


def test_a_session_under_way_says_so_on_its_card(client, catalogue_page, courses):
    session = courses["excel"].sessions.get()
    now = timezone.now()
    type(session).objects.filter(pk=session.pk).update(starts_at=now - datetime.timedelta(days=1),
                                                      ends_at=now + datetime.timedelta(days=1))
    card = client.get(catalogue_page.url).content.decode().split(">Excel", 1)[1].split("</li>", 1)[0]
    assert "Under way since" in card and "Next session" not in card


def test_drafts_and_other_agencies_courses_are_not_found(client, catalogue_page, courses):
    from courses.factories import CourseFactory

    CourseFactory(agency=AgencyFactory(code="kab-lain"), code="milik-lain")
    assert client.get(catalogue_page.url + "draf-rahasia/").status_code == 404
    assert client.get(catalogue_page.url + "milik-lain/").status_code == 404


def test_feed_route_serves_the_agency_calendar(client, catalogue_page, courses):
    from tests.courses.ics_check import parse

    response = client.get(catalogue_page.url + "feed/")
    assert response["Content-Type"].startswith("text/calendar")
    assert len(parse(response.content).vevent_list) == 3 + 2 + 4  # every meeting of the three sessions
    html = client.get(catalogue_page.url).content.decode()
    assert 'href="webcal://testserver/catalogue/kota-contoh/feed.ics"' in html


def test_indonesian_is_the_default(client, catalogue_page, courses):
    del client.cookies["django_language"]  # no choice made: Indonesian, whatever the browser asks for
    html = client.get(catalogue_page.url + "excel-data/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert '<html lang="id">' in html
    assert "Tambah ke kalender" in html and "Kompetensi yang dikembangkan" in html
    assert "<h1>Excel untuk Analisis Data</h1>" in html


def test_nav_takes_a_signed_in_asn_to_their_agency_catalogue(client, catalogue_page, agency):
    client.force_login(EmployeeFactory(agency=agency).user)
    html = client.get("/").content.decode()
    assert '<a href="/katalog-kota-contoh/">Catalogue</a>' in html
    assert 'href="/katalog-kota-contoh/">Training catalogue</a>' in html


def test_a_longer_catalogue_costs_no_more_queries(client, catalogue_page, courses, agency, first_day):
    """A real agency publishes dozens of courses; the page must not query once per course or session."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from courses.factories import CourseFactory, session_for

    client.get(catalogue_page.url)  # warm caches (site root, content types)
    cache.clear()  # the list rendered afresh both times, not taken from the cache
    with CaptureQueriesContext(connection) as three:
        assert client.get(catalogue_page.url).status_code == 200
    for i in range(12):
        course = CourseFactory(agency=agency, code="tambahan-%d" % i, title="Pelatihan Tambahan %d" % i,
                               category="public_service", competencies=[])
        session_for(course, first_day=first_day + datetime.timedelta(days=7 * i), days=2)
    cache.clear()
    with CaptureQueriesContext(connection) as fifteen:
        response = client.get(catalogue_page.url)
    assert "15 courses" in response.content.decode()
    assert len(fifteen) == len(three), [q["sql"][:120] for q in fifteen.captured_queries]


def test_the_catalogue_page_speaks_the_chosen_language(client, catalogue_page, courses):
    catalogue_page.title_en = "Training catalogue of Kota Contoh"
    catalogue_page.intro = "<p>Pelatihan yang dibuka Kota Contoh.</p>"
    catalogue_page.intro_en = "<p>The training Kota Contoh offers.</p>"
    catalogue_page.save()

    html = client.get(catalogue_page.url).content.decode()
    assert "<title>Training catalogue of Kota Contoh · Latih</title>" in html
    assert "<h1>Training catalogue of Kota Contoh</h1>" in html and "The training Kota Contoh offers." in html
    assert "Pelatihan yang dibuka" not in html
    course = client.get(catalogue_page.url + "excel-data/").content.decode()
    assert '<a href="%s">Training catalogue of Kota Contoh</a>' % catalogue_page.url in course

    del client.cookies["django_language"]
    html = client.get(catalogue_page.url).content.decode()
    assert "<h1>Katalog Pelatihan Kota Contoh</h1>" in html and "Pelatihan yang dibuka Kota Contoh." in html
    assert "Training catalogue of" not in html


def test_without_english_content_the_catalogue_page_stays_indonesian(client, catalogue_page, courses):
    html = client.get(catalogue_page.url).content.decode()
    assert "<title>Katalog Pelatihan Kota Contoh · Latih</title>" in html
    assert "<h1>Katalog Pelatihan Kota Contoh</h1>" in html


def test_the_cached_list_follows_every_change_to_courses_and_sessions(client, catalogue_page, courses):
    """The list is rendered once and then taken from the cache, but never shows what has changed since."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page():  # less what differs on every response (the masked CSRF token, the CSP nonce)
        html = client.get(catalogue_page.url).content.decode()
        return re.sub(r'(value|nonce)="[^"]*"', "", html)

    first = page()
    with CaptureQueriesContext(connection) as again:
        assert page() == first
    prefetch = 'FROM "courses_coursecompetency" WHERE "courses_coursecompetency"."course_id" IN'
    assert not [q for q in again.captured_queries if prefetch in q["sql"]]  # the cards not rendered again

    excel = courses["excel"]
    excel.title_en = "Excel for dashboards"
    excel.save()
    assert titles(client.get(catalogue_page.url))[0] == "Excel for dashboards"

    services.session_cancel(session=excel.sessions.get(), reason="Trainer ill")
    html = client.get(catalogue_page.url).content.decode()
    assert titles(client.get(catalogue_page.url))[-1] == "Excel for dashboards"  # no date any more: last
    assert "No session scheduled yet" in html

    courses["security"].live = False
    courses["security"].save()
    assert titles(client.get(catalogue_page.url)) == ["Public speaking", "Excel for dashboards"]


def test_the_cached_list_is_kept_per_language_and_per_agency(client, catalogue_page, courses, agency):
    from cms.models import CataloguePage, HomePage
    from courses.factories import CourseFactory, session_for

    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain", time_zone="Asia/Makassar")
    page = HomePage.objects.get().add_child(
        instance=CataloguePage(title="Katalog Kabupaten Lain", slug="katalog-kab-lain", agency=other))
    session_for(CourseFactory(agency=other, code="arsip", title="Kearsipan", title_en="Records management"))

    assert titles(client.get(catalogue_page.url)) == ["Excel for data analysis", "Cyber security", "Public speaking"]
    assert titles(client.get(page.url)) == ["Records management"]
    client.cookies["django_language"] = "id"
    assert titles(client.get(catalogue_page.url)) == ["Excel untuk Analisis Data", "Keamanan Siber",
                                                      "Berbicara di Depan Publik"]
    assert titles(client.get(page.url)) == ["Kearsipan"]
