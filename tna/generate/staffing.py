"""Staffing patterns for generated workforces: who heads a unit, who works in it, their titles.

Units are classified from their Indonesian names ("SD Negeri …", "UPTD Puskesmas …", "Dinas
Kependudukan …"), so the patterns also fit agencies imported with ``import_org``. Position codes
are those of ``fixtures/seed_regions.json``; when an agency lacks a code, the generator falls back
to any position of the same job type.
"""

import re

# Unit kinds and the words in a unit's name that reveal them (first match wins).
KIND_PATTERNS = [
    ("school", re.compile(r"^(SD|SMP|SMA|SMK|SLB)\b|^sekolah\b", re.I)),
    ("puskesmas", re.compile(r"\bpuskesmas\b", re.I)),
    ("hospital", re.compile(r"\b(RSUD|rumah sakit)\b", re.I)),
    ("civil_registry", re.compile(r"kependudukan|catatan sipil|pencatatan sipil", re.I)),
    ("service", re.compile(r"pelayanan terpadu|samsat|pendapatan|perizinan", re.I)),
    ("hr", re.compile(r"kepegawaian|\bBKD\b|\bBKPSDM\b", re.I)),
    ("training", re.compile(r"pengembangan sumber daya manusia|\bBPSDM\b", re.I)),
    ("planning", re.compile(r"perencanaan|\bbappeda\b", re.I)),
    ("audit", re.compile(r"inspektorat|inspektur", re.I)),
    ("ict", re.compile(r"komunikasi|informatika", re.I)),
    ("education", re.compile(r"pendidikan", re.I)),
    ("health", re.compile(r"kesehatan", re.I)),
]
# Facilities are never inherited by child units; in flat ones everyone reports to the head.
FACILITY_KINDS = {"school", "puskesmas", "hospital"}
FLAT_KINDS = {"school", "puskesmas"}


def unit_kind(name, parent_kind=None):
    """The staffing kind of a unit from its name; offices inherit their parent's kind."""
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(name):
            return kind
    if parent_kind and parent_kind not in FACILITY_KINDS:
        return parent_kind
    return "office"


def head_position(name, kind, depth):
    """(preferred position code, fallback job types) for the head of a unit."""
    lowered = name.lower()
    if kind == "school":
        return "kepala-sekolah", ["ahli_madya", "pengawas"]
    if kind == "puskesmas":
        return "kepala-puskesmas", ["pengawas", "administrator"]
    if kind == "hospital":
        return "direktur-rsud", ["jpt_pratama", "administrator"]
    if depth == 0:
        if lowered.startswith("sekretariat daerah"):
            return "sekda", ["jpt_madya", "jpt_pratama"]
        if lowered.startswith("inspektorat"):
            return "inspektur", ["jpt_pratama"]
        if lowered.startswith("badan"):
            return "kepala-badan", ["jpt_pratama"]
        return "kepala-dinas", ["jpt_pratama", "jpt_madya"]
    for prefix, code, job_types in [
        ("biro", "kepala-biro", ["jpt_pratama", "administrator"]),
        ("bagian", "kepala-bagian", ["administrator"]),
        ("bidang", "kepala-bidang", ["administrator"]),
        ("sekretariat", "sekretaris", ["administrator"]),
        ("inspektur pembantu", "inspektur-pembantu", ["administrator"]),
        ("upt", "kepala-upt", ["pengawas"]),
        ("seksi", "kepala-seksi", ["pengawas"]),
        ("subbagian", "kepala-subbagian", ["pengawas"]),
    ]:
        if lowered.startswith(prefix):
            return code, job_types
    return None, (["administrator", "pengawas"] if depth == 1 else ["pengawas", "administrator"])


def deputy_positions(name, depth):
    """(administrator code, pengawas code) for the managers inside a unit below its head."""
    lowered = name.lower()
    if lowered.startswith("inspektorat"):
        return "inspektur-pembantu", "kepala-subbagian"
    if lowered.startswith("sekretariat daerah"):
        return "kepala-bagian", "kepala-subbagian"
    if lowered.startswith(("bagian", "biro")):
        return "kepala-bagian", "kepala-subbagian"
    if depth == 0:
        return "sekretaris", "kepala-subbagian"
    return "kepala-bidang", "kepala-seksi"


