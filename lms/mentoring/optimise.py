"""The optimal matching: a min-cost flow (OR-Tools) from needs through mentor–mentee pairs to mentors.

Network: source → need (capacity 1: one mentor per need) → mentor (capacity 1) → sink
(capacity: the mentor's places left after the locks). Where one mentee has two or more needs
a mentor could take, those needs reach the mentor through one pair node whose arc onward has
capacity 1, so a pair covers one competency. A free source → sink arc lets needs go
uncovered; every need → mentor path costs −(weight × M + soft), so the cheapest flow is the
matching of most weight and, among those, of most soft points. Weights are integers in
1/``WEIGHT_STEPS``; M exceeds the most soft points any matching can hold, so no soft bonus
outweighs the smallest difference in weight. Network flows have integral optima: the result is
optimal over the candidates kept (all eligible pairs with ``candidates_per_need=None``).
"""

import time

import numpy as np
from ortools.graph.python import min_cost_flow

from .problem import Matching, Params, Problem, Rules, assemble, pin_locks

WEIGHT_STEPS = 10_000
SPREAD = 0.5  # share of the candidates per need drawn at random rather than by soft points
INT64 = 2**63 - 1


def match(problem: Problem, params: Params | None = None) -> Matching:
    """The matching of most priority-weighted gap coverage, then most soft points, with HR's locks pinned."""
    params = params or Params()
    started = time.perf_counter()
    rules = Rules(problem, params)
    pinned_need, pinned_mentor, infeasible = pin_locks(rules)
    need, mentor, soft, pruned = candidates(rules, params.candidates_per_need)
    arcs_found = len(need)

    spare = rules.capacity - np.bincount(pinned_mentor, minlength=len(rules.capacity))
    people = len(rules.people)
    pair = rules.mentor_person[mentor].astype(np.int64) * people + rules.need_person[need]
    pinned_pair = rules.mentor_person[pinned_mentor].astype(np.int64) * people + rules.need_person[pinned_need]
    keep = (spare[mentor] > 0) & ~np.isin(need, pinned_need) & ~np.isin(pair, pinned_pair)
    need, mentor, soft, pair = need[keep], mentor[keep], soft[keep], pair[keep]
    built = time.perf_counter()

    chosen_need, chosen_mentor, flow = _solve(need, mentor, soft, pair, rules.weight, spare)
    details = {"candidates": arcs_found, "pruned": pruned, "build_seconds": built - started, **flow}
    locked = np.r_[np.ones(len(pinned_need), bool), np.zeros(len(chosen_need), bool)]
    return assemble(rules, np.r_[pinned_need, chosen_need], np.r_[pinned_mentor, chosen_mentor], locked,
                    method="min-cost flow", seconds=time.perf_counter() - started, infeasible=infeasible,
                    details=details)


def candidates(rules: Rules, limit=None, chunk=2_000_000):
    """Eligible (need, mentor) positions and their soft points; with ``limit``, at most ``limit`` per need.

    Of the ``limit`` kept, the first part are the mentors of most soft points (ties broken by a
    fixed hash of the pair, so needs alike spread over mentors alike); the rest (``SPREAD``) are
    drawn among the other eligible mentors at random, in proportion to their capacity (a fixed
    hash again: the same problem gives the same candidates). Soft points alone would leave the
    needs of a place short of local mentors without the idle mentors elsewhere; the random part
    keeps the candidate graph connected enough that pruning costs next to no coverage.
    Returns (need, mentor, soft, pruned): arrays, and the number of eligible pairs left out.
    """
    out_need, out_mentor, out_soft, dropped = [], [], [], 0
    for competency in range(rules.n_competencies):
        mentors = rules.teachers.get(competency)
        needs = rules.needs_of(competency)
        if mentors is None or not len(needs):
            continue
        step = max(1, chunk // len(mentors))
        for start in range(0, len(needs), step):
            rows = needs[start:start + step]
            ok = rules.allowed(rows, mentors)
            soft = rules.soft(rows, mentors)
            if limit is not None and len(mentors) > limit:
                keep, kept = _prune(rules, rows, mentors, ok, soft, limit)
                dropped += int(ok.sum() - kept.sum())
                r, k = np.nonzero(kept)
                c = keep[r, k]
            else:
                r, c = np.nonzero(ok)
            out_need.append(rows[r])
            out_mentor.append(mentors[c])
            out_soft.append(soft[r, c])
    if not out_need:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64), 0
    return np.concatenate(out_need), np.concatenate(out_mentor), np.concatenate(out_soft), dropped


