"""The enrollment pages as people use them: ask, see, withdraw, approve or reject, answer the invitation."""

import html
import re

import pytest
from django.urls import reverse

from lms.factories import EnrollmentFactory
from lms.links import rsvp_token
from lms.models import Enrollment, EnrollmentStatus, Rsvp
from lms.services.enrollment import enrollment_request

S = EnrollmentStatus


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def page_text(response):
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_ask_for_a_seat_from_the_course_page_link(client, asn, supervisor, session):
    client.force_login(asn.user)
    url = reverse("lms:enrollment-request", args=[session.pk])
    assert url == "/learning/sessions/%d/enrol/" % session.pk
    page = client.get(url)
    assert page.status_code == 200
    assert "Your request goes to Sari Atasan for approval" in page_text(page)
    response = client.post(url, {"note": "Untuk tugas pelayanan"}, follow=True)
    enrollment = Enrollment.objects.get(employee=asn, session=session)
    assert response.redirect_chain[-1][0] == reverse("lms:enrollment-detail", args=[enrollment.pk])
    assert "waiting for your supervisor's approval" in page_text(response)
    again = client.post(url, follow=True)
    assert "You already asked for this session; your place is kept." in page_text(again)
    assert Enrollment.objects.filter(employee=asn).count() == 1


def test_a_clash_is_shown_before_asking_and_refused_when_asking(client, asn, supervisor, course, open_course,
                                                                make_session):
    EnrollmentFactory(employee=asn, session=make_session(course))
    other = make_session(open_course, label="Bentrok")
    client.force_login(asn.user)
    page = client.get(reverse("lms:enrollment-request", args=[other.pk]))
    assert "This session overlaps training you already asked for" in page_text(page)
    response = client.post(reverse("lms:enrollment-request", args=[other.pk]), follow=True)
    assert "overlaps" in page_text(response)
    assert not Enrollment.objects.filter(session=other).exists()


def test_the_supervisor_approves_and_rejects_with_a_reason(client, asn, colleague, supervisor, session):
    mine = enrollment_request(employee=asn, session=session, user=asn.user)
    theirs = enrollment_request(employee=colleague, session=session, user=colleague.user)
    client.force_login(supervisor.user)
    queue = client.get(reverse("lms:enrollment-approvals"))
    assert "Budi Pegawai" in page_text(queue) and "Citra Rekan" in page_text(queue)
    response = client.post(reverse("lms:enrollment-approve", args=[mine.pk]), follow=True)
    assert "Budi Pegawai is approved and has a seat." in page_text(response)
    refused = client.post(reverse("lms:enrollment-reject", args=[theirs.pk]), {"reason": " "}, follow=True)
    assert "Please give the reason for the rejection" in page_text(refused)
    client.post(reverse("lms:enrollment-reject", args=[theirs.pk]), {"reason": "Kuota unit sudah penuh."})
    assert Enrollment.objects.get(pk=theirs.pk).status == S.REJECTED
    assert "No request is waiting for your decision." in page_text(client.get(reverse("lms:enrollment-approvals")))
    again = client.post(reverse("lms:enrollment-approve", args=[theirs.pk]), follow=True)
    assert "cannot be approved" in page_text(again)


def test_the_approvals_page_warns_of_the_unit_falling_below_its_share(client, asn, colleague, head, supervisor,
                                                                      course, open_course, make_session):
    training = make_session(course, capacity=5)
    EnrollmentFactory(employee=colleague, session=make_session(open_course, capacity=5, days=1, start="13:00",
                                                                end="15:00"))
    EnrollmentFactory(employee=head, session=make_session(open_course, capacity=5, days=1, label="Kepala"))
    enrollment_request(employee=asn, session=training, user=asn.user)
    client.force_login(supervisor.user)
    text = page_text(client.get(reverse("lms:enrollment-approvals")))
    assert "BKPSDM would fall below its minimum on duty" in text
    assert "1 of 4 on duty, at least 2 needed (3 in training, this request included)" in text


def test_others_cannot_see_or_decide(client, asn, colleague, session):
    enrollment = enrollment_request(employee=asn, session=session, user=asn.user)
    client.force_login(colleague.user)
    assert client.get(reverse("lms:enrollment-detail", args=[enrollment.pk])).status_code == 404
    assert client.post(reverse("lms:enrollment-approve", args=[enrollment.pk])).status_code == 404
    assert "Budi" not in page_text(client.get(reverse("lms:enrollment-approvals")))


def test_withdraw_from_my_enrollment_page(client, asn, open_session):
    enrollment = enrollment_request(employee=asn, session=open_session, user=asn.user)
    client.force_login(asn.user)
    listing = client.get(reverse("lms:enrollment-list"))
    assert "Digital literacy" in page_text(listing)
    detail = client.get(reverse("lms:enrollment-detail", args=[enrollment.pk]))
    assert "You have a seat in this session." in page_text(detail)
    client.post(reverse("lms:enrollment-cancel", args=[enrollment.pk]), {"reason": "Dinas luar"})
    assert Enrollment.objects.get(pk=enrollment.pk).status == S.CANCELLED


def test_answer_the_invitation_without_signing_in(client, asn, open_session):
    mine = enrollment_request(employee=asn, session=open_session, user=asn.user)
    url = reverse("lms:enrollment-rsvp", args=[rsvp_token(mine)])
    page = client.get(url)
    assert page.status_code == 200 and "I will attend" in page_text(page)
    response = client.post(url, {"answer": "confirmed"}, follow=True)
    assert "You confirmed that you will attend" in page_text(response)
    assert Enrollment.objects.get(pk=mine.pk).rsvp == Rsvp.CONFIRMED
    client.post(url, {"answer": "apologies"})
    assert Enrollment.objects.get(pk=mine.pk).status == S.ENROLLED  # apologies alone keep the seat
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_apologies_can_give_the_seat_to_the_waitlist(client, asn, colleague, make_employee, open_session):
    mine = enrollment_request(employee=asn, session=open_session, user=asn.user)
    enrollment_request(employee=colleague, session=open_session, user=colleague.user)
    eko = make_employee("Eko Menunggu")
    waiting = enrollment_request(employee=eko, session=open_session, user=eko.user)
    url = reverse("lms:enrollment-rsvp", args=[rsvp_token(mine)])
    response = client.post(url, {"answer": "apologies", "release_seat": "1"}, follow=True)
    assert "Your seat is given up" in page_text(response)
    assert Enrollment.objects.get(pk=mine.pk).status == S.CANCELLED
    assert Enrollment.objects.get(pk=waiting.pk).status == S.ENROLLED
