"""The recommender: ranks courses for each employee's competency gaps and tops the year's plan up to the JP minimum.

Pure pandas/NumPy: frames in, frames out, no ORM (``lms.services.recommendations`` is the
adapter). docs/recommendations.md explains the method; in short, for employee *e* and course *k*:

* closure of gap *g* (competency *c*, required *r*, observed *o*) by a course reaching level *L*
  in *c*: ``(min(L, r) − o) × realised`` clipped to ``[0, gap]`` — what the course can close,
  never more than the job asks for, times the share of that promise the course has been measured
  to deliver (``realised``, 1 for a course never measured; ``lms.services.impact``) — and counted
  only from ``min_closure`` (a quarter level) up;
* ``benefit = Σ_g closure_g × max(priority_g, 1) / 100`` over the gaps the course targets;
* ``full_cost = cost per participant + JP × rupiah_per_jp`` (money plus the time away from
  work, valued at a shadow price per JP), so the ranking is per rupiah and per JP at once;
* ``preference = (1 + mode_bonus × mode_match) × (1 + time_bonus × time_match)``;
* ``score = benefit × preference / (full_cost / 1,000,000)``: priority-weighted levels closed
  per million rupiah of full cost.

The year's plan holds the best course for each gap, and when that plus the JP already earned
stays under the minimum, further relevant courses (top-ups: courses that develop a competency
the position requires beyond the person's level without closing a gap, then alternatives for
gaps already covered) in rank order until the minimum is reached.

Courses a person's development plan names (the leadership training of the talent boxes 7–9;
``lms.services.development``) come in as ``development`` rows with the agency's priority: each is
worth ``priority / 100`` of one level (``DEVELOPMENT_LEVELS``), scored per full cost like a gap,
always in the plan and never cut from the list. A course that also closes a gap stays one row,
of its own kind, with the development's worth added and marked.
"""

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

MODES = ("classroom", "online", "blended", "self_paced")
# Preferred-time codes (tna.models.PreferredTime) as bits, so a course can fit several.
TIME_BITS = {"morning": 1, "afternoon": 2, "full_day": 4, "short_blocks": 8}
ANY_TIME = sum(TIME_BITS.values())

KINDS = ("gap", "alternative", "top_up", "development")
GAP, ALTERNATIVE, TOP_UP, DEVELOPMENT = range(4)
#: What a course of a person's development plan is worth, in levels of a gap of its priority.
DEVELOPMENT_LEVELS = 1.0
#: The action of development rows given without one.
DEFAULT_DEVELOPMENT_ACTION = "leadership_training"

# Employees handled per block: bounds the memory of the employee × course pairs.
BLOCK = 25_000

RANKED_COLUMNS = [
    "employee_id", "course_id", "rank", "kind", "competency_id", "in_plan", "score", "benefit",
    "expected_closure", "relevance", "jp", "cost", "full_cost", "mode_match", "time_match", "preference",
    "development",
]
DETAIL_COLUMNS = [
    "employee_id", "course_id", "competency_id", "required", "observed", "gap", "priority", "level", "closure",
]
PLAN_COLUMNS = ["employee_id", "jp_earned", "jp_planned", "jp_minimum"]


@dataclass(frozen=True)
class Params:
    """The recommender's tunable numbers; the service fills them from ``lms.conf`` and ``tna.conf``."""

    per_person: int = 8
    # Courses listed per gap (the best, then alternatives), and top-ups per competency developed.
    courses_per_gap: int = 2
    jp_minimum: int = 20
    rupiah_per_jp: int = 100_000
    mode_bonus: float = 0.15
    time_bonus: float = 0.05
    # Less closure than this (levels) does not count: a course barely above where the person is
    # (or a gap of a few hundredths) is not worth a place in the plan.
    min_closure: float = 0.25
    # Score of one developed competency in a top-up, as if it closed this many priority-weighted levels.
    top_up_weight: float = 0.1

    def __post_init__(self):
        if self.per_person < 1 or self.courses_per_gap < 1:
            raise ValueError("per_person and courses_per_gap must be at least 1.")
        if self.rupiah_per_jp < 0 or self.mode_bonus < 0 or self.time_bonus < 0 or self.top_up_weight <= 0:
            raise ValueError("Costs and bonuses must not be negative; top_up_weight must be positive.")
        if not 0 < self.min_closure <= 5:
            raise ValueError("min_closure must be above 0 and at most 5 levels.")


@dataclass
class Result:
    """What ``recommend`` produced.

    ``ranked``: one row per kept recommendation, sorted by (employee_id, rank): employee_id,
    course_id, rank (1 = best), kind (0 gap, 1 alternative, 2 top-up, 3 development; ``KINDS``),
    competency_id (the gap it mainly closes; -1 for a top-up or a development row), in_plan,
    score, benefit (the development's worth included), expected_closure (levels, summed over the
    gaps it targets), relevance (competencies it develops without closing a gap), jp, cost,
    full_cost, mode_match (0, 0.5, 1), time_match (0, 1), preference, development (the priority
    of the development-plan item naming the course, -1 for none).
    ``details``: the competencies behind each kept row: employee_id, course_id, competency_id,
    required, observed (NaN = no ratings), gap, priority, level (what the course reaches),
    closure (0 for a competency it only develops).
    ``plan``: per employee: jp_earned, jp_planned (JP of the rows in the plan), jp_minimum.
    ``development``: the development rows used: employee_id, course_id, priority, action.
    """

    ranked: pd.DataFrame
    details: pd.DataFrame
    plan: pd.DataFrame
    development: pd.DataFrame = None

    def __len__(self):
        return len(self.ranked)


