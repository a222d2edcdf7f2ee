"""The 9-box of a cycle and agency: reads the evidence in bulk, places everyone (``tna.talent.grid``)
and replaces the placements atomically, keeping calibration moves; and the calibration move itself.

docs/talent.md describes the method, the reason stored with each placement and calibration.
"""

import json
from dataclasses import dataclass, field
from time import perf_counter

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..conf import settings
from ..grades import JobType
from ..infra.bulk.mode import bulk_write_mode
from ..infra.bulk.reading import int_frame
from ..infra.bulk.rows import insert_rows, update_rows
from ..models import (
    Appraisal,
    AssessmentResult,
    CompetencyGap,
    Cycle,
    Employee,
    TalentMove,
    TalentPlacement,
    TalentPolicy,
)
from ..models.evidence import PREDIKAT
from ..signals import talent_placed
from ..talent.boxes import BOXES
from ..talent.grid import UNPLACED_REASONS, TalentParameters, place
from ..talent.selectors import level_standards

STAGES = ("reading", "placing", "writing")

# Fields a run writes on every placement it keeps or creates; a calibration move (box, moved_by,
# moved_at, move_reason) is only ever written by talent_move.
COMPUTED_FIELDS = ("agency", "unit", "job_type", "performance", "potential", "computed_box", "box",
                   "performance_score", "potential_score", "reason", "computed_at")

# (results, behaviour) pairs in a fixed order: a predikat is read as the index of its pair.
PAIRS = list(PREDIKAT)

# Placements deleted per query when people drop out of the grid.
DELETE_CHUNK = 500

# Job types in a fixed order: a person's is read as its index (-1, read as "", for none known).
JOB_TYPES = list(JobType.values)
JOB_NAMES = np.array([*JOB_TYPES, ""], dtype=object)

# The reasons as stored: compact JSON (read back by the JSONField like any other).
encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass
class TalentRunSummary:
    """What a run did: people ``placed``; ``unplaced`` counts per reason code
    (``tna.talent.grid.UNPLACED_REASONS``); ``boxes``: people per box 1–9 after the calibration
    moves kept; ``calibrated_kept``: placements whose calibration move survived the run; seconds
    in all and per stage (``timings``)."""

    placed: int = 0
    unplaced: dict = field(default_factory=dict)
    boxes: dict = field(default_factory=dict)
    calibrated_kept: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


def talent_parameters():
    """The grid's thresholds from the ``LATIH_TALENT_*`` settings."""
    cycles = settings.TALENT_PERFORMANCE_CYCLES
    return TalentParameters(
        weights=tuple(settings.TALENT_PERFORMANCE_WEIGHTS[:cycles]),
        above=settings.TALENT_PERFORMANCE_ABOVE,
        below=settings.TALENT_PERFORMANCE_BELOW,
        potential_high=settings.TALENT_POTENTIAL_HIGH,
        potential_medium=settings.TALENT_POTENTIAL_MEDIUM,
        min_competencies=settings.TALENT_MIN_COMPETENCIES,
        jpm_high=settings.TALENT_JPM_HIGH,
        jpm_medium=settings.TALENT_JPM_MEDIUM,
    )


def talent_grid_run(*, cycle, agency, progress=None):
    """Place the active staff of ``agency`` (an Agency) in the 9-box of ``cycle`` (a Cycle).

    Raises ValidationError when the cycle has no TNA results for the agency. The agency's
    placements of the cycle are replaced in one transaction: people still placed keep their
    record, its calibration move and its move history, with the computed fields refreshed; people
    newly placed get a record; people no longer placed lose theirs. A failed run changes
    nothing. ``talent_placed`` is sent once the placements are committed.
    ``progress(stage, done, total)`` is called as the stages (``STAGES``) advance.
    """
    report = progress or (lambda stage, done=0, total=0: None)
    started = perf_counter()
    if agency is None:
        raise ValidationError(_("Choose the agency whose talent grid to compute."), code="no_agency")
    params = talent_parameters()
    report("reading")
    if not CompetencyGap.objects.filter(cycle=cycle, agency=agency).exists():
        raise ValidationError(
            _("Cycle %(year)s has no TNA results for %(agency)s: run run_tna first."),
            code="no_tna_results", params={"year": cycle.year, "agency": agency.code},
        )
    frames = read_talent_inputs(cycle=cycle, agency=agency, cycles=len(params.weights))
    timings = {"reading": perf_counter() - started}
    report("placing")
    begun = perf_counter()
    result = place(*frames, params)
    timings["placing"] = perf_counter() - begun
    begun = perf_counter()
    written = write_placements(cycle=cycle, agency=agency, placed=result.placed, progress=report)
    timings["writing"] = perf_counter() - begun
    unplaced = result.unplaced["code"].value_counts()
    summary = TalentRunSummary(
        placed=len(result.placed),
        unplaced={code: int(unplaced.get(code, 0)) for code in UNPLACED_REASONS},
        boxes=written["boxes"],
        calibrated_kept=written["calibrated_kept"],
        seconds=perf_counter() - started,
        timings=timings,
    )
    # Once committed (at once outside a transaction, else with the caller's): a receiver such as
    # lms' development plans must find the new placements. Its work is not in ``seconds``.
    transaction.on_commit(lambda: talent_placed.send(sender=TalentPlacement, cycle=cycle, agency=agency), robust=True)
    return summary


