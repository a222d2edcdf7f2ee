"""The succession page at /karier/suksesi/: key positions with candidates ranked ready now, ready in 1–2
years and not yet, the positions without a ready successor first, scoped to the agency of HR and the talent
committee, refused to everyone else, in a number of queries that does not grow with the workforce; and the
readiness rule itself (lms.succession, pure), one candidate at a time and ranked in bulk."""

import numpy as np
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.factories import CourseFactory
from lms import succession
from lms.career import MET, MISSING, UNKNOWN
from lms.models import JpCredit
from lms.succession import NOT_YET, READY_NOW, READY_SOON
from tna.factories import (
    AgencyFactory,
    AppraisalFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
    UserFactory,
)

from .recommend_scene import competency, gap

URL = "/karier/suksesi/"


def evidence(person, cycles, levels, predikat=("meets", "meets")):
    """Observed ``levels`` ({competency: level}) in the latest cycle and appraisals in both cycles (latest
    with ``predikat`` as (results, behaviour), the one before Baik)."""
    latest, before = cycles
    for comp, level in levels.items():
        gap(person, comp, cycle=latest, required=1, observed=level, priority=0)
    AppraisalFactory(cycle=latest, employee=person, results=predikat[0], behaviour=predikat[1])
    AppraisalFactory(cycle=before, employee=person, results="meets", behaviour="meets")


@pytest.fixture
def scene(agency, unit, make_employee):
    year = timezone.localdate().year
    cycles = (CycleFactory(year=year), CycleFactory(year=year - 1))
    integrity = competency("M.01", "Integritas", "Integrity")
    communication = competency("M.03", "Komunikasi", "Communication")
    health = UnitFactory(agency=agency, code="dinkes", name="Dinas Kesehatan")
    kasi = PositionFactory(agency=agency, code="kasi-mutasi", name="Kepala Seksi Mutasi", job_type="pengawas",
                           is_key=True)
    RequiredLevelFactory(position=kasi, competency=integrity, level=3)
    RequiredLevelFactory(position=kasi, competency=communication, level=2)
    kabid = PositionFactory(agency=agency, code="kabid-yankes", name="Kepala Bidang Pelayanan Kesehatan",
                            job_type="administrator", is_key=True)
    RequiredLevelFactory(position=kabid, competency=integrity, level=4)
    hana = EmployeeFactory(agency=agency, unit=unit, position=kasi, name="Hana Kepala Seksi", grade="III/d")
    EmployeeFactory(agency=agency, unit=health, position=kabid, name="Iwan Kepala Bidang", grade="IV/a")
    evidence(hana, cycles, {integrity: 3.0, communication: 3.0})
    rina = make_employee("Rina Siap")
    evidence(rina, cycles, {integrity: 3.0, communication: 2.0})
    pkp = CourseFactory(agency=agency, code="pkp-1", leadership_programme="pkp", jp=120)
    today = timezone.localdate()
    JpCredit.objects.create(employee=rina, course=pkp, year=today.year, jp=120, title="PKP Angkatan I",
                            competency_type="managerial", route="KL01", provider="BPSDM", start_date=today,
                            end_date=today)
    sari = make_employee("Sari Segera")
    evidence(sari, cycles, {integrity: 2.0, communication: 2.0})
    tono = make_employee("Tono Belum")
    evidence(tono, cycles, {integrity: 1.0, communication: 1.0})
    udin = make_employee("Udin Kurang")
    evidence(udin, cycles, {integrity: 3.0, communication: 2.0}, predikat=("meets", "below"))
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    other_key = PositionFactory(agency=other, code="kasi-lain", name="Kepala Seksi Lain", job_type="pengawas",
                                is_key=True)
    EmployeeFactory(agency=other, position=other_key, name="Pejabat Lain")
    outsider = EmployeeFactory(agency=other, name="Calon Lain", roles=["training_admin"])
    evidence(outsider, cycles, {integrity: 5.0, communication: 5.0})
    return {"kasi": kasi, "kabid": kabid, "hana": hana, "rina": rina, "sari": sari, "tono": tono, "udin": udin,
            "health": health, "other": other, "outsider": outsider, "cycles": cycles, "integrity": integrity,
            "communication": communication}


@pytest.fixture
def hr(make_employee):
    return make_employee("Dewi Admin", roles=["training_admin"])


