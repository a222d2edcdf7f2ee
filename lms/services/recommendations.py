"""Recommendations for a cycle: read gaps, catalogue and history in bulk, rank (``lms.recommend``), replace the set.

Which courses a person may be recommended (docs/recommendations.md): published courses with a
session still to come that is scheduled and whose enrollment has not closed, from the person's
own agency's catalogue, plus online and self-paced courses other agencies publish from shared
providers (LAN, a provincial BPSDM, universities: providers without an owning agency) unless the
person's agency lists a course with the same code. Completed courses, current enrollments and
recommendations the person already accepted or dismissed in the cycle are left out. The course
of a person's leadership-training item in the cycle's development plan (``lms.services.development``)
is recommended too, with the item's priority, when it is open for recommendation.
"""

import dataclasses
import logging
from time import perf_counter

import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course, CourseCompetency, Meeting, Session, SessionStatus
from tna.conf import settings as tna_settings
from tna.infra.any_of import AnyOf
from tna.infra.bulk.mode import bulk_write_mode
from tna.infra.bulk.rows import db_now, insert_rows
from tna.infra.locks import lock_scope
from tna.models import Agency, Competency, CompetencyGap, SurveyResponse
from tna.roles import employee_of
from tna.selectors import staff_of
from tna.talent.boxes import DevelopmentAction

from ..conf import settings
from ..models import (
    DevelopmentItem,
    DevelopmentStatus,
    Enrollment,
    EnrollmentStatus,
    JpCredit,
    PlanParticipant,
    Recommendation,
    RecommendationStatus,
)
from ..recommend import ANY_TIME, TIME_BITS, TOP_UP, Params, reason_payloads, recommend
from ..selectors.impact import course_realisation

logger = logging.getLogger("latih.lms")

STAGES = ("reading", "ranking", "writing")
WRITE_CHUNK = 20_000
# Enrollments whose course is not recommended again: live ones and completed ones.
EXCLUDING_STATUSES = [EnrollmentStatus.REQUESTED, EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED,
                      EnrollmentStatus.COMPLETED]
# Modes in which another agency's course can be taken without travelling there.
REMOTE_MODES = ["online", "self_paced"]
# Development-plan items whose course is still to be recommended.
OPEN_DEVELOPMENT = [DevelopmentStatus.PLANNED, DevelopmentStatus.IN_PROGRESS]
FIELDS = ("cycle", "employee", "course", "competency", "rank", "score", "expected_closure", "in_plan", "status",
          "reason", "created_at")


@dataclasses.dataclass
class RecommendSummary:
    """What one run wrote: counts and seconds per stage."""

    cycle: int
    agency: str
    employees: int = 0
    recommendations: int = 0
    in_plan: int = 0
    reaching_minimum: int = 0
    timings: dict = dataclasses.field(default_factory=dict)

    def as_dict(self):
        return dataclasses.asdict(self)


def recommendation_params():
    """The recommender's parameters from the ``LATIH_*`` settings."""
    return Params(
        per_person=settings.RECOMMENDATIONS_PER_PERSON,
        courses_per_gap=settings.RECOMMENDATION_COURSES_PER_GAP,
        jp_minimum=tna_settings.JP_MINIMUM_PER_YEAR,
        rupiah_per_jp=settings.RECOMMENDATION_RUPIAH_PER_JP,
        mode_bonus=settings.RECOMMENDATION_MODE_BONUS,
        time_bonus=settings.RECOMMENDATION_TIME_BONUS,
        min_closure=settings.RECOMMENDATION_MIN_CLOSURE,
    )