def _prune(rules, rows, mentors, ok, soft, limit):
    """Column positions (rows × ``limit``) of the mentors kept for each need and whether each is a
    real candidate (eligible, not named twice); see ``candidates``."""
    best = limit - int(limit * SPREAD)
    mix = rows[:, None] * 2654435761 + mentors[None, :] * 2246822519
    score = np.where(ok, (soft << 20) + mix % (1 << 20), -1)
    keep = np.argpartition(-score, best - 1, axis=1)[:, :best]
    if best == limit:
        return keep, np.take_along_axis(ok, keep, axis=1)
    # Weighted sampling without replacement by keys u^(1 / capacity): log(u) / capacity, largest first.
    u = ((mix // (1 << 20)) % (1 << 20) + 1) / ((1 << 20) + 1)
    key = np.where(ok, np.log(u) / rules.capacity[mentors][None, :], -np.inf)
    np.put_along_axis(key, keep, -np.inf, axis=1)
    spread = np.argpartition(-key, limit - best - 1, axis=1)[:, :limit - best]
    real = np.concatenate([np.take_along_axis(ok, keep, axis=1), np.take_along_axis(key, spread, axis=1) > -np.inf],
                          axis=1)
    return np.concatenate([keep, spread], axis=1), real


def _solve(need, mentor, soft, pair, weight, spare):
    """Chosen (need, mentor) positions of the min-cost flow over the given arcs, and figures of the run."""
    if not len(need):
        return need, mentor, {"status": "empty", "arcs": 0, "nodes": 0, "flow_seconds": 0.0}
    needs, need_node = np.unique(need, return_inverse=True)
    mentors, mentor_node = np.unique(mentor, return_inverse=True)
    _pairs, pair_node, pair_count = np.unique(pair, return_inverse=True, return_counts=True)
    shared = pair_count[pair_node] > 1
    shared_pairs, shared_node = np.unique(pair_node[shared], return_inverse=True)
    source, sink = 0, 1
    need_node = need_node + 2
    mentor_node = mentor_node + 2 + len(needs)
    first_pair = 2 + len(needs) + len(mentors)
    nodes = first_pair + len(shared_pairs)

    # The most soft points a matching can hold bounds M; it and the weight resolution must keep
    # every cost × (nodes + 1) inside int64, OR-Tools' own limit.
    most_pairs = int(min(len(needs), spare[mentors].sum()))
    big = most_pairs * int(max(soft.max(), 0)) + 1
    steps = WEIGHT_STEPS
    while steps > 1 and _most_cost(weight[needs].max(), steps, big) * (max(nodes, most_pairs) + 1) > INT64 // 2:
        steps //= 10
    if _most_cost(weight[needs].max(), steps, big) * (max(nodes, most_pairs) + 1) > INT64 // 2:
        raise ValueError("Weights and soft points too large for an integer min-cost flow.")
    points = np.maximum(np.round(weight[need] * steps).astype(np.int64), 1)

    pair_mentor = np.zeros(len(shared_pairs), np.int64)
    pair_soft = np.zeros(len(shared_pairs), np.int64)
    pair_mentor[shared_node] = mentor_node[shared]
    pair_soft[shared_node] = soft[shared]
    to = mentor_node.copy()
    to[shared] = first_pair + shared_node
    cost = -(points * big + np.where(shared, 0, soft))
    tails = np.concatenate([np.zeros(len(needs), np.int64), need_node, first_pair + np.arange(len(shared_pairs)),
                            2 + len(needs) + np.arange(len(mentors)), [source]])
    heads = np.concatenate([2 + np.arange(len(needs)), to, pair_mentor, np.full(len(mentors), sink), [sink]])
    caps = np.concatenate([np.ones(len(needs) + len(need) + len(shared_pairs), np.int64), spare[mentors],
                           [len(needs)]])
    costs = np.concatenate([np.zeros(len(needs), np.int64), cost, -pair_soft, np.zeros(len(mentors) + 1, np.int64)])

    started = time.perf_counter()
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.array([source, sink]), np.array([len(needs), -len(needs)]))
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError("The min-cost flow ended with status %s." % status)
    used = flow.flows(len(needs) + np.arange(len(need))) > 0
    figures = {"status": "optimal", "arcs": int(flow.num_arcs()), "nodes": nodes, "pair_nodes": len(shared_pairs),
               "weight_steps": steps, "flow_seconds": time.perf_counter() - started}
    return need[used], mentor[used], figures


def _most_cost(weight, steps, big):
    """The largest cost of one path through the network."""
    return (int(round(weight * steps)) + 1) * big
