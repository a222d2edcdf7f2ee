"""Training-impact numbers on synthetic data whose truth is known: reaction, learning gain, DiD, units, shrinkage."""

import math

import numpy as np
import pandas as pd
import pytest

from lms.impact import (
    baseline_band,
    course_effects,
    did,
    did_by,
    learning_gain,
    prior_strength,
    reaction_summary,
    unit_association,
)
from lms.impact.stats import spearman, t_quantile
from lms.impact.synthetic import synthetic_did

BAND_TREND = {0: 0.5, 1: 0.25, 2: 0.0, 3: -0.25}  # regression to the mean per baseline band


def cohort(*, treated=500, controls=2000, effect=0.4, seed=0, agencies=3, job_types=2, noise=0.5):
    """One row per employee on one competency. Staff observed low are trained more often, and
    levels move without training: a common trend, one per agency and one per baseline band."""
    rng = np.random.default_rng(seed)
    size = treated + controls
    agency = rng.integers(0, agencies, size)
    before = np.clip(rng.normal(2.8, 0.7, size), 1, 5)
    # The lowest-observed are the ones sent: rank by a noisy baseline, take the first ``treated``.
    order = np.argsort(before + rng.normal(0, 0.5, size))
    is_treated = np.zeros(size, dtype=bool)
    is_treated[order[:treated]] = True
    band = baseline_band(before)
    change = (0.15 + np.array([0.0, 0.2, -0.1])[agency % 3] + np.vectorize(BAND_TREND.get)(band)
              + rng.normal(0, noise, size) + effect * is_treated)
    return pd.DataFrame({
        "employee": np.arange(size), "competency": "K01", "agency": agency,
        "job_type": rng.integers(0, job_types, size), "before": before, "after": before + change,
        "treated": is_treated,
    })


def naive(frame) -> float:
    """Trained minus untrained mean change, with no strata: what the strata are there to correct."""
    change = (frame["after"] - frame["before"]).to_numpy()
    treated = frame["treated"].to_numpy(dtype=bool)
    return float(change[treated].mean() - change[~treated].mean())


# Level 2: learning ------------------------------------------------------------------------------

def test_gain_leaves_out_a_perfect_pre_test_and_counts_it():
    scores = pd.DataFrame({"course": ["a"] * 4, "pre": [50, 60, 100, 80], "post": [75, 80, 100, 70]})
    row = learning_gain(scores, by=["course"]).iloc[0]
    assert (row["scored"], row["at_ceiling"], row["n"]) == (4, 1, 3)
    # (75−50)/50 = 0.5, (80−60)/40 = 0.5, (70−80)/20 = −0.5
    assert row["mean_gain"] == pytest.approx(1 / 6)
    assert row["mean_pre"] == pytest.approx(72.5)  # everyone with both tests, the perfect score too


def test_gain_interval_is_students_t_of_the_mean():
    scores = pd.DataFrame({"pre": [50, 50, 50], "post": [60, 70, 80]})  # gains 0.2, 0.4, 0.6
    row = learning_gain(scores).iloc[0]
    assert row["mean_gain"] == pytest.approx(0.4)
    assert row["sd_gain"] == pytest.approx(0.2)
    half = 4.302653 * 0.2 / math.sqrt(3)  # t(0.975, 2)
    assert (row["low"], row["high"]) == (pytest.approx(0.4 - half, abs=1e-5), pytest.approx(0.4 + half, abs=1e-5))


def test_gain_per_group_skips_missing_tests_and_has_no_interval_for_one_person():
    scores = pd.DataFrame({"course": ["a", "a", "b"], "pre": [40, np.nan, 20], "post": [70, 90, 60]})
    result = learning_gain(scores, by="course").set_index("course")
    assert result.loc["a", "scored"] == 1 and result.loc["a", "mean_gain"] == pytest.approx(0.5)
    assert result.loc["b", "n"] == 1 and math.isnan(result.loc["b", "low"])


def test_gain_refuses_scores_outside_0_to_100():
    with pytest.raises(ValueError):
        learning_gain(pd.DataFrame({"pre": [50], "post": [101]}))


# Level 1: reaction ------------------------------------------------------------------------------

def answers_for(groups):
    """Every respondent answers relevance 4 and trainer 5; ``groups`` maps course → respondents."""
    rows = [(course, "%s-%d" % (course, r), question, score)
            for course, respondents in groups.items() for r in range(respondents)
            for question, score in (("relevance", 4), ("trainer", 5))]
    return pd.DataFrame(rows, columns=["course", "respondent", "question", "score"])


