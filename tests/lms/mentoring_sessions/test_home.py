"""The ASN's home (Beranda) names their mentoring: the session waiting for them, or the next one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.models import MentoringSession

S = MentoringSession.Status


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def logged(pair, at, make_mentoring_session):
    """Held yesterday, logged by the mentor, waiting for the mentee."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return make_mentoring_session(pair, at(yesterday, "09:00"), confirmed=False, topic="Memo",
                                  mentor_confirmed_at=timezone.now())


def home_of(client, employee):
    client.force_login(employee.user)
    return client.get(reverse("home")).content.decode()


def test_the_mentee_is_asked_to_confirm_and_the_mentor_is_not(client, pair, mentor, mentee, logged):
    page = home_of(client, mentee)
    assert reverse("lms_mentoring:pair", args=[pair.pk]) in page
    assert "1 session to confirm" in page
    page = home_of(client, mentor)
    assert "Mentoring %s in" % mentee.name in page and "session to confirm" not in page


def test_the_next_session_shows_when_nothing_waits(client, pair, mentee, monday, at, make_mentoring_session):
    make_mentoring_session(pair, at(monday, "14:00"), status=S.PLANNED, confirmed=False, topic="Memo")
    page = home_of(client, mentee)
    assert "next session" in page and "14:00" in page


def test_no_block_without_an_active_pair(client, pair, mentee):
    pair.status = pair.Status.PROPOSED
    pair.save(update_fields=["status"])
    assert "All my mentoring" not in home_of(client, mentee)
