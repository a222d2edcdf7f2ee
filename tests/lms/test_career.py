"""The criteria of a career step (lms.career, pure): met, missing and unknown on each, and what closes them."""

import datetime

import pandas as pd
import pytest

from lms import career
from lms.career import MET, MISSING, UNKNOWN, Person, Rules

TODAY = datetime.date(2026, 12, 4)
RULES = Rules()


def person(**fields):
    values = {
        "job_type": "pelaksana", "grade": "III/b", "grade_since": datetime.date(2023, 4, 1),
        "appraisal_years": (2026, 2025), "predikat": {2026: "Baik", 2025: "Sangat Baik"},
        "jp_recent": 24, "observed": {1: 2.0, 2: 3.4}, "results_year": 2026,
        "project_cycles": (2026, 2025, 2024), "assignment_years": (2025,),
    }
    values.update(fields)
    return Person(**values)


def criterion(step, code, standard=None, **fields):
    found = career.assess_step(person(**fields), step, standard if standard is not None else {1: 2, 2: 3},
                               today=TODAY, rules=RULES).criterion(code)
    assert found is not None
    return found


# --- appraisal --------------------------------------------------------------------------------------

def test_appraisal_met_lists_each_year():
    c = criterion("pengawas", "appraisal")
    assert c.status == MET and c.rows == ((2026, "Baik"), (2025, "Sangat Baik"))
    assert career.criterion_summary(c) == "At least Baik in each of the last 2 appraisal years."
    assert career.criterion_to_close(c) == ""


def test_appraisal_below_baik_is_missing_even_with_a_year_short():
    c = criterion("pengawas", "appraisal", predikat={2026: "Butuh Perbaikan"})
    assert c.status == MISSING and c.numbers["below"] == [2026]
    assert career.criterion_summary(c) == "Below Baik in 2026."


@pytest.mark.parametrize("fields", [
    {"predikat": {2026: "Baik"}},  # a year without an appraisal
    {"appraisal_years": (2026,), "predikat": {2026: "Baik"}},  # the agency has one year of appraisals only
])
def test_appraisal_without_enough_history_is_unknown(fields):
    c = criterion("pengawas", "appraisal", **fields)
    assert c.status == UNKNOWN and c.note == "not_enough_history"
    assert "Not enough appraisal history: 1 of 2 years recorded." == career.criterion_summary(c)


def test_the_bulk_appraisal_statuses_agree_with_the_single_one():
    predikat = {10: {2026: "Baik", 2025: "Baik"}, 11: {2026: "Kurang", 2025: "Baik"}, 12: {2026: "Sangat Baik"},
                13: {2024: "Baik"}}
    frame = pd.DataFrame([(e, y, p) for e, years in predikat.items() for y, p in years.items()],
                         columns=["employee_id", "year", "predikat"])
    bulk = career.appraisal_statuses(frame, [2026, 2025], RULES)
    for employee_id, years in predikat.items():
        assert bulk[employee_id] == career.appraisal_status(years, [2026, 2025], RULES), employee_id
    assert bulk.to_dict() == {10: MET, 11: MISSING, 12: UNKNOWN, 13: UNKNOWN}


# --- training -------------------------------------------------------------------------------------------

def test_a_managerial_step_asks_for_its_leadership_programme():
    c = criterion("pengawas", "leadership_training")
    assert c.status == MISSING and c.numbers["programme"] == "pkp"
    assert career.criterion_to_close(c) == "Take PKP (Pelatihan Kepemimpinan Pengawas)."
    assert criterion("pengawas", "leadership_training", programmes_done=frozenset({"pkp"})).status == MET


def test_a_functional_step_has_no_leadership_criterion():
    step = career.assess_step(person(), "ahli_pertama", {1: 2}, today=TODAY, rules=RULES)
    assert step.criterion("leadership_training") is None
    assert [c.code for c in step.criteria] == ["appraisal", "jp", "competencies", "time_in_grade", "grade", "projects"]


def test_jp_of_the_last_twelve_months_against_the_minimum():
    assert criterion("pengawas", "jp").status == MET
    c = criterion("pengawas", "jp", jp_recent=12)
    assert c.status == MISSING and c.numbers == {"earned": 12, "minimum": 20, "remaining": 8}
    assert career.criterion_summary(c) == "12 of the minimum 20 JP in the last 12 months."
    assert career.criterion_to_close(c) == "8 more JP of development in the next months."


# --- competencies ---------------------------------------------------------------------------------------

def test_competencies_below_the_standard_are_missing_with_their_shortfall():
    c = criterion("pengawas", "competencies", standard={1: 3, 2: 3, 3: 2})
    assert c.status == MISSING
    assert [(r.competency_id, r.required, r.observed, r.shortfall) for r in c.missing_rows] == [(1, 3, 2.0, 1.0)]
    assert [r.competency_id for r in c.unknown_rows] == [3]
    assert c.numbers["shortfall"] == 1.0
    assert career.criterion_summary(c) == (
        "1 competency below the required level, 1.0 levels short in all. "
        "1 competency without an observed level. Results of 2026.")


def test_competencies_all_reached_are_met_and_without_results_unknown():
    assert criterion("pengawas", "competencies", standard={1: 2, 2: 3}).status == MET
    c = criterion("pengawas", "competencies", observed={}, results_year=None)
    assert c.status == UNKNOWN and c.note == "no_results"
    assert criterion("pengawas", "competencies", standard={}).note == "no_standard"


def test_a_level_a_hair_below_the_required_one_is_not_a_shortfall():
    assert criterion("pengawas", "competencies", standard={1: 2}, observed={1: 1.9999999}).status == MET


# --- time in grade and grade ----------------------------------------------------------------------------

def test_time_in_grade_unknown_when_not_recorded_never_guessed():
    c = criterion("pengawas", "time_in_grade", grade_since=None)
    assert c.status == UNKNOWN and c.note == "not_recorded" and "years" not in c.numbers
    assert career.criterion_summary(c).startswith("Not recorded")


def test_time_in_grade_met_and_missing_with_the_day_it_is_reached():
    assert criterion("pengawas", "time_in_grade").status == MET
    c = criterion("pengawas", "time_in_grade", grade_since=datetime.date(2025, 6, 1))
    assert c.status == MISSING and c.numbers["reached_on"] == datetime.date(2027, 6, 1)
    assert career.criterion_to_close(c) == "Reached on 1 Jun 2027."
    assert career.add_years(datetime.date(2024, 2, 29), 2) == datetime.date(2026, 2, 28)


def test_the_steps_lowest_usual_grade():
    assert criterion("pengawas", "grade").status == MET  # III/b is pengawas' lowest
    c = criterion("administrator", "grade")
    assert c.status == MISSING and c.numbers["lowest"] == "III/d"
    assert career.criterion_to_close(c) == "A promotion in grade to III/d (Penata Tingkat I) first."


def test_projects_count_only_in_the_last_cycles():
    assert criterion("pengawas", "projects").status == MET
    c = criterion("pengawas", "projects", assignment_years=(2022, 2021))
    assert c.status == MISSING and c.numbers["count"] == 0


def test_a_step_counts_its_criteria():
    step = career.assess_step(person(programmes_done=frozenset({"pkp"})), "pengawas", {1: 2, 2: 3}, today=TODAY,
                              rules=RULES)
    assert step.all_met and step.met == 7