# Reading -------------------------------------------------------------------------------------


def read_talent_inputs(*, cycle, agency, cycles):
    """(people, appraisals, profile, standards, assessments) of ``agency`` for ``cycle``, as the
    frames ``tna.talent.grid.place`` takes; appraisals of ``cycle`` and the ``cycles`` − 1 before it."""
    people = int_frame(
        Employee.objects.filter(agency=agency, active=True), ("employee", "unit", "job"),
        employee="pk", unit="unit_id",
        job=Case(*[When(position__job_type=job, then=Value(i)) for i, job in enumerate(JOB_TYPES)],
                 default=Value(-1), output_field=IntegerField()),
    )
    people = pd.DataFrame({"employee": people["employee"], "agency": np.int64(agency.pk), "unit": people["unit"],
                           "job_type": JOB_NAMES[people["job"].to_numpy()]})

    window = list(Cycle.objects.filter(year__lte=cycle.year).order_by("-year").values_list("pk", "year")[:cycles])
    read = int_frame(
        Appraisal.objects.filter(employee__agency=agency, employee__active=True, cycle_id__in=[pk for pk, _y in window]),
        ("employee", "cycle", "pair"),
        employee="employee_id", cycle="cycle_id",
        pair=Case(*[When(results=results, behaviour=behaviour, then=Value(i))
                    for i, (results, behaviour) in enumerate(PAIRS)], default=Value(-1), output_field=IntegerField()),
    )
    back = {pk: i for i, (pk, _y) in enumerate(window)}
    # The predikat of each pair; the last entry (index -1) for a pair the table does not know.
    names = np.array([PREDIKAT[pair] for pair in PAIRS] + [""], dtype=object)
    appraisals = pd.DataFrame({
        "employee": read["employee"],
        "back": read["cycle"].map(back).astype("int64"),
        "year": read["cycle"].map(dict(window)).astype("int64"),
        "predikat": names[read["pair"].to_numpy()],
    })

    # Only what potential needs: observed levels of the cycle's results, on the (cycle, agency) index.
    # (NumPy takes the million tuples of numbers faster than DataFrame.from_records.)
    rows = np.array(
        list(CompetencyGap.objects.filter(cycle=cycle, agency=agency, observed_level__isnull=False).order_by()
             .values_list("employee_id", "competency_id", "observed_level")),
        dtype=float,
    ).reshape(-1, 3)
    profile = pd.DataFrame({"employee": rows[:, 0].astype(np.int64), "competency": rows[:, 1].astype(np.int64),
                            "observed": rows[:, 2]})
    standards = level_standards([agency.pk])
    assessments = pd.DataFrame.from_records(
        list(AssessmentResult.objects.filter(cycle=cycle, employee__agency=agency).order_by()
             .values_list("employee_id", "jpm")),
        columns=["employee", "jpm"],
    ).astype({"employee": "int64", "jpm": float})
    return people, appraisals, profile, standards, assessments


# Writing -------------------------------------------------------------------------------------