def recommend(gaps, courses, *, preferences=None, exclusions=None, earned=None, offers=None, development=None,
              params=None):
    """Rank courses for each employee in ``gaps``; returns a ``Result``.

    ``gaps``: employee_id, competency_id, required, observed (NaN without ratings), gap (≥ 0),
    priority (0–100), and agency_id when ``offers`` is given; one row per competency of the
    person's job standard, met ones included (they make top-ups relevant).
    ``courses``: course_id, competency_id, level (reached), jp, cost (rupiah per participant),
    mode (``MODES``), times (``TIME_BITS`` mask of the times its sessions fit; optional, any),
    realised (share of the promised closure the course was measured to deliver; optional, 1).
    ``preferences``: employee_id, mode, time ('' = no preference).
    ``exclusions``: employee_id, course_id — completed, enrolled, or already decided.
    ``earned``: employee_id, jp — JP already earned (or held) this year.
    ``offers``: agency_id, course_id — which courses each agency's staff may take (all if None).
    ``development``: employee_id, course_id, priority (0–100), action (optional, default
    ``leadership_training``) — courses the person's development plan names. They are recommended
    whatever ``offers`` says (the plan chose them), unless excluded or missing from ``courses``.
    """
    params = params or Params()
    course_table = _course_table(courses)
    dev = _development_table(development, course_table)
    employee_of_row = gaps["employee_id"].to_numpy(dtype=np.int64)
    people = np.unique(np.r_[employee_of_row, dev["employee_id"].to_numpy(dtype=np.int64)])
    blocks = [people[i:i + BLOCK] for i in range(0, len(people), BLOCK)]
    order = np.argsort(employee_of_row, kind="stable")
    sorted_ids = employee_of_row[order]
    dev_ids = dev["employee_id"].to_numpy(dtype=np.int64)
    extras = _Extras(preferences, exclusions, earned, offers, course_table)
    ranked, details, plans = [], [], []
    for block in blocks:
        lo, hi = np.searchsorted(sorted_ids, block[0], "left"), np.searchsorted(sorted_ids, block[-1], "right")
        rows = gaps.iloc[order[lo:hi]]
        d_lo, d_hi = np.searchsorted(dev_ids, block[0], "left"), np.searchsorted(dev_ids, block[-1], "right")
        r, d, p = _recommend_block(rows, course_table, extras, params, people=block, development=dev.iloc[d_lo:d_hi])
        ranked.append(r)
        details.append(d)
        plans.append(p)
    return Result(
        ranked=pd.concat(ranked, ignore_index=True) if ranked else _empty(RANKED_COLUMNS),
        details=pd.concat(details, ignore_index=True) if details else _empty(DETAIL_COLUMNS),
        plan=pd.concat(plans, ignore_index=True) if plans else _empty(PLAN_COLUMNS),
        development=dev[["employee_id", "course_id", "priority", "action"]],
    )


def _development_table(development, course_table):
    """The development rows whose course is in the catalogue, one per (employee, course) (highest
    priority), sorted by employee, with the course index as ``course``."""
    columns = ["employee_id", "course_id", "priority", "action", "course"]
    if development is None or not len(development):
        return pd.DataFrame({"employee_id": pd.Series(dtype="int64"), "course_id": pd.Series(dtype="int64"),
                             "priority": pd.Series(dtype="float64"), "action": pd.Series(dtype="object"),
                             "course": pd.Series(dtype="int64")})
    frame = pd.DataFrame({
        "employee_id": development["employee_id"].to_numpy(dtype=np.int64),
        "course_id": development["course_id"].to_numpy(dtype=np.int64),
        "priority": np.clip(development["priority"].to_numpy(dtype=np.float64), 0, 100),
        "action": (development["action"].to_numpy(dtype=object) if "action" in development
                   else DEFAULT_DEVELOPMENT_ACTION),
    })
    frame["course"] = course_table.index_of(frame["course_id"].to_numpy())
    frame = frame[frame["course"] >= 0]
    frame = frame.sort_values(["employee_id", "course_id", "priority"], ascending=[True, True, False], kind="stable")
    return frame.drop_duplicates(["employee_id", "course_id"]).reset_index(drop=True)[columns]


# Inputs ---------------------------------------------------------------------------------------


