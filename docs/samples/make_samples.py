"""Writes the sample import files: one small agency (Kabupaten Pesawaran), 20 people, cycle 2026.

``python docs/samples/make_samples.py`` rewrites the files beside it (deterministic). The ratings
are drawn around the TRUE levels below; Yusuf Maulana adds about two levels to everyone he rates
and self-ratings run half a level high. tests/tna/test_imports_to_gaps.py checks what the
analysis makes of them, so change both together.
"""

import csv
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

OUT = Path(__file__).resolve().parent
AG, AGN = "pesawaran", "Kabupaten Pesawaran"
DOMAIN = "pesawarankab.go.id"

org = [
    ("bkpsdm-bangkom", "Bidang Pengembangan Kompetensi Aparatur", "bkpsdm"),
    ("setda", "Sekretariat Daerah", ""),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", ""),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", ""),
    ("disdukcapil-pendaftaran", "Bidang Pelayanan Pendaftaran Penduduk", "disdukcapil"),
    ("dinkes", "Dinas Kesehatan", ""),
    ("pkm-gedong-tataan", "UPTD Puskesmas Gedong Tataan", "dinkes"),
]
LEVEL_COLS = ["M.03", "M.05", "TK.01", "TK.04", "TK.05"]
positions = [
    ("sekda", "Sekretaris Daerah", "jpt_pratama", {}),
    ("kepala-badan", "Kepala Badan", "jpt_pratama", {}),
    ("kepala-dinas", "Kepala Dinas", "jpt_pratama", {}),
    ("kepala-bidang", "Kepala Bidang", "administrator", {}),
    ("kepala-subbidang", "Kepala Subbidang", "pengawas", {}),
    ("kepala-seksi", "Kepala Seksi Pelayanan", "pengawas", {"M.03": 3, "M.05": 3, "TK.04": 3}),
    ("kepala-puskesmas", "Kepala Puskesmas", "pengawas", {"M.05": 3, "TK.04": 3}),
    ("analis-sdm", "Analis SDM Aparatur Ahli Pertama", "Fungsional Ahli Pertama", {"TK.01": 3, "TK.05": 3}),
    ("operator-adminduk", "Pengadministrasi Kependudukan", "pelaksana", {"M.05": 2, "TK.01": 2, "TK.04": 2}),
    ("perawat", "Perawat Terampil", "terampil", {"M.05": 2, "TK.04": 2}),
]
# id: (name, unit, position, grade, employment, supervisor id, birth, start ym, sex, serial)
P = {
    1: ("Kesuma Wardana", "setda", "sekda", "IV/d", "PNS", None, "19680314", "199303", 1, "002"),
    2: ("Hendra Saputra", "bkpsdm", "kepala-badan", "IV/c", "PNS", 1, "19710822", "199703", 1, "004"),
    3: ("Yuliana Puspita", "disdukcapil", "kepala-dinas", "IV/c", "PNS", 1, "19730105", "199812", 2, "001"),
    4: ("Rudi Hartono", "dinkes", "kepala-dinas", "IV/b", "PNS", 1, "19750927", "200212", 1, "003"),
    5: ("Sri Mulyani Rahayu", "bkpsdm-bangkom", "kepala-bidang", "IV/a", "PNS", 2, "19770411", "200204", 2, "002"),
    6: ("Ahmad Fauzan", "bkpsdm-bangkom", "kepala-subbidang", "III/d", "PNS", 5, "19800619", "200503", 1, "005"),
    7: ("Dewi Anggraini", "bkpsdm-bangkom", "analis-sdm", "III/a", "PNS", 6, "19930207", "201903", 2, "011"),
    8: ("Rizky Ramadhan", "bkpsdm-bangkom", "analis-sdm", "III/b", "PNS", 6, "19910117", "201703", 1, "006"),
    9: ("Nur Aisyah", "bkpsdm-bangkom", "analis-sdm", "III/a", "PNS", 6, "19940725", "202006", 2, "014"),
    10: ("Bambang Sutejo", "disdukcapil-pendaftaran", "kepala-bidang", "IV/a", "PNS", 3, "19760302", "200003", 1, "007"),
    11: ("Joko Prasetyo", "disdukcapil-pendaftaran", "kepala-seksi", "III/c", "PNS", 10, "19820909", "200901", 1, "003"),
    12: ("Siti Khodijah", "disdukcapil-pendaftaran", "operator-adminduk", "II/c", "PNS", 11, "19890516", "201012", 2, "008"),
    13: ("Yusuf Maulana", "disdukcapil-pendaftaran", "operator-adminduk", "II/d", "PNS", 11, "19870130", "200912", 1, "012"),
    14: ("Rina Oktaviani", "disdukcapil-pendaftaran", "operator-adminduk", "II/b", "PNS", 11, "19951023", "201903", 2, "021"),
    15: ("Agus Setiawan", "disdukcapil-pendaftaran", "operator-adminduk", "III/a", "PNS", 11, "19850612", "200803", 1, "009"),
    16: ("Lestari Wulandari", "disdukcapil-pendaftaran", "operator-adminduk", "II/a", "PPPK", 11, "19920408", "202221", 2, "017"),
    17: ("Maria Ulfa", "pkm-gedong-tataan", "kepala-puskesmas", "III/d", "PNS", 4, "19810228", "200603", 2, "004"),
    18: ("Dedi Kurniawan", "pkm-gedong-tataan", "perawat", "II/c", "PNS", 17, "19900803", "201404", 1, "010"),
    19: ("Eka Fitriani", "pkm-gedong-tataan", "perawat", "II/d", "PNS", 17, "19880919", "201203", 2, "013"),
    20: ("Fajar Nugroho", "pkm-gedong-tataan", "perawat", "II/c", "PPPK", 17, "19960111", "202321", 1, "018"),
}
NIP = {i: p[6] + p[7] + str(p[8]) + p[9] for i, p in P.items()}


