"""An attacker's arithmetic on what a ratee and their supervisor are shown must not give back
what fewer than three peers or subordinates said (docs/tna-method.md §9).

The attacker knows the documented role weights, who was asked to rate whom (so the size of each
group), their own ratings, and everything the API returns for their rows: observed level,
confidence, gap, priority, the shown rater groups and the reason. For every row with a group the
ratee is not shown, they solve the weighted-mean equations for that group, the way the earlier
version of Latih could be attacked; a group counts as recovered when the answer lands within
0.25 of what the group really said (enough to tell a lone rater's level).
"""

import itertools
import random

import numpy as np
import pytest
from django.test import Client

from tna import factories
from tna.conf import settings as tna_settings
from tna.models import Cycle, Rating
from tna.services import tna_run
from tna.services.tna_run import run_tna

ROLES = ("supervisor", "peer", "subordinate", "self")
# Panels of (peers, subordinates): every size below, at and above the minimum of three.
PANELS = [(p, s) for p in range(0, 5) for s in range(0, 4)]
COMPETENCIES = 4


@pytest.fixture
def world(db):
    """One agency: a ratee per panel, each with one supervisor, and raters drawn from a pool."""
    rng = random.Random(11)
    agency = factories.AgencyFactory(code="kab-uji")
    unit = factories.UnitFactory(agency=agency)
    position = factories.PositionFactory(agency=agency)
    competencies = [factories.CompetencyFactory(code="TK.%02d" % (90 + i)) for i in range(COMPETENCIES)]
    for competency in competencies:
        factories.RequiredLevelFactory(position=position, competency=competency, level=4)
    cycle = Cycle.objects.create(year=2026)
    boss = factories.EmployeeFactory(agency=agency, unit=unit, position=position, roles=["supervisor"])
    pool = factories.EmployeeFactory.create_batch(12, agency=agency, unit=unit, position=position)
    ratees, ratings = [], []
    for peers, subordinates in PANELS:
        ratee = factories.EmployeeFactory(agency=agency, unit=unit, position=position, supervisor=boss)
        ratees.append(ratee)
        chosen = rng.sample(pool, peers + subordinates)
        panel = [(boss, "supervisor"), (ratee, "self")]
        panel += [(rater, "peer") for rater in chosen[:peers]] + [(rater, "subordinate") for rater in chosen[peers:]]
        for competency in competencies:
            for rater, role in panel:
                ratings.append(Rating(cycle=cycle, ratee=ratee, rater=rater, rater_role=role,
                                      competency=competency, level=rng.randint(1, 5)))
    # Everyone in the pool is rated too, so every rater's leniency is estimated from many cells.
    for person in pool:
        for competency in competencies:
            for rater in rng.sample([p for p in pool if p != person], 3):
                ratings.append(Rating(cycle=cycle, ratee=person, rater=rater, rater_role="peer",
                                      competency=competency, level=rng.randint(1, 5)))
    Rating.objects.bulk_create(ratings)
    return {"agency": agency, "cycle": cycle, "boss": boss, "ratees": ratees}


def shown_rows(user, nip=None):
    """What the API gives ``user`` about their own rows (or ``nip``'s, for a supervisor)."""
    client = Client()
    client.force_login(user)
    if nip is None:
        return client.get("/api/v1/me/gaps/", {"page_size": 100}).json()["results"]
    return client.get("/api/v1/gaps/", {"employee": nip, "page_size": 100}).json()["results"]


def truth(ratee, competency_code):
    """{role: mean level} each group really gave, and {role: count}."""
    levels = {}
    for role, level in Rating.objects.filter(ratee=ratee, competency__code=competency_code).values_list(
            "rater_role", "level"):
        levels.setdefault(role, []).append(level)
    return {role: float(np.mean(v)) for role, v in levels.items()}, {role: len(v) for role, v in levels.items()}