@dataclass
class _Courses:
    ids: np.ndarray  # course_id by course index
    jp: np.ndarray
    cost: np.ndarray
    mode: np.ndarray  # index into MODES, -1 unknown
    times: np.ndarray
    targets: pd.DataFrame  # competency_id, course (index), level
    realised: np.ndarray = None  # share of the promised closure each course delivers (1 unmeasured)
    tie_rank: np.ndarray = None  # order of courses by cost, JP, id: breaks score ties

    def index_of(self, course_ids):
        """Course indexes of ``course_ids`` (-1 for unknown ones)."""
        course_ids = np.asarray(course_ids, dtype=np.int64)
        if not len(self.ids):
            return np.full(len(course_ids), -1, np.int64)
        position = np.clip(np.searchsorted(self.ids, course_ids), 0, len(self.ids) - 1)
        return np.where(self.ids[position] == course_ids, position, -1)


def _course_table(courses):
    courses = courses.copy()
    if "times" not in courses:
        courses["times"] = ANY_TIME
    if "realised" not in courses:
        courses["realised"] = 1.0
    per_course = courses.drop_duplicates("course_id").sort_values("course_id")
    ids = per_course["course_id"].to_numpy(dtype=np.int64)
    mode_codes = {mode: i for i, mode in enumerate(MODES)}
    table = _Courses(
        ids=ids,
        jp=per_course["jp"].to_numpy(dtype=np.int64),
        cost=per_course["cost"].to_numpy(dtype=np.float64),
        mode=per_course["mode"].map(mode_codes).fillna(-1).to_numpy(dtype=np.int64),
        times=per_course["times"].fillna(ANY_TIME).to_numpy(dtype=np.int64),
        targets=None,
        realised=per_course["realised"].fillna(1.0).to_numpy(dtype=np.float64),
    )
    table.tie_rank = np.empty(len(ids), np.int64)
    table.tie_rank[np.lexsort((ids, table.jp, table.cost))] = np.arange(len(ids))
    table.targets = pd.DataFrame({
        "competency_id": courses["competency_id"].to_numpy(dtype=np.int64),
        "course": table.index_of(courses["course_id"].to_numpy(dtype=np.int64)),
        "level": courses["level"].to_numpy(dtype=np.float64),
    })
    return table


class _Extras:
    """Preferences, exclusions, JP earned and offers as lookups by employee id and course index."""

    def __init__(self, preferences, exclusions, earned, offers, course_table):
        self.n_courses = max(len(course_table.ids), 1)
        mode_codes = {mode: i for i, mode in enumerate(MODES)}
        if preferences is not None and len(preferences):
            prefs = preferences.drop_duplicates("employee_id")
            self.pref_ids = prefs["employee_id"].to_numpy(dtype=np.int64)
            order = np.argsort(self.pref_ids)
            self.pref_ids = self.pref_ids[order]
            self.pref_mode = prefs["mode"].map(mode_codes).fillna(-1).to_numpy(dtype=np.int64)[order]
            self.pref_time = prefs["time"].map(TIME_BITS).fillna(0).to_numpy(dtype=np.int64)[order]
        else:
            self.pref_ids = np.empty(0, np.int64)
        if exclusions is not None and len(exclusions):
            course = course_table.index_of(exclusions["course_id"].to_numpy(dtype=np.int64))
            keep = course >= 0
            self.excluded = np.unique(exclusions["employee_id"].to_numpy(dtype=np.int64)[keep] * self.n_courses + course[keep])
        else:
            self.excluded = np.empty(0, np.int64)
        if earned is not None and len(earned):
            totals = earned.groupby("employee_id")["jp"].sum()
            self.earned_ids = totals.index.to_numpy(dtype=np.int64)
            self.earned_jp = totals.to_numpy(dtype=np.float64)
        else:
            self.earned_ids = np.empty(0, np.int64)
        self.offered_targets = None
        if offers is not None:
            offered = pd.DataFrame({
                "agency_id": offers["agency_id"].to_numpy(dtype=np.int64),
                "course": course_table.index_of(offers["course_id"].to_numpy(dtype=np.int64)),
            }).drop_duplicates()
            self.offered_targets = offered[offered["course"] >= 0].merge(course_table.targets, on="course")

    def excluded_between(self, low, high):
        """Excluded (employee, course) keys of employees ``low``…``high``."""
        lo = np.searchsorted(self.excluded, low * self.n_courses, "left")
        hi = np.searchsorted(self.excluded, (high + 1) * self.n_courses, "left")
        return self.excluded[lo:hi]

    @staticmethod
    def lookup(ids, table_ids, values, default):
        position = np.clip(np.searchsorted(table_ids, ids), 0, len(table_ids) - 1)
        return np.where(table_ids[position] == ids, values[position], default)

    def preferences_of(self, employee_ids):
        if not len(self.pref_ids):
            zeros = np.zeros(len(employee_ids), np.int64)
            return zeros - 1, zeros
        return (self.lookup(employee_ids, self.pref_ids, self.pref_mode, -1),
                self.lookup(employee_ids, self.pref_ids, self.pref_time, 0))

    def earned_of(self, employee_ids):
        if not len(self.earned_ids):
            return np.zeros(len(employee_ids))
        return self.lookup(employee_ids, self.earned_ids, self.earned_jp, 0.0).astype(np.float64)