def email(name):
    return "%s@%s" % (".".join(name.lower().split()[:2]), DOMAIN)


# True level per person and competency rated (what a careful observer would agree on).
TRUE = {
    1: {"M.03": 4.2, "M.07": 3.4, "M.08": 4.0},
    2: {"M.03": 4.0, "M.07": 4.1, "M.08": 4.2},
    3: {"M.03": 4.1, "M.07": 3.9, "M.08": 3.3},
    4: {"M.03": 3.8, "M.07": 4.0, "M.08": 4.1},
    5: {"M.03": 3.5, "M.05": 3.2, "TK.01": 2.4, "TK.05": 3.1},
    6: {"M.03": 2.6, "M.05": 2.5, "TK.01": 2.5, "TK.05": 2.6},
    7: {"M.03": 2.4, "M.05": 2.2, "TK.01": 3.0, "TK.05": 1.6},
    8: {"M.03": 2.5, "M.05": 2.3, "TK.01": 3.8, "TK.05": 3.2},
    9: {"M.03": 1.5, "M.05": 2.2, "TK.01": 3.1, "TK.05": 2.9},
    10: {"M.03": 3.2, "M.05": 3.1, "TK.01": 2.2},
    11: {"M.03": 1.1, "M.05": 2.6, "TK.01": 2.5, "TK.04": 2.2},
    12: {"M.03": 1.8, "M.05": 1.0, "TK.01": 2.2, "TK.04": 2.1},
    13: {"M.03": 2.0, "M.05": 2.1, "TK.01": 2.3, "TK.04": 2.2},
    14: {"M.03": 2.1, "M.05": 2.2, "TK.01": 1.2, "TK.04": 2.0},
    15: {"M.03": 2.4, "M.05": 2.6, "TK.01": 3.0, "TK.04": 2.7},
    16: {"M.03": 1.9, "M.05": 2.0, "TK.01": 2.1, "TK.04": 1.4},
    17: {"M.03": 2.8, "M.05": 3.2, "TK.01": 2.3, "TK.04": 2.4},
    18: {"M.03": 1.7, "M.05": 1.6, "TK.01": 1.8, "TK.04": 2.2},
    19: {"M.03": 2.0, "M.05": 2.3, "TK.01": 2.0, "TK.04": 2.4},
    20: {"M.03": 1.8, "M.05": 2.1, "TK.01": 1.6, "TK.04": 1.3},
}
LENIENT = 13  # Yusuf Maulana rates his colleagues well above what everyone else sees
BIAS = {LENIENT: 2.2}
SELF_BIAS = 0.5