def attack(row, sizes, own_self=None):
    """Every group mean the attacker can solve for from one row: {role: estimate}.

    Unknowns are the means of the groups not shown by themselves; equations are the observed
    level as the documented role-weighted mean over the roles that rated (renormalised), and the
    shown "other" pool as the rater-count-weighted mean of the groups it pools. Solved by least
    squares; an unknown counts only when the system pins it down (its column is independent).
    """
    weights = dict(tna_settings.RATER_WEIGHTS)
    shown = {group["role"]: group for group in row["raters"]}
    if own_self is not None:
        shown.setdefault("self", {"role": "self", "n": 1, "mean": own_self})
    present = [role for role in ROLES if sizes.get(role)]
    hidden = [role for role in present if role not in shown]
    if not hidden or row["observed_level"] is None:
        return {}
    total = sum(weights[role] for role in present)
    # Observed = Σ ω·mean  →  Σ_hidden ω·x = observed − Σ_shown ω·mean
    equations = [([weights[role] / total for role in hidden],
                  row["observed_level"] - sum(weights[r] / total * shown[r]["mean"] for r in present if r in shown))]
    if "other" in shown:
        pooled = [role for role in hidden if role in ("peer", "subordinate")]
        n = sum(sizes[role] for role in pooled)
        if pooled and n == shown["other"]["n"]:
            equations.append(([sizes[role] / n if role in pooled else 0.0 for role in hidden], shown["other"]["mean"]))
    a = np.array([coefficients for coefficients, _ in equations])
    b = np.array([value for _, value in equations])
    solution, *_ = np.linalg.lstsq(a, b, rcond=None)
    rank = np.linalg.matrix_rank(a)
    solved = {}
    for j, role in enumerate(hidden):
        # Pinned down when dropping the column lowers the rank (the column is not a combination of others).
        if np.linalg.matrix_rank(np.delete(a, j, axis=1)) < rank:
            solved[role] = float(solution[j])
    return solved


def recovered(rows, ratee):
    """The hidden small groups the attacker recovers from ``rows`` about ``ratee``.

    A guess that is only the shown pool's average ("other raters") is no recovery: that average is
    shown, and a group whose members happened to say about the same lands near it by chance.
    """
    found = []
    for row in rows:
        means, sizes = truth(ratee, row["competency"])
        own_self = means.get("self")
        pool = next((group["mean"] for group in row["raters"] if group["role"] == "other"), None)
        small = {role: n for role, n in sizes.items() if role in ("peer", "subordinate") and 0 < n < 3}
        for role, estimate in attack(row, sizes, own_self).items():
            if role in small and sum(small.values()) < 3:
                continue  # not counted: nothing shown depends on it (the last test), a hit is chance
            if role in ("peer", "subordinate") and sizes[role] < 3 or role == "supervisor":
                if pool is not None and abs(estimate - pool) <= 0.05:
                    continue
                if abs(estimate - means[role]) <= 0.25:
                    found.append((ratee.nip, row["competency"], role, round(estimate, 2), means[role]))
    return found


def small_groups():
    """How many (ratee, competency, group) of the scene have one or two raters."""
    return COMPETENCIES * sum(1 for panel in PANELS for n in panel if 0 < n < 3)


def test_no_ratee_or_supervisor_recovers_a_small_group(world):
    run_tna(cycle=world["cycle"], agency=world["agency"])
    found = []
    for ratee in world["ratees"]:
        found += recovered(shown_rows(ratee.user), ratee)
        found += recovered(shown_rows(world["boss"].user, ratee.nip), ratee)
    assert small_groups() > 50  # the scene really has small groups to attack
    assert found == []


def test_the_attack_works_on_results_that_count_small_groups(world, monkeypatch):
    """The same attacker against the earlier rule (small groups counted, only hidden from view)
    recovers most of them: the test can fail."""
    original = tna_run.analysis_parameters

    def leaky():
        from dataclasses import replace
        return replace(original(), anonymity_minimum=1)

    monkeypatch.setattr(tna_run, "analysis_parameters", leaky)
    run_tna(cycle=world["cycle"], agency=world["agency"])
    found = []
    for ratee in world["ratees"]:
        found += recovered(shown_rows(ratee.user), ratee)
    assert len(found) > 20


def test_what_a_small_group_says_changes_nothing_the_ratee_is_shown(world):
    run_tna(cycle=world["cycle"], agency=world["agency"])
    before = {r.nip: shown_rows(r.user) for r in world["ratees"]}
    # Small groups the analysis leaves out (peer and subordinate groups of one or two whose pool
    # stays under three) each say the opposite now.
    left_out = []
    for ratee, (peers, subordinates) in zip(world["ratees"], PANELS, strict=True):
        small = {"peer": peers, "subordinate": subordinates}
        small = {role: n for role, n in small.items() if 0 < n < 3}
        for role in small:
            if sum(small.values()) < 3:
                left_out.append((ratee, role))
    assert len(left_out) > 10
    for ratee, role in left_out:
        for rating in Rating.objects.filter(ratee=ratee, rater_role=role):
            rating.level = 6 - rating.level
            rating.save()
    run_tna(cycle=world["cycle"], agency=world["agency"])
    for ratee in world["ratees"]:
        after = shown_rows(ratee.user)
        for a, b in itertools.zip_longest(before[ratee.nip], after):
            assert {k: v for k, v in a.items() if k != "id"} == {k: v for k, v in b.items() if k != "id"}