# One block of employees -----------------------------------------------------------------------
#
# Rows are sorted with one stable argsort of a composite int64 key (person, group…, quality),
# where ``quality`` is each row's place in one global best-first order: far cheaper than
# lexsorts of several float keys per step.


def _recommend_block(gaps, table, extras, params, *, people=None, development=None):
    """The three result frames for ``people`` (default: the employees in ``gaps``), given all
    their rows of ``gaps`` and of ``development`` (``_development_table``)."""
    if people is None:
        people = np.unique(gaps["employee_id"].to_numpy(dtype=np.int64))
    people = np.asarray(people, dtype=np.int64)
    if len(people) >= 1 << 20:
        raise ValueError("A block holds at most %d employees." % (1 << 20))
    if extras.offered_targets is not None:
        # Only what the person's agency offers: joining on (agency, competency) keeps the pairs few.
        pairs = gaps.merge(extras.offered_targets, on=["agency_id", "competency_id"], how="inner", sort=False)
    else:
        pairs = gaps.merge(table.targets, on="competency_id", how="inner", sort=False)
    employee = pairs["employee_id"].to_numpy(dtype=np.int64)
    course = pairs["course"].to_numpy(dtype=np.int64)
    keep = course >= 0
    excluded = extras.excluded_between(people[0], people[-1]) if len(people) else extras.excluded[:0]
    if len(excluded):
        keep &= ~np.isin(employee * extras.n_courses + course, excluded)
    dev_person, dev_course, dev_priority = _block_development(development, people, excluded, extras)

    level = pairs["level"].to_numpy(dtype=np.float64)
    required = pairs["required"].to_numpy(dtype=np.float64)
    observed = pairs["observed"].to_numpy(dtype=np.float64)
    gap = pairs["gap"].to_numpy(dtype=np.float64)
    unknown = np.isnan(observed)
    known = np.nan_to_num(observed)
    promised = np.where(unknown, 0.0, np.clip(np.minimum(level, required) - known, 0.0, gap))
    promised = np.where(promised >= params.min_closure, promised, 0.0)
    closure = promised
    if len(table.realised) and (table.realised != 1.0).any():
        # What the course has been measured to deliver of that promise (lms.services.impact).
        closure = np.clip(promised * table.realised[np.maximum(course, 0)], 0.0, gap)
        closure = np.where(closure >= params.min_closure, closure, 0.0)
    # A course develops a competency (a top-up) when it works at least at the job's level and
    # beyond where the person is; a gap it was promised to close and does not is no top-up.
    develops = (promised <= 0) & (level >= required) & (unknown | (level > known))
    keep &= (closure > 0) | develops

    idx = np.flatnonzero(keep)
    person = np.searchsorted(people, employee[idx])
    key = person * extras.n_courses + course[idx]
    order = np.argsort(key, kind="stable")
    idx, person, key = idx[order], person[order], key[order]
    priority = pairs["priority"].to_numpy(dtype=np.float64)[idx]
    pair = _Arrays(
        person=person, course=course[idx], key=key, competency=pairs["competency_id"].to_numpy(dtype=np.int64)[idx],
        required=required[idx], observed=observed[idx], gap=gap[idx], priority=priority, level=level[idx],
        closure=closure[idx], weighted=closure[idx] * np.maximum(priority, 1.0) / 100.0, develops=develops[idx],
    )
    if not len(idx) and not len(dev_person):
        plan = _plan_frame(people, extras, np.zeros(len(people)), params)
        return _empty(RANKED_COLUMNS), _empty(DETAIL_COLUMNS), plan

    rows = _rows_of_pairs(pair)
    _add_development(rows, dev_person, dev_course, dev_priority, extras.n_courses)
    _score(rows, people, table, extras, params)
    _classify(rows, pair, params)
    _plan(rows, pair, extras.earned_of(people), params)
    kept = _order_and_cut(rows, params)

    ranked = pd.DataFrame({
        "employee_id": people[rows.person[kept]], "course_id": table.ids[rows.course[kept]], "rank": rows.rank[kept],
        "kind": rows.kind[kept], "competency_id": np.where(rows.kind[kept] == TOP_UP, -1, rows.main[kept]),
        "in_plan": rows.in_plan[kept], "score": rows.score[kept], "benefit": rows.benefit[kept] + rows.dev_benefit[kept],
        "expected_closure": rows.closure[kept], "relevance": rows.relevance[kept], "jp": rows.jp[kept],
        "cost": rows.cost[kept], "full_cost": rows.full_cost[kept], "mode_match": rows.mode_match[kept],
        "time_match": rows.time_match[kept], "preference": rows.preference[kept],
        "development": rows.dev[kept],
    })
    in_kept = np.zeros(len(rows.person), bool)
    in_kept[kept] = True
    in_kept = np.flatnonzero(in_kept[pair.row])
    # Within each (person, course): the gaps it closes, the main one first, then what it develops.
    is_main = pair.competency[in_kept] == rows.main[pair.row[in_kept]]
    in_kept = in_kept[np.lexsort((pair.competency[in_kept], -pair.weighted[in_kept], ~is_main,
                                  pair.closure[in_kept] <= 0, pair.key[in_kept]))]
    details = pd.DataFrame({
        "employee_id": people[pair.person[in_kept]], "course_id": table.ids[pair.course[in_kept]],
        "competency_id": pair.competency[in_kept], "required": pair.required[in_kept],
        "observed": pair.observed[in_kept], "gap": pair.gap[in_kept], "priority": pair.priority[in_kept],
        "level": pair.level[in_kept], "closure": pair.closure[in_kept],
    })
    planned = np.bincount(rows.person[kept], weights=np.where(rows.in_plan[kept], rows.jp[kept], 0), minlength=len(people))
    return ranked, details, _plan_frame(people, extras, planned, params)