def recommend_cycle(*, cycle, agency=None, now=None, progress=None):
    """Recompute the recommendations of ``cycle`` (a Cycle) for everyone, or ``agency``'s staff.

    Replaces the cycle's suggested recommendations in scope in one transaction; accepted and
    dismissed ones stay (and their courses are not suggested again). ``progress(stage, done,
    total)`` is called as stages start and rows are written. Returns a ``RecommendSummary``.
    """
    report = progress or (lambda stage, done=0, total=0: None)
    now = now or timezone.now()
    summary = RecommendSummary(cycle=cycle.year, agency=agency.code if agency else "")
    report("reading")
    started = perf_counter()
    inputs = read_inputs(cycle=cycle, agency=agency, now=now)
    summary.timings["reading"] = perf_counter() - started
    report("ranking")
    started = perf_counter()
    result = recommend(inputs.gaps, inputs.courses, preferences=inputs.preferences, exclusions=inputs.exclusions,
                       earned=inputs.earned, offers=inputs.offers, development=inputs.development,
                       params=recommendation_params())
    summary.timings["ranking"] = perf_counter() - started
    started = perf_counter()
    write_recommendations(cycle=cycle, agency=agency, result=result, codes=inputs.codes,
                          effects=measured_effects(inputs.courses), programmes=inputs.programmes, progress=report)
    summary.timings["writing"] = perf_counter() - started
    plan = result.plan
    summary.employees = len(plan)
    summary.recommendations = len(result.ranked)
    summary.in_plan = int(result.ranked["in_plan"].sum()) if len(result.ranked) else 0
    summary.reaching_minimum = int(((plan["jp_earned"] + plan["jp_planned"]) >= plan["jp_minimum"]).sum())
    summary.timings = {stage: round(seconds, 3) for stage, seconds in summary.timings.items()}
    logger.info("Recommendations %s%s: %s", cycle.year, " " + summary.agency if agency else "", summary.as_dict())
    return summary


# Reading -------------------------------------------------------------------------------------


@dataclasses.dataclass
class Inputs:
    """The recommender's frames (see ``lms.recommend.recommend``), competency codes by id and the
    leadership programme of each development course by id."""

    gaps: pd.DataFrame
    courses: pd.DataFrame
    preferences: pd.DataFrame
    exclusions: pd.DataFrame
    earned: pd.DataFrame
    offers: pd.DataFrame
    codes: dict
    development: pd.DataFrame = None
    programmes: dict = dataclasses.field(default_factory=dict)


def read_inputs(*, cycle, agency=None, now=None):
    """Everything the recommender needs for ``cycle`` (and ``agency``'s staff) as frames."""
    now = now or timezone.now()
    courses, offers = read_catalogue(now=now, agencies=[agency] if agency else None)
    people = Q(employee__active=True) & (Q(employee__agency=agency) if agency else Q())
    targeted = courses["competency_id"].unique().tolist() if len(courses) else []
    # A cycle's recommendations of the agency's staff: each person looked up in the unique
    # (cycle, employee, course) index, not every recommendation of the cycle joined to its person.
    mine = AnyOf("employee_id", staff_of(agency)) if agency else people
    # An agency's gaps through the rows' own agency column and its index, not a join through
    # every employee of the cycle: an agency's share of a national cycle is a fraction of a percent.
    own_gaps = {"agency": agency} if agency else {}
    gaps = _frame(
        CompetencyGap.objects.filter(people, cycle=cycle, competency_id__in=targeted, **own_gaps),
        ["employee_id", "agency_id", "competency_id", "required", "observed", "gap", "priority"],
        "employee_id", "employee__agency_id", "competency_id", "required_level", "observed_level", "gap", "priority",
    )
    gaps["observed"] = gaps["observed"].astype("float64")
    preferences = survey_preferences(
        _frame(SurveyResponse.objects.filter(people, cycle=cycle), ["employee_id", "priority", "mode", "time"],
               "employee_id", "priority", "mode", "time")
    )
    exclusions = pd.concat([
        _frame(Enrollment.objects.filter(people, status__in=EXCLUDING_STATUSES), ["employee_id", "course_id"],
               "employee_id", "session__course_id"),
        _frame(Recommendation.objects.filter(mine, cycle=cycle).exclude(status=RecommendationStatus.SUGGESTED),
               ["employee_id", "course_id"], "employee_id", "course_id"),
    ], ignore_index=True)
    earned = pd.concat([
        _frame(JpCredit.objects.filter(people, year=cycle.year).values("employee_id").annotate(total=Sum("jp")),
               ["employee_id", "jp"], "employee_id", "total"),
        # Seats already held this year count towards the minimum too.
        _frame(Enrollment.objects.filter(people, status=EnrollmentStatus.ENROLLED, session__starts_at__year=cycle.year),
               ["employee_id", "jp"], "employee_id", "session__course__jp"),
    ], ignore_index=True)
    codes = dict(Competency.objects.filter(pk__in=targeted).values_list("pk", "code"))
    development, programmes = read_development(cycle=cycle, people=people)
    return Inputs(gaps=gaps, courses=courses, preferences=preferences, exclusions=exclusions, earned=earned,
                  offers=offers, codes=codes, development=development, programmes=programmes)


