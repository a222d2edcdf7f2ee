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
from ..infra.bulk import partitions
from ..infra.bulk.columns import column_writer
from ..infra.bulk.mode import bulk_write_mode
from ..infra.bulk.reading import int_frame
from ..models import (
    Agency,
    Appraisal,
    Competency,
    CompetencyGap,
    Cycle,
    Employee,
    Rating,
    RequiredLevel,
    SurveyResponse,
    TnaRun,
    Unit,
    UnitSatisfaction,
)
from ..signals import results_published

logger = logging.getLogger("latih.tna")

STAGES = ("reading", "leniency", "observed", "priority", "writing")

# Rows written per batch (the reason columns are computed a batch at a time).
WRITE_CHUNK = 100_000

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
    people = int_frame(
        Employee.objects.filter(in_scope, active=True), ("employee", "agency", "unit", "position"),
        employee="pk", agency="agency_id", unit="unit_id", position="position_id",
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
        ("ratee", "rater", "role", "competency", "level"),
        ratee="ratee_id", rater="rater_id", competency="competency_id", level="level",
        role=Case(*[When(rater_role=role, then=Value(i)) for i, role in enumerate(ROLES)],
                  default=Value(-1), output_field=IntegerField()),
    )
    appraisals = int_frame(
        Appraisal.objects.filter(person_scope, cycle=cycle),
        ("employee", "results", "behaviour", "discipline", "quality", "innovation"),
        employee="employee_id", results=_expectation("results"), behaviour=_expectation("behaviour"),
        discipline=Coalesce("discipline", 0), quality=Coalesce("quality", 0), innovation=Coalesce("innovation", 0),
    )
    survey = int_frame(
        SurveyResponse.objects.filter(person_scope, cycle=cycle), ("employee", "competency", "priority"),
        employee="employee_id", competency="competency_id", priority="priority",
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


def _expectation(field):
    return Case(*[When(**{field: name, "then": Value(i)}) for i, name in enumerate(EXPECTATIONS)],
                default=Value(-1), output_field=IntegerField())


# Writing -------------------------------------------------------------------------------------


def write_results(*, run, result, progress=None):
    """Replace the cycle's (or the run's agency's) CompetencyGap rows with ``result`` in one transaction.

    Returns timings: ``writing`` (the whole stage) and ``reasons`` (its share spent computing
    the reason columns).
    """
    report = progress or (lambda stage, done=0, total=0: None)
    started, reasons_time = perf_counter(), 0.0
    gaps = result.gaps
    total = len(gaps)
    report("writing", 0, total)
    columns = {name: gaps[name].to_numpy() for name in ROW_FIELDS}
    _check_values(columns)
    table = CompetencyGap._meta.db_table
    timings = {}
    # SQLite leaves the CHECK constraints to _check_values, one pass over the arrays.
    with bulk_write_mode(ignore_check_constraints=True), transaction.atomic():
        # Runs of one cycle take turns (PostgreSQL; SQLite has one writer anyway).
        list(Cycle.objects.select_for_update().filter(pk=run.cycle_id).values_list("pk"))
        # A whole cycle on PostgreSQL goes into a fresh partition swapped in at the end;
        # otherwise the rows the run replaces are deleted first.
        swap = run.agency_id is None and partitions.is_partitioned(table)
        if not swap:
            _delete_previous(run)
        _check_keys(columns)
        with connection.cursor() as cursor:
            target = "%s_r%d" % (table, run.pk) if swap else table
            if swap:
                partitions.fresh(cursor, table, target)
            constants = {"cycle": run.cycle_id, "run": run.pk}
            with column_writer(cursor, CompetencyGap, RESULT_FIELDS, constants=constants, table=target) as writer:
                for start in range(0, total, WRITE_CHUNK):
                    stop = min(start + WRITE_CHUNK, total)
                    begun = perf_counter()
                    chunk = {name: values[start:stop] for name, values in columns.items()}
                    chunk.update(result.reason_columns(start, stop))
                    reasons_time += perf_counter() - begun
                    writer.write(chunk)
                    report("writing", stop, total)
            if swap:
                begun = perf_counter()
                partitions.swap_in(cursor, table, target, key=CompetencyGap._meta.get_field("cycle").column,
                                   value=run.cycle_id)
                timings["indexing"] = perf_counter() - begun
    return {"writing": perf_counter() - started, "reasons": reasons_time, **timings}


def _delete_previous(run):
    """Delete the results the run replaces."""
    previous = CompetencyGap.objects.filter(cycle_id=run.cycle_id)
    if run.agency_id:
        # Also people who moved here from another agency since the last run.
        previous = previous.filter(Q(agency_id=run.agency_id) | Q(employee__agency_id=run.agency_id))
    elif connection.vendor == "sqlite" and not CompetencyGap.objects.exclude(cycle_id=run.cycle_id).exists():
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