class _Arrays:
    """Parallel arrays as attributes: the pairs (person × course × competency) or the rows (person × course)."""

    def __init__(self, **arrays):
        self.__dict__.update(arrays)


def _rows_of_pairs(pair):
    """One row per (person, course) of the pairs (sorted by ``pair.key``); sets ``pair.row``."""
    key = pair.key
    if not len(key):
        empty_int, empty = np.empty(0, np.int64), np.empty(0, np.float64)
        pair.row = empty_int
        return _Arrays(person=empty_int, course=empty_int, main=empty_int, benefit=empty, closure=empty,
                       relevance=empty, main_closure=empty, main_level=empty)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    sizes = np.diff(np.r_[starts, len(key)])
    # The main gap of a (person, course): largest weighted closure, then the lowest competency id.
    best_weight = np.maximum.reduceat(pair.weighted, starts)
    is_best = pair.weighted == np.repeat(best_weight, sizes)
    main = np.minimum.reduceat(np.where(is_best, pair.competency, np.iinfo(np.int64).max), starts)
    is_main = pair.competency == np.repeat(main, sizes)
    pair.row = np.repeat(np.arange(len(starts)), sizes)
    return _Arrays(
        person=pair.person[starts], course=pair.course[starts], main=main,
        benefit=np.add.reduceat(pair.weighted, starts), closure=np.add.reduceat(pair.closure, starts),
        relevance=np.add.reduceat(pair.develops.astype(np.float64), starts),
        main_closure=np.maximum.reduceat(np.where(is_main, pair.closure, 0.0), starts),
        main_level=np.maximum.reduceat(np.where(is_main, pair.level, 0.0), starts),
    )


def _block_development(development, people, excluded, extras):
    """Person index, course index and priority of the block's development rows that are not excluded."""
    if development is None or not len(development):
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float64)
    employee = development["employee_id"].to_numpy(dtype=np.int64)
    course = development["course"].to_numpy(dtype=np.int64)
    priority = development["priority"].to_numpy(dtype=np.float64)
    keep = np.isin(employee, people)
    if len(excluded):
        keep &= ~np.isin(employee * extras.n_courses + course, excluded)
    return np.searchsorted(people, employee[keep]), course[keep], priority[keep]


def _add_development(rows, person, course, priority, n_courses):
    """Mark the rows of courses a development plan names (``rows.dev``: priority, -1 none) and add a
    ``DEVELOPMENT`` row (``rows.new_dev``) for each such course not already a row."""
    n = len(rows.person)
    rows.dev = np.full(n, -1.0)
    rows.new_dev = np.zeros(n, bool)
    if not len(person):
        return
    row_key = rows.person * n_courses + rows.course  # ascending: the rows follow the pairs' key
    dev_key = person * n_courses + course
    at = np.clip(np.searchsorted(row_key, dev_key), 0, max(n - 1, 0))
    found = (row_key[at] == dev_key) if n else np.zeros(len(dev_key), bool)
    rows.dev[at[found]] = priority[found]
    new = ~found
    k = int(new.sum())
    zeros = np.zeros(k)
    for name, values in (("person", person[new]), ("course", course[new]), ("main", np.full(k, -1, np.int64)),
                         ("benefit", zeros), ("closure", zeros), ("relevance", zeros), ("main_closure", zeros),
                         ("main_level", zeros), ("dev", priority[new]), ("new_dev", np.ones(k, bool))):
        setattr(rows, name, np.r_[getattr(rows, name), values])


