"""Fixtures of the coaching tests: Budi's position requires two competencies; his supervisor Sari coaches him."""

import pytest

from lms.selectors.coaching import agency_today
from tna.factories import AgencyFactory, CompetencyFactory, EmployeeFactory, RequiredLevelFactory


@pytest.fixture
def competencies(position):
    """Two competencies Analis SDM requires at level 3, and one of the dictionary it does not."""
    integrity = CompetencyFactory(code="M.01", name="Integritas", name_en="Integrity", group="managerial")
    service = CompetencyFactory(code="SK.02", name="Pelayanan Publik", name_en="Public service",
                                group="socio_cultural")
    RequiredLevelFactory(position=position, competency=integrity, level=3)
    RequiredLevelFactory(position=position, competency=service, level=3)
    other = CompetencyFactory(code="TK.99", name="Lainnya", name_en="Other")
    return {"integrity": integrity, "service": service, "other": other}


@pytest.fixture
def today(agency):
    """Today where the agency is: the day coaching dates are judged against."""
    return agency_today(agency)


@pytest.fixture
def outsider(db):
    """A supervisor in another agency."""
    return EmployeeFactory(agency=AgencyFactory(code="kab-lain", name="Kabupaten Lain"), name="Orang Lain",
                           roles=["supervisor"])
