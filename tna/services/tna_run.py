"""Runs the gap analysis for a cycle: reads the evidence in bulk, computes, replaces the results atomically."""

import logging
import traceback
from time import perf_counter

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..analysis import Evidence, Parameters, analyse
from ..analysis.inputs import EXPECTATIONS, empty
from ..analysis.params import ROLES
from ..analysis.reasons import REASON_COLUMNS
from ..conf import settings
from ..hooks import coaching_evidence, training_evidence
from ..infra.any_of import AnyOf
from ..infra.bulk import partitions
from ..infra.bulk.columns import column_writer, copy_in_parallel
from ..infra.bulk.mode import bulk_write_mode
from ..infra.bulk.reading import int_frame
from ..infra.locks import lock_scope
from ..models import (
    Agency,
    Appraisal,
    Competency,
    CompetencyGap,
    Employee,
    Rating,
    RequiredLevel,
    SurveyResponse,
    TnaRun,
    Unit,
    UnitSatisfaction,
)
from ..selectors import staff_of
from ..signals import results_published

logger = logging.getLogger("latih.tna")

STAGES = ("reading", "leniency", "observed", "priority", "writing")

# Rows written per batch (the reason columns are computed a batch at a time).
WRITE_CHUNK = 100_000
# Connections loading a whole cycle's staged partition at once (PostgreSQL, outside a transaction).
WRITE_WORKERS = 2

# What the analysis gives per row, then the result table's fields in writing order.
ROW_FIELDS = ("employee", "agency", "unit", "competency", "required_level", "observed_level", "confidence", "gap",
              "priority")
CONSTANT_FIELDS = ("cycle", "run")
RESULT_FIELDS = (*CONSTANT_FIELDS, *ROW_FIELDS, *REASON_COLUMNS)


def analysis_parameters():
    """The analysis parameters from the ``LATIH_*`` settings."""
    return Parameters(
        rater_weights=settings.RATER_WEIGHTS,
        leniency_shrinkage=settings.LENIENCY_SHRINKAGE,
        leniency_iterations=settings.LENIENCY_ITERATIONS,
        training_weight=settings.TRAINING_EVIDENCE_WEIGHT,
        coaching_weight=settings.COACHING_EVIDENCE_WEIGHT,
        confidence_raters=settings.CONFIDENCE_RATERS,
        confidence_no_supervisor=settings.CONFIDENCE_NO_SUPERVISOR,
        low_confidence=settings.LOW_CONFIDENCE,
        ikm_threshold=settings.IKM_LOW_THRESHOLD,
        priority_points=settings.PRIORITY_POINTS,
        gap_saturation=settings.GAP_SATURATION,
        gap_presence=settings.GAP_PRESENCE,
        anonymity_minimum=settings.MIN_RATERS_PER_ROLE_SHOWN,
    )


def tna_run_queue(*, cycle, agency=None, requested_by=None):
    """A new queued TnaRun for ``cycle`` (a Cycle) and optionally one agency."""
    return TnaRun.objects.create(cycle=cycle, agency=agency, requested_by=requested_by, status=TnaRun.Status.QUEUED)


def tna_run_execute(*, run, progress=None):
    """Run the analysis ``run`` describes and record how it went on the run.

    ``progress(stage, done, total)`` is called as stages start and as rows are written. On
    failure the run is marked failed with the error, the previous results stay as they were, and
    the exception propagates.
    """
    report = progress or (lambda stage, done=0, total=0: None)
    run.status, run.started_at, run.error = TnaRun.Status.RUNNING, timezone.now(), ""
    run.save(update_fields=["status", "started_at", "error"])
    timings = {}
    try:
        params = analysis_parameters()
        run.parameters = params.as_dict()
        report("reading")
        started = perf_counter()
        evidence = read_evidence(cycle=run.cycle, agency=run.agency)
        timings["reading"] = perf_counter() - started
        result = analyse(evidence, params, progress=report)
        timings.update(result.timings)
        timings.update(write_results(run=run, result=result, progress=report))
        run.employees = len(evidence.people)
        run.gaps = int((result.gaps["gap"] > 0).sum())
        run.status = TnaRun.Status.SUCCEEDED
    except Exception as exc:
        logger.exception("TNA run %s failed", run.pk)
        run.status = TnaRun.Status.FAILED
        run.error = "%s: %s\n\n%s" % (type(exc).__name__, exc, traceback.format_exc(limit=8))
        raise
    finally:
        run.finished_at = timezone.now()
        run.timings = {stage: round(seconds, 3) for stage, seconds in timings.items()}
        run.save(update_fields=["status", "error", "finished_at", "timings", "employees", "gaps", "parameters"])
    # After commit: a receiver's background task must find the new results.
    transaction.on_commit(lambda: results_published.send(sender=TnaRun, run=run), robust=True)
    return run


