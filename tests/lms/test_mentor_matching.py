"""Matching a mentoring programme from TNA gaps: the optimum beats the greedy baseline's capacity trap, the
direct supervisor is never proposed, locks and vetoes survive a re-run, an active pair's need is served, the
command's JSON and the API's scoping."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lms.models import MentoringPair, MentoringProgramme
from lms.services import mentor_matching
from lms.services.mentor_matching import MatchingViolation, job_rank, match_programme, pair_lock, pair_veto
from lms.services.mentoring import mentor_offer_save
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    UnitFactory,
)
from tna.models import CompetencyGap

pytestmark = pytest.mark.django_db


def gap_row(cycle, employee, competency, *, required, observed, priority=0):
    return CompetencyGap.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit, competency=competency,
        required_level=required, observed_level=observed, gap=max(required - observed, 0), priority=priority)


@pytest.fixture
def scene(db):
    """Two top units (two locations); X and Y in sub-unit 1a, mentor A in 1b (same location, another unit:
    greedy's favourite), mentor B in the other top unit, S is X's direct supervisor at level 5.

    A (capacity 1) teaches C1 and C2, B (capacity 1) only C1. X needs C1 (weight 1.8), Y needs C2 (1.0).
    Greedy gives X the better-placed A and leaves Y without a mentor (1.8); the optimum is B→X, A→Y (2.8).
    """
    agency = AgencyFactory(code="kab-mentor")
    top1 = UnitFactory(agency=agency, code="setda")
    sub1a = UnitFactory(agency=agency, code="bag-umum", parent=top1)
    sub1b = UnitFactory(agency=agency, code="bag-hukum", parent=top1)
    top2 = UnitFactory(agency=agency, code="dinkes")
    senior = PositionFactory(agency=agency, code="kabag", job_type="administrator")
    junior = PositionFactory(agency=agency, code="staf", job_type="pelaksana")
    c1 = CompetencyFactory(code="TK.71", name="Analisis Data")
    c2 = CompetencyFactory(code="TK.72", name="Penulisan Naskah")
    cycle = CycleFactory(year=2026)

    def person(name, unit, position, **fields):
        return EmployeeFactory(name=name, agency=agency, unit=unit, position=position, **fields)

    boss = person("Sinta Atasan", sub1a, senior, roles=["supervisor"])
    x = person("Xaverius Staf", sub1a, junior, supervisor=boss)
    y = person("Yohana Staf", sub1a, junior, supervisor=boss)
    a = person("Agus Mentor", sub1b, senior)
    b = person("Bima Mentor", top2, senior)
    gone = person("Zainal Pensiun", sub1a, junior, active=False)
    hr = person("Hera Diklat", top2, senior, roles=["training_admin"])
    gap_row(cycle, x, c1, required=4, observed=2, priority=90)
    gap_row(cycle, y, c2, required=3, observed=1, priority=50)
    gap_row(cycle, gone, c1, required=4, observed=1, priority=100)
    gap_row(cycle, a, c1, required=3, observed=4.5)
    gap_row(cycle, a, c2, required=3, observed=4.2)
    gap_row(cycle, b, c1, required=3, observed=4.0)
    gap_row(cycle, boss, c1, required=3, observed=5.0)
    today = timezone.localdate()
    programme = MentoringProgramme.objects.create(
        agency=agency, code="mentor-2026", name="Mentoring 2026", starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=90), min_mentor_level=4, default_capacity=1)
    programme.competencies.set([c1, c2])
    for mentor, offered, capacity in ((a, [c1, c2], 1), (b, [c1], 1), (boss, [c1], 5)):
        mentor_offer_save(programme=programme, mentor=mentor, competencies=offered, capacity=capacity,
                          source="nominated")
    return {"agency": agency, "programme": programme, "cycle": cycle, "c1": c1, "c2": c2, "x": x, "y": y,
            "a": a, "b": b, "boss": boss, "hr": hr, "gone": gone}


def proposed(programme):
    return set(MentoringPair.objects.filter(programme=programme).exclude(status="vetoed").values_list(
        "mentor__name", "mentee__name", "competency__code"))


def test_job_rank_follows_the_level_the_job_type_asks():
    assert job_rank("jpt_utama") > job_rank("administrator") > job_rank("pelaksana") == 1


def test_the_optimum_escapes_the_capacity_trap_and_never_the_supervisor(scene):
    summary = match_programme(programme=scene["programme"])
    assert proposed(scene["programme"]) == {("Bima Mentor", "Xaverius Staf", "TK.71"),
                                            ("Agus Mentor", "Yohana Staf", "TK.72")}
    assert summary.covered == pytest.approx(2.8)
    assert summary.greedy_covered == pytest.approx(1.8) and summary.greedy_covered < summary.covered
    assert (summary.pairs, summary.needs, summary.mentors, summary.infeasible_locks) == (2, 2, 3, 0)
    assert summary.cycle == scene["cycle"]
    pair = MentoringPair.objects.get(mentee=scene["x"])
    assert pair.status == "proposed" and not pair.locked
    assert pair.reason["competency"] == "TK.71" and pair.reason["mentor_level"] == 4.0
    assert pair.reason["gap"] == 2 and pair.reason["weight"] == pytest.approx(1.8) and pair.reason["text"]
    assert not MentoringPair.objects.filter(mentor=scene["boss"]).exists()


def test_a_rerun_keeps_a_lock_and_honours_a_veto(scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    # HR prefers A for X: lock it by hand (replacing the proposal), then re-run.
    MentoringPair.objects.filter(mentee=scene["x"]).delete()
    locked = MentoringPair.objects.create(programme=programme, mentor=scene["a"], mentee=scene["x"],
                                          competency=scene["c1"])
    pair_lock(pair=locked, locked=True)
    MentoringPair.objects.filter(mentee=scene["y"]).delete()
    summary = match_programme(programme=programme)
    assert proposed(programme) == {("Agus Mentor", "Xaverius Staf", "TK.71")}  # A is full: Y waits
    locked.refresh_from_db()
    assert locked.locked and locked.status == "proposed" and locked.reason["locked"] is True
    assert summary.covered == pytest.approx(1.8) and summary.infeasible_locks == 0

    pair_veto(pair=locked)
    locked.refresh_from_db()
    assert (locked.status, locked.locked) == ("vetoed", False)
    match_programme(programme=programme)
    assert proposed(programme) == {("Bima Mentor", "Xaverius Staf", "TK.71"),
                                   ("Agus Mentor", "Yohana Staf", "TK.72")}
    assert MentoringPair.objects.filter(mentor=scene["a"], mentee=scene["x"]).get().status == "vetoed"


def test_an_active_pair_serves_its_need_and_takes_a_place(scene):
    programme = scene["programme"]
    match_programme(programme=programme)
    MentoringPair.objects.filter(mentor=scene["a"], mentee=scene["y"]).update(status="active")
    summary = match_programme(programme=programme)
    # Y's need is served; A's one place is taken, so X goes to B as before.
    assert summary.needs == 1 and summary.pairs == 1
    assert set(MentoringPair.objects.filter(programme=programme).values_list("mentor__name", "mentee__name",
                                                                              "status")) == {
        ("Agus Mentor", "Yohana Staf", "active"), ("Bima Mentor", "Xaverius Staf", "proposed")}


def test_a_violation_writes_nothing(scene, monkeypatch):
    programme = scene["programme"]
    match_programme(programme=programme)
    before = proposed(programme)
    monkeypatch.setattr(mentor_matching, "check", lambda *args: ["mentor 1 – mentee 2 in TK.71: made up"])
    with pytest.raises(MatchingViolation):
        match_programme(programme=programme)
    assert proposed(programme) == before


def test_the_command_json(scene):
    out = StringIO()
    call_command("match_mentors", "--agency", "kab-mentor", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert set(document) == {"pairs", "summary", "programmes"}
    assert document["summary"] == {"covered": 2.8, "greedy_covered": 1.8, "pairs": 2, "needs": 2, "mentors": 3,
                                   "infeasible_locks": 0, "violations": 0}
    first = min(document["pairs"], key=lambda row: row["weight"])
    assert set(first) == {"programme", "mentor_nip", "mentee_nip", "competency", "weight", "locked", "reason"}
    assert (first["programme"], first["mentor_nip"], first["mentee_nip"], first["competency"], first["locked"]) == (
        "mentor-2026", scene["a"].nip, scene["y"].nip, "TK.72", False)
    assert [p["programme"] for p in document["programmes"]] == ["mentor-2026"]


def test_the_command_text_and_errors(scene):
    out = StringIO()
    call_command("match_mentors", "--agency", "kab-mentor", "--programme", str(scene["programme"].pk), stdout=out)
    assert "mentor-2026" in out.getvalue() and "2.80" in out.getvalue() and "1.80" in out.getvalue()
    with pytest.raises(CommandError, match="no agency"):
        call_command("match_mentors", "--agency", "nowhere", stdout=StringIO())
    with pytest.raises(CommandError, match="no mentoring programme"):
        call_command("match_mentors", "--agency", "kab-mentor", "--programme", "nope", stdout=StringIO())


def test_the_api_scopes_pairs(scene, client):
    match_programme(programme=scene["programme"])
    other_hr = EmployeeFactory(agency=AgencyFactory(code="kab-lain"), roles=["training_admin"])

    def seen(employee, query=""):
        client.force_login(employee.user)
        response = client.get("/api/v1/mentoring/" + query)
        assert response.status_code == 200
        return {(row["mentor_nip"], row["mentee_nip"]) for row in response.json()["results"]}

    both = {(scene["b"].nip, scene["x"].nip), (scene["a"].nip, scene["y"].nip)}
    assert seen(scene["hr"]) == both
    assert seen(scene["hr"], "?programme=mentor-2026&status=proposed") == both
    assert seen(scene["hr"], "?status=active") == set()
    assert seen(scene["x"]) == {(scene["b"].nip, scene["x"].nip)}
    assert seen(scene["a"]) == {(scene["a"].nip, scene["y"].nip)}
    assert seen(scene["boss"]) == set()  # a supervisor sees nothing of their team's pairs
    assert seen(other_hr) == set()
    client.force_login(scene["x"].user)
    row = client.get("/api/v1/mentoring/").json()["results"][0]
    assert set(row) == {"id", "programme", "mentor_nip", "mentor_name", "mentee_nip", "mentee_name", "competency",
                        "status", "locked", "goal_level", "started_on", "ended_on", "goal_met", "reason"}
    assert row["competency"] == "TK.71" and row["reason"]["gap"] == 2
