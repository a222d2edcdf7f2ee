"""The personal calendar feed: a secret URL without login, listing seats held, revocable at once."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from lms.models import CalendarToken
from lms.services.enrollment import enrollment_cancel, enrollment_request


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def feed(client, token):
    return client.get(reverse("lms:calendar-feed", args=[token]))


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VTIMEZONE"), "the feed carries its time zone"
    return {(str(e["SUMMARY"]), str(e["STATUS"])) for e in calendar.walk("VEVENT")}


def test_the_feed_lists_the_meetings_of_sessions_with_a_seat(client, asn, course, open_course, make_session):
    enrollment_request(employee=asn, session=make_session(open_course, days=2), user=asn.user)
    enrollment_request(employee=asn, session=make_session(course, offset_days=7), user=asn.user)  # awaiting
    client.force_login(asn.user)
    client.post(reverse("lms:calendar-token"), {"action": "create"})
    token = CalendarToken.objects.get(employee=asn).token
    client.logout()
    assert events(feed(client, token)) == {
        ("Digital literacy (Meeting 1/2)", "CONFIRMED"), ("Digital literacy (Meeting 2/2)", "CONFIRMED"),
    }


def test_a_given_up_seat_stays_in_the_feed_as_cancelled(client, asn, open_course, make_session):
    enrollment = enrollment_request(employee=asn, session=make_session(open_course, days=1), user=asn.user)
    token = CalendarToken.objects.create(employee=asn).token
    enrollment_cancel(enrollment=enrollment, user=asn.user)
    assert events(feed(client, token)) == {("[CANCELLED] Digital literacy", "CANCELLED")}


def test_regenerate_and_revoke_end_the_old_link_at_once(client, asn, open_session):
    enrollment_request(employee=asn, session=open_session, user=asn.user)
    client.force_login(asn.user)
    client.post(reverse("lms:calendar-token"), {"action": "create"})
    old = CalendarToken.objects.get(employee=asn).token
    page = client.get(reverse("lms:enrollment-list"))
    assert old in page.content.decode()
    client.post(reverse("lms:calendar-token"), {"action": "regenerate"})
    new = CalendarToken.objects.get(employee=asn).token
    assert new != old
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200
    client.post(reverse("lms:calendar-token"), {"action": "revoke"})
    assert feed(client, new).status_code == 404
    assert not CalendarToken.objects.filter(employee=asn).exists()


def test_an_unknown_token_is_a_404(client, db):
    assert feed(client, "not-a-real-token").status_code == 404
