"""Synthetic evidence for a cycle: 360° ratings, SKP appraisals, peer assignments, the survey and IKM.

Each person has a latent true level per required competency; every rater sees it through their
own leniency or severity, so the gap analysis has something real to recover.
"""

import json
import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db import connection, transaction

from ..grades import job_family
from ..infra.bulk.indexes import indexes_deferred
from ..infra.bulk.mode import bulk_write_mode
from ..infra.bulk.rows import db_now, insert_rows
from ..models import (
    Agency,
    Appraisal,
    CompetencyGap,
    Cycle,
    Employee,
    PeerAssignment,
    Rating,
    RequiredLevel,
    SurveyResponse,
    Unit,
    UnitSatisfaction,
)

ROLES = np.array(["self", "supervisor", "peer", "subordinate"], dtype=object)
SELF, SUPERVISOR, PEER, SUBORDINATE = range(4)
# How each role tends to rate on top of the rater's own leniency: people rate themselves up,
# subordinates are a little deferential to their boss.
ROLE_BIAS = np.array([0.45, 0.0, 0.1, 0.2])
LENIENT_SHARE, LENIENT_OFFSET = 0.08, 1.0
SEVERE_SHARE, SEVERE_OFFSET = 0.04, -0.8
SURVEY_SHARE = 0.6
LOW_IKM_SHARE = 0.15

# Survey habits per kind of job: (mode probabilities, preferred times, blocked-day options, notes).
SURVEY_PROFILES = {
    "teacher": (
        {"online": 0.45, "blended": 0.35, "self_paced": 0.2},
        ["afternoon", "afternoon", "short_blocks"],
        [["tue", "thu"], ["tue", "thu"], ["mon", "wed"], []],
        ["Mohon jadwal di luar jam mengajar.", "Lebih cocok saat libur semester.",
         "Perlu pelatihan membuat asesmen daring."],
    ),
    "health": (
        {"online": 0.4, "self_paced": 0.35, "blended": 0.25},
        ["short_blocks", "short_blocks", "afternoon"],
        [["mon"], ["mon", "sat"], []],
        ["Jadwal jaga bergilir, mohon modul yang bisa dicicil.", "Sinyal di puskesmas lemah, lebih baik luring.",
         "Butuh pelatihan pencatatan rekam medis elektronik."],
    ),
    "counter": (
        {"classroom": 0.35, "online": 0.35, "blended": 0.3},
        ["short_blocks", "afternoon"],
        [["mon", "tue"], ["mon"], []],
        ["Antrean layanan padat di awal pekan.", "Mohon pelatihan penanganan pengaduan."],
    ),
    "manager": (
        {"classroom": 0.5, "blended": 0.4, "online": 0.1},
        ["full_day", "", "morning"],
        [[], [], ["fri"]],
        ["Sebaiknya tidak bersamaan dengan pembahasan anggaran.", "Perlu pelatihan manajemen kinerja tim."],
    ),
    "office": (
        {"classroom": 0.4, "online": 0.3, "blended": 0.2, "self_paced": 0.1},
        ["", "morning", "afternoon", "full_day"],
        [[], [], ["fri"]],
        ["Lokasi kantor jauh dari ibu kota, lebih suka daring.", "Ingin belajar mengolah data dengan spreadsheet.",
         "Mohon sertifikat pelatihan diakui untuk angka kredit."],
    ),
}
HEALTH_PREFIXES = ("perawat", "bidan", "dokter", "apoteker", "kepala-puskesmas", "direktur-rsud")


@dataclass
class EvidencePlan:
    """Planned evidence as DataFrames (ids, not objects).

    ratings: ratee_id, rater_id, rater_role, competency_id, level
    appraisals: employee_id, rated_by_id, results, behaviour, discipline, quality, innovation
    peers: ratee_id, rater_id
    survey: employee_id, competency_id, priority, mode, time, blocked_days, note
    ikm: unit_id, score
    raters_per_person: distinct raters (self included) per person, on average
    """

    ratings: pd.DataFrame
    appraisals: pd.DataFrame
    peers: pd.DataFrame
    survey: pd.DataFrame
    ikm: pd.DataFrame
    raters_per_person: float