def run_tna(*, cycle, agency=None, requested_by=None, progress=None):
    """Queue and execute a run at once (the management command's path); returns the TnaRun."""
    run = tna_run_queue(cycle=cycle, agency=agency, requested_by=requested_by)
    return tna_run_execute(run=run, progress=progress)


# Reading -------------------------------------------------------------------------------------


def read_evidence(*, cycle, agency=None):
    """Everything the analysis needs for ``cycle`` (and ``agency``) as an ``Evidence``.

    Ratings of ratees in scope are all read, whoever the rater, so leniency is judged on
    everything those raters gave them.
    """
    in_scope = Q(agency=agency) if agency else Q()
    scoped = agency is not None  # one agency's rows, found through the agency's index (int_frame)
    people = int_frame(
        Employee.objects.filter(in_scope, active=True), ("employee", "agency", "unit", "position"),
        employee="pk", agency="agency_id", unit="unit_id", position="position_id", scoped=scoped,
    )
    positions = Employee.objects.filter(in_scope, active=True).order_by().values("position_id")
    standards = pd.DataFrame.from_records(
        list(RequiredLevel.objects.filter(competency__active=True, position__in=positions)
             .order_by().values_list("position_id", "competency_id", "level", "weight")),
        columns=["position", "competency", "required_level", "weight"],
    )
    standards = standards.astype({"position": "int64", "competency": "int64", "required_level": "int64", "weight": float})
    required = people[["employee", "position"]].merge(standards, on="position")[
        ["employee", "competency", "required_level", "weight"]
    ]
    person_scope = Q(employee__agency=agency) if agency else Q()
    ratings = int_frame(
        Rating.objects.filter(Q(ratee__agency=agency) if agency else Q(), cycle=cycle),
        ("ratee", "rater", "role", "competency", "level"), bits=_rating_bits(), scoped=scoped,
        ratee="ratee_id", rater="rater_id", competency="competency_id", level="level",
        # A role outside ROLES (the table's CHECK allows none) reads as len(ROLES): the analysis refuses it.
        role=Case(*[When(rater_role=role, then=Value(i)) for i, role in enumerate(ROLES)],
                  default=Value(len(ROLES)), output_field=IntegerField()),
    )
    appraisals = int_frame(
        Appraisal.objects.filter(person_scope, cycle=cycle),
        ("employee", "results", "behaviour", "discipline", "quality", "innovation"), scoped=scoped,
        employee="employee_id", results=_expectation("results"), behaviour=_expectation("behaviour"),
        discipline=Coalesce("discipline", 0), quality=Coalesce("quality", 0), innovation=Coalesce("innovation", 0),
    )
    survey = int_frame(
        SurveyResponse.objects.filter(person_scope, cycle=cycle), ("employee", "competency", "priority"),
        employee="employee_id", competency="competency_id", priority="priority", scoped=scoped,
    )
    unit_scope = Q(unit__agency=agency) if agency else Q()
    ikm = pd.DataFrame.from_records(
        list(UnitSatisfaction.objects.filter(unit_scope, cycle=cycle).order_by().values_list("unit_id", "score")),
        columns=["unit", "score"],
    )
    ikm["score"] = ikm["score"].astype(float)
    units = pd.DataFrame.from_records(
        list(Unit.objects.filter(in_scope).order_by().values_list("pk", "parent_id")), columns=["unit", "parent"]
    )
    competencies = pd.DataFrame.from_records(
        list(Competency.objects.order_by().values_list("pk", "is_service")), columns=["competency", "is_service"]
    )
    # Completed training and supervisors' coaching come from apps to the right of tna (tna.hooks);
    # coaching is read only while it counts.
    coaching = empty("coaching")
    if settings.COACHING_EVIDENCE_WEIGHT > 0:
        coaching = coaching_evidence(cycle=cycle, agency=agency)
    return Evidence(
        people=people, required=required, ratings=ratings, appraisals=appraisals, survey=survey,
        ikm=ikm, units=units, competencies=competencies,
        training=training_evidence(cycle=cycle, agency=agency), coaching=coaching,
    )