def open_page(client, who, **params):
    """GET the page as ``who`` (an employee or a user), in English."""
    client.force_login(getattr(who, "user", who))
    client.cookies["django_language"] = "en"
    return client.get(URL, params)


def entry_of(response, position):
    return next(e for e in response.context["board"] if e.position == position)


def names(entry, level):
    return [c.name for c in entry.candidates[level]]


def test_candidates_are_ranked_ready_now_in_one_to_two_years_and_not_yet(client, scene, hr):
    response = open_page(client, hr)
    assert response.status_code == 200
    kasi = entry_of(response, scene["kasi"])
    assert [h.name for h in kasi.holders] == ["Hana Kepala Seksi"]
    assert names(kasi, "ready_now") == ["Rina Siap"]
    assert names(kasi, "ready_1_2_years") == ["Sari Segera"]
    assert set(names(kasi, "not_yet")) >= {"Tono Belum", "Udin Kurang"}
    sari = kasi.candidates["ready_1_2_years"][0]
    assert sari.gaps == ["M.01 Integrity: 2.0 of level 3", "PKP (Pelatihan Kepemimpinan Pengawas) not completed"]
    udin = next(c for c in kasi.candidates["not_yet"] if c.name == "Udin Kurang")
    assert udin.gaps == ["an appraisal below Baik", "PKP (Pelatihan Kepemimpinan Pengawas) not completed"]
    assert kasi.candidates["ready_now"][0].gaps == []
    html = response.content.decode()
    assert "M.01 Integrity: 2.0 of level 3" in html


def test_a_key_position_without_a_ready_successor_is_flagged_first(client, scene, hr):
    response = open_page(client, hr)
    assert [e.position for e in response.context["without_successor"]] == [scene["kabid"]]
    kabid = entry_of(response, scene["kabid"])
    # The pengawas holding the key seksi is the kabid's candidate: 1 level short of integrity 4.
    assert names(kabid, "ready_1_2_years") == ["Hana Kepala Seksi"] and kabid.ready_now == 0
    html = response.content.decode()
    headline = html.index("Key positions without a successor ready now")
    assert headline < html.index('id="position-%d"' % scene["kasi"].pk)
    assert '<a href="#position-%d">Kepala Bidang Pelayanan Kesehatan</a>' % scene["kabid"].pk in html


def test_another_agency_is_never_visible(client, scene, hr):
    html = open_page(client, hr, agency="kab-lain").content.decode()
    for name in ("Kepala Seksi Lain", "Pejabat Lain", "Calon Lain"):
        assert name not in html
    theirs = open_page(client, scene["outsider"].user, agency="kota-contoh")
    assert [e.position.name for e in theirs.context["board"]] == ["Kepala Seksi Lain"]
    assert "Rina Siap" not in theirs.content.decode() and "Kepala Seksi Mutasi" not in theirs.content.decode()


def test_the_unit_filter_keeps_the_key_positions_held_there(client, scene, hr):
    response = open_page(client, hr, unit=scene["health"].pk)
    assert [e.position for e in response.context["board"]] == [scene["kabid"]]
    other_unit = UnitFactory(agency=scene["other"], code="lain", name="Unit Lain")
    assert open_page(client, hr, unit=other_unit.pk).status_code == 404
    assert open_page(client, hr, unit="x").status_code == 404


@pytest.mark.parametrize("roles, status", [
    ((), 403), (("supervisor",), 403), (("planner",), 403), (("training_admin",), 200), (("talent_committee",), 200),
])
def test_only_hr_and_the_talent_committee_open_it(client, scene, make_employee, roles, status):
    person = make_employee("Penguji Akses", roles=list(roles))
    assert open_page(client, person).status_code == status


def test_the_asn_is_refused(client, scene):
    assert open_page(client, scene["rina"].user).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_superuser_chooses_the_agency(client, scene):
    boss = UserFactory(is_superuser=True)
    response = open_page(client, boss, agency="kab-lain")
    assert [e.position.name for e in response.context["board"]] == ["Kepala Seksi Lain"]
    assert "Kota Contoh" in response.content.decode()  # in the agency chooser
    assert entry_of(open_page(client, boss, agency="kota-contoh"), scene["kasi"]).ready_now == 1
    assert open_page(client, boss, agency="nowhere").status_code == 404


