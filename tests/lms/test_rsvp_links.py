"""Invitation links and calendar feed links cannot be forged, replayed, reused for another purpose or kept forever."""

import datetime
import time
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lms.factories import CalendarTokenFactory, EnrollmentFactory, held_session
from lms.links import RSVP_SALT, rsvp_token
from lms.models import CalendarToken, Enrollment, EnrollmentEvent, EnrollmentStatus, Rsvp
from lms.services.enrollment import enrollment_request

S = EnrollmentStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def rsvp_url(token):
    return reverse("lms:enrollment-rsvp", args=[token])


@pytest.fixture
def invited(asn, open_session):
    """Budi holds a seat in the online-linked session and was sent the invitation."""
    open_session.online_url = "https://meet.contoh.go.id/literasi"
    open_session.save(update_fields=["online_url"])
    return enrollment_request(employee=asn, session=open_session, user=asn.user)


def assert_refused(response, status, *, names_nothing_of):
    """A refusal page: the status, a sentence, and nothing about the person or the session."""
    assert response.status_code == status
    text = response.content.decode()
    assert "This invitation link cannot be used" in text
    enrollment = names_nothing_of
    session = enrollment.session
    for secret in (enrollment.employee.name, enrollment.employee.nip, session.course.title, session.course.title_en,
                   session.online_url, session.place, session.label):
        if secret:
            assert secret not in text, "the refusal page shows %r" % secret
    assert response["Referrer-Policy"] == "no-referrer"


def test_the_genuine_link_shows_the_invitation_and_keeps_the_token_out_of_referrers(client, invited):
    page = client.get(rsvp_url(rsvp_token(invited)))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Budi Pegawai" in text and "https://meet.contoh.go.id/literasi" in text
    # The meeting link leads to another site: the token in this page's address must not go with it.
    assert page["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page["Cache-Control"]


def test_a_token_signed_with_another_key_is_refused(client, invited):
    """What an attacker who knew the old hard-coded development key could make."""
    payload = {"e": invited.pk, "p": invited.employee_id, "s": invited.status}
    for key in ("django-insecure-latih-dev-only", "latih-tests-but-not-this-site"):
        forged = signing.dumps(payload, key=key, salt=RSVP_SALT)
        assert_refused(client.get(rsvp_url(forged)), 404, names_nothing_of=invited)
        response = client.post(rsvp_url(forged), {"answer": "apologies", "release_seat": "1"})
        assert_refused(response, 404, names_nothing_of=invited)
    assert Enrollment.objects.get(pk=invited.pk).status == S.ENROLLED


def test_a_tampered_token_is_refused(client, invited, colleague, open_session):
    token = rsvp_token(invited)
    assert_refused(client.get(rsvp_url(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))), 404,
                   names_nothing_of=invited)
    # Someone else's enrollment id swapped into a genuine token breaks the signature.
    other = enrollment_request(employee=colleague, session=open_session, user=colleague.user)
    value, stamp, signature = token.rsplit(":", 2)
    swapped = signing.dumps({"e": other.pk, "p": other.employee_id, "s": "enrolled"}, salt=RSVP_SALT)
    mixed = "%s:%s:%s" % (swapped.rsplit(":", 2)[0], stamp, signature)
    assert_refused(client.get(rsvp_url(mixed)), 404, names_nothing_of=other)


def test_a_token_made_for_another_purpose_is_refused_and_the_old_kind_of_link_is_dead(client, invited):
    payload = {"e": invited.pk, "p": invited.employee_id, "s": invited.status}
    for salt in ("lms.calendar.feed", "django.contrib.auth.tokens", "lms.enrollment.rsvp"):
        assert_refused(client.get(rsvp_url(signing.dumps(payload, salt=salt))), 404, names_nothing_of=invited)
    # The links sent before this change: the bare id, signed without expiry.
    assert_refused(client.get(rsvp_url(signing.dumps(invited.pk, salt="lms.enrollment.rsvp"))), 404,
                   names_nothing_of=invited)
    # A calendar feed token opens no invitation, and an invitation token opens no feed.
    feed_token = CalendarTokenFactory(employee=invited.employee).token
    assert_refused(client.get(rsvp_url(feed_token)), 404, names_nothing_of=invited)
    assert client.get(reverse("lms:calendar-feed", args=[rsvp_token(invited)])).status_code == 404