def survey_profile(position_code, job_type):
    if position_code.startswith(("guru", "kepala-sekolah")):
        return "teacher"
    if position_code.startswith(HEALTH_PREFIXES):
        return "health"
    if position_code.startswith(("operator-layanan", "adminduk")):
        return "counter"
    if job_family(job_type) == "managerial":
        return "manager"
    return "office"


def _distinct_offsets(sizes, wanted, rng):
    """For each row, ``min(wanted, size)`` distinct integers in ``[0, size)`` (at most 3), -1 padded."""
    n = len(sizes)
    k = np.minimum(wanted, sizes)
    safe = np.maximum(sizes, 1)
    first = rng.integers(0, safe)
    second = rng.integers(0, np.maximum(safe - 1, 1))
    second = second + (second >= first)
    third = rng.integers(0, np.maximum(safe - 2, 1))
    low, high = np.minimum(first, second), np.maximum(first, second)
    third = third + (third >= low)
    third = third + (third >= high)
    out = np.stack([first, second, third], axis=1)
    out[np.arange(3)[None, :] >= k[:, None]] = -1
    return out.reshape(n, 3)


def _pick_within_groups(group, rng, wanted):
    """Pairs (member, other member) with ``wanted`` (≤ 3) distinct others per member of each group."""
    order = np.argsort(group, kind="stable")
    sorted_groups = group[order]
    starts = np.searchsorted(sorted_groups, sorted_groups, side="left")
    ends = np.searchsorted(sorted_groups, sorted_groups, side="right")
    size = ends - starts
    position = np.arange(len(order)) - starts
    offsets = _distinct_offsets(size - 1, wanted, rng)
    members, picked = [], []
    for column in range(3):
        ok = offsets[:, column] >= 0
        off = (position[ok] + 1 + offsets[ok, column]) % size[ok]  # counting on from the member
        members.append(order[ok])
        picked.append(order[starts[ok] + off])
    return np.concatenate(members), np.concatenate(picked)


