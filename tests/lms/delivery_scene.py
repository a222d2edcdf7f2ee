"""Fixtures shared by the delivery tests: a five-meeting course held two weeks ago with three participants.

Test modules import the fixtures they use (``from .delivery_scene import held, ...``); the agency,
its people and its training admin come from ``tests/lms/conftest.py``.
"""

import pytest

from courses.factories import CourseFactory
from lms.factories import EnrollmentFactory, attend, held_session
from tna.factories import CompetencyFactory


@pytest.fixture
def service_competency(db):
    return CompetencyFactory(code="M.05", name="Pelayanan Publik", name_en="Public service", group="managerial",
                             category="public_service")


@pytest.fixture
def taught_course(agency, service_competency):
    """16 JP, develops M.05 to level 3, no post-test."""
    return CourseFactory(agency=agency, code="pelayanan-prima-dasar", title="Pelayanan Prima Dasar",
                         title_en="Service excellence basics", category="public_service", mode="classroom",
                         jp=16, route="KL03", max_participants=40, min_participants=1,
                         competencies=[(service_competency, 3)])


@pytest.fixture
def held(taught_course):
    """The course's session, five meetings two weeks ago."""
    return held_session(taught_course, days=5, label="Angkatan I")


@pytest.fixture
def meetings(held):
    return list(held.meetings.order_by("number"))


@pytest.fixture
def participants(make_employee, held):
    """Three enrolled people: Ani, Bayu and Cici (in name order)."""
    return [
        EnrollmentFactory(employee=make_employee(name), session=held)
        for name in ("Ani Peserta", "Bayu Peserta", "Cici Peserta")
    ]


@pytest.fixture
def attended(participants, meetings):
    """Ani came to all five meetings, Bayu to four (80 %), Cici to three (60 %)."""
    ani, bayu, cici = participants
    attend(ani, meetings)
    attend(bayu, meetings[:4])
    attend(bayu, meetings[4:], status="absent")
    attend(cici, meetings[:3])
    return participants