def test_queries_do_not_grow_with_the_candidates(client, scene, hr, make_employee):
    client.force_login(hr.user)
    client.get(URL)  # the first request of a session writes it
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(12):
        person = make_employee("Calon Tambahan %d" % i)
        evidence(person, scene["cycles"], {scene["integrity"]: 2.0 + i % 3, scene["communication"]: 2.0})
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_the_succession_url_name():
    assert reverse("lms_career:succession") == URL


# --- the readiness rule (lms.succession, pure) ---------------------------------------------------

def test_ready_now_needs_no_shortfall_a_good_appraisal_and_the_programme():
    ready = succession.succession_readiness({1: 3, 2: 2}, {1: 3.0, 2: 2.5}, MET, programme="pkp",
                                            programme_done=True)
    assert ready.level == READY_NOW and ready.shortfall == 0
    without = succession.succession_readiness({1: 3, 2: 2}, {1: 3.0, 2: 2.5}, MET, programme="pkp")
    assert without.level == READY_SOON
    assert succession.readiness_gaps(without, {}) == ["PKP (Pelatihan Kepemimpinan Pengawas) not completed"]


def test_near_shortfall_is_ready_in_one_to_two_years_unless_an_appraisal_is_below():
    soon = succession.succession_readiness({1: 3, 2: 3}, {1: 2.0, 2: 2.5}, UNKNOWN)
    assert soon.level == READY_SOON and soon.shortfall == 1.5
    assert succession.readiness_gaps(soon, {1: "M.01 Integritas", 2: "M.02 Kerjasama"}) == [
        "M.01 Integritas: 2.0 of level 3", "M.02 Kerjasama: 2.5 of level 3", "not enough appraisal history"]
    assert succession.succession_readiness({1: 3, 2: 3}, {1: 2.0, 2: 2.5}, MISSING).level == NOT_YET
    assert succession.succession_readiness({1: 3, 2: 3}, {1: 1.0, 2: 2.5}, MET).level == NOT_YET


def test_a_competency_without_evidence_counts_its_whole_level():
    readiness = succession.succession_readiness({1: 2, 2: 3}, {1: 2.0}, MET)
    assert readiness.shortfall == 3 and readiness.level == NOT_YET
    assert succession.succession_readiness({1: 2, 2: 2}, {1: 2.0}, MET).level == READY_SOON


def test_ranking_many_agrees_with_one_at_a_time_and_orders_by_readiness():
    rng = np.random.default_rng(7)
    required = {1: 3, 2: 2, 3: 4}
    ids = list(range(100, 160))
    levels = rng.choice([np.nan, 1.0, 2.0, 2.5, 3.0, 4.0, 5.0], size=(len(ids), 3))
    observed = pd.DataFrame(levels, index=pd.Index(ids, name="employee_id"), columns=[1, 2, 3])
    appraisal = pd.Series(rng.choice([MET, MISSING, UNKNOWN], size=len(ids)), index=ids)
    done = pd.Series(rng.random(len(ids)) < 0.5, index=ids)
    observed.iloc[-3:] = [3.0, 2.0, 4.5]  # a few who meet every level, two of them with all else in place
    appraisal.iloc[-2:] = MET
    done.iloc[-2:] = True
    ranked = succession.rank_candidates(required, observed, appraisal, done)
    assert sorted(ranked["employee_id"]) == ids
    for row in ranked.itertuples():
        seen = {c: v for c, v in observed.loc[row.employee_id].items() if not np.isnan(v)}
        one = succession.succession_readiness(required, seen, appraisal[row.employee_id], programme="pkp",
                                              programme_done=bool(done[row.employee_id]))
        assert (row.readiness, round(row.shortfall, 6)) == (one.level, round(one.shortfall, 6)), row.employee_id
    order = ranked["readiness"].map({r: i for i, r in enumerate(succession.READINESS)}).tolist()
    assert order == sorted(order)
    assert set(ranked["readiness"]) == {READY_NOW, READY_SOON, NOT_YET}


def test_feeders_of_a_level_are_the_level_below_and_the_crossovers():
    assert set(succession.feeder_types("pengawas")) == {"pelaksana", "ahli_muda", "mahir", "penyelia"}
    assert succession.feeder_types("pelaksana") == []
