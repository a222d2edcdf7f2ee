"""Write paths for evidence: who may rate whom, appraisals and their predikat, the survey, peer lists."""

import pytest
from django.core.exceptions import ValidationError

from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    RequiredLevelFactory,
    UnitFactory,
)
from tna.models import Appraisal, PeerAssignment, Rating, SurveyResponse
from tna.services.evidence import (
    appraisal_submit,
    peer_assignments_set,
    rating_submit,
    survey_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(db):
    """A supervisor with two reports in one unit, an unrelated colleague, two required competencies."""
    agency = AgencyFactory()
    unit = UnitFactory(agency=agency)
    position = PositionFactory(agency=agency)
    integrity = CompetencyFactory(code="M.01", name="Integritas", name_en="Integrity")
    teamwork = CompetencyFactory(code="M.02", name="Kerjasama", name_en="Teamwork")
    for competency in (integrity, teamwork):
        RequiredLevelFactory(position=position, competency=competency, level=3)
    people = {"agency": agency, "unit": unit, "position": position}
    boss = EmployeeFactory(**people, roles=["supervisor"])
    staff = EmployeeFactory(**people, supervisor=boss)
    colleague = EmployeeFactory(**people, supervisor=boss)
    outsider = EmployeeFactory(**people)
    return {
        "cycle": CycleFactory(year=2026), "boss": boss, "staff": staff, "colleague": colleague,
        "outsider": outsider, "integrity": integrity, "teamwork": teamwork, "agency": agency,
    }


def stored(cycle, rater, ratee):
    return {
        (r.competency.code, r.level, r.rater_role)
        for r in Rating.objects.filter(cycle=cycle, rater=rater, ratee=ratee).select_related("competency")
    }


def test_self_assessment_is_stored_as_self(team):
    staff = team["staff"]
    role = rating_submit(cycle=team["cycle"], rater=staff, ratee=staff, levels={team["integrity"]: 2, team["teamwork"]: 4})
    assert role == "self"
    assert stored(team["cycle"], staff, staff) == {("M.01", 2, "self"), ("M.02", 4, "self")}


def test_supervisor_rating_a_direct_report_is_stored_as_supervisor(team):
    rating_submit(cycle=team["cycle"], rater=team["boss"], ratee=team["staff"], levels={team["integrity"]: 3})
    assert stored(team["cycle"], team["boss"], team["staff"]) == {("M.01", 3, "supervisor")}


def test_rating_ones_own_supervisor_is_stored_as_subordinate(team):
    team["boss"].position = team["staff"].position
    rating_submit(cycle=team["cycle"], rater=team["staff"], ratee=team["boss"], levels={team["integrity"]: 4})
    assert stored(team["cycle"], team["staff"], team["boss"]) == {("M.01", 4, "subordinate")}


def test_a_peer_needs_an_assignment(team):
    cycle, rater, ratee = team["cycle"], team["colleague"], team["staff"]
    with pytest.raises(ValidationError, match="may not rate"):
        rating_submit(cycle=cycle, rater=rater, ratee=ratee, levels={team["integrity"]: 3})
    assert not Rating.objects.exists()
    PeerAssignment.objects.create(cycle=cycle, ratee=ratee, rater=rater)
    assert rating_submit(cycle=cycle, rater=rater, ratee=ratee, levels={team["integrity"]: 3}) == "peer"
    assert stored(cycle, rater, ratee) == {("M.01", 3, "peer")}


def test_someone_elses_report_cannot_be_rated(team):
    with pytest.raises(ValidationError, match="may not rate"):
        rating_submit(cycle=team["cycle"], rater=team["outsider"], ratee=team["staff"], levels={team["integrity"]: 3})


def test_closed_cycle_refuses_every_entry(team):
    cycle = CycleFactory(year=2024, is_open=False)
    staff, boss = team["staff"], team["boss"]
    with pytest.raises(ValidationError, match="closed"):
        rating_submit(cycle=cycle, rater=staff, ratee=staff, levels={team["integrity"]: 3})
    with pytest.raises(ValidationError, match="closed"):
        appraisal_submit(cycle=cycle, rater=boss, employee=staff, results="meets", behaviour="meets")
    with pytest.raises(ValidationError, match="closed"):
        survey_submit(cycle=cycle, employee=staff, needs=[(team["integrity"], 3)])
    with pytest.raises(ValidationError, match="closed"):
        peer_assignments_set(cycle=cycle, ratee=staff, raters=[team["colleague"], team["outsider"]], by=boss)
    assert not Rating.objects.exists() and not Appraisal.objects.exists() and not SurveyResponse.objects.exists()


def test_only_required_competencies_and_levels_1_to_5(team):
    staff = team["staff"]
    unrelated = CompetencyFactory(code="TK.99")
    with pytest.raises(ValidationError, match="TK.99"):
        rating_submit(cycle=team["cycle"], rater=staff, ratee=staff, levels={unrelated: 3})
    with pytest.raises(ValidationError, match="1 to 5"):
        rating_submit(cycle=team["cycle"], rater=staff, ratee=staff, levels={team["integrity"]: 6})
    assert not Rating.objects.exists()


def test_resubmitting_updates_the_rating_in_place(team):
    staff, cycle = team["staff"], team["cycle"]
    rating_submit(cycle=cycle, rater=staff, ratee=staff, levels={team["integrity"]: 2})
    rating_submit(cycle=cycle, rater=staff, ratee=staff, levels={team["integrity"]: 4, team["teamwork"]: 1})
    assert stored(cycle, staff, staff) == {("M.01", 4, "self"), ("M.02", 1, "self")}


# docs/domain.md#skp, PermenPANRB 6/2022: rows are results, columns behaviour.
PREDIKAT_MATRIX = [
    ("above", "below", "Kurang"), ("above", "meets", "Baik"), ("above", "above", "Sangat Baik"),
    ("meets", "below", "Kurang"), ("meets", "meets", "Baik"), ("meets", "above", "Baik"),
    ("below", "below", "Sangat Kurang"), ("below", "meets", "Butuh Perbaikan"), ("below", "above", "Butuh Perbaikan"),
]


@pytest.mark.parametrize(("results", "behaviour", "predikat"), PREDIKAT_MATRIX)
def test_appraisal_predikat_follows_the_matrix(team, results, behaviour, predikat):
    appraisal = appraisal_submit(
        cycle=team["cycle"], rater=team["boss"], employee=team["staff"], results=results, behaviour=behaviour,
    )
    assert appraisal.predikat == predikat
    assert Appraisal.objects.get(employee=team["staff"]).rated_by == team["boss"]


def test_appraisal_only_by_the_direct_supervisor_and_with_valid_values(team):
    with pytest.raises(ValidationError, match="direct supervisor"):
        appraisal_submit(cycle=team["cycle"], rater=team["outsider"], employee=team["staff"], results="meets", behaviour="meets")
    with pytest.raises(ValidationError, match="above, meets, below"):
        appraisal_submit(cycle=team["cycle"], rater=team["boss"], employee=team["staff"], results="great", behaviour="meets")
    with pytest.raises(ValidationError, match="1 to 5"):
        appraisal_submit(
            cycle=team["cycle"], rater=team["boss"], employee=team["staff"], results="meets", behaviour="meets",
            discipline=7,
        )
    appraisal = appraisal_submit(
        cycle=team["cycle"], rater=team["boss"], employee=team["staff"], results="above", behaviour="meets",
        discipline=4, innovation=5,
    )
    assert (appraisal.discipline, appraisal.quality, appraisal.innovation) == (4, None, 5)


def test_survey_stores_blocked_days_and_replaces_earlier_answers(team):
    staff, cycle = team["staff"], team["cycle"]
    survey_submit(
        cycle=cycle, employee=staff, needs=[(team["integrity"], 3), (team["teamwork"], 1)],
        mode="online", time="morning", blocked_days=["THU", "tue"], note="Loket pelayanan",
    )
    rows = list(SurveyResponse.objects.filter(employee=staff).select_related("competency").order_by("competency__code"))
    assert [(r.competency.code, r.priority) for r in rows] == [("M.01", 3), ("M.02", 1)]
    assert {(r.mode, r.time, tuple(r.blocked_days), r.note) for r in rows} == {("online", "morning", ("tue", "thu"), "Loket pelayanan")}

    survey_submit(cycle=cycle, employee=staff, needs=[(team["teamwork"], 2)], blocked_days=["fri"])
    rows = list(SurveyResponse.objects.filter(employee=staff).select_related("competency"))
    assert [(r.competency.code, r.priority, r.blocked_days, r.mode) for r in rows] == [("M.02", 2, ["fri"], "")]


def test_survey_refuses_bad_answers_and_keeps_the_old_ones(team):
    staff, cycle = team["staff"], team["cycle"]
    survey_submit(cycle=cycle, employee=staff, needs=[(team["integrity"], 3)])
    with pytest.raises(ValidationError, match="1 to 3"):
        survey_submit(cycle=cycle, employee=staff, needs=[(team["teamwork"], 4)])
    with pytest.raises(ValidationError, match="weekday"):
        survey_submit(cycle=cycle, employee=staff, needs=[(team["teamwork"], 2)], blocked_days=["someday"])
    with pytest.raises(ValidationError, match="mode"):
        survey_submit(cycle=cycle, employee=staff, needs=[(team["teamwork"], 2)], mode="telepathy")
    with pytest.raises(ValidationError, match="at least one"):
        survey_submit(cycle=cycle, employee=staff, needs=[])
    assert list(SurveyResponse.objects.values_list("competency__code", "priority")) == [("M.01", 3)]


def test_peers_are_chosen_by_the_supervisor_within_the_agency(team):
    cycle, boss, staff = team["cycle"], team["boss"], team["staff"]
    peers = peer_assignments_set(cycle=cycle, ratee=staff, raters=[team["colleague"], team["outsider"]], by=boss)
    assert {p.pk for p in peers} == {team["colleague"].pk, team["outsider"].pk}
    assert set(PeerAssignment.objects.filter(ratee=staff).values_list("rater", flat=True)) == {p.pk for p in peers}

    with pytest.raises(ValidationError, match="direct supervisor"):
        peer_assignments_set(cycle=cycle, ratee=staff, raters=[team["outsider"]], by=team["colleague"])
    with pytest.raises(ValidationError, match="supervisor of"):
        peer_assignments_set(cycle=cycle, ratee=team["colleague"], raters=[boss, team["outsider"]], by=boss)
    with pytest.raises(ValidationError, match="own peer"):
        peer_assignments_set(cycle=cycle, ratee=staff, raters=[staff, team["outsider"]], by=boss)
    stranger = EmployeeFactory()
    with pytest.raises(ValidationError, match="another agency"):
        peer_assignments_set(cycle=cycle, ratee=staff, raters=[stranger, team["outsider"]], by=boss)
    with pytest.raises(ValidationError, match="from 2 to 4"):
        peer_assignments_set(cycle=cycle, ratee=staff, raters=[team["outsider"]], by=boss)


def test_training_admin_of_the_agency_may_choose_peers(team):
    admin = EmployeeFactory(agency=team["agency"], roles=["training_admin"])
    foreign_admin = EmployeeFactory(roles=["training_admin"])
    raters = [team["colleague"], team["outsider"]]
    peer_assignments_set(cycle=team["cycle"], ratee=team["staff"], raters=raters, by=admin)
    assert PeerAssignment.objects.filter(ratee=team["staff"]).count() == 2
    with pytest.raises(ValidationError, match="training admin"):
        peer_assignments_set(cycle=team["cycle"], ratee=team["staff"], raters=raters, by=foreign_admin)


def test_taking_a_peer_off_the_list_removes_their_ratings(team):
    cycle, boss, staff = team["cycle"], team["boss"], team["staff"]
    extra = EmployeeFactory(agency=team["agency"], unit=staff.unit, position=staff.position)
    peer_assignments_set(cycle=cycle, ratee=staff, raters=[team["colleague"], team["outsider"]], by=boss)
    rating_submit(cycle=cycle, rater=team["outsider"], ratee=staff, levels={team["integrity"]: 2})
    rating_submit(cycle=cycle, rater=team["colleague"], ratee=staff, levels={team["integrity"]: 4})
    peer_assignments_set(cycle=cycle, ratee=staff, raters=[team["colleague"], extra], by=boss)
    assert list(Rating.objects.filter(ratee=staff).values_list("rater", "level")) == [(team["colleague"].pk, 4)]
    with pytest.raises(ValidationError, match="may not rate"):
        rating_submit(cycle=cycle, rater=team["outsider"], ratee=staff, levels={team["integrity"]: 2})
