"""Fixtures of the catalogue tests: a published course in a WIB agency and a session of it."""

import datetime

import pytest

from courses.factories import CourseFactory, session_for
from tna.factories import AgencyFactory


@pytest.fixture
def agency(db):
    return AgencyFactory(code="kota-contoh", name="Kota Contoh", seat="Contoh", time_zone="Asia/Jakarta")


@pytest.fixture
def course(agency):
    return CourseFactory(agency=agency, code="pelayanan-prima", title="Pelayanan Prima", title_en="Service excellence",
                         category="public_service", mode="classroom", max_participants=30)


@pytest.fixture
def first_day():
    """A Monday three to four weeks ahead, so tests do not depend on today's weekday."""
    day = datetime.date.today() + datetime.timedelta(days=21)
    return day + datetime.timedelta(days=-day.weekday() % 7)


@pytest.fixture
def session(course, first_day):
    return session_for(course, first_day=first_day, days=3, capacity=25, label="Angkatan I")
