"""A session's .ics and an agency's feed, as a calendar app downloads them (no login)."""

import pytest
from django.urls import reverse

from courses import services
from courses.factories import CourseFactory, session_for

from .ics_check import components, one, parse


def ics(client, session):
    response = client.get(reverse("courses:session_ics", args=[session.uid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pelayanan-prima-angkatan-i')
    return response.content


def test_session_ics_then_update_then_cancellation(client, session):
    first = parse(ics(client, session))
    uids = [e.uid.value for e in first.vevent_list]
    assert len(uids) == 3 and first.method.value == "PUBLISH"
    assert all(uid.startswith(str(session.uid)) for uid in uids)

    services.session_update(session=session, label="Angkatan I — kelas pagi")  # cosmetic
    assert {e.sequence.value for e in parse(ics(client, session)).vevent_list} == {"0"}

    services.session_update(session=session, place="Ruang Rapat Lantai 2")
    moved = parse(ics(client, session))
    assert [e.uid.value for e in moved.vevent_list] == uids
    assert {e.sequence.value for e in moved.vevent_list} == {"1"}
    assert moved.vevent_list[0].location.value == "Ruang Rapat Lantai 2"

    services.session_cancel(session=session, reason="Narasumber berhalangan")
    data = ics(client, session)
    cancelled = parse(data)
    assert cancelled.method.value == "CANCEL"
    assert [e.uid.value for e in cancelled.vevent_list] == uids
    assert {(e.status.value, e.sequence.value) for e in cancelled.vevent_list} == {("CANCELLED", "2")}
    assert one(components(data)["VTIMEZONE"][0], "TZID") == "Asia/Jakarta"


def test_sessions_of_unpublished_courses_have_no_public_calendar(client, agency):
    draft = CourseFactory(agency=agency, live=False)
    session = session_for(draft)
    assert client.get(reverse("courses:session_ics", args=[session.uid])).status_code == 404


def test_agency_feed_lists_upcoming_and_cancelled_sessions_of_published_courses(client, agency, session, course):
    other = session_for(course, label="Angkatan II")
    services.session_cancel(session=other, reason="Kuota tidak terpenuhi")
    session_for(CourseFactory(agency=agency, live=False))  # a draft's session stays out
    response = client.get(reverse("courses:agency_feed", args=[agency.code]))
    assert response.status_code == 200
    calendar = parse(response.content)
    assert calendar.method.value == "PUBLISH"
    statuses = sorted(e.status.value for e in calendar.vevent_list)
    assert statuses == ["CANCELLED"] * 2 + ["CONFIRMED"] * 3


@pytest.mark.parametrize("url", ["/catalogue/no-such-agency/feed.ics", "/catalogue/sessions/00000000-0000-4000-8000-000000000000.ics"])
def test_unknown_calendars_are_404(client, db, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("tz, name, offset", [("Asia/Makassar", "WITA", "+0800"), ("Asia/Jayapura", "WIT", "+0900")])
def test_a_session_file_is_in_its_agencys_own_zone(client, db, tz, name, offset):
    from tna.factories import AgencyFactory

    agency = AgencyFactory(code="timur", time_zone=tz)
    session = session_for(CourseFactory(agency=agency), days=1, start="08:00", end="12:00")
    data = client.get(reverse("courses:session_ics", args=[session.uid])).content
    found = components(data)
    assert [one(z, "TZID") for z in found["VTIMEZONE"]] == [tz]
    assert (one(found["STANDARD"][0], "TZNAME"), one(found["STANDARD"][0], "TZOFFSETTO")) == (name, offset)
    (event,) = found["VEVENT"]
    assert event["DTSTART"][0][0] == {"TZID": tz} and one(event, "DTSTART").endswith("T080000")
    assert parse(data).vevent.dtstart.value.utcoffset().total_seconds() == int(offset[1:3]) * 3600
