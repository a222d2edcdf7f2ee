"""Fixtures of the site tests: an agency with a catalogue page and a few published courses."""

import datetime

import pytest

from cms.models import CataloguePage, HomePage
from courses.factories import CourseFactory, session_for
from tna.factories import AgencyFactory, CompetencyFactory


@pytest.fixture
def agency(db):
    return AgencyFactory(code="kota-contoh", name="Kota Contoh", seat="Contoh", time_zone="Asia/Jakarta")


@pytest.fixture
def catalogue_page(agency):
    return HomePage.objects.get().add_child(
        instance=CataloguePage(title="Katalog Pelatihan Kota Contoh", slug="katalog-kota-contoh", agency=agency)
    )


@pytest.fixture
def first_day():
    day = datetime.date.today() + datetime.timedelta(days=21)
    return day + datetime.timedelta(days=-day.weekday() % 7)


@pytest.fixture
def courses(agency, first_day):
    """Three published courses (two IT, one communication) with sessions, and one draft."""
    comm = CompetencyFactory(code="M.03", name="Komunikasi", name_en="Communication", category="communication",
                             group="managerial")
    digital = CompetencyFactory(code="TK.01", name="Literasi Digital dan TI", name_en="Digital and IT literacy")
    excel = CourseFactory(agency=agency, code="excel-data", title="Excel untuk Analisis Data",
                          title_en="Excel for data analysis", category="it_digital", mode="classroom",
                          cost_per_participant=1_750_000, competencies=[(digital, 3)])
    security = CourseFactory(agency=agency, code="keamanan-siber", title="Keamanan Siber", title_en="Cyber security",
                             category="it_digital", mode="online", competencies=[(digital, 2)])
    speaking = CourseFactory(agency=agency, code="public-speaking", title="Berbicara di Depan Publik",
                             title_en="Public speaking", category="communication", mode="classroom",
                             cost_per_participant=1_250_000, fixed_cost_per_class=5_000_000, competencies=[(comm, 3)])
    CourseFactory(agency=agency, code="draf-rahasia", title="Draf Belum Terbit", live=False)
    session_for(excel, first_day=first_day, days=3, capacity=25, label="Angkatan I")
    session_for(security, first_day=first_day + datetime.timedelta(days=35), place="",
                online_url="https://vicon.example.org/siber", label="Daring")
    session_for(speaking, first_day=first_day + datetime.timedelta(days=63), weekdays=(1, 3), days=4,
                start="13:30", end="15:30", capacity=20, label="Angkatan I")
    return {"excel": excel, "security": security, "speaking": speaking}
