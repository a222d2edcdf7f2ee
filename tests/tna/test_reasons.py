"""Reasons read as plain sentences, in Indonesian (decimal comma) by default and in English."""

from django.utils import translation

from tna.infra.formats import number
from tna.sentences import explain, priority_band

REASON = {
    "required": 3, "observed": 2.14, "gap": 0.86, "confidence": 0.71, "no_evidence": False,
    "signals": ["behaviour_below", "survey_priority_3"], "survey_priority": 3,
    "appraisal": {"results": "meets", "behaviour": "below", "predikat": "Kurang"},
}
RATERS = [
    {"role": "supervisor", "n": 3, "mean": 2.0},
    {"role": "peer", "n": 4, "mean": 2.5},
    {"role": "self", "n": 1, "mean": 3.0},
]


def test_indonesian_reason_reads_like_the_example():
    with translation.override("id"):
        sentences = explain(REASON, RATERS, 70)
    assert sentences[0] == "Dibutuhkan level 3, teramati 2,1 (atasan 2,0; rekan kerja 2,5; diri sendiri 3,0)."
    assert sentences[1] == "Kesenjangan 0,9 level."
    assert sentences[2] == (
        "Prioritas tinggi karena perilaku kerja di bawah ekspektasi dan Anda memintanya di survei (prioritas 3)."
    )


def test_english_reason():
    with translation.override("en"):
        sentences = explain(REASON, RATERS, 70)
    assert sentences[0] == "Required level 3, observed 2.1 (supervisor 2.0; peers 2.5; self 3.0)."
    assert sentences[2] == (
        "High priority because work behaviour is below expectations and you asked for it in the survey (priority 3)."
    )


def test_someone_else_reading_gets_the_third_person():
    with translation.override("id"):
        sentence = explain(REASON, RATERS, 70, own=False)[2]
    assert "yang bersangkutan memintanya di survei (prioritas 3)" in sentence
    assert "Anda" not in sentence


def test_no_evidence_says_no_ratings_yet_and_invents_no_gap():
    reason = {"required": 3, "observed": None, "gap": 0, "confidence": 0, "no_evidence": True, "raters": {}}
    with translation.override("id"):
        assert explain(reason, [], 0) == [
            "Dibutuhkan level 3; belum ada penilaian, jadi kesenjangan belum dapat diperkirakan."
        ]
    with translation.override("en"):
        assert explain(reason, [], 0) == ["Required level 3; no ratings yet, so no gap is estimated."]


def test_appraisal_indicators_ikm_and_low_confidence_are_explained():
    reason = {
        **REASON, "signals": ["low_discipline", "low_ikm", "low_confidence"], "ikm": 61.5,
        "appraisal": {"results": "meets", "behaviour": "meets", "discipline": 2},
        "training": {"n": 1, "level": 3},
    }
    with translation.override("id"):
        sentences = explain(reason, [], 30)
    assert sentences[0] == "Dibutuhkan level 3, teramati 2,1."
    assert "Pelatihan yang sudah diselesaikan (level 3) ikut dihitung sebagai bukti." in sentences[1]
    assert "anggap ini perkiraan" in sentences[1]
    assert sentences[2] == (
        "Prioritas sedang karena disiplin dinilai rendah (2 dari 5) dan indeks kepuasan masyarakat (IKM) "
        "unit Anda rendah (61,5)."
    )


def test_met_level_and_priority_without_signals():
    reason = {**REASON, "observed": 3.4, "gap": 0, "signals": []}
    with translation.override("en"):
        assert explain(reason, [], 0) == ["Required level 3, observed 3.4.", "The required level is met."]
        assert explain({**reason, "gap": 1.2, "observed": 1.8}, [], 55)[2] == (
            "High priority, mainly because of the size of the gap."
        )


def test_bands_and_number_format():
    assert [priority_band(p) for p in (0, 10, 25, 49.9, 50, 100)] == ["", "low", "medium", "medium", "high", "high"]
    with translation.override("id"):
        assert number(2.14) == "2,1"
    with translation.override("en"):
        assert number(2.14) == "2.1"