def test_reaction_hides_a_group_of_four_and_shows_a_group_of_five():
    invited = pd.DataFrame({"course": ["four", "five"], "invited": [8, 10]})
    result = reaction_summary(answers_for({"four": 4, "five": 5}), invited, ["course"]).set_index("course")
    assert bool(result.loc["four", "suppressed"])
    assert result.loc["four", ["mean_relevance", "mean_trainer", "overall"]].isna().all()
    assert result.loc["four", "respondents"] == 4 and result.loc["four", "response_rate"] == 0.5
    assert not result.loc["five", "suppressed"]
    assert result.loc["five", "mean_relevance"] == 4 and result.loc["five", "mean_trainer"] == 5
    assert result.loc["five", "overall"] == 4.5 and result.loc["five", "response_rate"] == 0.5


def test_reaction_hides_a_question_fewer_than_five_answered():
    answers = answers_for({"c": 7})
    skipped = (answers["question"] == "trainer") & answers["respondent"].isin(["c-0", "c-1", "c-2"])
    answers.loc[skipped, "score"] = np.nan
    row = reaction_summary(answers, None, ["course"]).iloc[0]
    assert not row["suppressed"] and row["respondents"] == 7
    assert row["mean_relevance"] == 4 and math.isnan(row["mean_trainer"])
    assert math.isnan(row["invited"]) and math.isnan(row["response_rate"])


def test_reaction_lists_invited_groups_nobody_answered():
    invited = pd.DataFrame({"course": ["five", "silent", "silent"], "invited": [5, 6, 6]})
    result = reaction_summary(answers_for({"five": 5}), invited, ["course"]).set_index("course")
    assert result.loc["silent", "respondents"] == 0 and result.loc["silent", "invited"] == 12
    assert result.loc["silent", "response_rate"] == 0 and result.loc["silent", "suppressed"]
    assert result.loc["five", "response_rate"] == 1


# Level 3: behaviour -----------------------------------------------------------------------------

def test_did_recovers_a_planted_effect():
    frame = cohort(treated=500, controls=2000, effect=0.4, seed=1)
    result = did(frame)
    assert result.enough and result.reason is None
    assert result.low < 0.4 < result.high
    assert result.low > 0
    assert result.n_treated + result.treated_unmatched == 500 and result.n_treated > 400
    assert result.estimate == pytest.approx(result.change_treated - result.change_control)


def test_did_placebo_covers_zero_where_the_naive_comparison_does_not():
    frame = cohort(treated=500, controls=2000, effect=0.0, seed=3)
    assert naive(frame) > 0.15  # the low-observed rise anyway: training looks good without strata
    result = did(frame)
    assert result.low < 0 < result.high
    assert abs(result.estimate) < 0.1


def test_did_common_trend_is_not_an_effect():
    frame = cohort(effect=0.0, seed=5)
    frame["after"] += 0.7  # everyone rated higher in the second cycle
    result = did(frame)
    assert result.low < 0 < result.high
    assert result.change_control > 0.6


def test_did_intervals_cover_planted_effects_about_95_percent_of_the_time():
    frame, effects = synthetic_did(rows=20_000, courses=200, seed=5)
    result = did_by(frame, "course", rng=5).join(effects.rename("effect"), on="course")
    low, effect, high = (result[c].to_numpy() for c in ("low", "effect", "high"))
    assert 0.88 <= ((low <= effect) & (effect <= high)).mean() <= 0.995
    useless = result.set_index("course").loc["C001"]
    assert useless["effect"] == 0 and useless["low"] < 0 < useless["high"]


def test_did_small_groups_are_not_enough_but_still_estimated():
    few_trained = did(cohort(treated=12, controls=800, seed=6))
    assert not few_trained.enough and few_trained.reason == "too_few_treated"
    assert 0 < few_trained.n_treated <= 12 and math.isfinite(few_trained.estimate)
    few_controls = did(cohort(treated=300, controls=15, seed=7, agencies=1, job_types=1))
    assert not few_controls.enough and few_controls.reason == "too_few_controls"
    assert few_controls.n_control < 20 and math.isfinite(few_controls.estimate)
    assert did(cohort(treated=12, controls=800, seed=6), min_group=10).enough