def plan_evidence(people, required, units, *, seed, year):
    """Plan a cycle's evidence; pure and deterministic for a seed.

    people: id, agency_id, unit_id, supervisor_id (NaN/None for none), position_id, position_code,
    job_type, birth_year. required: position_id, competency_id, level, category. units: id, parent_id.
    Returns an EvidencePlan.
    """
    rng = np.random.default_rng(int(seed))
    n = len(people)
    ids = people["id"].to_numpy(np.int64)
    index = pd.Index(ids)
    sup = index.get_indexer(people["supervisor_id"].astype("Float64").fillna(-1).astype(np.int64))
    unit = people["unit_id"].to_numpy(np.int64)

    # Requirements per person, flattened: person_of[j], competency_of[j], required_of[j] ...
    required = required.sort_values(["position_id", "competency_id"]).reset_index(drop=True)
    position_index = pd.Index(required["position_id"].unique())
    req_start = np.searchsorted(required["position_id"].to_numpy(), position_index.to_numpy())
    req_count = np.diff(np.append(req_start, len(required)))
    person_position = position_index.get_indexer(people["position_id"].to_numpy())
    count = np.where(person_position >= 0, req_count[np.maximum(person_position, 0)], 0)
    first = np.where(person_position >= 0, req_start[np.maximum(person_position, 0)], 0)
    person_of = np.repeat(np.arange(n), count)
    person_start = np.cumsum(count) - count
    within = np.arange(len(person_of)) - np.repeat(person_start, count)
    req_row = np.repeat(first, count) + within
    competency_of = required["competency_id"].to_numpy(np.int64)[req_row]
    required_of = required["level"].to_numpy(float)[req_row]

    # Latent true levels: around the required level, a personal ability, and digital skills that
    # fade with age.
    ability = rng.normal(0, 0.35, n)
    age = year - people["birth_year"].to_numpy(int)
    digital = np.isin(required["category"].to_numpy()[req_row], ["it_digital", "teaching_technology"])
    age_effect = np.where(digital, -0.03 * np.maximum(age[person_of] - 40, 0), 0.0)
    true = np.clip(required_of + ability[person_of] + rng.normal(-0.25, 0.6, len(person_of)) + age_effect, 1, 5)

    leniency = rng.normal(0, 0.25, n)
    kind = rng.random(n)
    leniency = np.where(kind < LENIENT_SHARE, LENIENT_OFFSET + rng.normal(0, 0.1, n), leniency)
    leniency = np.where(kind > 1 - SEVERE_SHARE, SEVERE_OFFSET + rng.normal(0, 0.1, n), leniency)

    # Who rates whom. Peers: 2–3 colleagues of the same tier in the same unit; heads of units
    # are peers of the other heads under the same supervisor.
    has_sup = sup >= 0
    head = ~has_sup | (unit[np.maximum(sup, 0)] != unit)
    tier = pd.Series(people["job_type"].to_numpy()).map(
        lambda j: {"administrator": 1, "pengawas": 2}.get(j, 3 if job_family(j) == "managerial" else 0)
    ).to_numpy()
    agency = people["agency_id"].to_numpy(np.int64)
    peer_key = pd.DataFrame({
        "a": np.where(head, -1, unit), "b": np.where(head, np.where(has_sup, sup, -1 - agency), tier),
    }).groupby(["a", "b"], sort=True).ngroup().to_numpy()
    peer_ratee, peer_rater = _pick_within_groups(peer_key, rng, rng.choice([2, 3], n, p=[0.35, 0.65]))
    # Subordinates: up to three direct reports, picked at random, rate their supervisor.
    sub_rater = rng.permutation(np.flatnonzero(has_sup))
    sub_ratee = sup[sub_rater]
    keep = pd.Series(sub_ratee).groupby(sub_ratee).cumcount().to_numpy() < 3
    sub_rater, sub_ratee = sub_rater[keep], sub_ratee[keep]

    edges = pd.DataFrame({
        "ratee": np.concatenate([np.arange(n), np.flatnonzero(has_sup), peer_ratee, sub_ratee]),
        "rater": np.concatenate([np.arange(n), sup[has_sup], peer_rater, sub_rater]),
        "role": np.concatenate([
            np.full(n, SELF), np.full(has_sup.sum(), SUPERVISOR), np.full(len(peer_ratee), PEER),
            np.full(len(sub_ratee), SUBORDINATE),
        ]),
    }).drop_duplicates(["ratee", "rater"])  # roles in priority order: self, supervisor, peer, subordinate
    ratee, rater, role = (edges[c].to_numpy(np.int64) for c in ("ratee", "rater", "role"))
    rated = count[ratee] > 0

    # Every rater rates every competency the ratee's position requires.
    per_edge = count[ratee]
    edge_of = np.repeat(np.arange(len(ratee)), per_edge)
    offset = np.arange(per_edge.sum()) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    flat = person_start[ratee][edge_of] + offset
    noise = rng.normal(0, 0.45, len(flat))
    levels = np.clip(np.rint(true[flat] + leniency[rater][edge_of] + ROLE_BIAS[role][edge_of] + noise), 1, 5)
    ratings = pd.DataFrame({
        "ratee_id": ids[ratee][edge_of], "rater_id": ids[rater][edge_of], "rater_role": role[edge_of],
        "competency_id": competency_of[flat], "level": levels.astype(np.int8),
    })
    peer_edges = edges[edges["role"] == PEER]
    peers = pd.DataFrame({"ratee_id": ids[peer_edges["ratee"]], "rater_id": ids[peer_edges["rater"]]})

    # SKP appraisal by the supervisor, following the person's mean distance to the standard.
    mean_gap = np.where(count > 0, np.bincount(person_of, weights=true - required_of, minlength=n) / np.maximum(count, 1), ability)

    def expectation(score):
        return np.where(score > 0.45, "above", np.where(score < -0.75, "below", "meets"))

    def indicator(base, slope, spread):
        return np.clip(np.rint(base + slope * mean_gap + rng.normal(0, spread, n)), 1, 5).astype(int)

    appraisals = pd.DataFrame({
        "employee_id": ids,
        "rated_by_id": np.where(has_sup, ids[np.maximum(sup, 0)], -1),
        "results": expectation(mean_gap + rng.normal(0, 0.45, n)),
        "behaviour": expectation(mean_gap + rng.normal(0.1, 0.45, n)),
        "discipline": indicator(3.5, 0.9, 0.8), "quality": indicator(3.3, 1.0, 0.7),
        "innovation": indicator(2.9, 0.8, 0.9),
    })

    survey = _plan_survey(people, n, count, person_of, competency_of, required_of - true, ids, rng)

    top_units = units.loc[units["parent_id"].isna(), "id"].to_numpy(np.int64)
    low = rng.random(len(top_units)) < LOW_IKM_SHARE
    score = np.where(low, np.clip(rng.normal(58, 7, len(top_units)), 30, 70), np.clip(rng.normal(82, 6, len(top_units)), 65, 97))
    ikm = pd.DataFrame({"unit_id": top_units, "score": np.round(score, 2)})
    return EvidencePlan(
        ratings=ratings, appraisals=appraisals, peers=peers, survey=survey, ikm=ikm,
        raters_per_person=round(rated.sum() / max(n, 1), 2),
    )


