"""The starting content of an agency's career-information page, in Indonesian and English (editors adapt it).

Sources: PP 11/2017 (20 JP a year), PP 49/2018 (PPPK, 24 JP), PermenPANRB 6/2022 (SKP and
predikat), PermenPANRB 3/2020 (talent management); promotion rules are given as an example to be
checked against the agency's own regulations.
"""

import json

from django.utils.html import escape


def career_body(agency):
    """StreamField JSON for ``agency``'s career page: rights, appraisal, promotion, talent."""
    name = escape(agency.name)
    blocks = [
        ("heading", "Hak pengembangan kompetensi"),
        ("rights", {
            "title": "Setiap PNS berhak atas paling sedikit 20 JP pengembangan kompetensi setahun",
            "text": "<p>Satu jam pelajaran (JP) sama dengan 45 menit. Hak ini berlaku untuk setiap PNS "
                    "(PP 11/2017); PPPK paling lama 24 JP per tahun masa perjanjian kerja (PP 49/2018). "
                    "Di Latih Anda melihat JP yang sudah Anda peroleh tahun ini dan pelatihan yang menutup "
                    "kesenjangan kompetensi Anda.</p>",
            "jp": 20,
        }),
        ("text", "<p>Pengembangan ditempuh melalui jalur <b>klasikal</b> (pelatihan, seminar, lokakarya, "
                 "kursus, bimbingan teknis, sosialisasi) atau <b>nonklasikal</b> (coaching, mentoring, "
                 "e-learning, pelatihan jarak jauh, magang, belajar mandiri, komunitas belajar). "
                 "Rencana pengembangan instansi disusun dari kesenjangan kompetensi dan hasil penilaian "
                 "kinerja, lalu ditetapkan pimpinan instansi untuk satu tahun anggaran.</p>"),
        ("heading", "Penilaian kinerja (SKP)"),
        ("criteria", {
            "title": "Predikat kinerja dari hasil kerja dan perilaku kerja",
            "rows": [
                {"criterion": "Sangat Baik", "requirement": "Hasil kerja dan perilaku kerja di atas ekspektasi.",
                 "note": "PermenPANRB 6/2022"},
                {"criterion": "Baik", "requirement": "Hasil kerja di atas ekspektasi dengan perilaku kerja sesuai "
                 "ekspektasi, atau hasil kerja sesuai ekspektasi dengan perilaku kerja sesuai atau di atas "
                 "ekspektasi.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Butuh Perbaikan", "requirement": "Hasil kerja di bawah ekspektasi, perilaku kerja "
                 "sesuai atau di atas ekspektasi.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Kurang", "requirement": "Perilaku kerja di bawah ekspektasi, hasil kerja sesuai "
                 "atau di atas ekspektasi.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Sangat Kurang", "requirement": "Hasil kerja dan perilaku kerja di bawah ekspektasi.",
                 "note": "PermenPANRB 6/2022"},
            ],
        }),
        ("text", "<p>Perilaku kerja dinilai dengan nilai dasar <b>BerAKHLAK</b>: Berorientasi Pelayanan, "
                 "Akuntabel, Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif.</p>"),
        ("heading", "Kenaikan pangkat"),
        ("criteria", {
            "title": "Kenaikan pangkat reguler — contoh, sesuaikan dengan ketentuan %s" % name,
            "rows": [
                {"criterion": "Masa kerja", "requirement": "Paling singkat 4 tahun dalam pangkat terakhir.",
                 "note": "PP 99/2000 jo. PP 12/2002"},
                {"criterion": "Kinerja", "requirement": "Predikat kinerja paling rendah Baik dalam 2 tahun "
                 "terakhir.", "note": ""},
                {"criterion": "Jabatan fungsional", "requirement": "Angka kredit yang dipersyaratkan, dari "
                 "konversi predikat kinerja tahunan.", "note": "PermenPANRB 1/2023"},
                {"criterion": "Disiplin", "requirement": "Tidak sedang menjalani hukuman disiplin.",
                 "note": "PP 94/2021"},
            ],
        }),
        ("heading", "Manajemen talenta"),
        ("text", "<p>Kinerja (di bawah, sesuai, di atas ekspektasi) dan potensi (rendah, menengah, tinggi) "
                 "menempatkan setiap ASN pada satu dari sembilan kotak (PermenPANRB 3/2020). ASN berpotensi "
                 "tinggi masuk kelompok rencana suksesi dan diprioritaskan untuk pelatihan kepemimpinan; "
                 "yang lain mendapat coaching, rotasi atau pengembangan kompetensi sesuai kotaknya.</p>"),
        ("text", "<p><i>Halaman ini berisi contoh awal dari Latih. Pengelola kepegawaian %s menyuntingnya "
                 "sesuai peraturan dan kebijakan yang berlaku.</i></p>" % name),
    ]
    return _stream(blocks)