def _rating_bits():
    """Widths for reading the ratings packed (``int_frame``'s ``bits``), from the largest keys.

    With a million staff a rating's five numbers fit in one 64-bit value: two 20-bit person keys,
    the competency key, and 3 bits each for the role and the level (1–5 by the table's CHECK).
    """
    def width(model):
        largest = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        return max(int(largest).bit_length(), 1)

    return {"ratee": width(Employee), "rater": width(Employee), "role": 3, "competency": width(Competency),
            "level": 3}


def _expectation(field):
    return Case(*[When(**{field: name, "then": Value(i)}) for i, name in enumerate(EXPECTATIONS)],
                default=Value(-1), output_field=IntegerField())


# Writing -------------------------------------------------------------------------------------


def write_results(*, run, result, progress=None):
    """Replace the cycle's (or the run's agency's) CompetencyGap rows with ``result`` atomically.

    A whole cycle on PostgreSQL goes into a fresh table swapped in as the cycle's partition at the
    end (``partitions``), and an agency's rows into that partition, created empty if the cycle
    has none yet; outside a transaction that table is staged (created and committed,
    invisible to readers) and loaded over ``WRITE_WORKERS`` connections at once, the COPY being
    the server's largest share of a run. Otherwise the rows the run replaces are deleted and the
    new ones copied in, inside one transaction. Either way readers see the old rows or the new,
    and a failure leaves the old in place.

    Returns timings: ``writing`` (the whole stage), ``reasons`` (its share spent computing the
    reason columns) and, for a swap, ``indexing`` (keys, indexes and the swap itself).
    """
    report = progress or (lambda stage, done=0, total=0: None)
    started = perf_counter()
    total = len(result.gaps)
    report("writing", 0, total)
    rows = _ResultRows(run, result)
    table = CompetencyGap._meta.db_table
    partitioned = partitions.is_partitioned(table)
    swap = run.agency_id is None and partitioned
    staged = swap and WRITE_WORKERS > 1 and not connection.in_atomic_block
    target = "%s%d" % (_staging_prefix(table), run.pk) if swap else table
    ranges = [(start, min(start + WRITE_CHUNK, total)) for start in range(0, total, WRITE_CHUNK)]
    timings = {}
    if partitioned and not swap:
        # An agency's rows go into its cycle's own partition, never into the default one.
        partitions.ensure(table, key=_cycle_column(), value=run.cycle_id)
    if staged:
        partitions.drop_abandoned(table, _staging_prefix(table))
        partitions.stage(table, target, run.pk, key=_cycle_column(), value=run.cycle_id)
    succeeded = False
    try:
        if staged:
            written = [0]

            def advance(count):
                written[0] += count
                report("writing", written[0], total)

            copy_in_parallel(CompetencyGap, RESULT_FIELDS, ranges, rows.chunk, table=target,
                                   constants=rows.constants, workers=WRITE_WORKERS, progress=advance)
        # SQLite leaves the CHECK constraints to _check_values, one pass over the arrays.
        with bulk_write_mode(ignore_check_constraints=True), transaction.atomic():
            lock_scope(run.cycle_id, run.agency_id)
            if not swap:
                _delete_previous(run)
            _check_keys(rows.columns)
            with connection.cursor() as cursor:
                if swap and not staged:
                    partitions.fresh(cursor, table, target, key=_cycle_column(), value=run.cycle_id)
                if not staged:
                    with column_writer(cursor, CompetencyGap, RESULT_FIELDS, constants=rows.constants,
                                       table=target) as writer:
                        for start, stop in ranges:
                            writer.write(rows.chunk(start, stop))
                            report("writing", stop, total)
                if swap:
                    begun = perf_counter()
                    partitions.swap_in(cursor, table, target, key=_cycle_column(), value=run.cycle_id)
                    timings["indexing"] = perf_counter() - begun
        succeeded = True
    finally:
        if staged:
            # A failed run's staged table goes; a swapped-in one is the cycle's partition now.
            partitions.unstage(target, run.pk, drop=not succeeded)
    return {"writing": perf_counter() - started, "reasons": rows.reasons_time, **timings}