def write_placements(*, cycle, agency, placed, progress=None):
    """Replace the placements of ``cycle`` and ``agency`` with ``placed`` (``grid.PLACED_COLUMNS``).

    One transaction. Existing placements of people still placed are updated in place, so their
    calibration moves (``TalentMove``) stay attached; a placement with a move (``moved_at`` set)
    keeps its box, its author, time and reason, whatever the evidence now says. Returns
    ``boxes`` (people per box after the moves kept) and ``calibrated_kept``.
    """
    report = progress or (lambda stage, done=0, total=0: None)
    total = len(placed)
    report("writing", 0, total)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with bulk_write_mode(), transaction.atomic():
        # Runs of one cycle take turns (PostgreSQL; SQLite has one writer anyway).
        list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk"))
        # Also placements made while a person belonged to another agency: a person has one per cycle.
        existing = int_frame(
            TalentPlacement.objects.filter(Q(agency=agency) | Q(employee__agency=agency), cycle=cycle),
            ("pk", "employee", "old_box", "moved"), pk="pk", employee="employee_id", old_box="box",
            moved=Case(When(moved_at__isnull=False, then=Value(1)), default=Value(0), output_field=IntegerField()),
        )
        employees = placed["employee"].to_numpy(np.int64)
        at = pd.Index(existing["employee"].to_numpy(np.int64)).get_indexer(employees) if len(existing) else (
            np.full(len(placed), -1))
        kept = at >= 0
        moved = np.zeros(len(placed), dtype=bool)
        box = placed["box"].to_numpy(np.int64).copy()
        if len(existing):
            was_moved = existing["moved"].to_numpy() == 1
            moved[kept] = was_moved[at[kept]]
            box[moved] = existing["old_box"].to_numpy(np.int64)[at[moved]]
        gone = existing["pk"].to_numpy(np.int64)[np.setdiff1d(np.arange(len(existing)), at[kept])] if len(existing) else []
        for start in range(0, len(gone), DELETE_CHUNK):
            TalentPlacement.objects.filter(pk__in=gone[start:start + DELETE_CHUNK].tolist()).delete()

        columns = [
            placed["agency"].tolist(), placed["unit"].tolist(), placed["job_type"].tolist(),
            placed["performance"].tolist(), placed["potential"].tolist(), placed["box"].tolist(), box.tolist(),
            placed["performance_score"].tolist(), placed["potential_score"].tolist(),
            [encode(reason) for reason in placed["reason"]],
        ]
        rows = list(zip(*columns, strict=True))
        updates = [(*rows[i], now, pk) for i, pk in zip(np.flatnonzero(kept).tolist(),
                                                        existing["pk"].to_numpy(np.int64)[at[kept]].tolist(), strict=True)]
        update_rows(TalentPlacement, COMPUTED_FIELDS, updates)
        report("writing", len(updates), total)
        fresh = [(cycle.pk, employee, *rows[i], now, "")
                 for i, employee in zip(np.flatnonzero(~kept).tolist(), employees[~kept].tolist(), strict=True)]
        insert_rows(TalentPlacement, ("cycle", "employee", *COMPUTED_FIELDS, "move_reason"), fresh)
        report("writing", total, total)
    counts = np.bincount(box, minlength=10)
    return {"boxes": {b: int(counts[b]) for b in BOXES}, "calibrated_kept": int(moved.sum())}


# Calibration ---------------------------------------------------------------------------------


def talent_move(*, placement, box, reason, by):
    """Move ``placement`` to ``box`` in calibration, for a written ``reason``, by the user ``by``.

    Records a TalentMove (from, to, reason, author) and sets the placement's box, ``moved_by``,
    ``moved_at`` and ``move_reason``. A move back to the box from the evidence is recorded too;
    later runs keep the box of a moved placement. Returns the placement.
    """
    if isinstance(box, bool) or not isinstance(box, int | np.integer) or box not in BOXES:
        raise ValidationError({"box": ValidationError(
            _("The box must be a whole number from 1 to 9, not %(value)r."), code="invalid_box", params={"value": box})})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(
            _("Write why the person is moved: a calibration move needs a reason."), code="reason_required")})
    if by is None:
        raise ValidationError(_("A calibration move needs the user who made it."), code="no_author")
    with transaction.atomic():
        current = TalentPlacement.objects.select_for_update().get(pk=placement.pk)
        TalentMove.objects.create(placement=current, from_box=current.box, to_box=int(box), reason=reason, author=by)
        current.box, current.moved_by, current.moved_at, current.move_reason = int(box), by, timezone.now(), reason
        current.save(update_fields=["box", "moved_by", "moved_at", "move_reason"])
        # The person's development plan follows the box the committee settled on.
        _announce(current.cycle, current.agency)
    placement.box, placement.moved_by, placement.moved_at, placement.move_reason = (
        current.box, current.moved_by, current.moved_at, current.move_reason)
    return placement


def _announce(cycle, agency):
    """Send ``talent_placed`` once the surrounding transaction commits (lms rewrites the plans)."""
    transaction.on_commit(lambda: talent_placed.send(sender=TalentPlacement, cycle=cycle, agency=agency))


def talent_policy_set(*, agency, leadership_priority, show_own_box):
    """Set ``agency``'s talent policy; returns it.

    Development plans carry the leadership priority, so the latest cycle with placements is
    announced again (``talent_placed``): lms rewrites the plans and the recommendations follow.
    """
    if isinstance(leadership_priority, bool) or not isinstance(leadership_priority, int) or not (
            0 <= leadership_priority <= 100):
        raise ValidationError({"leadership_priority": ValidationError(
            _("The priority is a whole number from 0 to 100."), code="invalid_priority")})
    with transaction.atomic():
        policy, _created = TalentPolicy.objects.select_for_update().get_or_create(agency=agency)
        changed = policy.leadership_priority != leadership_priority
        policy.leadership_priority, policy.show_own_box = leadership_priority, bool(show_own_box)
        policy.save()
        latest = (TalentPlacement.objects.filter(agency=agency).order_by("-cycle__year")
                  .values_list("cycle_id", flat=True).first())
        if changed and latest:
            _announce(Cycle.objects.get(pk=latest), agency)
    return policy
