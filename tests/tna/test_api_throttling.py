"""The API's own defaults: sign-in, filters and throttles hold whatever the host site's REST_FRAMEWORK says."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from courses.factories import CourseFactory, session_for
from tna.factories import AgencyFactory, CompetencyFactory, EmployeeFactory
from tna.infra.throttling import AnonThrottle, EnrollmentWriteThrottle, UserThrottle

RATES = {"anon": "3/min", "user": "5/min", "enrollment_write": "2/min"}


def throttled(**rates):
    from django.conf import settings

    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(db):
    return EmployeeFactory(agency=AgencyFactory(code="kota-contoh"))


def test_the_test_suite_itself_is_not_throttled():
    assert AnonThrottle().get_rate() is None and UserThrottle().get_rate() is None


def test_the_anonymous_caller_past_the_rate_gets_429_with_retry_after(client, db):
    with throttled(**RATES):
        answers = [client.get("/api/v1/certificates/NOPE-0000/").status_code for _ in range(3)]
        refused = client.get("/api/v1/certificates/NOPE-0000/")
    assert answers == [404, 404, 404]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]


def test_a_signed_in_user_past_the_rate_gets_429_and_another_user_does_not(client, person, db):
    CompetencyFactory(code="M.01")
    client.force_login(person.user)
    with throttled(**RATES):
        answers = [client.get("/api/v1/competencies/").status_code for _ in range(5)]
        refused = client.get("/api/v1/competencies/")
        other = EmployeeFactory(agency=person.agency)
        client.force_login(other.user)
        fresh = client.get("/api/v1/competencies/")
    assert answers == [200] * 5
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert fresh.status_code == 200


def test_enrollment_writes_have_their_own_stricter_rate(client, person, db):
    course = CourseFactory(agency=person.agency, requires_approval=False, mode="classroom", min_participants=1)
    session = session_for(course, capacity=5)
    client.force_login(person.user)
    with throttled(**RATES):
        writes = [client.post("/api/v1/enrollments/", {"session": session.pk}, content_type="application/json")
                  for _ in range(2)]
        refused = client.post("/api/v1/enrollments/", {"session": session.pk}, content_type="application/json")
        read = client.get("/api/v1/enrollments/")
    assert [w.status_code for w in writes] == [201, 200]  # asked, then "already asked"
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert read.status_code == 200  # reads count against the user rate only


def test_a_site_that_names_no_rates_gets_latihs(db):
    with override_settings(REST_FRAMEWORK={}):
        assert AnonThrottle().get_rate() == "60/min"
        assert UserThrottle().get_rate() == "600/min"
        assert EnrollmentWriteThrottle().get_rate() == "30/min"


def test_without_a_rest_framework_block_the_api_still_asks_for_sign_in_and_filters(client, person, db):
    """DRF's own defaults are AllowAny and no filter backend: Latih's views must not rely on the site."""
    CompetencyFactory(code="M.01", group="managerial")
    CompetencyFactory(code="T.01", group="technical")
    with override_settings(REST_FRAMEWORK={}):
        assert client.get("/api/v1/courses/").status_code == 403
        assert client.get("/api/v1/competencies/").status_code == 403
        client.force_login(person.user)
        page = client.get("/api/v1/competencies/?group=technical").json()
    codes = [c["code"] for c in page["results"]]
    assert "T.01" in codes and "M.01" not in codes
