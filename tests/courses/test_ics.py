"""Calendar files that calendar apps accept: read back by hand (RFC 5545) and by vobject."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from courses.ics import CalendarMeeting, CalendarSession, feed_calendar, meeting_uid, session_calendar

from .ics_check import components, one, parse

STAMP = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.UTC)


def make_session(status="scheduled", sequence=0, tz="Asia/Makassar", cancelled_meeting=None, **kwargs):
    zone = ZoneInfo(tz)
    meetings = tuple(
        CalendarMeeting(n, datetime.datetime(2026, 12, n, 8, tzinfo=zone), datetime.datetime(2026, 12, n, 12, tzinfo=zone),
                        cancelled=n == cancelled_meeting)
        for n in (1, 2, 3)
    )
    defaults = dict(
        uid="2f1c7e1e-0000-4000-8000-000000000001", summary="Pelayanan Prima; sesi panjang, dengan koma dan titik koma",
        tz=tz, sequence=sequence, status=status, meetings=meetings, description="Baris satu\nbaris dua",
        location="Aula BKPSDM, Jl. Jend. Sudirman No. 1, Makassar", url="https://latih.example.org/katalog/pelayanan/",
        organizer_name="BKPSDM Kota Contoh", organizer_email="latih@example.org", categories=("Pelayanan publik",),
    )
    defaults.update(kwargs)
    return CalendarSession(**defaults)


def test_one_event_per_meeting_with_stable_uids_and_the_agency_timezone():
    data = session_calendar(make_session(), domain="latih.example.org", stamp=STAMP)
    found = components(data)
    (calendar,) = found["VCALENDAR"]
    assert one(calendar, "VERSION") == "2.0" and one(calendar, "PRODID")
    assert one(calendar, "METHOD") == "PUBLISH"
    (zone,) = found["VTIMEZONE"]
    assert one(zone, "TZID") == "Asia/Makassar"
    (standard,) = found["STANDARD"]
    assert one(standard, "TZOFFSETTO") == "+0800" and one(standard, "TZNAME") == "WITA"
    events = found["VEVENT"]
    assert [one(e, "UID") for e in events] == [
        meeting_uid("2f1c7e1e-0000-4000-8000-000000000001", n, "latih.example.org") for n in (1, 2, 3)
    ]
    for event in events:
        assert one(event, "DTSTAMP") == "20261123T020000Z"
        assert event["DTSTART"][0][0] == {"TZID": "Asia/Makassar"}
        assert one(event, "SEQUENCE") == "0" and one(event, "STATUS") == "CONFIRMED"
        assert one(event, "LOCATION") == r"Aula BKPSDM\, Jl. Jend. Sudirman No. 1\, Makassar"
    assert one(events[0], "DTSTART") == "20261201T080000"


def test_vobject_reads_the_same_times_and_text():
    calendar = parse(session_calendar(make_session(), domain="latih.example.org", stamp=STAMP))
    events = calendar.vevent_list
    assert len(events) == 3
    start = events[1].dtstart.value
    assert start.utcoffset() == datetime.timedelta(hours=8)
    assert start.astimezone(datetime.UTC) == datetime.datetime(2026, 12, 2, 0, 0, tzinfo=datetime.UTC)
    assert events[0].summary.value.startswith("Pelayanan Prima; sesi panjang, dengan koma")
    assert "Baris satu\nbaris dua" in events[0].description.value
    assert events[0].organizer.value == "mailto:latih@example.org"


@pytest.mark.parametrize("tz, offset, name", [
    ("Asia/Jakarta", "+0700", "WIB"), ("Asia/Makassar", "+0800", "WITA"), ("Asia/Jayapura", "+0900", "WIT"),
])
def test_vtimezone_for_each_indonesian_zone(tz, offset, name):
    found = components(session_calendar(make_session(tz=tz), domain="x", stamp=STAMP))
    (standard,) = found["STANDARD"]
    assert (one(standard, "TZOFFSETFROM"), one(standard, "TZOFFSETTO"), one(standard, "TZNAME")) == (offset, offset, name)


def test_an_update_keeps_the_uids_and_raises_the_sequence():
    before = parse(session_calendar(make_session(sequence=0), domain="x", stamp=STAMP)).vevent_list
    after = parse(session_calendar(make_session(sequence=1, location="Ruang Rapat Lt. 2"), domain="x", stamp=STAMP)).vevent_list
    assert [e.uid.value for e in before] == [e.uid.value for e in after]
    assert {e.sequence.value for e in after} == {"1"}
    assert after[0].location.value == "Ruang Rapat Lt. 2"


def test_a_cancelled_session_is_a_cancellation_not_a_new_event():
    data = session_calendar(make_session(status="cancelled", sequence=2, reason="Narasumber sakit"), domain="x",
                            stamp=STAMP)
    calendar = parse(data)
    assert calendar.method.value == "CANCEL"
    assert {e.status.value for e in calendar.vevent_list} == {"CANCELLED"}
    assert {e.sequence.value for e in calendar.vevent_list} == {"2"}
    assert [e.uid.value for e in calendar.vevent_list] == ["2f1c7e1e-0000-4000-8000-000000000001-%d@x" % n for n in (1, 2, 3)]
    assert "Narasumber sakit" in calendar.vevent_list[0].description.value


def test_a_dropped_meeting_stays_as_cancelled_and_a_postponed_session_is_tentative():
    calendar = parse(session_calendar(make_session(status="postponed", cancelled_meeting=3), domain="x", stamp=STAMP))
    assert calendar.method.value == "PUBLISH"
    assert [e.status.value for e in calendar.vevent_list] == ["TENTATIVE", "TENTATIVE", "CANCELLED"]


def test_a_single_meeting_message_for_mail_invitations():
    calendar = parse(session_calendar(make_session(), domain="x", stamp=STAMP, number=2))
    assert [e.uid.value for e in calendar.vevent_list] == ["2f1c7e1e-0000-4000-8000-000000000001-2@x"]


def test_the_feed_holds_every_zone_and_keeps_cancelled_events():
    sessions = [
        make_session(),
        make_session(uid="2f1c7e1e-0000-4000-8000-000000000002", tz="Asia/Jayapura", status="cancelled", sequence=1),
    ]
    data = feed_calendar(sessions, name="Katalog Kota Contoh", domain="x", stamp=STAMP)
    found = components(data)
    (calendar,) = found["VCALENDAR"]
    assert one(calendar, "METHOD") == "PUBLISH"
    assert one(calendar, "X-WR-CALNAME") == "Katalog Kota Contoh"
    assert one(calendar, "REFRESH-INTERVAL") == "PT12H" and one(calendar, "X-PUBLISHED-TTL") == "PT12H"
    assert sorted(one(z, "TZID") for z in found["VTIMEZONE"]) == ["Asia/Jayapura", "Asia/Makassar"]
    statuses = [one(e, "STATUS") for e in found["VEVENT"]]
    assert statuses == ["CONFIRMED"] * 3 + ["CANCELLED"] * 3
    assert len(parse(data).vevent_list) == 6


def test_a_session_without_meetings_is_refused():
    with pytest.raises(ValueError, match="no meeting"):
        session_calendar(make_session(meetings=()), domain="x")