relations = []  # (rater, ratee, role)
for ratee, p in P.items():
    relations.append((ratee, ratee, "self"))
    if p[5]:
        relations.append((p[5], ratee, "supervisor"))
        if ratee not in (13,):  # Yusuf does not rate his own boss
            relations.append((ratee, p[5], "subordinate"))
peers = {
    2: [3, 4], 3: [2, 4], 4: [2, 3],
    7: [8, 9], 8: [7, 9], 9: [7, 8],
    11: [6, 17],
    12: [13, 14, 16], 14: [13, 12], 15: [13, 12], 16: [13, 14, 15], 13: [15, 16],
    18: [19, 20], 19: [18, 20], 20: [18, 19],
}
for ratee, raters in peers.items():
    relations += [(r, ratee, "peer") for r in raters]

rng = random.Random(2026)
ratings = []
for rater, ratee, role in sorted(relations, key=lambda r: (r[1], ["supervisor", "peer", "subordinate", "self"].index(r[2]), r[0])):
    for comp, true in TRUE[ratee].items():
        bias = SELF_BIAS if role == "self" else BIAS.get(rater, 0.0)
        level = round(true + bias + rng.uniform(-0.35, 0.35))
        ratings.append((2026, NIP[ratee], NIP[rater], role, comp, max(1, min(5, level))))

appraisals = {  # results, behaviour, discipline, quality, innovation
    1: ("above", "meets", 5, 4, 4), 2: ("above", "above", 5, 5, 4), 3: ("meets", "meets", 4, 4, 3),
    4: ("meets", "above", 5, 4, 4), 5: ("meets", "meets", 4, 4, 3), 6: ("meets", "meets", 4, 3, 3),
    7: ("meets", "meets", 4, 3, 3), 8: ("above", "meets", 4, 5, 5), 9: ("meets", "meets", 4, 3, ""),
    10: ("meets", "meets", 4, 3, 3), 11: ("meets", "below", 3, 3, 2), 12: ("meets", "meets", 4, 3, ""),
    13: ("meets", "meets", 3, 3, ""), 14: ("meets", "meets", 4, 3, ""), 15: ("above", "above", 5, 4, 4),
    16: ("meets", "meets", 2, 3, ""), 17: ("meets", "meets", 4, 4, 3), 18: ("meets", "meets", 3, 3, ""),
    19: ("meets", "meets", 4, 4, ""), 20: ("below", "meets", 3, 2, ""),
}
survey = [
    (11, "TK.04", 2, "blended", "short_blocks", "mon;tue", "Antrean perekaman KTP-el paling padat awal pekan"),
    (10, "TK.01", 3, "online", "morning", "", "Dashboard SIAK terpusat"),
    (12, "M.05", 2, "classroom", "", "mon", ""),
    (14, "TK.01", 3, "online", "short_blocks", "mon;fri", "Aplikasi Identitas Kependudukan Digital (IKD)"),
    (16, "TK.04", 3, "self_paced", "", "", ""),
    (7, "TK.05", 3, "blended", "full_day", "", "Analisis data kinerja dan e-Kinerja BKN"),
    (9, "M.03", 1, "online", "afternoon", "", ""),
    (18, "M.05", 2, "online", "afternoon", "sat", "Jaga shift"),
    (20, "TK.04", 3, "classroom", "morning", "wed", "Standar pelayanan puskesmas"),
    (1, "M.07", 1, "classroom", "full_day", "", ""),
]

