"""Runs the gap analysis for a cycle: reads the evidence in bulk, computes, replaces the results atomically."""

import logging
import traceback
from contextlib import contextmanager
from time import perf_counter

import numpy as np
import pandas as pd
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..analysis import Evidence, Parameters, analyse
from ..analysis.inputs import EXPECTATIONS
from ..analysis.params import ROLES
from ..conf import settings
from ..hooks import training_evidence
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

# Rows read per text aggregate and written per insert batch.
READ_CHUNK = 2_000_000
WRITE_CHUNK = 50_000

RESULT_FIELDS = (
    "cycle", "run", "employee", "agency", "unit", "competency",
    "required_level", "observed_level", "confidence", "gap", "priority", "reason",
)


def analysis_parameters():
    """The analysis parameters from the ``LATIH_*`` settings."""
    return Parameters(
        rater_weights=settings.RATER_WEIGHTS,
        leniency_shrinkage=settings.LENIENCY_SHRINKAGE,
        leniency_iterations=settings.LENIENCY_ITERATIONS,
        training_weight=settings.TRAINING_EVIDENCE_WEIGHT,
        confidence_raters=settings.CONFIDENCE_RATERS,
        confidence_no_supervisor=settings.CONFIDENCE_NO_SUPERVISOR,
        low_confidence=settings.LOW_CONFIDENCE,
        ikm_threshold=settings.IKM_LOW_THRESHOLD,
        priority_points=settings.PRIORITY_POINTS,
        gap_saturation=settings.GAP_SATURATION,
        gap_presence=settings.GAP_PRESENCE,
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
    people = _int_frame(
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
    ratings = _int_frame(
        Rating.objects.filter(Q(ratee__agency=agency) if agency else Q(), cycle=cycle),
        ("ratee", "rater", "role", "competency", "level"),
        ratee="ratee_id", rater="rater_id", competency="competency_id", level="level",
        role=Case(*[When(rater_role=role, then=Value(i)) for i, role in enumerate(ROLES)],
                  default=Value(-1), output_field=IntegerField()),
    )
    appraisals = _int_frame(
        Appraisal.objects.filter(person_scope, cycle=cycle),
        ("employee", "results", "behaviour", "discipline", "quality", "innovation"),
        employee="employee_id", results=_expectation("results"), behaviour=_expectation("behaviour"),
        discipline=Coalesce("discipline", 0), quality=Coalesce("quality", 0), innovation=Coalesce("innovation", 0),
    )
    survey = _int_frame(
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
    return Evidence(
        people=people, required=required, ratings=ratings, appraisals=appraisals, survey=survey,
        ikm=ikm, units=units, competencies=competencies,
        # Completed training registered by apps to the right of tna (tna.hooks).
        training=training_evidence(cycle=cycle, agency=agency),
    )


def _expectation(field):
    return Case(*[When(**{field: name, "then": Value(i)}) for i, name in enumerate(EXPECTATIONS)],
                default=Value(-1), output_field=IntegerField())


def _int_frame(queryset, columns, **expressions):
    """A DataFrame of integer ``columns`` computed by ``expressions`` over ``queryset``.

    Millions of rows come back as one comma-joined text per column and chunk (group_concat on
    SQLite, string_agg on PostgreSQL) parsed by NumPy: several times faster than fetching a
    Python tuple per row. Other databases fetch rows. Expressions must not be NULL.
    """
    queryset = queryset.order_by()
    aliases = {"c%d" % i: expressions[name] for i, name in enumerate(columns)}
    aliases = {alias: F(e) if isinstance(e, str) else e for alias, e in aliases.items()}
    rows = queryset.annotate(**aliases).values_list(*aliases)
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
        return frame.astype("int64") if len(frame) else _empty(columns)
    # ORDER BY pk LIMIT 1 walks an index; SQLite answers MIN/MAX under a filter by scanning.
    keys = queryset.values_list("pk", flat=True)
    low, high = keys.order_by("pk").first(), keys.order_by("-pk").first()
    if low is None:
        return _empty(columns)
    if vendor == "sqlite":
        aggregate = "group_concat(%s)"
    else:
        aggregate = "string_agg(%s::text, ',')"
    parts = [[] for _ in columns]
    with connection.cursor() as cursor:
        for start in range(low, high + 1, READ_CHUNK):
            sql, params = rows.filter(pk__gte=start, pk__lt=start + READ_CHUNK).query.sql_with_params()
            outer = "SELECT %s FROM (%s) latih_rows" % (", ".join(aggregate % alias for alias in aliases), sql)
            cursor.execute(outer, params)
            texts = cursor.fetchone()
            if texts[0] is None:
                continue
            for part, text in zip(parts, texts, strict=True):
                part.append(np.fromstring(text, dtype=np.int64, sep=","))
    if not parts[0]:
        return _empty(columns)
    arrays = [np.concatenate(part) for part in parts]
    if len({len(a) for a in arrays}) != 1:
        raise ValueError("A column read for %s had NULLs." % queryset.model._meta.label)
    return pd.DataFrame(dict(zip(columns, arrays, strict=True)))


def _empty(columns):
    return pd.DataFrame({c: pd.Series(dtype="int64") for c in columns})


# Writing -------------------------------------------------------------------------------------


def write_results(*, run, result, progress=None):
    """Replace the cycle's (or the run's agency's) CompetencyGap rows with ``result`` in one transaction.

    Returns timings: ``writing`` (the whole stage) and ``reasons`` (its share spent building
    the reason JSON).
    """
    report = progress or (lambda stage, done=0, total=0: None)
    started, reasons_time = perf_counter(), 0.0
    gaps = result.gaps
    total = len(gaps)
    report("writing", 0, total)
    columns = {name: gaps[name].to_numpy() for name in RESULT_FIELDS[2:-1]}
    _check_values(columns)
    with _bulk_load(), transaction.atomic():
        # Runs of one cycle take turns (PostgreSQL; SQLite has one writer anyway).
        list(Cycle.objects.select_for_update().filter(pk=run.cycle_id).values_list("pk"))
        _delete_previous(run)
        _check_keys(columns)
        with connection.cursor() as cursor, _writer(cursor) as writer:
            for start in range(0, total, WRITE_CHUNK):
                stop = min(start + WRITE_CHUNK, total)
                begun = perf_counter()
                reasons = result.reason_json(start, stop)
                reasons_time += perf_counter() - begun
                writer.write(run, {name: values[start:stop] for name, values in columns.items()}, reasons)
                report("writing", stop, total)
    return {"writing": perf_counter() - started, "reasons": reasons_time}


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
    """The table's CHECK constraints, verified on the arrays (SQLite skips them row by row, see _bulk_load)."""
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
        found = _int_frame(model.objects.filter(pk__gte=wanted[0], pk__lte=wanted[-1]), ("id",), id="pk")["id"]
        missing = wanted[~np.isin(wanted, found.to_numpy())]
        if len(missing):
            raise ValueError("%s %s was deleted while the analysis ran; run it again."
                             % (model._meta.verbose_name, missing[0]))


@contextmanager
def _bulk_load():
    """On SQLite, write the results without evaluating CHECK constraints row by row (each reason
    would be parsed again to check it is JSON; ``_check_values`` checked the numbers at once) and
    with a large page cache. Elsewhere nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")
            cursor.execute("PRAGMA cache_size = %d" % cache_size)


def _writer(cursor):
    return _CopyWriter(cursor) if connection.vendor == "postgresql" else _InsertWriter(cursor)


def _result_columns():
    meta = CompetencyGap._meta
    return [meta.get_field(name).column for name in RESULT_FIELDS]


class _InsertWriter:
    """Batched INSERTs through ``executemany``."""

    def __init__(self, cursor):
        qn = connection.ops.quote_name
        self.cursor = cursor
        self.statement = "INSERT INTO %s (%s) VALUES (%s)" % (
            qn(CompetencyGap._meta.db_table), ", ".join(map(qn, _result_columns())), ", ".join(["%s"] * len(RESULT_FIELDS))
        )

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, run, columns, reasons):
        """Insert one chunk: ``columns`` maps RESULT_FIELDS[2:-1] to equal-length arrays."""
        n = len(reasons)
        observed = columns["observed_level"]
        self.cursor.executemany(self.statement, zip(
            [run.cycle_id] * n, [run.pk] * n,
            *(columns[name].tolist() for name in ("employee", "agency", "unit", "competency", "required_level")),
            np.where(np.isnan(observed), None, observed).tolist(),
            *(columns[name].tolist() for name in ("confidence", "gap", "priority")),
            reasons,
            strict=True,
        ))


class _CopyWriter:
    """One ``COPY ... FROM STDIN`` (psycopg 3) for all rows of the run, fed text a chunk at a time.

    The chunk's text is built column-wise (NumPy formats the numbers) and joined once, about
    five times cheaper than ``write_row`` per row.
    """

    def __init__(self, cursor):
        from psycopg import sql

        self.statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(CompetencyGap._meta.db_table), sql.SQL(", ").join(map(sql.Identifier, _result_columns()))
        )
        self.cursor = cursor

    def __enter__(self):
        self.context = self.cursor.cursor.copy(self.statement)
        self.copy = self.context.__enter__()
        return self

    def __exit__(self, *exc):
        return self.context.__exit__(*exc)

    def write(self, run, columns, reasons):
        n = len(reasons)
        head = "%d\t%d" % (run.cycle_id, run.pk)
        observed = columns["observed_level"]
        fields = [
            [head] * n,
            *(columns[name].astype(str).tolist() for name in ("employee", "agency", "unit", "competency", "required_level")),
            np.where(np.isnan(observed), "\\N", observed.astype(str)).tolist(),
            *(columns[name].astype(str).tolist() for name in ("confidence", "gap", "priority")),
            [_copy_escape(reason) for reason in reasons] if _needs_escape(reasons) else reasons,
        ]
        self.copy.write("\n".join(map("\t".join, zip(*fields, strict=True))) + "\n")


def _needs_escape(texts):
    joined = "".join(texts)
    return "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined


def _copy_escape(text):
    """A value in COPY's text format: backslash, tab and line breaks escaped."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
