"""An ASN on a phone: open the agency catalogue, filter by category, open a course, see its sessions.

Also checks what a phone user notices: nothing wider than the screen, tap targets of at least
44 px, every asset served by Latih itself (no CDN), the calendar file, the switch to English.
"""

import datetime
import re

import pytest

from cms.models import CataloguePage, HomePage
from courses.factories import CourseFactory, session_for
from tests.conftest import TRANSACTIONAL
from tests.courses.ics_check import parse
from tna.factories import AgencyFactory, CompetencyFactory

pytestmark = [pytest.mark.browser, TRANSACTIONAL]


@pytest.fixture
def catalogue():
    """A WIB agency's catalogue page with two IT courses and one communication course."""
    agency = AgencyFactory(code="kota-contoh", name="Kota Contoh", seat="Contoh", time_zone="Asia/Jakarta")
    page = HomePage.objects.get().add_child(
        instance=CataloguePage(title="Katalog Pelatihan Kota Contoh", slug="katalog-kota-contoh", agency=agency)
    )
    digital = CompetencyFactory(code="TK.01", name="Literasi Digital dan TI", name_en="Digital and IT literacy")
    comm = CompetencyFactory(code="M.03", name="Komunikasi", name_en="Communication", category="communication",
                             group="managerial")
    first_day = datetime.date.today() + datetime.timedelta(days=21)
    first_day += datetime.timedelta(days=-first_day.weekday() % 7)  # a Monday
    excel = CourseFactory(agency=agency, code="excel-data", title="Excel untuk Analisis Data",
                          title_en="Excel for data analysis", category="it_digital", competencies=[(digital, 3)])
    siber = CourseFactory(agency=agency, code="keamanan-siber", title="Keamanan Siber", title_en="Cyber security",
                          category="it_digital", mode="online", competencies=[(digital, 2)])
    speaking = CourseFactory(
        agency=agency, code="public-speaking", title="Berbicara di Depan Publik dan Presentasi untuk Pelayanan",
        title_en="Public speaking", category="communication", cost_per_participant=1_250_000,
        fixed_cost_per_class=5_000_000, competencies=[(comm, 3)],
    )
    session_for(excel, first_day=first_day, days=3)
    session_for(siber, first_day=first_day + datetime.timedelta(days=7), place="", online_url="https://vicon.example.org/x")
    session_for(speaking, first_day=first_day + datetime.timedelta(days=14), weekdays=(1, 3), days=4,
                start="13:30", end="15:30", capacity=20, label="Angkatan I",
                place="Ruang Pelatihan Sekretariat Daerah Kota Contoh, Jl. Jenderal Sudirman No. 1")
    return page


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_user_filters_opens_a_course_and_sees_its_sessions(catalogue, live_server, phone):
    from playwright.sync_api import expect

    requested = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(live_server.url + catalogue.url)

    expect(phone.get_by_role("heading", level=1)).to_have_text("Katalog Pelatihan Kota Contoh")
    expect(phone.locator("html")).to_have_attribute("lang", "id")
    expect(phone.locator(".course-card")).to_have_count(3)
    assert fits_the_screen(phone)

    phone.get_by_label("Kategori").select_option("communication")
    phone.get_by_role("button", name="Tampilkan pelatihan").click()
    expect(phone).to_have_url(re.compile(r"category=communication"))
    expect(phone.get_by_role("status")).to_have_text("1 pelatihan")
    cards = phone.locator(".course-card h2")
    expect(cards).to_have_text(["Berbicara di Depan Publik dan Presentasi untuk Pelayanan"])
    expect(phone.get_by_label("Kategori")).to_have_value("communication")  # the filter stays chosen

    cards.get_by_role("link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Berbicara di Depan Publik dan Presentasi untuk Pelayanan")
    expect(phone.get_by_text("Rp 1.250.000")).to_be_visible()
    sessions = phone.locator("#sessions .session")
    expect(sessions).to_have_count(1)
    expect(sessions.locator(".meetings li")).to_have_count(4)
    expect(sessions.locator(".meetings li").first).to_contain_text("13.30–15.30 WIB")
    expect(sessions).to_contain_text("20 kursi tersisa")
    assert fits_the_screen(phone)

    calendar = sessions.get_by_role("link", name="Tambah ke kalender")
    sign_in = sessions.get_by_role("link", name="Masuk untuk mendaftar")
    for target in (calendar, sign_in):
        expect(target).to_be_visible()
        assert target.bounding_box()["height"] >= 44  # a finger, not a mouse pointer

    response = phone.request.get(live_server.url + calendar.get_attribute("href"))
    assert response.headers["content-type"].startswith("text/calendar")
    events = parse(response.body()).vevent_list
    assert len(events) == 4 and {e.dtstart.value.utcoffset() for e in events} == {datetime.timedelta(hours=7)}

    assert requested and all(url.startswith(live_server.url) for url in requested), requested  # no CDN


def test_switching_to_english_keeps_the_page(catalogue, live_server, phone):
    from playwright.sync_api import expect

    phone.goto(live_server.url + catalogue.url + "excel-data/")
    expect(phone.get_by_role("heading", name="Jadwal mendatang")).to_be_visible()
    phone.locator("summary.menu-button").click()  # on a phone the switch sits in the menu
    phone.get_by_label("Bahasa").select_option("en")
    phone.get_by_role("button", name="Ganti").click()
    expect(phone.get_by_role("heading", name="Upcoming sessions")).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Excel for data analysis")
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert phone.url.endswith("/katalog-kota-contoh/excel-data/")