def _plan_survey(people, n, count, person_of, competency_of, shortfall, ids, rng):
    """Training needs declared by about 60%: the competencies they feel weakest in, with habits."""
    responds = (rng.random(n) < SURVEY_SHARE) & (count > 0)
    items = np.minimum(rng.choice([1, 2, 3], n, p=[0.4, 0.35, 0.25]), count)
    felt = shortfall + rng.normal(0, 0.6, len(shortfall))
    frame = pd.DataFrame({"person": person_of, "competency_id": competency_of, "felt": felt})
    frame = frame[responds[person_of]].sort_values(["person", "felt"], ascending=[True, False], kind="stable")
    frame = frame[frame.groupby("person").cumcount().to_numpy() < items[frame["person"].to_numpy()]]
    felt = frame["felt"].to_numpy()
    person = frame["person"].to_numpy()
    first_item = np.r_[True, person[1:] != person[:-1]] if len(person) else np.array([], dtype=bool)

    profiles = [survey_profile(c, j) for c, j in zip(people["position_code"], people["job_type"], strict=True)]
    cumulative = {k: (list(v[0]), np.cumsum(list(v[0].values()))) for k, v in SURVEY_PROFILES.items()}
    modes, times, blocked, notes = [], [], [], []
    draws = rng.random((n, 4))
    for p, is_first in zip(person.tolist(), first_item.tolist(), strict=True):
        _, time_options, blocked_options, note_options = SURVEY_PROFILES[profiles[p]]
        mode_names, mode_cumulative = cumulative[profiles[p]]
        u = draws[p]
        modes.append(mode_names[min(int(np.searchsorted(mode_cumulative, u[0], side="right")), len(mode_names) - 1)])
        times.append(time_options[int(u[1] * len(time_options))])
        blocked.append(blocked_options[int(u[2] * len(blocked_options))])
        notes.append(note_options[int(u[3] * len(note_options) / 0.3)] if is_first and u[3] < 0.3 else "")
    return pd.DataFrame({
        "employee_id": ids[person], "competency_id": frame["competency_id"].to_numpy(),
        "priority": np.where(felt > 0.9, 3, np.where(felt > 0.2, 2, 1)),
        "mode": modes, "time": times, "blocked_days": blocked, "note": notes,
    })


def load_inputs(agency=None):
    """The people, required levels and units ``plan_evidence`` needs, from the database."""
    employees = Employee.objects.filter(active=True)
    units = Unit.objects.all()
    if agency is not None:
        employees, units = employees.filter(agency=agency), units.filter(agency=agency)
    people = pd.DataFrame.from_records(
        employees.order_by("id").values_list(
            "id", "agency_id", "unit_id", "supervisor_id", "position_id", "position__code", "position__job_type", "nip",
        ),
        columns=["id", "agency_id", "unit_id", "supervisor_id", "position_id", "position_code", "job_type", "nip"],
    )
    people["birth_year"] = people["nip"].str[:4].astype(int) if len(people) else pd.Series(dtype=int)
    positions = people["position_id"].unique().tolist()
    required = pd.DataFrame.from_records(
        RequiredLevel.objects.filter(position__agency__in=_agencies(agency), competency__active=True)
        .values_list("position_id", "competency_id", "level", "competency__category"),
        columns=["position_id", "competency_id", "level", "category"],
    )
    required = required[required["position_id"].isin(positions)]
    unit_frame = pd.DataFrame.from_records(units.values_list("id", "parent_id"), columns=["id", "parent_id"])
    return people, required, unit_frame


