"""Golongan/ruang (grade) I/a … IV/e with their pangkat names, and job types (docs/domain.md#grades, #job-types)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

PANGKAT = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
GRADES = list(PANGKAT)
GRADE_CHOICES = [(g, "%s (%s)" % (g, p)) for g, p in PANGKAT.items()]


def grade_rank(grade):
    """Position of ``grade`` in the ladder, 0 for I/a up to 16 for IV/e."""
    return GRADES.index(grade)


class JobType(models.TextChoices):
    """Job type and level (UU 20/2023): managerial, functional and pelaksana."""

    JPT_UTAMA = "jpt_utama", _("JPT Utama")
    JPT_MADYA = "jpt_madya", _("JPT Madya")
    JPT_PRATAMA = "jpt_pratama", _("JPT Pratama")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    AHLI_UTAMA = "ahli_utama", _("Fungsional Ahli Utama")
    AHLI_MADYA = "ahli_madya", _("Fungsional Ahli Madya")
    AHLI_MUDA = "ahli_muda", _("Fungsional Ahli Muda")
    AHLI_PERTAMA = "ahli_pertama", _("Fungsional Ahli Pertama")
    PENYELIA = "penyelia", _("Fungsional Penyelia")
    MAHIR = "mahir", _("Fungsional Mahir")
    TERAMPIL = "terampil", _("Fungsional Terampil")
    PEMULA = "pemula", _("Fungsional Pemula")
    PELAKSANA = "pelaksana", _("Pelaksana")


MANAGERIAL_JOB_TYPES = {"jpt_utama", "jpt_madya", "jpt_pratama", "administrator", "pengawas"}
FUNCTIONAL_JOB_TYPES = {"ahli_utama", "ahli_madya", "ahli_muda", "ahli_pertama", "penyelia", "mahir", "terampil", "pemula"}

# Job level across the families, for "at or above someone's level" (docs/domain.md#job-types): the
# equalisation of administrative posts with functional ones (PermenPANRB 17/2021) puts administrator
# beside ahli muda and pengawas beside ahli pertama and penyelia.
JOB_LEVEL = {
    "jpt_utama": 9, "jpt_madya": 8, "jpt_pratama": 7, "ahli_utama": 7, "ahli_madya": 6,
    "administrator": 5, "ahli_muda": 5, "pengawas": 4, "ahli_pertama": 4, "penyelia": 4,
    "mahir": 3, "terampil": 2, "pemula": 1, "pelaksana": 1,
}

# Grades that fit each job type (typical ranges; used by the generator and as an import warning).
GRADE_RANGE = {
    "jpt_utama": ("IV/d", "IV/e"),
    "jpt_madya": ("IV/c", "IV/e"),
    "jpt_pratama": ("IV/b", "IV/d"),
    "administrator": ("III/d", "IV/b"),
    "pengawas": ("III/b", "IV/a"),
    "ahli_utama": ("IV/d", "IV/e"),
    "ahli_madya": ("IV/a", "IV/c"),
    "ahli_muda": ("III/c", "III/d"),
    "ahli_pertama": ("III/a", "III/b"),
    "penyelia": ("III/c", "III/d"),
    "mahir": ("III/a", "III/b"),
    "terampil": ("II/c", "II/d"),
    "pemula": ("II/a", "II/b"),
    "pelaksana": ("II/a", "III/b"),
}


def job_family(job_type):
    """``managerial``, ``functional`` or ``pelaksana`` for a job type code."""
    if job_type in MANAGERIAL_JOB_TYPES:
        return "managerial"
    if job_type in FUNCTIONAL_JOB_TYPES:
        return "functional"
    return "pelaksana"