def test_did_drops_and_counts_strata_without_controls():
    frame = cohort(seed=8)
    alone = cohort(treated=40, controls=0, seed=9).assign(agency=99, employee=lambda f: f["employee"] + 10_000)
    alone["after"] += 2.0  # were they counted, the estimate would jump
    with_alone = did(pd.concat([frame, alone], ignore_index=True))
    without = did(frame)
    alone_strata = alone.groupby(["job_type", baseline_band(alone["before"])]).ngroups
    assert with_alone.treated_unmatched == without.treated_unmatched + 40
    assert with_alone.strata_without_controls == without.strata_without_controls + alone_strata
    assert with_alone.strata_dropped == without.strata_dropped + alone_strata
    assert with_alone.estimate == pytest.approx(without.estimate)
    assert with_alone.n_treated == without.n_treated


def test_did_leaves_out_rows_without_a_level_and_counts_them():
    frame = cohort(seed=10)
    frame.loc[:9, "after"] = np.nan
    result = did(frame)
    complete = did(frame.iloc[10:])
    assert result.missing == 10 and complete.missing == 0
    assert (result.estimate, result.n_treated, result.n_control) == (
        complete.estimate, complete.n_treated, complete.n_control)


def test_did_by_takes_only_untrained_staff_on_the_same_competency_as_controls():
    frame, _effects = synthetic_did(rows=4000, courses=20, competencies=10, seed=11)
    course = "C003"
    result = did_by(frame, "course").set_index("course").loc[course]
    trained = frame["course"] == course
    competencies = frame.loc[trained, "competency"].unique()
    subset = frame[trained | (frame["course"].isna() & frame["competency"].isin(competencies))]
    alone = did(subset.assign(treated=subset["course"] == course))
    assert result["estimate"] == pytest.approx(alone.estimate)
    assert (result["n_treated"], result["n_control"]) == (alone.n_treated, alone.n_control)
    assert (result["strata_used"], result["strata_dropped"]) == (alone.strata_used, alone.strata_dropped)


def test_did_interval_is_reproducible_by_seed():
    frame = cohort(seed=12)
    assert did(frame, rng=1) == did(frame, rng=1)
    assert did(frame, rng=1).low != did(frame, rng=2).low


def test_baseline_bands_are_closed_on_the_left_and_the_last_on_both_sides():
    assert baseline_band([1.0, 1.5, 2.49, 2.5, 3.5, 5.0, np.nan]).tolist() == [0, 1, 1, 2, 3, 3, -1]
    with pytest.raises(ValueError):
        baseline_band([2.0], bands=(0, 3, 2))


# Level 4: results -------------------------------------------------------------------------------

def units(*, n=60, slope=10.0, seed=13):
    rng = np.random.default_rng(seed)
    coverage = rng.uniform(0, 0.8, n)
    ikm_before = rng.uniform(60, 90, n)
    good_before = rng.uniform(0.5, 0.9, n)
    return pd.DataFrame({
        "unit": np.arange(n), "coverage": coverage, "staff": rng.integers(5, 80, n),
        "ikm_before": ikm_before, "ikm_after": ikm_before + slope * coverage + rng.normal(0, 1.5, n),
        "share_good_before": good_before, "share_good_after": good_before + rng.normal(0, 0.05, n),
    })


def test_unit_association_finds_a_planted_relation_and_calls_it_an_association():
    result = unit_association(units(slope=10.0))
    assert result.kind == "association" and result.method == "spearman"
    assert result.ikm.rho > 0.5 and result.ikm.low > 0
    assert result.ikm.slope == pytest.approx(10.0, abs=2.0)
    assert result.ikm.n_units == 60 and result.ikm.enough
    assert result.share_good.low < 0 < result.share_good.high  # nothing planted there


def test_unit_association_leaves_out_tiny_units_and_says_when_too_few_remain():
    frame = units(n=12)
    frame.loc[:3, "staff"] = 2
    frame.loc[4, "ikm_after"] = np.nan
    result = unit_association(frame)
    assert result.units_left_out == 4 and result.units == 8
    assert result.ikm.n_units == 7 and result.share_good.n_units == 8
    assert not result.ikm.enough and result.ikm.reason == "too_few_units"


# Closing the loop: shrinkage ----------------------------------------------------------------------

def test_a_course_of_four_stays_near_the_prior_and_one_of_four_hundred_follows_its_data():
    frame = pd.DataFrame({"course": ["small", "large"], "estimate": [1.2, 1.2], "se": [0.4, 0.04], "n": [4, 400]})
    result = course_effects(frame, prior=0.3, k=20).set_index("course")
    assert abs(result.loc["small", "shrunk"] - 0.3) < 0.2
    assert abs(result.loc["large", "shrunk"] - 1.2) < 0.06
    assert result.loc["small", "weight"] == pytest.approx(4 / 24)


