"""Coaching closes two loops: its JP credit shows in the learning record, the JP of the year and the national
export (route NKL01, "Coaching"), and its levels move the next TNA run's observed level for that person."""

import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse

from lms import coaching_evidence
from lms.models.ledger import JpCredit
from lms.selectors.learning import jp_total
from lms.services.coaching import coaching_save
from lms.training_evidence import learning_record
from tna.factories import CycleFactory, RatingFactory
from tna.hooks import coaching_evidence_providers
from tna.models import CompetencyGap
from tna.services.tna_run import run_tna

pytestmark = pytest.mark.django_db


@pytest.fixture
def coached(supervisor, asn, competencies, today):
    """Sari coached Budi for 100 minutes today and saw level 1 in integrity."""
    return coaching_save(coach=supervisor, employee=asn, held_on=today, minutes=100, topic="Integritas di loket",
                         ratings={competencies["integrity"]: 1})


def test_the_credit_is_in_the_learning_record_and_the_years_jp(coached, asn, today, client):
    record = learning_record(asn)
    [training] = record.trainings
    assert (training.title, training.jp, training.route, training.provider) == ("Coaching", 2, "NKL01", "Kota Contoh")
    assert training.competencies == [] and training.certificate_number == ""
    assert jp_total(asn, today.year) == 2
    client.force_login(asn.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("lms:my-training"))
    assert page.status_code == 200 and "Coaching" in page.content.decode()
    data = client.get(reverse("lms:record-json")).json()
    assert any(t["route"] == "NKL01" and t["jp"] == 2 for t in data["trainings"])


def test_the_national_export_names_the_coaching_route(coached, asn, admin, today, client):
    client.force_login(admin.user)
    response = client.get(reverse("lms:national-export"), {"year": today.year, "format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["nip"], row["namaKursus"], row["jumlahJam"]) == (asn.nip, "Coaching", "2")
    assert (row["jalurPengembangan"], row["jenisDiklat"]) == ("NKL01", "Coaching")
    assert row["jenisKompetensi"] == "Manajerial" and row["institusiPenyelenggara"] == "Kota Contoh"
    assert row["kodeVerifikasi"] == ""


def test_lms_hands_the_years_coaching_ratings_to_the_tna(coached, asn, competencies, today, outsider):
    assert coaching_evidence.coaching_evidence in coaching_evidence_providers()
    frame = coaching_evidence.coaching_evidence(cycle=today.year)
    assert frame.to_dict("records") == [
        {"employee_id": asn.pk, "competency_id": competencies["integrity"].pk, "level": 1}]
    assert len(coaching_evidence.coaching_evidence(cycle=today.year + 1)) == 0
    assert len(coaching_evidence.coaching_evidence(cycle=today.year, agency=outsider.agency)) == 0


def test_the_next_tna_run_counts_the_coaching(coached, asn, supervisor, colleague, make_employee, competencies,
                                             today):
    cycle = CycleFactory(year=today.year)
    peers = [colleague, make_employee("Dedi Rekan"), make_employee("Eka Rekan")]
    for competency in (competencies["integrity"], competencies["service"]):
        RatingFactory(cycle=cycle, ratee=asn, rater=supervisor, rater_role="supervisor", competency=competency,
                      level=3)
        for peer in peers:
            RatingFactory(cycle=cycle, ratee=asn, rater=peer, rater_role="peer", competency=competency, level=3)
    run_tna(cycle=cycle)
    integrity = CompetencyGap.objects.get(employee=asn, competency=competencies["integrity"])
    service = CompetencyGap.objects.get(employee=asn, competency=competencies["service"])
    # Four ratings of 3 and the coaching level 1 at half a rating: (12 + 0.5) / 4.5.
    assert integrity.observed_level == round(12.5 / 4.5, 2) and integrity.gap > 0
    assert integrity.reason["coaching"] == {"level": 1}
    assert service.observed_level == 3.0 and "coaching" not in service.reason
    with override_settings(LATIH_COACHING_EVIDENCE_WEIGHT=0):
        run_tna(cycle=cycle)
    integrity = CompetencyGap.objects.get(employee=asn, competency=competencies["integrity"])  # rows are replaced
    assert integrity.observed_level == 3.0 and "coaching" not in integrity.reason
    assert JpCredit.objects.filter(employee=asn).count() == 1  # coaching is not counted as training evidence too