# Staff mix per unit kind: position code -> relative share.
OFFICE = {
    "pengadministrasi-umum": 30, "pengolah-data": 20, "analis-kebijakan-ahli-pertama": 12,
    "analis-kebijakan-ahli-muda": 8, "bendahara": 6, "pengelola-kepegawaian": 6,
    "pranata-komputer-terampil": 5, "perencana-ahli-pertama": 5, "analis-kebijakan-ahli-madya": 3,
}
STAFF_MIX = {
    "office": OFFICE,
    "education": {**OFFICE, "analis-kebijakan-ahli-pertama": 18, "guru-ahli-madya": 4},
    "health": {**OFFICE, "perawat-ahli-pertama": 8, "dokter-ahli-muda": 3, "apoteker-ahli-pertama": 4},
    "school": {
        "guru-ahli-pertama": 34, "guru-ahli-muda": 30, "guru-ahli-madya": 20,
        "pengadministrasi-umum": 9, "pengolah-data": 5, "bendahara": 2,
    },
    "puskesmas": {
        "perawat-terampil": 24, "perawat-mahir": 12, "bidan-terampil": 20, "dokter-ahli-pertama": 9,
        "dokter-ahli-muda": 2, "apoteker-ahli-pertama": 4, "pengadministrasi-umum": 11,
        "pengolah-data": 8, "operator-layanan": 10,
    },
    "hospital": {
        "perawat-terampil": 28, "perawat-mahir": 14, "perawat-ahli-pertama": 10, "bidan-terampil": 8,
        "dokter-ahli-pertama": 10, "dokter-ahli-muda": 7, "apoteker-ahli-pertama": 4,
        "operator-layanan": 10, "pengadministrasi-umum": 6, "pengolah-data": 3,
    },
    "service": {
        "operator-layanan": 45, "pengolah-data": 18, "pengadministrasi-umum": 17,
        "pranata-komputer-terampil": 8, "analis-kebijakan-ahli-pertama": 8, "bendahara": 4,
    },
    "civil_registry": {
        "operator-layanan": 40, "adminduk-ahli-pertama": 15, "pengolah-data": 15, "pengadministrasi-umum": 15,
        "pranata-komputer-terampil": 10, "bendahara": 5,
    },
    "hr": {
        "analis-sdm-ahli-pertama": 25, "analis-sdm-ahli-muda": 15, "pengelola-kepegawaian": 25,
        "pengadministrasi-umum": 15, "pengolah-data": 10, "pranata-komputer-terampil": 10,
    },
    "training": {
        "widyaiswara-ahli-muda": 25, "analis-sdm-ahli-pertama": 20, "analis-sdm-ahli-muda": 10,
        "pengelola-kepegawaian": 10, "pengadministrasi-umum": 20, "pengolah-data": 10, "pranata-komputer-terampil": 5,
    },
    "planning": {
        "perencana-ahli-pertama": 25, "perencana-ahli-muda": 15, "analis-kebijakan-ahli-muda": 15,
        "pengolah-data": 20, "pengadministrasi-umum": 20, "bendahara": 5,
    },
    "audit": {
        "auditor-ahli-pertama": 35, "auditor-ahli-muda": 20, "pengadministrasi-umum": 20,
        "pengolah-data": 15, "bendahara": 5, "analis-kebijakan-ahli-pertama": 5,
    },
    "ict": {
        "pranata-komputer-ahli-pertama": 25, "pranata-komputer-terampil": 20, "pranata-humas-ahli-pertama": 15,
        "pengolah-data": 20, "pengadministrasi-umum": 20,
    },
}

# How many people a unit of each kind gets relative to an ordinary office.
KIND_SIZE = {
    "school": 2.4, "puskesmas": 2.4, "hospital": 5.0, "service": 1.3, "civil_registry": 1.3, "training": 1.0, "hr": 1.0,
    "planning": 0.8, "audit": 0.8, "ict": 0.8, "education": 0.8, "health": 0.8, "office": 0.8,
}
# Staff per pengawas, and pengawas per administrator, inside office units.
SPAN_PENGAWAS = 12
SPAN_ADMINISTRATOR = 6
# Functional levels senior to a pengawas, who report to the head of their unit instead.
SENIOR_FUNCTIONAL = {"ahli_madya", "ahli_utama"}


