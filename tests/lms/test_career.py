"""The criteria of a career step (lms.career, pure): met, missing and unknown on each, and what closes them."""

import datetime

import numpy as np
import pandas as pd
import pytest

from lms import career
from lms.career import MET, MISSING, NOT_YET, READY_NOW, READY_SOON, UNKNOWN, Person, Rules

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


# --- succession -----------------------------------------------------------------------------------------

def test_ready_now_needs_no_shortfall_a_good_appraisal_and_the_programme():
    ready = career.succession_readiness({1: 3, 2: 2}, {1: 3.0, 2: 2.5}, MET, programme="pkp", programme_done=True)
    assert ready.level == READY_NOW and ready.shortfall == 0
    without = career.succession_readiness({1: 3, 2: 2}, {1: 3.0, 2: 2.5}, MET, programme="pkp")
    assert without.level == READY_SOON
    assert career.readiness_gaps(without, {}) == ["PKP (Pelatihan Kepemimpinan Pengawas) not completed"]


def test_near_shortfall_is_ready_in_one_to_two_years_unless_an_appraisal_is_below():
    soon = career.succession_readiness({1: 3, 2: 3}, {1: 2.0, 2: 2.5}, UNKNOWN)
    assert soon.level == READY_SOON and soon.shortfall == 1.5
    assert career.readiness_gaps(soon, {1: "M.01 Integritas", 2: "M.02 Kerjasama"}) == [
        "M.01 Integritas: 2.0 of level 3", "M.02 Kerjasama: 2.5 of level 3", "not enough appraisal history"]
    assert career.succession_readiness({1: 3, 2: 3}, {1: 2.0, 2: 2.5}, MISSING).level == NOT_YET
    assert career.succession_readiness({1: 3, 2: 3}, {1: 1.0, 2: 2.5}, MET).level == NOT_YET


def test_a_competency_without_evidence_counts_its_whole_level():
    readiness = career.succession_readiness({1: 2, 2: 3}, {1: 2.0}, MET)
    assert readiness.shortfall == 3 and readiness.level == NOT_YET
    assert career.succession_readiness({1: 2, 2: 2}, {1: 2.0}, MET).level == READY_SOON


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
    ranked = career.rank_candidates(required, observed, appraisal, done)
    assert sorted(ranked["employee_id"]) == ids
    for row in ranked.itertuples():
        seen = {c: v for c, v in observed.loc[row.employee_id].items() if not np.isnan(v)}
        one = career.succession_readiness(required, seen, appraisal[row.employee_id], programme="pkp",
                                          programme_done=bool(done[row.employee_id]))
        assert (row.readiness, round(row.shortfall, 6)) == (one.level, round(one.shortfall, 6)), row.employee_id
    order = ranked["readiness"].map({r: i for i, r in enumerate(career.READINESS)}).tolist()
    assert order == sorted(order)
    assert set(ranked["readiness"]) == {READY_NOW, READY_SOON, NOT_YET}


def test_feeders_of_a_level_are_the_level_below_and_the_crossovers():
    assert set(career.feeder_types("pengawas")) == {"pelaksana", "ahli_muda", "mahir", "penyelia"}
    assert career.feeder_types("pelaksana") == []