def _agencies(agency):
    return Agency.objects.filter(pk=agency.pk) if agency is not None else Agency.objects.all()


def _rows(frame, columns, *, first=(), last=(), convert=None, size=200_000):
    """Row tuples ``first + frame[columns] + last``, converted per column, built a chunk at a time."""
    convert = convert or {}
    for start in range(0, len(frame), size):
        part = frame.iloc[start:start + size]
        values = [convert.get(c, np.asarray)(part[c].to_numpy()).tolist() for c in columns]
        for row in zip(*values, strict=True):
            yield (*first, *row, *last)


def write_evidence(*, cycle, plan, agency=None, progress=None):
    """Replace the cycle's evidence for ``agency`` (or every agency) with ``plan``; returns counts."""
    report = progress or (lambda stage, done, total: None)
    now = db_now()
    stamp, cycle_id = (now,), (cycle.pk,)
    people = Employee.objects.filter(agency=agency) if agency is not None else Employee.objects.all()
    with bulk_write_mode(), transaction.atomic():
        for model, field in ((Rating, "ratee"), (PeerAssignment, "ratee"), (Appraisal, "employee"), (SurveyResponse, "employee")):
            existing = model.objects.filter(cycle=cycle)
            if agency is not None:
                existing = existing.filter(**{field + "__in": people})
            existing.delete()
        scores = UnitSatisfaction.objects.filter(cycle=cycle)
        (scores.filter(unit__agency=agency) if agency is not None else scores).delete()
        report("cleared", 0, 0)

        # In the order of the unique index (cycle, ratee, rater, competency), the one index kept
        # through a large load: it then grows at its end instead of splitting pages all over.
        # (100,000 people, SQLite: 52 s CPU with the other indexes rebuilt after, 63 s without.)
        ratings = plan.ratings.sort_values(["ratee_id", "rater_id", "competency_id"], kind="stable", ignore_index=True)
        total, written, step = len(ratings), 0, 500_000
        with indexes_deferred(Rating, rows=total):
            for start in range(0, total, step):
                written += insert_rows(
                    Rating, ["cycle", "ratee", "rater", "rater_role", "competency", "level", "updated_at"],
                    _rows(ratings.iloc[start:start + step], ["ratee_id", "rater_id", "rater_role", "competency_id", "level"],
                          first=cycle_id, last=stamp, convert={"rater_role": lambda a: ROLES[a]}),
                )
                report("ratings", written, total)
        report("rating indexes", total, total)
        insert_rows(PeerAssignment, ["cycle", "ratee", "rater"], _rows(plan.peers, ["ratee_id", "rater_id"], first=cycle_id))
        report("peer assignments", len(plan.peers), len(plan.peers))
        insert_rows(
            Appraisal,
            ["cycle", "employee", "rated_by", "results", "behaviour", "discipline", "quality", "innovation", "updated_at"],
            _rows(plan.appraisals, ["employee_id", "rated_by_id", "results", "behaviour", "discipline", "quality", "innovation"],
                  first=cycle_id, last=stamp, convert={"rated_by_id": lambda a: np.where(a < 0, None, a.astype(object))}),
        )
        report("appraisals", len(plan.appraisals), len(plan.appraisals))
        insert_rows(
            SurveyResponse,
            ["cycle", "employee", "competency", "priority", "mode", "time", "blocked_days", "note", "updated_at"],
            _rows(plan.survey, ["employee_id", "competency_id", "priority", "mode", "time", "blocked_days", "note"],
                  first=cycle_id, last=stamp, convert={"blocked_days": lambda a: np.array([json.dumps(d) for d in a], dtype=object)}),
        )
        report("survey", len(plan.survey), len(plan.survey))
        UnitSatisfaction.objects.bulk_create(
            UnitSatisfaction(cycle=cycle, unit_id=int(u), score=Decimal("%.2f" % s)) for u, s in plan.ikm.itertuples(index=False)
        )
        report("ikm", len(plan.ikm), len(plan.ikm))
    if connection.vendor == "postgresql":
        # Fresh planner statistics: without them PostgreSQL plans the analysis' reads of
        # millions of new ratings as if the table were empty. Outside a transaction, VACUUM too:
        # real evidence is entered over weeks and autovacuum has long set its rows' hint bits
        # when a run reads it; generated evidence would otherwise make the first run read and
        # write back every page of 56 million ratings (seconds a real run never pays).
        statement = "ANALYZE %s" if connection.in_atomic_block else "VACUUM (ANALYZE) %s"
        with connection.cursor() as cursor:
            for model in (Rating, PeerAssignment, Appraisal, SurveyResponse, UnitSatisfaction):
                cursor.execute(statement % connection.ops.quote_name(model._meta.db_table))
    return {
        "ratings": len(plan.ratings), "appraisals": len(plan.appraisals), "peer_assignments": len(plan.peers),
        "survey_responses": len(plan.survey), "unit_scores": len(plan.ikm),
    }