def test_near_zero_needs_a_tight_interval_inside_the_band_and_enough_people():
    frame = pd.DataFrame({
        "course": ["useless", "useless-few", "unclear", "useful"],
        "estimate": [0.01, 0.01, 0.02, 0.5], "se": [0.03, 0.03, 0.2, 0.05], "n": [300, 10, 300, 300],
    })
    flagged = course_effects(frame, prior=0.4).set_index("course")["near_zero"]
    assert flagged.to_dict() == {"useless": True, "useless-few": False, "unclear": False, "useful": False}


def test_near_zero_uses_the_estimates_own_interval_when_given():
    # The standard error alone would say ±0.02; the interval given says the course adds at most 0.2.
    frame = pd.DataFrame({"course": ["a", "b"], "estimate": [0.0, 0.0], "se": [0.01, 0.01], "n": [100, 100],
                          "low": [-0.15, -0.3], "high": [0.2, 0.05]})
    # "b" may even do harm, but credibly adds nothing: flagged as well.
    assert course_effects(frame, prior=0.4)["near_zero"].tolist() == [False, True]


def test_shrinkage_takes_a_prior_per_course_and_keeps_it_without_an_estimate():
    frame = pd.DataFrame({"course": ["a", "b"], "estimate": [np.nan, 0.5], "se": [np.nan, 0.1], "n": [0, 20]})
    result = course_effects(frame, prior={"a": 0.2, "b": 0.6}, k=20).set_index("course")
    assert result.loc["a", "shrunk"] == 0.2 and result.loc["a", "weight"] == 0
    assert result.loc["b", "shrunk"] == pytest.approx(0.55)
    with pytest.raises(ValueError):
        course_effects(frame, prior={"a": 0.2})


def test_prior_strength_estimates_how_many_participants_the_prior_is_worth():
    rng = np.random.default_rng(14)
    courses, sigma, tau = 300, 0.5, 0.1  # k = σ² / τ² = 25
    n = rng.integers(20, 200, courses)
    se = sigma / np.sqrt(n)
    estimate = rng.normal(0.3, tau, courses) + rng.normal(0, se)
    k = prior_strength(pd.DataFrame({"estimate": estimate, "se": se, "n": n}))
    assert 12 < k < 50


def test_did_by_feeds_course_effects():
    frame, effects = synthetic_did(rows=20_000, courses=50, seed=15)
    measured = did_by(frame).rename(columns={"n_treated": "n"})
    result = course_effects(measured, prior=0.3).join(effects.rename("effect"), on="course")
    shrunk, raw, effect = (result[c].to_numpy() for c in ("shrunk", "raw", "effect"))
    assert np.abs(shrunk - effect).mean() < np.abs(raw - effect).mean() + 0.02
    assert (effect[result["near_zero"].to_numpy()] == 0).all()


# Shared statistics ------------------------------------------------------------------------------

@pytest.mark.parametrize(("df", "expected"), [(1, 12.706205), (2, 4.302653), (3, 3.182446), (5, 2.570582),
                                              (10, 2.228139), (30, 2.042272), (1000, 1.962339)])
def test_t_quantile_matches_the_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-4)


def test_spearman_shares_ranks_between_ties():
    assert spearman(np.array([1, 2, 2, 3]), np.array([1, 2, 3, 4])) == pytest.approx(0.9486833)


def test_a_hidden_group_cannot_be_worked_out_from_the_total_and_the_others():
    from lms.impact import protect_partition

    answers = pd.DataFrame(
        [{"trainer": t, "respondent": "%s%d" % (t, i), "question": "overall", "score": s}
         for t, n, s in (("Ani", 6, 4), ("Budi", 5, 3), ("Citra", 1, 1)) for i in range(n)])
    summary = reaction_summary(answers, None, ["trainer"])
    assert list(summary["suppressed"]) == [False, False, True]  # Citra alone is hidden by the rule of five
    protected = protect_partition(summary)
    # …but the total of 12 minus Ani and Budi would give Citra's score: Budi (the smallest shown) goes too.
    assert list(protected["suppressed"]) == [False, True, True]
    assert protected["overall"].isna().tolist() == [False, True, True]
    assert protect_partition(summary.iloc[:2])["suppressed"].tolist() == [False, False]  # nothing hidden, nothing added