def career_body_en(agency):
    """The English version of ``career_body``: the same blocks in the same order.

    The predikat names stay Indonesian (they are the official terms, and what an appraisal shows),
    with an English gloss.
    """
    name = escape(agency.name)
    blocks = [
        ("heading", "The right to competency development"),
        ("rights", {
            "title": "Every civil servant (PNS) is entitled to at least 20 JP of competency development a year",
            "text": "<p>One lesson hour (JP) is 45 minutes. This right applies to every civil servant (PNS) "
                    "(PP 11/2017); government employees on a work agreement (PPPK) have up to 24 JP for each year "
                    "of their agreement (PP 49/2018). In Latih you can see the JP you have earned this year and "
                    "the training that closes your competency gaps.</p>",
            "jp": 20,
        }),
        ("text", "<p>Development takes place through <b>classical</b> routes (training, seminars, workshops, "
                 "courses, technical guidance, information sessions) or <b>non-classical</b> routes (coaching, "
                 "mentoring, e-learning, distance training, internships, self-study, learning communities). "
                 "The agency's development plan is drawn up from competency gaps and performance appraisal "
                 "results, then adopted by the head of the agency for one budget year.</p>"),
        ("heading", "Performance appraisal (SKP)"),
        ("criteria", {
            "title": "Performance rating (predikat) from work results and work behaviour",
            "rows": [
                {"criterion": "Sangat Baik (very good)", "requirement": "Work results and work behaviour above "
                 "expectations.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Baik (good)", "requirement": "Work results above expectations with work behaviour "
                 "meeting expectations, or work results meeting expectations with work behaviour meeting or "
                 "above expectations.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Butuh Perbaikan (needs improvement)", "requirement": "Work results below "
                 "expectations, work behaviour meeting or above expectations.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Kurang (poor)", "requirement": "Work behaviour below expectations, work results "
                 "meeting or above expectations.", "note": "PermenPANRB 6/2022"},
                {"criterion": "Sangat Kurang (very poor)", "requirement": "Work results and work behaviour below "
                 "expectations.", "note": "PermenPANRB 6/2022"},
            ],
        }),
        ("text", "<p>Work behaviour is assessed against the <b>BerAKHLAK</b> core values: service-oriented, "
                 "accountable, competent, harmonious, loyal, adaptive, collaborative.</p>"),
        ("heading", "Promotion in rank"),
        ("criteria", {
            "title": "Regular promotion in rank — an example; adjust it to the rules of %s" % name,
            "rows": [
                {"criterion": "Length of service", "requirement": "At least 4 years in the current rank.",
                 "note": "PP 99/2000 as amended by PP 12/2002"},
                {"criterion": "Performance", "requirement": "A performance rating of at least Baik (good) in the "
                 "last 2 years.", "note": ""},
                {"criterion": "Functional positions", "requirement": "The required credit points, converted from "
                 "the annual performance rating.", "note": "PermenPANRB 1/2023"},
                {"criterion": "Discipline", "requirement": "Not currently serving a disciplinary penalty.",
                 "note": "PP 94/2021"},
            ],
        }),
        ("heading", "Talent management"),
        ("text", "<p>Performance (below, meeting or above expectations) and potential (low, medium, high) place "
                 "every civil servant (ASN) in one of nine boxes (PermenPANRB 3/2020). Civil servants with high "
                 "potential join the succession-planning pool and are given priority for leadership training; "
                 "the others receive coaching, rotation or competency development suited to their box.</p>"),
        ("text", "<p><i>This page holds a starting example from Latih. The personnel managers of %s edit it to "
                 "match the regulations and policies in force.</i></p>" % name),
    ]
    return _stream(blocks)


def _stream(blocks):
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])
