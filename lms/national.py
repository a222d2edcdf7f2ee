"""Completed training in the national record's terms (BKN's SIASN riwayat kursus) as CSV or XLSX.

SIASN keeps each training with its hours (JP), competency type, route or training type, provider
institution, start and end date and certificate number (docs/domain.md#national-record). The columns below use the
field names of SIASN's course history (``namaKursus``, ``jumlahJam``, ``institusiPenyelenggara``,
``tanggalKursus``, ``tanggalSelesaiKursus``, ``tahunKursus``, ``nomorSertipikat``), dates as
DD-MM-YYYY as SIASN writes them; ``docs/learning-record.md`` explains each column.
"""

import csv
import io

from tna.infra.xlsx import XLSX_CONTENT_TYPE, safe_cell, workbook_bytes
from tna.models import Employee

from .models.ledger import JpCredit

COLUMNS = [
    "nip", "nama", "namaKursus", "jenisKompetensi", "jalurPengembangan", "jenisDiklat",
    "institusiPenyelenggara", "tanggalKursus", "tanggalSelesaiKursus", "tahunKursus", "jumlahJam",
    "nomorSertipikat", "kodeVerifikasi",
]

# Competency types as the national record names them (PermenPANRB 38/2017 groups).
COMPETENCY_TYPES = {
    "technical": "Teknis",
    "managerial": "Manajerial",
    "socio_cultural": "Sosial Kultural",
    "governmental": "Pemerintahan",
}

# Development routes of PerLAN 10/2018 under their Indonesian names.
ROUTE_NAMES = {
    "KL01": "Pelatihan Struktural Kepemimpinan",
    "KL02": "Pelatihan Manajerial",
    "KL03": "Pelatihan Teknis",
    "KL04": "Pelatihan Fungsional",
    "KL05": "Pelatihan Sosial Kultural",
    "KL06": "Seminar/Konferensi/Sarasehan",
    "KL07": "Workshop atau Lokakarya",
    "KL08": "Kursus",
    "KL09": "Penataran",
    "KL10": "Bimbingan Teknis",
    "KL11": "Sosialisasi",
    "KL12": "Pelatihan Klasikal Lainnya",
    "NKL01": "Coaching",
    "NKL02": "Mentoring",
    "NKL03": "E-Learning",
    "NKL04": "Pelatihan Jarak Jauh",
    "NKL05": "Detasering (Secondment)",
    "NKL06": "Pembelajaran Alam Terbuka (Outbound)",
    "NKL07": "Patok Banding (Benchmarking)",
    "NKL08": "Pertukaran PNS dengan Pegawai Swasta/BUMN/BUMD",
    "NKL09": "Belajar Mandiri (Self Development)",
    "NKL10": "Komunitas Belajar (Community of Practices)",
    "NKL11": "Bimbingan di Tempat Kerja",
    "NKL12": "Magang/Praktik Kerja",
    "NKL13": "Pelatihan Nonklasikal Lainnya",
}

FIELDS = (
    "employee__nip", "employee__name", "title", "competency_type", "route", "provider", "start_date", "end_date",
    "year", "jp", "certificate_number", "enrollment__certificate__code",
)


def credits_for_export(*, agency=None, year=None, employees=None):
    """JP credits of ``agency``'s current staff (every agency when None), of ``year`` if given, as dicts.

    Keys are ``FIELDS``; ordered by NIP and start date. ``employees`` narrows to a queryset of people.
    """
    queryset = JpCredit.objects.all()
    if agency is not None:
        queryset = queryset.filter(employee__in=Employee.objects.filter(agency=agency))
    if employees is not None:
        queryset = queryset.filter(employee__in=employees)
    if year is not None:
        queryset = queryset.filter(year=year)
    return list(queryset.order_by("employee__nip", "start_date", "pk").values(*FIELDS))


def national_rows(credits):
    """Rows (lists in ``COLUMNS`` order) from ``credits_for_export`` dicts."""
    return [
        [
            c["employee__nip"], c["employee__name"], c["title"],
            COMPETENCY_TYPES.get(c["competency_type"], c["competency_type"]),
            c["route"], ROUTE_NAMES.get(c["route"], c["route"]), c["provider"],
            c["start_date"].strftime("%d-%m-%Y"), c["end_date"].strftime("%d-%m-%Y"), c["year"], c["jp"],
            c["certificate_number"], c["enrollment__certificate__code"] or "",
        ]
        for c in credits
    ]


def national_csv(rows) -> bytes:
    """CSV UTF-8 with a BOM (so spreadsheet programs read the letters right), header first.

    Text that a spreadsheet would run as a formula is neutralised as in the XLSX export.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def national_xlsx(rows, *, title="riwayat_kursus") -> bytes:
    """The same table as an XLSX workbook; NIPs stay text so no digit is lost."""
    return workbook_bytes([(title, [COLUMNS], rows)])


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_CONTENT_TYPE}