def _cycle_column():
    return CompetencyGap._meta.get_field("cycle").column


def _staging_prefix(table):
    return "%s_r" % table


class _ResultRows:
    """The result's rows as ``column_writer`` chunks: the analysis' columns and the reasons."""

    def __init__(self, run, result):
        gaps = result.gaps
        self.result = result
        self.columns = {name: gaps[name].to_numpy() for name in ROW_FIELDS}
        _check_values(self.columns)
        self.constants = {"cycle": run.cycle_id, "run": run.pk}
        self.reasons_time = 0.0

    def chunk(self, start, stop):
        begun = perf_counter()
        chunk = {name: values[start:stop] for name, values in self.columns.items()}
        chunk.update(self.result.reason_columns(start, stop))
        self.reasons_time += perf_counter() - begun
        return chunk


def _delete_previous(run):
    """Delete the results the run replaces."""
    previous = CompetencyGap.objects.filter(cycle_id=run.cycle_id)
    if run.agency_id:
        # The agency's rows, then those of people who moved here from another agency since the
        # last run: two deletes, each through an index. One OR across the join to Employee made
        # PostgreSQL scan every row of the cycle, once per agency of a national run.
        previous.filter(agency_id=run.agency_id).delete()
        # AnyOf: the agency's people probed in the unique index, even before the partition's
        # statistics know how many rows the run's earlier agencies wrote (tna.infra.any_of).
        movers = staff_of(run.agency_id, active=False)
        previous.filter(AnyOf("employee_id", movers)).exclude(agency_id=run.agency_id).delete()
        return
    if connection.vendor == "sqlite" and not CompetencyGap.objects.exclude(cycle_id=run.cycle_id).exists():
        # Every stored row goes: an unconditional DELETE lets SQLite drop the table's pages at
        # once instead of removing a million rows from ten B-trees one by one.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM %s" % connection.ops.quote_name(CompetencyGap._meta.db_table))
        return
    previous.delete()


def _check_values(columns):
    """The table's CHECK constraints, verified on the arrays (SQLite skips them row by row, see write_results)."""
    gap, priority, confidence = columns["gap"], columns["priority"], columns["confidence"]
    if len(gap) and (gap.min() < 0 or priority.min() < 0 or priority.max() > 100 or confidence.min() < 0
                     or confidence.max() > 1):
        raise ValueError("The analysis produced a gap, priority or confidence out of range.")


def _check_keys(columns):
    """The units, agencies and competencies referred to still exist.

    CompetencyGap leaves these foreign keys unchecked by the database (a check per row and key
    costs more than the insert); the cycle is locked, the run was just created and the employee
    key is checked by the database.
    """
    for model, name in ((Unit, "unit"), (Agency, "agency"), (Competency, "competency")):
        wanted = np.unique(columns[name])
        if not len(wanted):
            continue
        found = int_frame(model.objects.filter(pk__gte=wanted[0], pk__lte=wanted[-1]), ("id",), id="pk")["id"]
        missing = wanted[~np.isin(wanted, found.to_numpy())]
        if len(missing):
            raise ValueError("%s %s was deleted while the analysis ran; run it again."
                             % (model._meta.verbose_name, missing[0]))
