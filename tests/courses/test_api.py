"""The catalogue API: courses/ and sessions/ with the filters agencies script against."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from courses import seats, services
from courses.factories import CourseFactory, session_for
from tna.factories import AgencyFactory, CompetencyFactory, UserFactory


@pytest.fixture
def api(db):
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


@pytest.fixture
def catalogue(agency, first_day):
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    comm = CompetencyFactory(code="M.03", name="Komunikasi", category="communication", group="managerial")
    excel = CourseFactory(agency=agency, code="excel", category="it_digital", mode="classroom", title="Excel Data")
    speak = CourseFactory(agency=agency, code="bicara", category="communication", mode="online",
                          title="Berbicara di depan publik", competencies=[(comm, 3)])
    CourseFactory(agency=agency, code="draf", live=False)
    far = CourseFactory(agency=other, code="jauh", category="communication", mode="classroom", competencies=[(comm, 2)])
    session_for(excel, first_day=first_day, capacity=20)
    session_for(speak, first_day=first_day + datetime.timedelta(days=40), place="", online_url="https://vicon.example.org/x")
    session_for(far, first_day=first_day + datetime.timedelta(days=60))
    return {"excel": excel, "speak": speak, "far": far}


def codes(response):
    assert response.status_code == 200, response.content
    return sorted(item.get("code") or item.get("course_code") for item in response.json()["results"])


def test_signed_in_users_only(db):
    assert APIClient().get("/api/v1/courses/").status_code in (401, 403)


def test_courses_are_published_ones_with_competencies_and_next_session(api, catalogue):
    response = api.get("/api/v1/courses/")
    assert codes(response) == ["bicara", "excel", "jauh"]
    speak = next(c for c in response.json()["results"] if c["code"] == "bicara")
    assert speak["competencies"] == [{"code": "M.03", "name": "Komunikasi", "name_en": speak["competencies"][0]["name_en"], "level": 3}]
    assert speak["agency"] == "kota-contoh" and speak["next_start"]
    assert speak["cost_per_participant"] == 1_250_000


@pytest.mark.parametrize("query, expected", [
    ("category=communication", ["bicara", "jauh"]),
    ("competency=M.03", ["bicara", "jauh"]),
    ("agency=kota-contoh", ["bicara", "excel"]),
    ("mode=online", ["bicara"]),
    ("q=Excel", ["excel"]),
    ("agency=kota-contoh&competency=M.03", ["bicara"]),
])
def test_course_filters(api, catalogue, query, expected):
    assert codes(api.get("/api/v1/courses/?" + query)) == expected


def test_course_date_range_and_seats(api, catalogue, first_day):
    after = (first_day + datetime.timedelta(days=30)).isoformat()
    before = (first_day + datetime.timedelta(days=50)).isoformat()
    assert codes(api.get("/api/v1/courses/?starts_after=%s&starts_before=%s" % (after, before))) == ["bicara"]
    assert codes(api.get("/api/v1/courses/?has_seats=true")) == ["bicara", "excel", "jauh"]


def test_sessions_with_filters_and_seats_left(api, catalogue, first_day):
    response = api.get("/api/v1/sessions/?agency=kota-contoh")
    assert codes(response) == ["bicara", "excel"]
    excel = next(s for s in response.json()["results"] if s["course_code"] == "excel")
    assert (excel["capacity"], excel["seats_taken"], excel["seats_left"]) == (20, 0, 20)
    assert [m["number"] for m in excel["meetings"]] == [1, 2]
    assert excel["ics_url"].endswith("/catalogue/sessions/%s.ics" % excel["uid"])
    assert codes(api.get("/api/v1/sessions/?category=communication")) == ["bicara", "jauh"]
    assert codes(api.get("/api/v1/sessions/?competency=M.03&mode=online")) == ["bicara"]
    day = (first_day + datetime.timedelta(days=60)).isoformat()
    assert codes(api.get("/api/v1/sessions/?starts_after=%s" % day)) == ["jauh"]
    assert codes(api.get("/api/v1/sessions/?starts_before=%s" % first_day.isoformat())) == ["excel"]


def test_has_seats_uses_the_enrollment_hook(api, catalogue):
    from django.db.models import Case, IntegerField, Value, When

    full = catalogue["excel"].sessions.get()
    seats.register_seats_taken(lambda: Case(When(pk=full.pk, then=Value(20)), default=Value(3), output_field=IntegerField()))
    try:
        assert codes(api.get("/api/v1/sessions/?has_seats=true")) == ["bicara", "jauh"]
        assert codes(api.get("/api/v1/sessions/?has_seats=false")) == ["excel"]
        assert codes(api.get("/api/v1/courses/?has_seats=false")) == ["excel"]
    finally:
        seats.register_seats_taken(None)


def test_cancelled_sessions_are_listed_with_their_reason_but_not_as_upcoming(api, catalogue):
    session = catalogue["far"].sessions.get()
    services.session_cancel(session=session, reason="Ditunda ke tahun depan")
    cancelled = api.get("/api/v1/sessions/?status=cancelled").json()["results"]
    assert [(s["course_code"], s["cancel_reason"]) for s in cancelled] == [("jauh", "Ditunda ke tahun depan")]
    assert codes(api.get("/api/v1/sessions/?upcoming=true")) == ["bicara", "excel"]


def test_openapi_documents_the_catalogue_and_swagger_loads_from_our_static_files(api, client, db):
    schema = client.get(reverse("schema")).content.decode()
    assert "/api/v1/courses/" in schema and "/api/v1/sessions/" in schema and "has_seats" in schema
    page = client.get("/api/docs/").content.decode()
    import re

    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/static/drf_spectacular_sidecar/") for a in assets), assets
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    from django.contrib.staticfiles import finders

    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset


def test_the_lists_write_exactly_what_the_serializers_write(api, catalogue):
    """courses/ and sessions/ build their pages from plain rows (course_rows, session_rows) rather than through
    CourseSerializer and SessionSerializer, which stay the contract: the JSON is the same, key for key."""
    import json

    from rest_framework.renderers import JSONRenderer

    from courses.api.serializers import CourseSerializer, SessionSerializer
    from courses.api.views import CourseViewSet, SessionViewSet

    speak = catalogue["speak"]
    speak.prerequisite_courses.add(catalogue["excel"], catalogue["far"])
    speak.save()
    services.session_cancel(session=catalogue["far"].sessions.get(), reason="Banjir")

    for url, view, serializer in (("/api/v1/courses/", CourseViewSet, CourseSerializer),
                                  ("/api/v1/sessions/", SessionViewSet, SessionSerializer)):
        response = api.get(url)
        expected = serializer(view().get_queryset(), many=True, context={"request": response.wsgi_request}).data
        expected = json.loads(JSONRenderer().render(expected))
        assert response.json()["results"] == expected
        assert [list(row) for row in response.json()["results"]] == [list(row) for row in expected]  # key order
