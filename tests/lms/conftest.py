"""Fixtures of the lms tests: an agency with a unit, a supervisor and their team, courses and sessions."""

import datetime

import pytest
from django.utils import translation
from django.utils.text import slugify

from courses.factories import CourseFactory, session_for
from tna.factories import AgencyFactory, EmployeeFactory, PositionFactory, UnitFactory


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted as their English msgids; pages check Indonesian where it matters."""
    with translation.override("en"):
        yield


@pytest.fixture
def agency(db):
    return AgencyFactory(code="kota-contoh", name="Kota Contoh", seat="Contoh", time_zone="Asia/Jakarta")


@pytest.fixture
def unit(agency):
    return UnitFactory(agency=agency, code="bkpsdm", name="BKPSDM", min_on_duty_share=0.5)


@pytest.fixture
def position(agency):
    return PositionFactory(agency=agency, code="analis-sdm", name="Analis SDM")


@pytest.fixture
def make_employee(agency, unit, position):
    """``make_employee(name, supervisor=None, roles=(), **fields)``: someone in the unit."""

    def make(name, *, supervisor=None, roles=(), email=None, **fields):
        fields.setdefault("unit", unit)
        return EmployeeFactory(
            name=name, agency=agency, position=position, supervisor=supervisor, roles=list(roles),
            email=email if email is not None else "%s@contoh.go.id" % slugify(name), **fields,
        )

    return make


@pytest.fixture
def head(make_employee):
    """The head of the unit, above the supervisor."""
    return make_employee("Hana Kepala", roles=["supervisor"])


@pytest.fixture
def supervisor(make_employee, head):
    return make_employee("Sari Atasan", supervisor=head, roles=["supervisor"])


@pytest.fixture
def asn(make_employee, supervisor):
    """The person asking for a seat."""
    return make_employee("Budi Pegawai", supervisor=supervisor)


@pytest.fixture
def colleague(make_employee, supervisor):
    return make_employee("Citra Rekan", supervisor=supervisor)


@pytest.fixture
def admin(make_employee, agency):
    """The agency's training admin (in another unit, so the unit's coverage is not about them)."""
    return make_employee("Dewi Admin", roles=["training_admin"],
                         unit=UnitFactory(agency=agency, code="bidang-diklat", name="Bidang Diklat"))


@pytest.fixture
def first_day():
    """A Monday three to four weeks ahead, so tests do not depend on today's weekday."""
    day = datetime.date.today() + datetime.timedelta(days=21)
    return day + datetime.timedelta(days=-day.weekday() % 7)


@pytest.fixture
def course(agency):
    """A classroom course that needs the supervisor's approval."""
    return CourseFactory(agency=agency, code="pelayanan-prima", title="Pelayanan Prima", title_en="Service excellence",
                         category="public_service", mode="classroom", max_participants=60, min_participants=1)


@pytest.fixture
def open_course(agency):
    """A course anyone may join at once (no approval)."""
    return CourseFactory(agency=agency, code="literasi-digital", title="Literasi Digital",
                         title_en="Digital literacy", mode="classroom",
                         requires_approval=False, max_participants=60, min_participants=1)


@pytest.fixture
def make_session(first_day):
    """``make_session(course, capacity=2, offset_days=0, days=2, start="08:00", end="12:00")``."""

    def make(course, *, capacity=2, offset_days=0, days=2, start="08:00", end="12:00", **kwargs):
        return session_for(course, first_day=first_day + datetime.timedelta(days=offset_days), days=days,
                           start=start, end=end, capacity=capacity, label=kwargs.pop("label", "Angkatan I"), **kwargs)

    return make


@pytest.fixture
def session(course, make_session):
    return make_session(course, capacity=2)


@pytest.fixture
def open_session(open_course, make_session):
    return make_session(open_course, capacity=2, offset_days=14)