def generate_evidence(*, cycle_year, agency=None, seed, progress=None):
    """Create or refresh the evidence of cycle ``cycle_year`` for ``agency`` (an Agency, its code, or all).

    Idempotent: re-running for the same cycle and agency replaces that evidence. Returns counts:
    cycle, employees, ratings, raters_per_person, appraisals, peer_assignments, survey_responses,
    unit_scores. ``progress(stage, done, total)`` is called as the work advances.
    """
    if isinstance(agency, str):
        try:
            agency = Agency.objects.get(code=agency)
        except Agency.DoesNotExist:
            raise ValueError("No agency with code %r." % agency) from None
    cycle, _ = Cycle.objects.get_or_create(year=cycle_year)
    people, required, units = load_inputs(agency)
    if progress:
        progress("loaded", len(people), len(people))
    if people.empty:
        raise ValueError("No employees%s to generate evidence for; generate a workforce first."
                         % (" in %s" % agency.code if agency else ""))
    plan = plan_evidence(people, required, units, seed=seed, year=cycle_year)
    if progress:
        progress("planned", len(plan.ratings), len(plan.ratings))
    counts = write_evidence(cycle=cycle, plan=plan, agency=agency, progress=progress)
    return {"cycle": cycle.year, "employees": len(people), "raters_per_person": plan.raters_per_person, **counts}


@transaction.atomic
def evidence_unfinish(*, cycle, employee, self_kept=1.0, survey=False, reports=0, sparing=()):
    """Take back part of what ``employee`` entered in ``cycle``, so a demo shows their work still to do.

    Keeps a ``self_kept`` share (rounded up) of their self-assessment: the competencies of their
    open gaps first (largest first), so what the analysis found stays found, then the others in
    dictionary order. With ``survey`` removes their survey answers; removes their ratings and SKP
    appraisals of their last ``reports`` direct reports by name, other than those in ``sparing``.
    Returns the number of rows removed: 0 when it was done before, so a second call changes nothing.
    """
    required = list(
        RequiredLevel.objects.filter(position=employee.position_id, competency__active=True)
        .order_by("competency__sort_order", "competency__code").values_list("competency", flat=True)
    )
    gaps = list(CompetencyGap.objects.filter(cycle=cycle, employee=employee, gap__gt=0)
                .order_by("-gap", "competency").values_list("competency", flat=True))
    first = [c for c in gaps if c in required] + [c for c in required if c not in gaps]
    keep = math.ceil(round(self_kept * len(required), 9))
    own = Rating.objects.filter(cycle=cycle, rater=employee, ratee=employee)
    removed = 0
    if own.count() > keep:  # not done before (the gaps, and so the order, may have moved since)
        removed = own.exclude(competency__in=first[:keep]).delete()[0]
    if survey:
        removed += SurveyResponse.objects.filter(cycle=cycle, employee=employee).delete()[0]
    if reports:
        spared = [getattr(person, "pk", person) for person in sparing]
        left = list(Employee.objects.filter(supervisor=employee, active=True).exclude(pk__in=spared)
                    .order_by("-name", "-nip")[:reports])
        removed += Rating.objects.filter(cycle=cycle, rater=employee, ratee__in=left).delete()[0]
        removed += Appraisal.objects.filter(cycle=cycle, employee__in=left, rated_by=employee).delete()[0]
    return removed