def _score(rows, people, table, extras, params):
    rows.jp = table.jp[rows.course]
    rows.cost = table.cost[rows.course]
    rows.full_cost = rows.cost + rows.jp * float(params.rupiah_per_jp)
    pref_mode, pref_time = extras.preferences_of(people)
    pref_mode, pref_time = pref_mode[rows.person], pref_time[rows.person]
    mode = table.mode[rows.course]
    # Blended half-matches a wish for classroom or online (and the reverse).
    blended, in_person_or_online = MODES.index("blended"), [MODES.index("classroom"), MODES.index("online")]
    near = ((mode == blended) & np.isin(pref_mode, in_person_or_online)) | (
        (pref_mode == blended) & np.isin(mode, in_person_or_online))
    rows.mode_match = np.where((pref_mode >= 0) & (mode == pref_mode), 1.0, np.where(near, 0.5, 0.0))
    rows.time_match = ((table.times[rows.course] & pref_time) != 0).astype(np.float64)
    rows.preference = (1 + params.mode_bonus * rows.mode_match) * (1 + params.time_bonus * rows.time_match)
    # A course of the person's development plan is worth priority / 100 of one level (on top of any gap it closes).
    rows.dev_benefit = np.where(rows.dev >= 0, rows.dev / 100.0 * DEVELOPMENT_LEVELS, 0.0)
    value = np.where(rows.benefit > 0, rows.benefit, params.top_up_weight * rows.relevance) + rows.dev_benefit
    # Every course costs at least the participant's time; the floor only guards rupiah_per_jp = 0.
    rows.score = value * rows.preference / np.maximum(rows.full_cost / 1e6, 1e-3)
    # Best first: higher score, then cheaper, then fewer JP, then lower course id (the tie order
    # is the course table's ``tie_rank``; two stable argsorts beat one lexsort of four keys).
    by_tie = np.argsort(table.tie_rank[rows.course], kind="stable")
    quality = by_tie[np.argsort(-rows.score[by_tie], kind="stable")]
    rows.quality = np.empty(len(quality), np.int64)
    rows.quality[quality] = np.arange(len(quality))


def _place_in_group(*keys):
    """0, 1, 2, … within runs of equal ``keys`` (arrays already sorted by them)."""
    n = len(keys[0])
    if not n:
        return np.empty(0, np.int64)
    change = np.zeros(n, bool)
    change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.arange(n) - np.maximum.accumulate(np.where(change, np.arange(n), 0))


def _sorted(selection, *parts):
    """``selection`` (row indexes) ordered by ``parts``: (values, how many distinct values) pairs, major first."""
    composite = np.zeros(len(selection), np.int64)
    for values, size in parts:
        composite = composite * int(size) + values
    return selection[np.argsort(composite, kind="stable")]


def _classify(rows, pair, params):
    """Kind of each row: the best course per gap, alternatives, top-ups; and its place for its gap."""
    n = len(rows.person)
    is_gap = rows.benefit > 0
    competencies, main = np.unique(rows.main, return_inverse=True)
    # Place of each row among the courses for the same gap (or, for top-ups, the same competency).
    order = _sorted(np.arange(n), (rows.person, 1), (is_gap, 2), (main, len(competencies)), (rows.quality, n))
    rows.gap_place = np.empty(n, np.int64)
    rows.gap_place[order] = _place_in_group(rows.person[order], is_gap[order], rows.main[order])
    rows.kind = np.where(is_gap, np.where(rows.gap_place == 0, GAP, ALTERNATIVE), TOP_UP)
    rows.kind = np.where(rows.new_dev, DEVELOPMENT, rows.kind)
    _demote_covered(rows, pair)
    # Beyond the per-gap (per-competency) allowance a course is listed only if the plan needs it;
    # a course of the development plan always is.
    rows.listed = (rows.kind == GAP) | (rows.gap_place < params.courses_per_gap) | (rows.dev >= 0)


def _demote_covered(rows, pair):
    """A gap's best course becomes an alternative when a better plan course already closes that
    gap as far (a course reaching the required level in two competencies the person lacks)."""
    best = np.flatnonzero(rows.kind == GAP)
    if len(best) < 2:
        return
    order = _sorted(best, (rows.person[best], 1), (rows.quality[best], len(rows.person)))
    position = np.full(len(rows.person), -1)
    position[order] = _place_in_group(rows.person[order])
    covers = (rows.kind[pair.row] == GAP) & (pair.closure > 0) & (pair.competency != rows.main[pair.row])
    covering = pd.DataFrame({
        "person": pair.person[covers], "competency": pair.competency[covers],
        "closure": pair.closure[covers], "by": position[pair.row[covers]],
    })
    mains = pd.DataFrame({
        "person": rows.person[best], "competency": rows.main[best], "own": position[best],
        "need": rows.main_closure[best], "target": best,
    })
    both = mains.merge(covering, on=["person", "competency"])
    hit = both[(both["by"] < both["own"]) & (both["closure"] >= both["need"] - 1e-9)]
    if len(hit):
        rows.kind[np.unique(hit["target"].to_numpy())] = ALTERNATIVE