def read_development(*, cycle, people=None):
    """The courses development plans of ``cycle`` name (leadership training, planned or under way):
    (frame employee_id, course_id, priority, action; {course_id: leadership programme code})."""
    items = DevelopmentItem.objects.filter(
        people if people is not None else Q(), cycle=cycle, action=DevelopmentAction.LEADERSHIP_TRAINING,
        course__isnull=False, status__in=OPEN_DEVELOPMENT,
    )
    development = _frame(items, ["employee_id", "course_id", "priority", "action", "programme"],
                         "employee_id", "course_id", "priority", "action", "course__leadership_programme")
    programmes = {int(c): p for c, p in zip(development["course_id"], development["programme"], strict=True) if p}
    return development.drop(columns="programme"), programmes


def measured_effects(courses):
    """{course_id: (levels gained, participants)} of the courses in ``courses`` whose effect was measured."""
    if "effect" not in courses:
        return {}
    measured = courses.dropna(subset=["effect"]).drop_duplicates("course_id")
    return {int(c): (float(e), int(n)) for c, e, n in zip(measured["course_id"], measured["effect"],
                                                          measured["effect_n"], strict=True)}


def _frame(queryset, columns, *fields):
    rows = queryset.order_by().values_list(*fields)
    return pd.DataFrame.from_records(list(rows.iterator(chunk_size=20_000)), columns=columns)


def survey_preferences(answers):
    """Per employee the mode and time asked for most (answers weighted by their 1–3 priority).

    ``answers``: employee_id, priority, mode, time. Returns employee_id, mode, time ('' = none).
    """
    result = pd.DataFrame({"employee_id": pd.unique(answers["employee_id"])})
    for column in ("mode", "time"):
        given = answers[answers[column] != ""]
        weights = given.groupby(["employee_id", column], as_index=False)["priority"].sum()
        # Heaviest first; ties go to the alphabetically first value, so runs are repeatable.
        weights = weights.sort_values(["employee_id", "priority", column], ascending=[True, False, True])
        chosen = weights.drop_duplicates("employee_id").set_index("employee_id")[column].to_dict()
        result[column] = [chosen.get(employee, "") for employee in result["employee_id"].tolist()]
    return result


def read_catalogue(*, now, agencies=None):
    """The courses open for recommendation and which agencies' staff may take each.

    Returns (courses, offers): ``courses`` one row per course × competency target: course_id,
    competency_id, level, jp, cost (per participant, including a full class's share of the fixed
    cost), mode, times (``TIME_BITS`` mask of the times its open sessions fit), realised, effect and
    effect_n (the course's measured effect, NaN where never measured); ``offers``:
    agency_id, course_id for ``agencies`` (every agency when None).
    """
    open_sessions = Session.objects.filter(
        Q(enrollment_closes__isnull=True) | Q(enrollment_closes__gt=now),
        course__live=True, status=SessionStatus.SCHEDULED, starts_at__gt=now,
    )
    if agencies is not None:
        # Only what catalogue_offers can offer them: their own courses and the shared providers'
        # remote ones. Not every agency's catalogue once per agency of a national run.
        open_sessions = open_sessions.filter(
            Q(course__agency__in=agencies)
            | Q(course__provider__agency__isnull=True, course__mode__in=REMOTE_MODES))
    sessions = _frame(open_sessions, ["session_id", "course_id", "starts_at"], "pk", "course_id", "starts_at")
    catalogue = _frame(
        Course.objects.filter(pk__in=open_sessions.values("course_id")),
        ["course_id", "agency_id", "provider_id", "shared", "code", "jp", "per_participant", "fixed", "size", "mode",
         "time_zone"],
        "pk", "agency_id", "provider_id", "provider__agency_id", "code", "jp", "cost_per_participant",
        "fixed_cost_per_class", "max_participants", "mode", "agency__time_zone",
    )
    catalogue["shared"] = catalogue["shared"].isna()
    catalogue["cost"] = (catalogue["per_participant"] + catalogue["fixed"] / catalogue["size"].clip(lower=1)).round()
    times = session_times(
        _frame(Meeting.objects.filter(session__in=open_sessions.values("pk"), cancelled=False),
               ["session_id", "starts_at", "ends_at"], "session_id", "starts_at", "ends_at"),
        sessions, catalogue,
    )
    catalogue["times"] = catalogue["course_id"].map(times).fillna(ANY_TIME).astype("int64")
    next_start = sessions.groupby("course_id")["starts_at"].min()
    catalogue["next_start"] = catalogue["course_id"].map(next_start)
    targets = _frame(
        CourseCompetency.objects.filter(course__in=catalogue["course_id"].tolist(), competency__active=True),
        ["course_id", "competency_id", "level"], "course_id", "competency_id", "level",
    )
    courses = targets.merge(catalogue[["course_id", "jp", "cost", "mode", "times"]], on="course_id")
    # What earlier participants gained, where it was measured (lms.services.impact).
    effects = course_realisation(catalogue["course_id"].tolist())
    courses = courses.merge(effects, on="course_id", how="left")
    courses["realised"] = courses["realised"].fillna(1.0)
    if agencies is None:
        agency_ids = list(Agency.objects.values_list("pk", flat=True))
    else:
        agency_ids = [a.pk for a in agencies]
    return courses, catalogue_offers(catalogue, agency_ids)


