"""Small rater groups: left out or pooled so that nothing computed from a person's ratings tells
what fewer than three peers or subordinates (or one of two supervisors) said."""

import numpy as np
import pytest

from tna.analysis import Parameters, analyse
from tna.analysis.anonymity import kept_ratings
from tna.analysis.params import PEER, SELF, SUBORDINATE, SUPERVISOR

from .analysis_frames import evidence, row

NO_LENIENCY = {"leniency_shrinkage": 1e12, "leniency_iterations": 1}


def kept(*roles, minimum=3):
    role = np.array(roles, dtype=np.int8)
    return kept_ratings(cell=np.zeros(len(role), dtype=np.intp), role=role, n_cells=1, minimum=minimum).tolist()


@pytest.mark.parametrize(("roles", "expected"), [
    ((SELF,), [True]),
    ((SUPERVISOR,), [True]),  # the one superior: a known person the ratee sees
    ((SUPERVISOR, SUPERVISOR), [False, False]),  # each of two could subtract their own
    ((SUPERVISOR,) * 3, [False] * 3),
    ((SUPERVISOR,) * 4, [True] * 4),
    ((PEER,), [False]),
    ((PEER, PEER), [False, False]),
    ((PEER,) * 3, [True] * 3),
    ((PEER, PEER, SUBORDINATE), [True] * 3),  # a pool of three
    ((PEER, SUBORDINATE), [False, False]),
    ((PEER,) * 3 + (SUBORDINATE,), [True, True, True, False]),  # a lone subordinate has no pool
    ((PEER, PEER, SUBORDINATE, SUBORDINATE), [True] * 4),
])
def test_which_ratings_are_kept(roles, expected):
    assert kept(*roles) == expected


def panel(peers=(), subordinates=(), supervisor=(2,), self_level=3, competency=1):
    """Ratings of person 1 on one competency; raters numbered from 10."""
    ratings = [(1, 1, "self", competency, self_level)]
    ratings += [(1, 2 + i, "supervisor", competency, level) for i, level in enumerate(supervisor)]
    ratings += [(1, 10 + i, "peer", competency, level) for i, level in enumerate(peers)]
    ratings += [(1, 20 + i, "subordinate", competency, level) for i, level in enumerate(subordinates)]
    return ratings


def seen(ratings, **overrides):
    """Everything the analysis says about person 1's competency 1: the row and its reason."""
    result = analyse(evidence(ratings), Parameters(**{**NO_LENIENCY, **overrides}))
    return row(result, 1, 1)


@pytest.mark.parametrize("hidden", [
    {"peers": (1,)}, {"peers": (5, 1)}, {"subordinates": (4,)}, {"peers": (2,), "subordinates": (5,)},
])
def test_a_group_too_small_to_pool_changes_nothing_at_all(hidden):
    """Whatever a lone peer or a pair of subordinates said, the person's result is the same."""
    baseline = seen(panel(**{k: tuple(1 for _ in v) for k, v in hidden.items()}))
    for levels in ((5,), (3,), (4,)):
        varied = {k: tuple(levels[0] for _ in v) for k, v in hidden.items()}
        assert seen(panel(**varied)) == baseline
    assert "ratings_left_out" in baseline[1]["signals"]
    assert set(baseline[1]["raters"]) == {"supervisor", "self"}


def test_a_pool_of_three_counts_as_one_group_weighted_by_its_roles():
    gap, reason = seen(panel(peers=(4, 2), subordinates=(3,), supervisor=(2,), self_level=4))
    pool_weight, total = 0.25 + 0.2, 0.4 + 0.25 + 0.2 + 0.15
    expected = (0.4 * 2 + pool_weight * 3 + 0.15 * 4) / total
    assert gap["observed_level"] == round(expected, 2)
    # Each pooled role carries its share of the pool: pool weight x its raters / the pool's raters.
    assert reason["raters"]["peer"]["weight"] == round(pool_weight * 2 / 3 / total, 2)
    assert reason["raters"]["subordinate"]["weight"] == round(pool_weight * 1 / 3 / total, 2)
    assert "ratings_left_out" not in reason["signals"]


def test_inside_a_pool_nothing_tells_who_said_what():
    """Whoever of the pool gave which level, the result is the same; pools with the same total
    give the same level, gap and priority."""
    a = seen(panel(peers=(5, 1), subordinates=(3,)))
    b = seen(panel(peers=(3, 5), subordinates=(1,)))
    c = seen(panel(peers=(1, 3), subordinates=(5,)))
    assert a[0] == b[0] == c[0]
    assert a[1]["observed"] == b[1]["observed"] == c[1]["observed"]
    same_total = seen(panel(peers=(3, 3), subordinates=(3,)))
    for key in ("observed_level", "gap", "priority"):
        assert same_total[0][key] == a[0][key]


def test_two_supervisors_are_left_out_but_one_or_four_count():
    one = seen(panel(supervisor=(2,)))
    two_low, two_high = seen(panel(supervisor=(1, 1))), seen(panel(supervisor=(5, 5)))
    assert two_low == two_high and "supervisor" not in two_low[1]["raters"]
    assert one[1]["raters"]["supervisor"]["n"] == 1
    assert seen(panel(supervisor=(2, 3, 4, 5)))[1]["raters"]["supervisor"]["n"] == 4


def test_left_out_ratings_do_not_move_any_raters_leniency():
    """Leniency is estimated without them too, so they cannot leak through other people's rows."""
    base = [(2, 30 + i, "peer", 1, 3) for i in range(3)] + [(2, 9, "supervisor", 1, 4)]
    lone_low = base + panel(peers=(1,)) + [(3, 10, "peer", 1, 2), (3, 31, "peer", 1, 3), (3, 32, "peer", 1, 3)]
    lone_high = [r if r[:3] != (1, 10, "peer") else (1, 10, "peer", 1, 5) for r in lone_low]
    low = analyse(evidence(lone_low), Parameters()).raters.sort_values("rater").reset_index(drop=True)
    high = analyse(evidence(lone_high), Parameters()).raters.sort_values("rater").reset_index(drop=True)
    assert low.equals(high)


def test_a_minimum_under_three_is_warned_about(settings):
    from tna.checks import check_rater_weights

    assert not [w for w in check_rater_weights(None) if w.id == "tna.W004"]
    settings.LATIH_MIN_RATERS_PER_ROLE_SHOWN = 2
    assert [w.id for w in check_rater_weights(None) if w.id == "tna.W004"] == ["tna.W004"]
