"""Rater leniency: a rater who scores high is corrected, self-inflation is measured on its own."""

import numpy as np

from tna.analysis import Parameters, analyse

from .analysis_frames import evidence, row

LENIENT = 999


def truth(ratee, competency):
    return 2 + (ratee + competency) % 2


def panel_with_a_lenient_rater():
    """200 ratees x 2 competencies, 4 peer raters each out of 100 exact raters plus one who adds a level.

    The lenient rater sits on the panels of ratees 0-19 only, as a real rater does.
    """
    ratings = []
    for ratee in range(200):
        raters = {1 + ratee % 100, 1 + (ratee + 7) % 100, 1 + (ratee + 13) % 100}
        raters.add(LENIENT if ratee < 20 else 1 + (ratee + 21) % 100)
        for competency in (1, 2):
            for rater in raters:
                level = truth(ratee, competency) + (1 if rater == LENIENT else 0)
                ratings.append((100 + ratee, rater, "peer", competency, level))
    return evidence(ratings)


def test_a_rater_who_scores_everyone_a_level_higher_is_corrected():
    result = analyse(panel_with_a_lenient_rater(), Parameters())
    raters = result.raters.set_index("rater")["leniency"]
    assert raters[LENIENT] > 0.8
    assert raters.drop(LENIENT).abs().max() < 0.1
    for ratee in range(20):
        gap, reason = row(result, 100 + ratee, 1)
        # Uncorrected the panel mean sits a quarter level too high; shrinkage keeps a little of it.
        assert abs(gap["observed_level"] - truth(ratee, 1)) <= 0.08
        assert reason["leniency_correction"] < -0.15


def test_without_correction_the_lenient_rater_inflates_the_level():
    result = analyse(panel_with_a_lenient_rater(), Parameters(leniency_shrinkage=1e12))
    gap, _ = row(result, 100, 1)
    assert gap["observed_level"] == truth(0, 1) + 0.25


def test_re_estimating_stops_the_lenient_rater_making_their_co_raters_look_severe():
    once = analyse(panel_with_a_lenient_rater(), Parameters(leniency_iterations=1)).raters.set_index("rater")
    thrice = analyse(panel_with_a_lenient_rater(), Parameters(leniency_iterations=3)).raters.set_index("rater")
    co_raters = [1 + r % 100 for r in range(20)]  # rated alongside the lenient rater
    assert thrice.loc[co_raters, "leniency"].abs().mean() < once.loc[co_raters, "leniency"].abs().mean()


def test_self_inflation_is_estimated_apart_from_the_same_persons_ratings_of_others():
    ratings = []
    people = list(range(1, 31))
    for ratee in people:
        for competency in range(1, 7):
            level = truth(ratee, competency)
            ratings.append((ratee, ratee, "self", competency, level + 1))
            for step in (1, 2, 3):
                ratings.append((ratee, 1 + (ratee - 1 + step) % 30, "peer", competency, level))
    result = analyse(evidence(ratings), Parameters(leniency_shrinkage=1.0))
    raters = result.raters
    own = raters[raters["self_rating"]]
    others = raters[~raters["self_rating"]]
    assert set(own["rater"]) == set(others["rater"]) == set(people)
    assert own["leniency"].between(0.8, 1.0).all()
    assert others["leniency"].abs().max() < 0.05
    gap, reason = row(result, 5, 1)
    assert abs(gap["observed_level"] - truth(5, 1)) < 0.05
    # The self mean shown is the corrected one.
    assert abs(reason["raters"]["self"]["mean"] - truth(5, 1)) < 0.2


def test_shrinkage_trusts_a_rater_with_few_ratings_less():
    ratings = [(1, 10, "peer", 1, 3), (1, 11, "peer", 1, 3), (1, 12, "peer", 1, 4)]
    result = analyse(evidence(ratings), Parameters(leniency_shrinkage=5.0, leniency_iterations=1))
    raters = result.raters.set_index("rater")
    # 4 vs the others' 3: one level, from one rating, shrunk by 1 / (1 + 5) before centring.
    assert np.isclose(raters.loc[12, "leniency"] - raters.loc[10, "leniency"], 1 / 6 + 0.5 / 6)
    assert raters.loc[12, "compared"] == 1