def test_a_used_link_cannot_be_replayed(client, invited):
    url = rsvp_url(rsvp_token(invited))
    response = client.post(url, {"answer": "apologies", "release_seat": "1"}, follow=True)
    assert "Your seat is given up" in response.content.decode()
    assert Enrollment.objects.get(pk=invited.pk).status == S.CANCELLED
    events = EnrollmentEvent.objects.filter(enrollment=invited).count()
    replay = client.post(url, {"answer": "apologies", "release_seat": "1"})
    assert_refused(replay, 410, names_nothing_of=invited)
    assert "no longer opens" in replay.content.decode()
    assert EnrollmentEvent.objects.filter(enrollment=invited).count() == events
    assert_refused(client.get(url), 410, names_nothing_of=invited)


def test_a_link_expires_when_its_session_is_over(client, asn, course):
    past = held_session(course, weeks_ago=2, days=2)
    enrollment = EnrollmentFactory(employee=asn, session=past, status=S.ENROLLED)
    response = client.get(rsvp_url(rsvp_token(enrollment)))
    assert_refused(response, 410, names_nothing_of=enrollment)
    assert "has expired" in response.content.decode()
    response = client.post(rsvp_url(rsvp_token(enrollment)), {"answer": "confirmed"})
    assert_refused(response, 410, names_nothing_of=enrollment)
    assert Enrollment.objects.get(pk=enrollment.pk).rsvp == Rsvp.NONE


def test_a_link_stays_open_for_the_grace_period_after_the_end(client, asn, course, settings):
    session = held_session(course, weeks_ago=1, days=1)
    enrollment = EnrollmentFactory(employee=asn, session=session, status=S.ENROLLED)
    ended = timezone.now() - session.ends_at
    settings.LATIH_RSVP_LINK_GRACE_HOURS = ended.total_seconds() / 3600 + 1
    assert client.get(rsvp_url(rsvp_token(enrollment))).status_code == 200
    settings.LATIH_RSVP_LINK_GRACE_HOURS = ended.total_seconds() / 3600 - 1
    assert client.get(rsvp_url(rsvp_token(enrollment))).status_code == 410


def test_a_link_older_than_the_maximum_age_is_refused_even_before_the_session(client, invited, settings):
    settings.LATIH_RSVP_LINK_MAX_DAYS = 30
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
        old = rsvp_token(invited)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 29 * 86400):
        recent = rsvp_token(invited)
    assert_refused(client.get(rsvp_url(old)), 410, names_nothing_of=invited)
    assert client.get(rsvp_url(recent)).status_code == 200


def test_answering_needs_the_pages_csrf_token(invited):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["django_language"] = "en"
    url = rsvp_url(rsvp_token(invited))
    assert browser.post(url, {"answer": "apologies", "release_seat": "1"}).status_code == 403
    assert Enrollment.objects.get(pk=invited.pk).status == S.ENROLLED
    page = browser.get(url)
    csrf = page.context["csrf_token"]
    browser.post(url, {"answer": "confirmed", "csrfmiddlewaretoken": str(csrf)})
    assert Enrollment.objects.get(pk=invited.pk).rsvp == Rsvp.CONFIRMED


def test_only_a_get_or_a_post(client, invited):
    assert client.put(rsvp_url(rsvp_token(invited))).status_code == 405


# --- the calendar feed link ----------------------------------------------------------------------

def test_a_feed_link_nobody_reads_expires_and_reading_keeps_it_alive(client, asn, settings):
    settings.LATIH_CALENDAR_FEED_IDLE_DAYS = 90
    token = CalendarTokenFactory(employee=asn)
    url = reverse("lms:calendar-feed", args=[token.token])
    assert client.get(url).status_code == 200
    assert CalendarToken.objects.get(pk=token.pk).last_used_at is not None
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(days=89))
    assert client.get(url).status_code == 200  # read in time: alive, and the clock starts again
    assert timezone.now() - CalendarToken.objects.get(pk=token.pk).last_used_at < datetime.timedelta(minutes=1)
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(days=91))
    assert client.get(url).status_code == 404


def test_a_new_feed_link_works_and_replacing_it_starts_the_clock_again(client, asn):
    token = CalendarTokenFactory(employee=asn)
    CalendarToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(days=400))
    token.refresh_from_db()
    token.revoke()
    assert client.get(reverse("lms:calendar-feed", args=[token.token])).status_code == 200
