"""Export of completed training in the national record's (SIASN) terms, for the agency's training admin."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lms.factories import attend
from lms.models.ledger import JpCredit
from lms.national import COLUMNS
from lms.services.completion import session_complete_eligible
from tna.factories import AgencyFactory, EmployeeFactory

from .delivery_scene import held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(participants, meetings, admin):
    for enrollment in participants[:2]:
        attend(enrollment, meetings)
    session_complete_eligible(session=participants[0].session, user=admin.user)
    # Someone of another agency with a credit of their own: never in this agency's export.
    other = EmployeeFactory(agency=AgencyFactory(code="kab-lain"), name="Orang Lain")
    JpCredit.objects.create(employee=other, year=datetime.date.today().year, jp=8, title="Kursus Lain",
                            competency_type="technical", route="KL08", provider="LAN",
                            start_date=datetime.date.today(), end_date=datetime.date.today())
    return participants[:2]


def test_csv_uses_the_national_column_names_and_terms(completed, admin, client):
    client.force_login(admin.user)
    year = datetime.date.today().year
    response = client.get(reverse("lms:national-export"), {"year": year, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="riwayat-kursus-kota-contoh-{year}.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == COLUMNS
    assert sorted(r["nama"] for r in rows) == ["Ani Peserta", "Bayu Peserta"]
    row = next(r for r in rows if r["nip"] == completed[0].employee.nip)
    credit = JpCredit.objects.get(enrollment=completed[0])
    assert row["namaKursus"] == "Pelayanan Prima Dasar"
    assert row["jumlahJam"] == "16"
    assert row["jenisKompetensi"] == "Manajerial"
    assert (row["jalurPengembangan"], row["jenisDiklat"]) == ("KL03", "Pelatihan Teknis")
    assert row["tanggalKursus"] == credit.start_date.strftime("%d-%m-%Y")
    assert row["tanggalSelesaiKursus"] == credit.end_date.strftime("%d-%m-%Y")
    assert row["tahunKursus"] == str(year)
    assert row["nomorSertipikat"] == credit.certificate_number
    assert row["kodeVerifikasi"] == completed[0].certificate.code
    assert "Orang Lain" not in response.content.decode("utf-8-sig")


def test_xlsx_keeps_nips_as_text(completed, admin, client):
    client.force_login(admin.user)
    response = client.get(reverse("lms:national-export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == COLUMNS
    assert len(rows) == 2
    assert {r[0] for r in rows} == {e.employee.nip for e in completed}


def test_other_years_are_left_out(completed, admin, client):
    client.force_login(admin.user)
    response = client.get(reverse("lms:national-export"), {"year": 2001, "format": "csv"})
    assert response.content.decode("utf-8-sig").strip() == ",".join(COLUMNS)


def test_export_page_is_for_training_admins(completed, client, participants):
    client.force_login(participants[0].employee.user)
    assert client.get(reverse("lms:national-export"), {"format": "csv"}).status_code == 403


def test_export_page_names_the_columns(admin, client):
    client.force_login(admin.user)
    text = client.get(reverse("lms:national-export")).content.decode()
    assert "jumlahJam" in text and "nomorSertipikat" in text