def female_share(position_code, job_family):
    """Rough share of women among holders of a position."""
    if position_code.startswith("bidan"):
        return 0.97
    if position_code.startswith("perawat"):
        return 0.72
    if position_code.startswith(("guru", "kepala-sekolah")):
        return 0.66 if position_code.startswith("guru") else 0.45
    return 0.3 if job_family == "managerial" else 0.48


# Share of PPPK among holders of a position family (most PPPK are teachers and health workers).
PPPK_SHARE = {"guru": 0.22, "perawat": 0.15, "bidan": 0.2, "dokter": 0.05, "apoteker": 0.1}
PPPK_SHARE_DEFAULT = 0.05


def pppk_share(position_code, job_family):
    """Probability that someone in this position is PPPK (managers are always PNS)."""
    if job_family == "managerial" or position_code == "kepala-sekolah":
        return 0.0
    return PPPK_SHARE.get(position_code.split("-")[0], PPPK_SHARE_DEFAULT)


# Academic titles as written on Indonesian staff lists: (prefix, suffix options).
TITLES = {
    "guru": ("", [", S.Pd.", ", S.Pd.", ", S.Pd.", ", S.Pd., M.Pd.", ", S.Si.", ", S.Ag."]),
    "kepala-sekolah": ("", [", S.Pd., M.Pd.", ", S.Pd.", ", M.Pd."]),
    "perawat-terampil": ("", [", A.Md.Kep."]),
    "perawat-mahir": ("", [", A.Md.Kep."]),
    "perawat-ahli": ("Ns. ", [", S.Kep."]),
    "bidan": ("", [", A.Md.Keb."]),
    "dokter": ("dr. ", ["", "", ", M.Kes."]),
    "kepala-puskesmas": ("", [", S.K.M.", ", S.K.M., M.Kes."]),
    "direktur-rsud": ("dr. ", [", M.Kes.", ", Sp.PD", ", M.A.R.S."]),
    "apoteker": ("apt. ", [", S.Farm."]),
    "pranata-komputer-terampil": ("", [", A.Md.", ", A.Md.Kom."]),
    "pranata-komputer-ahli": ("", [", S.Kom.", ", S.T."]),
    "auditor": ("", [", S.E.", ", S.Ak.", ", S.E., M.Ak."]),
    "perencana": ("", [", S.T.", ", S.E.", ", S.P.W.K.", ", S.E., M.E."]),
    "analis": ("", [", S.Sos.", ", S.H.", ", S.E.", ", S.I.P.", ", S.A.P."]),
    "adminduk": ("", [", S.Kom.", ", S.T."]),
    "pranata-humas": ("", [", S.I.Kom."]),
    "widyaiswara": ("Dr. ", [", M.Si.", ", M.Pd."]),
    "managerial": ("", [", S.H., M.H.", ", S.E., M.M.", ", S.Sos., M.Si.", ", S.T., M.T.", ", S.I.P., M.A.P.", ", S.STP., M.Si."]),
    "pelaksana": ("", ["", ", S.E.", ", S.Sos.", ", S.Kom.", ", S.H."]),
}


def titles_for(position_code, job_family):
    """(prefix, suffix options) of academic titles typical for a position."""
    for key in sorted(TITLES, key=len, reverse=True):
        if key not in ("managerial", "pelaksana") and position_code.startswith(key):
            return TITLES[key]
    return TITLES["managerial" if job_family == "managerial" else "pelaksana"]


# Grade on entry (CPNS) by education: a degree enters at III/a, a diploma (D3) at II/c, senior
# high school at II/a; a regular promotion comes about every four years.
ENTRY_GRADE_DEGREE, ENTRY_GRADE_DIPLOMA, ENTRY_GRADE_SCHOOL = "III/a", "II/c", "II/a"
YEARS_PER_GRADE = 4
RETIREMENT_AGE = {"jpt_utama": 60, "jpt_madya": 60, "jpt_pratama": 60, "ahli_utama": 65, "ahli_madya": 60}
RETIREMENT_AGE_DEFAULT = 58