def catalogue_offers(catalogue, agency_ids):
    """agency_id, course_id: each agency's own courses, and other agencies' remote courses from shared providers.

    ``catalogue``: course_id, agency_id, shared (provider without an owning agency), code, mode,
    next_start. Another agency's course is offered only when it is online or self-paced (nobody
    travels to another region's classroom) and the agency does not list a course with the same
    code itself; of several other agencies' copies of one code the earliest session wins.
    """
    parts = []
    remote = catalogue[catalogue["shared"] & catalogue["mode"].isin(REMOTE_MODES)].sort_values(
        ["next_start", "course_id"])
    for agency_id in agency_ids:  # agencies, not people: tens to hundreds
        own = catalogue[catalogue["agency_id"] == agency_id]
        others = remote[(remote["agency_id"] != agency_id) & ~remote["code"].isin(set(own["code"]))]
        others = others.drop_duplicates("code")
        ids = np.r_[own["course_id"].to_numpy(dtype=np.int64), others["course_id"].to_numpy(dtype=np.int64)]
        parts.append(pd.DataFrame({"agency_id": agency_id, "course_id": ids}))
    if not parts:
        return pd.DataFrame({"agency_id": pd.Series(dtype="int64"), "course_id": pd.Series(dtype="int64")})
    return pd.concat(parts, ignore_index=True)


def session_times(meetings, sessions, catalogue):
    """{course_id: TIME_BITS mask} of the times of day the course's open sessions fit.

    A session fits ``morning`` when every meeting ends by 13.00 local time, ``afternoon`` when
    every meeting starts at 12.00 or later, ``full_day`` when its meetings last five hours or
    more, ``short_blocks`` when they last two and a half hours or less. Self-paced courses and
    sessions without meetings fit any time.
    """
    if not len(meetings):
        return {}
    frame = meetings.merge(sessions[["session_id", "course_id"]], on="session_id").merge(
        catalogue[["course_id", "time_zone", "mode"]], on="course_id")
    local_start, local_end = [], []
    for zone, group in frame.groupby("time_zone"):  # a handful of zones
        starts = pd.to_datetime(group["starts_at"], utc=True).dt.tz_convert(zone)
        ends = pd.to_datetime(group["ends_at"], utc=True).dt.tz_convert(zone)
        local_start.append(starts.dt.hour * 60 + starts.dt.minute)
        local_end.append(ends.dt.hour * 60 + ends.dt.minute)
    frame["start"] = pd.concat(local_start)
    frame["end"] = pd.concat(local_end)
    frame["hours"] = (pd.to_datetime(frame["ends_at"], utc=True) - pd.to_datetime(frame["starts_at"], utc=True)).dt.total_seconds() / 3600
    per_session = frame.groupby("session_id").agg(
        course_id=("course_id", "first"), mode=("mode", "first"), latest_end=("end", "max"),
        earliest_start=("start", "min"), hours=("hours", "median"),
    )
    bits = (
        np.where(per_session["latest_end"] <= 13 * 60, TIME_BITS["morning"], 0)
        | np.where(per_session["earliest_start"] >= 12 * 60, TIME_BITS["afternoon"], 0)
        | np.where(per_session["hours"] >= 5, TIME_BITS["full_day"], 0)
        | np.where(per_session["hours"] <= 2.5, TIME_BITS["short_blocks"], 0)
    )
    bits = np.where(per_session["mode"] == "self_paced", ANY_TIME, bits)
    per_session["bits"] = bits
    return per_session.groupby("course_id")["bits"].agg(np.bitwise_or.reduce).to_dict()


