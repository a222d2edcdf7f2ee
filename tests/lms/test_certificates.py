"""The PDF certificate and the public page where anyone checks a verification code."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lms.certificates import CertificateData, certificate_pdf, normalise_code
from lms.factories import attend
from lms.models.ledger import Certificate
from lms.services.certificates import certificate_revoke
from lms.services.completion import enrollment_complete

from .delivery_scene import held, meetings, participants, service_competency, taught_course


def pdf_text(body):
    assert body.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_certificate_pdf_shows_who_what_when_and_how_to_verify():
    data = CertificateData(
        name="Siti Nurhaliza Ärzte", nip="198503142010012001", course="Pelayanan Prima Dasar", jp=16,
        start_date=datetime.date(2026, 6, 1), end_date=datetime.date(2026, 6, 5), agency="Kota Contoh",
        provider="BKPSDM Kota Contoh", number="SERT/KOTA-CONTOH/2026/000042", code="7KQ4-M2XD-9PRA",
        verify_url="https://latih.example.go.id/learning/certificates/verify/7KQ4-M2XD-9PRA/",
        issued_on=datetime.date(2026, 6, 5), competencies=["M.05 Pelayanan Publik (3)"],
    )
    text = pdf_text(certificate_pdf(data))
    for expected in ("Siti Nurhaliza Ärzte", "198503142010012001", "Pelayanan Prima Dasar", "16 JP", "KOTA CONTOH",
                     "SERT/KOTA-CONTOH/2026/000042", "7KQ4-M2XD-9PRA", "certificates/verify/7KQ4-M2XD-9PRA",
                     "M.05 Pelayanan Publik"):
        assert expected in text, expected


def test_codes_are_read_leniently():
    assert normalise_code(" 7kq4 m2xd-9pra ") == "7KQ4-M2XD-9PRA"
    assert normalise_code("7KQ4M2XD9PRA") == "7KQ4-M2XD-9PRA"
    assert normalise_code("7KQ4-M2XD") is None


@pytest.fixture
def certificate(participants, meetings, admin):
    ani = participants[0]
    attend(ani, meetings)
    enrollment_complete(enrollment=ani, user=admin.user)
    return Certificate.objects.get(enrollment=ani)


@pytest.mark.django_db
def test_anyone_can_verify_a_code_and_sees_little_personal_data(certificate, client):
    response = client.get(reverse("lms:certificate-verify"), {"code": certificate.code.lower().replace("-", " ")})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Valid certificate" in text
    assert "Ani Peserta" in text and "Pelayanan Prima Dasar" in text and "16 JP" in text
    assert certificate.enrollment.employee.nip not in text
    assert "noindex" in text


@pytest.mark.django_db
def test_the_printed_address_opens_the_result(certificate, client):
    response = client.get(reverse("lms:certificate-verify-code", args=[certificate.code]))
    assert "Valid certificate" in response.content.decode()


@pytest.mark.django_db
def test_unknown_and_revoked_codes_say_so(certificate, client, admin):
    response = client.get(reverse("lms:certificate-verify"), {"code": "2222-3333-4444"})
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    certificate_revoke(certificate=certificate, user=admin.user)
    text = client.get(reverse("lms:certificate-verify-code", args=[certificate.code])).content.decode()
    assert "Not valid: this certificate was withdrawn" in text
    assert "Valid certificate" not in text


@pytest.mark.django_db
def test_verify_form_is_public(client):
    response = client.get(reverse("lms:certificate-verify"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


@pytest.mark.django_db
def test_holder_downloads_the_pdf_with_the_verification_url(certificate, client):
    holder = certificate.enrollment.employee
    client.force_login(holder.user)
    response = client.get(reverse("lms:certificate-pdf", args=[certificate.code]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert holder.name in text and holder.nip in text and certificate.code in text
    assert "http://testserver" + reverse("lms:certificate-verify-code", args=[certificate.code]) in text


@pytest.mark.django_db
def test_others_cannot_download_someone_s_certificate(certificate, client, participants, admin):
    client.force_login(participants[1].employee.user)
    assert client.get(reverse("lms:certificate-pdf", args=[certificate.code])).status_code == 404
    client.force_login(admin.user)
    assert client.get(reverse("lms:certificate-pdf", args=[certificate.code])).status_code == 200


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"