# Training done before Latih, from the agency's records. Most of it lies before the TNA's evidence window
# for 2026 (LATIH_TRAINING_EVIDENCE_YEARS: 2024-2026) or on competencies the person's position does not
# require, so it fills the JP ledger and the record without changing the gaps described in docs/imports.md.
history = [  # id, title, competencies, JP, start, end, provider, route, certificate (dates as records write them)
    (11, "Pelatihan Pelayanan Prima", "M.05;TK.04", 24, "2022-05-09", "2022-05-11", "BPSDM Provinsi Lampung", "KL03",
     "BPSDM.LPG/2022/0457"),
    (11, "Bimbingan Teknis Komunikasi Publik dan Media Sosial", "TK.06", 16, "14/10/2025", "16/10/2025",
     "Dinas Komunikasi dan Informatika Provinsi Lampung", "KL10", ""),
    (12, "Bimtek Aplikasi SIAK Terpusat", "TK.04;TK.01", 32, "20/02/2023", "23/02/2023",
     "Ditjen Dukcapil Kemendagri", "KL10", "470/1234/Dukcapil/2023"),
    (7, "E-Learning Manajemen Waktu bagi ASN", "TK.02", 20, "4 Maret 2025", "28 Maret 2025", "LAN RI", "NKL03", ""),
    (8, "Workshop Analisis Jabatan dan Beban Kerja", "PM.01", 12, "2 Des 2024", "3 Des 2024", "BKN Kantor Regional V",
     "KL07", ""),
    (2, "Seminar Nasional Manajemen Talenta ASN", "M.06", 8, "2023-11-21", "2023-11-21", "Kementerian PANRB", "KL06",
     ""),
    (19, "Pelatihan Pelayanan Kesehatan Prima di Puskesmas", "M.05;TK.04", 30, "2021-08-16", "2021-08-19",
     "Bapelkes Provinsi Lampung", "KL04", "BPK.LPG/2021/112"),
]


def write(name, header, rows):
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


write("org.csv", ["agency", "agency_name", "unit", "unit_name", "parent_unit"], [(AG, AGN, *u) for u in org])
write("positions.csv", ["agency", "position", "position_name", "job_type", *LEVEL_COLS],
      [(AG, c, n, jt, *[lv.get(k, "") for k in LEVEL_COLS]) for c, n, jt, lv in positions])
EMP_HEADER = ["nip", "name", "agency", "unit", "position", "grade", "employment", "supervisor_nip", "email"]
emp_rows = [(NIP[i], p[0], AG, p[1], p[2], p[3], p[4], NIP[p[5]] if p[5] else "", email(p[0])) for i, p in P.items()]
write("employees.csv", EMP_HEADER, emp_rows)
write("ratings.csv", ["cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level"], ratings)
write("appraisals.csv", ["cycle", "nip", "results", "behaviour", "discipline", "quality", "innovation"],
      [(2026, NIP[i], *a) for i, a in appraisals.items()])
write("survey.csv", ["cycle", "nip", "competency", "priority", "mode", "time", "blocked_days", "note"],
      [(2026, NIP[i], *rest) for i, *rest in survey])
write("training_history.csv", ["nip", "course", "title", "competency", "jp", "start", "end", "provider", "route",
                               "certificate"],
      [(NIP[i], "", *rest) for i, *rest in history])

wb = Workbook()
ws = wb.active
ws.title = "Pegawai"
ws.append(EMP_HEADER)
for cell in ws[1]:
    cell.font = Font(bold=True)
for row in emp_rows:
    ws.append(list(row))
# NIP columns as Text, so NIPs typed later are not turned into numbers by Excel.
for col in ("A", "H"):
    for cell in ws[col]:
        cell.number_format = "@"
for col, width in zip("ABCDEFGHI", (21, 22, 12, 24, 19, 7, 11, 21, 36), strict=True):
    ws.column_dimensions[col].width = width
ws.freeze_panes = "A2"
wb.save(OUT / "employees.xlsx")