def _plan(rows, pair, earned, params):
    """Mark the plan: every best-per-gap course, then top-ups until the JP minimum is reached.

    ``earned`` is the JP each person of the block already has this year. Top-ups are courses that
    develop further competencies, then alternatives that take a gap beyond the level the plan's
    course for it reaches (a second course at the same level would close nothing more).
    """
    n = len(rows.person)
    # Every best-per-gap course, and every course the development plan names.
    rows.in_plan = (rows.kind == GAP) | (rows.dev >= 0)
    gap_jp = np.bincount(rows.person, weights=np.where(rows.in_plan, rows.jp, 0), minlength=len(earned))
    shortfall = np.maximum(params.jp_minimum - earned - gap_jp, 0)
    planned = rows.in_plan[pair.row] & (pair.closure > 0)
    reached = pd.DataFrame({"person": pair.person[planned], "competency": pair.competency[planned],
                            "level": pair.level[planned]}).groupby(["person", "competency"])["level"].max()
    alternatives = np.flatnonzero(rows.kind == ALTERNATIVE)
    lookup = pd.MultiIndex.from_arrays([rows.person[alternatives], rows.main[alternatives]])
    beyond = rows.main_level[alternatives] > reached.reindex(lookup).fillna(0).to_numpy()
    eligible = rows.kind == TOP_UP
    eligible[alternatives[beyond]] = True
    pool = np.flatnonzero(eligible & ~rows.in_plan)
    # Courses developing further competencies first, then alternatives for gaps already covered.
    tier = np.where(rows.kind[pool] == TOP_UP, 0, 1)
    pool = _sorted(pool, (rows.person[pool], 1), (tier, 2), (rows.quality[pool], n))
    rows.pool_place = np.full(n, len(pool))
    if not len(pool):
        return
    jp = rows.jp[pool].astype(np.float64)
    cumulative = np.cumsum(jp)
    first = _place_in_group(rows.person[pool]) == 0
    group_start = np.maximum.accumulate(np.where(first, cumulative - jp, 0))
    before = cumulative - jp - group_start  # JP of this person's pool rows ahead of this one
    picked = before < shortfall[rows.person[pool]]
    rows.in_plan[pool[picked]] = True
    rows.listed[pool[picked]] = True
    rows.pool_place[pool] = np.arange(len(pool))


def _order_and_cut(rows, params):
    """Rank each person's rows: the plan (gap and development courses by quality, then top-ups as
    picked), then alternatives and other top-ups by quality; keep the first ``per_person``, and
    every development course (others make room for it)."""
    n = len(rows.person)
    is_dev = rows.dev >= 0
    section = np.where(rows.in_plan & ((rows.kind == GAP) | is_dev), 0,
                       np.where(rows.in_plan, 1, np.where(rows.kind == ALTERNATIVE, 2, 3)))
    within = np.where(section == 1, rows.pool_place, rows.quality)
    listed = np.flatnonzero(rows.listed)
    order = _sorted(listed, (rows.person[listed], 1), (section[listed], 4), (within[listed], n + 1))
    ordered_dev = is_dev[order]
    keep = np.ones(len(order), bool)
    if ordered_dev.any():
        reserved = np.bincount(rows.person[order[ordered_dev]], minlength=int(rows.person.max()) + 1)
        others = order[~ordered_dev]
        room = np.maximum(params.per_person - reserved[rows.person[others]], 0)
        keep[~ordered_dev] = _place_in_group(rows.person[others]) < room
    else:
        keep = _place_in_group(rows.person[order]) < params.per_person
    kept = order[keep]
    rows.rank = np.zeros(n, np.int64)
    rows.rank[kept] = _place_in_group(rows.person[kept]) + 1
    return kept


def _plan_frame(people, extras, planned, params):
    return pd.DataFrame({
        "employee_id": people, "jp_earned": extras.earned_of(people), "jp_planned": planned,
        "jp_minimum": params.jp_minimum,
    })


def _empty(columns):
    return pd.DataFrame({column: pd.Series(dtype="float64") for column in columns})


# Explanation payloads -------------------------------------------------------------------------


