"""The evidence imports: ratings, appraisals and the training-needs survey, upserted per cycle."""

import pytest

from tna.factories import CycleFactory
from tna.imports import ImportRejected, import_file
from tna.models import Appraisal, Cycle, Rating, SurveyResponse

from .import_files import EMPLOYEE_HEADER, competencies, csv_bytes, in_english, nip, organisation, staff_rows  # noqa: F401

pytestmark = pytest.mark.django_db

RATING_HEADER = ["cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level"]
HEAD, ANALYST, CLERK, OTHER = nip(1), nip(2, sex=2), nip(3), nip(4)


@pytest.fixture
def staff(db):
    competencies()
    organisation()
    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))


def rejected(kind, data):
    with pytest.raises(ImportRejected) as caught:
        import_file(kind=kind, file=data)
    return {(e.row, e.column): e.message for e in caught.value.errors}


def test_ratings_land_open_the_cycle_and_upsert(staff):
    rows = [
        [2026, ANALYST, ANALYST, "self", "M.01", 3],
        [2026, ANALYST, HEAD, "Atasan", "m.01", 2],
        [2026, ANALYST, CLERK, "subordinate", "M.01", 4],
        [2026, CLERK, ANALYST, "supervisor", "TK.01", 2],
    ]

    result = import_file(kind="ratings", file=csv_bytes(RATING_HEADER, rows))

    assert result.created == 4 and Cycle.objects.get(year=2026).is_open
    assert Rating.objects.get(rater__nip=HEAD).rater_role == "supervisor"
    rows[1][5] = 3
    again = import_file(kind="ratings", file=csv_bytes(RATING_HEADER, rows))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 3)
    assert Rating.objects.get(rater__nip=HEAD).level == 3


def test_ratings_refuse_false_roles_unknown_people_closed_cycles_and_bad_levels(staff):
    CycleFactory(year=2025, is_open=False)
    rows = [
        [2026, ANALYST, HEAD, "self", "M.01", 3],
        [2026, ANALYST, ANALYST, "peer", "M.01", 3],
        [2026, CLERK, HEAD, "supervisor", "M.01", 3],  # the head is not the clerk's direct supervisor
        [2026, nip(77), HEAD, "peer", "M.01", 3],
        [2026, ANALYST, HEAD, "boss", "M.09", 6],
        [2025, ANALYST, CLERK, "peer", "M.01", 3],
    ]

    errors = rejected("ratings", csv_bytes(RATING_HEADER, rows))

    assert "self" in errors[(2, "rater_role")]
    assert "same person" in errors[(3, "rater_role")]
    assert "direct supervisor" in errors[(4, "rater_role")]
    assert "employees file" in errors[(5, "ratee_nip")]
    assert {(6, "rater_role"), (6, "competency"), (6, "level")} <= set(errors)
    assert "closed" in errors[(7, "cycle")]
    assert not Rating.objects.exists() and not Cycle.objects.filter(year=2026).exists()


def test_appraisals_accept_indonesian_wording_and_are_rated_by_the_supervisor(staff):
    header = ["cycle", "nip", "results", "behaviour", "discipline", "innovation"]
    rows = [
        [2026, CLERK, "Di Atas Ekspektasi", "sesuai ekspektasi", 4, ""],
        [2026, HEAD, "below", "meets", "", 2],
    ]

    result = import_file(kind="appraisals", file=csv_bytes(header, rows))

    assert result.created == 2
    clerk = Appraisal.objects.get(employee__nip=CLERK)
    assert (clerk.results, clerk.behaviour, clerk.discipline, clerk.innovation) == ("above", "meets", 4, None)
    assert clerk.rated_by.nip == ANALYST and clerk.predikat == "Baik"
    assert Appraisal.objects.get(employee__nip=HEAD).rated_by is None
    rows[1][2] = "meets"
    assert import_file(kind="appraisals", file=csv_bytes(header, rows)).updated == 1

    errors = rejected("appraisals", csv_bytes(header, [[2026, CLERK, "great", "meets", 9, ""],
                                                       [2026, CLERK, "meets", "meets", "", ""],
                                                       [2026, CLERK, "meets", "meets", "", ""]]))
    assert "di atas" in errors[(2, "results")] and (2, "discipline") in errors
    assert "row 3" in errors[(4, "nip")]


def test_survey_reads_days_modes_and_priorities(staff):
    header = ["cycle", "nip", "competency", "priority", "mode", "time", "blocked_days", "note"]
    rows = [
        [2026, CLERK, "TK.01", 3, "Self-paced", "pagi", "Kamis, selasa", "aplikasi SIASN"],
        [2026, CLERK, "M.05", 1, "", "", "", ""],
    ]

    result = import_file(kind="survey", file=csv_bytes(header, rows, delimiter=";"))

    assert result.created == 2
    answer = SurveyResponse.objects.get(competency__code="TK.01")
    assert (answer.mode, answer.time, answer.blocked_days, answer.note) == (
        "self_paced", "morning", ["tue", "thu"], "aplikasi SIASN")
    assert SurveyResponse.objects.get(competency__code="M.05").blocked_days == []

    errors = rejected("survey", csv_bytes(header, [[2026, CLERK, "TK.01", 4, "kapal", "", "tue;libur", ""]]))
    assert {(2, "priority"), (2, "mode"), (2, "blocked_days")} == set(errors)
    assert "libur" in errors[(2, "blocked_days")]


def test_a_training_admin_imports_only_their_own_agency(staff):
    from django.contrib.auth.models import Group

    from tna.models import Employee

    admin = Employee.objects.get(nip=OTHER).user  # works in kota-b
    admin.groups.add(Group.objects.get(name="training_admin"))
    rows = [[2026, ANALYST, ANALYST, "self", "M.01", 3]]

    with pytest.raises(ImportRejected) as caught:
        import_file(kind="ratings", file=csv_bytes(RATING_HEADER, rows), user=admin)

    assert "kota-b" in caught.value.errors[0].message
    assert {e.column for e in caught.value.errors} == {"ratee_nip", "rater_nip"}


def test_raters_from_another_agency_and_numeric_nips_are_refused(staff):
    from .import_files import xlsx_bytes

    rows = [
        [2026, ANALYST, OTHER, "peer", "M.01", 3],  # OTHER works in kota-b
        [2026, int(ANALYST), CLERK, "subordinate", "M.01", 3],
    ]

    errors = rejected("ratings", xlsx_bytes(RATING_HEADER, rows))

    assert "another agency" in errors[(2, "rater_nip")]
    assert "as text" in errors[(3, "ratee_nip")]
    assert not Rating.objects.exists()