# Writing -------------------------------------------------------------------------------------


def write_recommendations(*, cycle, agency=None, result, codes=None, effects=None, programmes=None, progress=None):
    """Replace the cycle's suggested recommendations (of ``agency``'s staff) with ``result``, atomically.

    ``effects`` maps course ids to (levels gained, participants) where a course's effect was
    measured; the reasons then say so. ``programmes`` maps development courses to their leadership
    programme code, for the reasons of development recommendations.
    """
    report = progress or (lambda stage, done=0, total=0: None)
    ranked = result.ranked
    total = len(ranked)
    report("writing", 0, total)
    created = db_now()
    with bulk_write_mode(), transaction.atomic():
        lock_scope(cycle.pk, agency.pk if agency is not None else None)
        stale = Recommendation.objects.filter(cycle=cycle, status=RecommendationStatus.SUGGESTED)
        if agency is not None:
            stale = stale.filter(AnyOf("employee_id", staff_of(agency, active=False)))
        # An enrollment (and a budget plan's seat) keeps its history but loses the link, as
        # on_delete=SET_NULL would do; then one DELETE, without Django collecting hundreds of
        # thousands of rows first.
        Enrollment.objects.filter(recommendation__in=stale.values("pk")).update(recommendation=None)
        PlanParticipant.objects.filter(recommendation__in=stale.values("pk")).update(recommendation=None)
        stale._raw_delete(stale.db)
        columns = {name: ranked[name].to_numpy() for name in (
            "employee_id", "course_id", "competency_id", "rank", "score", "expected_closure", "in_plan", "kind")}
        for start in range(0, total, WRITE_CHUNK):
            stop = min(start + WRITE_CHUNK, total)
            reasons = reason_payloads(result, start, stop, codes=codes, effects=effects, programmes=programmes)
            competency = columns["competency_id"][start:stop]
            kinds = columns["kind"][start:stop]
            rows = zip(
                [cycle.pk] * (stop - start),
                columns["employee_id"][start:stop].astype(np.int64).tolist(),
                columns["course_id"][start:stop].astype(np.int64).tolist(),
                [None if k == TOP_UP or c < 0 else int(c) for k, c in zip(kinds.tolist(), competency.tolist(), strict=True)],
                columns["rank"][start:stop].astype(np.int64).tolist(),
                np.round(columns["score"][start:stop].astype(np.float64), 6).tolist(),
                np.round(columns["expected_closure"][start:stop].astype(np.float64), 3).tolist(),
                columns["in_plan"][start:stop].astype(bool).tolist(),
                [RecommendationStatus.SUGGESTED.value] * (stop - start),
                reasons,
                [created] * (stop - start),
                strict=True,
            )
            insert_rows(Recommendation, FIELDS, rows)
            report("writing", stop, total)
    return total


def recommendation_accept(*, recommendation, user, session=None):
    """Ask for a seat in ``session`` (default: the course's next session open for enrollment)
    through ``enrollment_request``, which marks the recommendation accepted. Returns the Enrollment."""
    from ..selectors.learning import next_sessions
    from .enrollment import enrollment_request

    if employee_of(user) != recommendation.employee:
        raise PermissionDenied(_("You can only accept your own recommendations."))
    if session is None:
        upcoming = next_sessions([recommendation.course_id]).get(recommendation.course_id)
        session = upcoming.open if upcoming else None
        if session is None:
            raise ValidationError(_("This course has no session open for enrollment at the moment."))
    elif session.course_id != recommendation.course_id:
        raise ValidationError(_("That session belongs to another course."))
    return enrollment_request(employee=recommendation.employee, session=session, user=user,
                              recommendation=recommendation)


def recommendation_dismiss(*, recommendation, user):
    """Set a suggestion aside: it is no longer shown, and the next run does not suggest the course again."""
    if employee_of(user) != recommendation.employee:
        raise PermissionDenied(_("You can only dismiss your own recommendations."))
    if recommendation.status != RecommendationStatus.SUGGESTED:
        raise ValidationError(_("Only a suggestion can be dismissed; this one is %(status)s.")
                              % {"status": recommendation.get_status_display().lower()})
    recommendation.status = RecommendationStatus.DISMISSED
    recommendation.save(update_fields=["status"])
    return recommendation