def reason_payloads(result, start=0, stop=None, *, codes=None, effects=None, programmes=None):
    """JSON texts of the reasons of ``result.ranked`` rows ``start:stop`` (same order).

    Each holds the kind, the gaps the course closes (the main one first) and the competencies it
    only develops, the course's JP and cost, the score parts and the plan: everything
    ``lms.explain`` needs to say why in any language. ``codes`` maps competency ids to codes;
    ``effects`` maps course ids to (levels gained, participants) where the effect was measured.
    A course of the person's development plan also carries ``"development": {"kind":
    "development", "action": …, "programme": …, "priority": …}``, ``programmes`` mapping course
    ids to their leadership programme code (never anything about the talent box).
    Built with string templates, not ``json.dumps`` per row: the service writes millions.
    """
    ranked = result.ranked.iloc[start:stop]
    if not len(ranked):
        return []
    employees = ranked["employee_id"].to_numpy(dtype=np.int64)
    details = result.details
    d_employee = details["employee_id"].to_numpy(dtype=np.int64)
    lo_row, hi_row = np.searchsorted(d_employee, employees.min(), "left"), np.searchsorted(d_employee, employees.max(), "right")
    details = details.iloc[lo_row:hi_row]
    d_course = details["course_id"].to_numpy(dtype=np.int64)
    r_course = ranked["course_id"].to_numpy(dtype=np.int64)
    factor = int(max(d_course.max(initial=0), r_course.max(initial=0))) + 1
    d_key = details["employee_id"].to_numpy(dtype=np.int64) * factor + d_course
    r_key = employees * factor + r_course
    first = np.searchsorted(d_key, r_key, "left")
    last = np.searchsorted(d_key, r_key, "right")
    items, closes = _detail_items(details, codes or {})
    n_gaps = np.r_[0, np.cumsum(closes)]

    plan = result.plan
    p_employee = plan["employee_id"].to_numpy(dtype=np.int64)
    at = np.clip(np.searchsorted(p_employee, employees), 0, max(len(p_employee) - 1, 0))
    found = (p_employee[at] == employees) if len(p_employee) else np.zeros(len(employees), bool)

    def plan_column(name):
        return np.where(found, plan[name].to_numpy(dtype=np.float64)[at] if len(p_employee) else 0, 0).astype(np.int64)

    earned, planned, minimum = plan_column("jp_earned"), plan_column("jp_planned"), plan_column("jp_minimum")
    effects = effects or {}
    effect_json = [',"effect":{"levels":%.2f,"n":%d}' % effects[c] if c in effects else ""
                   for c in ranked["course_id"].to_numpy(dtype=np.int64).tolist()]
    development_json = _development_items(result, ranked, employees, programmes or {})
    template = (
        '{"kind":"%s","gaps":[%s],"develops":[%s],"course":{"jp":%d,"cost":%d%s},'
        '"parts":{"benefit":%.4f,"expected_closure":%.2f,"relevance":%d,"full_cost":%d,"mode_match":%.1f,'
        '"time_match":%.1f,"preference":%.4f,"score":%.4f},'
        '"plan":{"in_plan":%s,"jp_earned":%d,"jp_planned":%d,"jp_minimum":%d}%s}'
    )
    columns = [ranked[c].to_numpy() for c in (
        "kind", "in_plan", "score", "benefit", "expected_closure", "relevance", "jp", "cost", "full_cost",
        "mode_match", "time_match", "preference",
    )]
    texts = []
    for i, (kind, in_plan, score, benefit, closure, relevance, jp, cost, full_cost, mode_match, time_match,
            preference) in enumerate(zip(*columns, strict=True)):
        lo, hi = first[i], last[i]
        split = lo + n_gaps[hi] - n_gaps[lo]
        texts.append(template % (
            KINDS[int(kind)], ",".join(items[lo:split]), ",".join(items[split:hi]), jp, cost, effect_json[i],
            benefit, closure, relevance, full_cost, mode_match, time_match, preference, score,
            "true" if in_plan else "false", earned[i], planned[i], minimum[i], development_json[i],
        ))
    return texts


def _development_items(result, ranked, employees, programmes):
    """The ``,"development":{…}`` part of each row's payload ('' for rows no development plan names)."""
    if "development" not in ranked:
        return [""] * len(ranked)
    priority = ranked["development"].to_numpy(dtype=np.float64)
    marked = np.flatnonzero(priority >= 0)
    parts = [""] * len(ranked)
    if not len(marked):
        return parts
    courses = ranked["course_id"].to_numpy(dtype=np.int64)
    actions = {}
    if result.development is not None and len(result.development):
        frame = result.development
        actions = dict(zip(zip(frame["employee_id"].tolist(), frame["course_id"].tolist(), strict=True),
                           frame["action"].tolist(), strict=True))
    for i in marked.tolist():
        course = int(courses[i])
        action = actions.get((int(employees[i]), course), DEFAULT_DEVELOPMENT_ACTION)
        programme = programmes.get(course)
        parts[i] = ',"development":{"kind":"development","action":%s,"programme":%s,"priority":%d}' % (
            json.dumps(str(action)), json.dumps(programme) if programme else "null", round(priority[i]))
    return parts


def _detail_items(details, codes):
    """JSON objects of the detail rows (a list of str) and whether each closes a gap (int array)."""
    code_json = {competency: json.dumps(code) for competency, code in codes.items()}
    competency = details["competency_id"].to_numpy(dtype=np.int64)
    observed = details["observed"].to_numpy(dtype=np.float64)
    closure = details["closure"].to_numpy(dtype=np.float64)
    closes = (closure > 0).astype(np.int64)
    observed_text = np.where(np.isnan(observed), "null", np.char.mod("%.2f", np.nan_to_num(observed)))
    items = []
    for c, required, observed_json, level, gap, priority, amount, is_gap in zip(
        competency.tolist(), details["required"].to_numpy(dtype=np.int64).tolist(), observed_text.tolist(),
        details["level"].to_numpy(dtype=np.int64).tolist(), details["gap"].to_numpy(dtype=np.float64).tolist(),
        details["priority"].to_numpy(dtype=np.float64).tolist(), closure.tolist(), closes.tolist(), strict=True,
    ):
        head = '{"competency":%d,"code":%s,"required":%d,"observed":%s,"level":%d' % (
            c, code_json.get(c, '""'), required, observed_json, level)
        if is_gap:
            items.append(head + ',"gap":%.2f,"priority":%.1f,"closure":%.2f}' % (gap, priority, amount))
        else:
            items.append(head + "}")
    return items, closes
