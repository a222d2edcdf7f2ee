"""The starting content of an agency's career-information page (Indonesian; editors adapt it).

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
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])
