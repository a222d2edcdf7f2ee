"""Reads behind training-impact evaluation: levels before and after, who trained on what, reactions and tests.

Frames in the shapes ``lms.impact`` takes; the service (``lms.services.impact``) runs the
computation and writes ``CourseEffect``.
"""

import numpy as np
import pandas as pd
from django.db.models import Q
from django.utils import timezone

from courses.models import Course, CourseCompetency, Provider, Session
from tna.models import Appraisal, Competency, CompetencyGap, Cycle, Employee, UnitSatisfaction

from ..conf import settings
from ..impact import learning_gain, protect_partition, rated_level, reaction_summary, unit_association
from ..models import CourseEffect, Enrollment, JpCredit
from ..models.evaluation import Evaluation, ReactionAnswer
from ..models.follow_up import FollowUp
from ..models.ledger import CreditedCompetency
from .evaluation import attendees

DID_COLUMNS = ["employee", "competency", "agency", "job_type", "required", "gap", "before", "after", "course",
               "course_level", "prior"]


def evaluation_cycles(year):
    """(before, after): the cycle of the training year, whose gaps sent people to training, and the next one."""
    cycles = {c.year: c for c in Cycle.objects.filter(year__in=[year, year + 1])}
    return cycles.get(year), cycles.get(year + 1)


def _levels(cycle, agency):
    gaps = CompetencyGap.objects.filter(cycle=cycle)
    if agency is not None:
        gaps = gaps.filter(agency=agency)
    frame = pd.DataFrame.from_records(
        list(gaps.order_by().values_list("employee_id", "competency_id", "agency_id", "required_level", "gap",
                                         "observed_level", "training_level", "training_weight")
             .iterator(chunk_size=20_000)),
        columns=["employee", "competency", "agency", "required", "gap", "observed", "training_level",
                 "training_weight"])
    frame["level"] = rated_level(frame["observed"].astype(float), frame["training_level"].astype(float),
                                 frame["training_weight"].astype(float))
    return frame


def did_frame(*, year, agency=None):
    """One row per employee × required competency rated in both cycles around ``year``'s training.

    ``before``/``after``: the observed level from ratings alone (``lms.impact.rated_level``) in the
    cycle of ``year`` and of the year after; ``course``: the catalogue course completed in
    ``year`` that credited the competency (null for the untrained, the controls), with the level
    it reaches; ``prior``: what the catalogue promised that row — the closure the recommender
    assumes, min(course level, required) − before, within [0, gap]. People trained on the
    competency outside the catalogue (imported history without a course) are left out: neither
    trained by a course nor untrained. ``agency`` limits staff to that agency's.
    """
    before_cycle, after_cycle = evaluation_cycles(year)
    if before_cycle is None or after_cycle is None:
        return pd.DataFrame(columns=DID_COLUMNS)
    before = _levels(before_cycle, agency).rename(columns={"level": "before"})
    after = _levels(after_cycle, agency)[["employee", "competency", "level"]].rename(columns={"level": "after"})
    frame = before.merge(after, on=["employee", "competency"], how="inner")
    staff = Employee.objects.filter(pk__in=before_cycle.gaps.values("employee_id"))
    if agency is not None:
        staff = staff.filter(agency=agency)
    job_types = dict(staff.order_by().values_list("pk", "position__job_type").iterator(chunk_size=20_000))
    frame["job_type"] = frame["employee"].map(job_types).fillna("")

    credited = CreditedCompetency.objects.filter(credit__year=year)
    if agency is not None:
        credited = credited.filter(credit__employee__agency=agency)
    trained = pd.DataFrame.from_records(
        list(credited.order_by().values_list("credit__employee_id", "competency_id", "credit__course_id", "level")),
        columns=["employee", "competency", "course", "course_level"])
    # One training per person and competency: a catalogue course before outside training, then the lowest id.
    trained = trained.sort_values(["employee", "competency", "course"], na_position="last")
    trained = trained.drop_duplicates(["employee", "competency"])
    frame = frame.merge(trained, on=["employee", "competency"], how="left", indicator=True)
    outside = (frame["_merge"] == "both") & frame["course"].isna()
    frame = frame[~outside].drop(columns="_merge").reset_index(drop=True)
    frame["course"] = frame["course"].astype("Int64")
    promised = np.minimum(frame["course_level"].to_numpy(dtype=float), frame["required"].to_numpy(dtype=float))
    frame["prior"] = np.clip(promised - frame["before"].to_numpy(dtype=float), 0.0,
                             frame["gap"].to_numpy(dtype=float))
    return frame[DID_COLUMNS]


def course_realisation(course_ids=None):
    """The latest measured effect of each course: course_id, realised (× the assumed closure), effect, n.

    Courses never measured are absent (the recommender then keeps its assumption).
    """
    effects = CourseEffect.objects.all()
    if course_ids is not None:
        effects = effects.filter(course_id__in=list(course_ids))
    rows = effects.order_by("course_id", "-year").values_list("course_id", "realised", "shrunk", "n_treated")
    frame = pd.DataFrame.from_records(list(rows), columns=["course_id", "realised", "effect", "effect_n"])
    return frame.drop_duplicates("course_id").reset_index(drop=True)


def near_zero_courses(agency):
    """The courses of ``agency`` (None: every agency) whose latest measured effect is credibly near zero."""
    latest = {}
    effects = CourseEffect.objects.filter(Q(course__agency=agency) if agency is not None else Q())
    for effect in effects.select_related("course").order_by("course_id", "-year"):
        latest.setdefault(effect.course_id, effect)
    return [effect for effect in latest.values() if effect.near_zero]


# --- the evaluation report -----------------------------------------------------------------------

QUESTIONS = ("relevance", "trainer", "organisation", "overall")
GOOD = ("above", "meets")  # predikat Baik or Sangat Baik: neither results nor behaviour below expectations


def report_enrollments(agency, year):
    """Attended enrollments in the sessions of ``agency``'s courses that ended in ``year``, as a frame.

    enrollment, employee, unit, session, course, provider, trainer, pre, post.
    """
    enrollments = attendees(Enrollment.objects.filter(session__course__agency=agency, session__ends_at__year=year))
    rows = enrollments.order_by().values_list(
        "pk", "employee_id", "employee__unit_id", "session_id", "session__course_id", "session__course__provider_id",
        "session__trainer", "pre_test__score", "post_test_score")
    frame = pd.DataFrame.from_records(list(rows), columns=[
        "enrollment", "employee", "unit", "session", "course", "provider", "trainer", "pre", "post"])
    frame["pre"] = frame["pre"].astype(float)
    frame["post"] = frame["post"].astype(float)
    return frame


def reaction_answers(enrollments):
    """One row per evaluation × question of ``enrollments`` (``report_enrollments``): the four standard
    questions and the agency's own (``q<id>``), with the enrollment's groups."""
    ids = enrollments["enrollment"].tolist()
    standard = pd.DataFrame.from_records(
        list(Evaluation.objects.filter(enrollment_id__in=ids).order_by().values_list("pk", "enrollment_id", *QUESTIONS)),
        columns=["respondent", "enrollment", *QUESTIONS])
    answers = standard.melt(id_vars=["respondent", "enrollment"], value_vars=list(QUESTIONS), var_name="question",
                            value_name="score")
    extra = pd.DataFrame.from_records(
        list(ReactionAnswer.objects.filter(evaluation__enrollment_id__in=ids).order_by()
             .values_list("evaluation_id", "evaluation__enrollment_id", "question_id", "score")),
        columns=["respondent", "enrollment", "question", "score"])
    extra["question"] = "q" + extra["question"].astype(str)
    answers = pd.concat([answers, extra], ignore_index=True)
    answers["score"] = answers["score"].astype(float)
    groups = enrollments.drop(columns=["pre", "post"])
    return answers.merge(groups, on="enrollment", how="inner")


def follow_up_answers(enrollments):
    """course, respondent (learner/supervisor), score of the follow-ups of ``enrollments``."""
    rows = FollowUp.objects.filter(enrollment_id__in=enrollments["enrollment"].tolist()).order_by().values_list(
        "enrollment__session__course_id", "respondent", "score")
    return pd.DataFrame.from_records(list(rows), columns=["course", "respondent", "score"])


def course_effects_of(agency, year):
    """{course id: CourseEffect} measured for ``agency``'s courses completed in ``year``."""
    return {e.course_id: e for e in CourseEffect.objects.filter(course__agency=agency, year=year)}


def unit_results(agency, year):
    """Per unit of ``agency``: staff, coverage (share trained in ``year``) and IKM and predikat before/after.

    Before is the cycle of ``year``, after the next one; columns as ``lms.impact.unit_association`` takes.
    """
    before, after = evaluation_cycles(year)
    staff = pd.DataFrame.from_records(
        list(Employee.objects.filter(agency=agency, active=True).order_by().values_list("pk", "unit_id")),
        columns=["employee", "unit"])
    per_unit = staff.groupby("unit").size().rename("staff").to_frame()
    # Trained: credited with training completed in the year, in Latih or by the imported history.
    credited = set(JpCredit.objects.filter(year=year, employee__agency=agency).values_list("employee_id", flat=True))
    trained = staff[staff["employee"].isin(credited)].groupby("unit").size()
    per_unit["coverage"] = (trained.reindex(per_unit.index).fillna(0) / per_unit["staff"]).clip(upper=1.0)
    for name, cycle in (("before", before), ("after", after)):
        ikm = dict(UnitSatisfaction.objects.filter(cycle=cycle, unit__agency=agency).values_list("unit_id", "score")) \
            if cycle else {}
        per_unit["ikm_" + name] = per_unit.index.map(lambda u, ikm=ikm: float(ikm[u]) if u in ikm else np.nan)
        appraisals = pd.DataFrame.from_records(
            list(Appraisal.objects.filter(cycle=cycle, employee__agency=agency).order_by()
                 .values_list("employee__unit_id", "results", "behaviour")) if cycle else [],
            columns=["unit", "results", "behaviour"])
        good = appraisals["results"].isin(GOOD) & appraisals["behaviour"].isin(GOOD)
        share = good.groupby(appraisals["unit"]).mean() if len(appraisals) else pd.Series(dtype=float)
        per_unit["share_good_" + name] = share.reindex(per_unit.index)
    return per_unit.reset_index()


GROUPINGS = ("course", "provider", "trainer", "competency")


def _grouped(enrollments, by):
    """``enrollments`` with a ``group`` column: a row per group it counts in (several trainers or competencies)."""
    frame = enrollments.copy()
    if by == "trainer":
        frame["group"] = frame["trainer"].fillna("").map(
            lambda text: [name.strip() for name in text.split(",") if name.strip()] or [""])
        frame = frame.explode("group")
    elif by == "competency":
        targets = (pd.DataFrame.from_records(list(CourseCompetency.objects.filter(
            course_id__in=frame["course"].unique().tolist()).values_list("course_id", "competency_id")),
            columns=["course", "group"]))
        frame = frame.merge(targets, on="course", how="inner")
    else:
        frame["group"] = frame[by]
    return frame


def _labels(by, keys):
    keys = [k for k in keys if k not in ("", None)]
    if by == "course":
        return {c.pk: c.display_title for c in Course.objects.filter(pk__in=keys)}
    if by == "provider":
        return dict(Provider.objects.filter(pk__in=keys).values_list("pk", "name"))
    if by == "competency":
        return {c.pk: "%s %s" % (c.code, c.display_name) for c in Competency.objects.filter(pk__in=keys)}
    return {k: k for k in keys}


def _finite(value):
    return None if value is None or pd.isna(value) else float(value)


def evaluation_report(agency, year, *, by="course"):
    """What ``agency``'s training of ``year`` did, per course (or provider, trainer, competency), at each level.

    A dict: ``rows`` (label, attended, respondents, response_rate, reaction — None when hidden —,
    gain with its interval and n, follow-up means of learners and supervisors, effect with its
    interval and counts), ``total`` (the same for all of it), ``association`` (level 4,
    ``lms.impact.unit_association``) and ``cycles``. No mean of fewer than
    ``LATIH_EVALUATION_MIN_RESPONDENTS`` people is returned, nor one that the others and the total
    would give away (``lms.impact.protect_partition``).
    """
    if by not in GROUPINGS:
        raise ValueError("by must be one of %s" % (GROUPINGS,))
    minimum = int(settings.EVALUATION_MIN_RESPONDENTS)
    enrollments = report_enrollments(agency, year)
    answers = reaction_answers(enrollments)
    follow_ups = follow_up_answers(enrollments)
    effects = course_effects_of(agency, year)
    grouped = _grouped(enrollments, by)
    invited = grouped.groupby("group").size().rename("invited").reset_index()
    group_answers = answers.drop(columns=[c for c in ("group",) if c in answers]).merge(
        grouped[["enrollment", "group"]], on="enrollment", how="inner")
    reaction = protect_partition(reaction_summary(group_answers, invited, ["group"], min_respondents=minimum),
                                 min_respondents=minimum).set_index("group")
    gains = learning_gain(grouped, by=["group"]).set_index("group") if len(grouped) else pd.DataFrame()
    course_group = grouped[["course", "group"]].drop_duplicates()
    labels = _labels(by, list(reaction.index))

    rows = []
    for key, line in reaction.iterrows():
        courses = course_group.loc[course_group["group"] == key, "course"].unique().tolist()
        members = grouped[grouped["group"] == key]
        rows.append({
            "key": key, "label": labels.get(key, key) or "—", "attended": int(line["invited"] or 0),
            "respondents": int(line["respondents"]), "response_rate": _finite(line["response_rate"]),
            "reaction": _finite(line["overall"]), "hidden": bool(line["suppressed"]),
            "questions": {q: _finite(line.get("mean_" + q)) for q in QUESTIONS},
            **_gain(gains, key), **_follow(follow_ups[follow_ups["course"].isin(courses)], minimum),
            "effect": _effect([effects[c] for c in courses if c in effects]),
            "courses": courses, "sessions": int(members["session"].nunique()),
        })
    imported = _measured_only(by, effects, grouped, labels)
    rows += imported
    rows.sort(key=lambda row: (-row["attended"], str(row["label"])))

    total_reaction = reaction_summary(answers.assign(all=1), None, ["all"], min_respondents=minimum)
    respondents = int(total_reaction["respondents"].sum()) if len(total_reaction) else 0
    overall_gain = learning_gain(enrollments) if len(enrollments) else pd.DataFrame()
    measured = list(effects.values())
    total = {
        "attended": len(enrollments) + sum(row["attended"] for row in imported), "respondents": respondents, "sessions": int(enrollments["session"].nunique()),
        "response_rate": respondents / len(enrollments) if len(enrollments) else None,
        "reaction": _finite(total_reaction["overall"].iat[0]) if len(total_reaction) else None,
        **_gain(overall_gain.assign(group=0).set_index("group") if len(overall_gain) else overall_gain, 0),
        **_follow(follow_ups, minimum),
        "measured": len(measured), "enough": sum(e.enough for e in measured),
        "near_zero": [e for e in measured if e.near_zero],
    }
    units = unit_results(agency, year)
    before, after = evaluation_cycles(year)
    return {"rows": rows, "total": total, "by": by, "year": year, "agency": agency,
            "association": unit_association(units), "units": units, "cycles": (before, after)}


def _measured_only(by, effects, grouped, labels):
    """Rows for courses measured but not attended in Latih that year (their training came by import)."""
    if by == "trainer":
        return []
    seen = set(grouped["course"].unique().tolist())
    missing = [effect for course, effect in effects.items() if course not in seen]
    if not missing:
        return []
    courses = Course.objects.in_bulk([e.course_id for e in missing])
    if by == "competency":
        keys = {}
        for course_id, competency_id in CourseCompetency.objects.filter(course_id__in=list(courses)).order_by(
                "sort_order", "pk").values_list("course_id", "competency_id"):
            keys.setdefault(course_id, competency_id)  # the course's first target: what it is mainly for
    else:
        keys = {pk: (pk if by == "course" else course.provider_id) for pk, course in courses.items()}
    names = _labels(by, list(set(keys.values())))
    groups = {}
    for effect in missing:
        groups.setdefault(keys.get(effect.course_id), []).append(effect)
    return [{
        "key": key, "label": labels.get(key) or names.get(key, key) or "—",
        # Trained by the record (an imported history), not in a Latih session.
        "attended": sum(e.n_treated for e in group), "respondents": 0,
        "response_rate": None, "reaction": None, "hidden": False, "questions": dict.fromkeys(QUESTIONS),
        **_gain(None, key), **_follow(pd.DataFrame({"respondent": [], "score": []}), 1),
        "effect": _effect(group), "courses": [e.course_id for e in group], "sessions": 0,
    } for key, group in groups.items() if key is not None]


def _gain(gains, key):
    if gains is None or not len(gains) or key not in gains.index:
        return {"gain": None, "gain_low": None, "gain_high": None, "gain_n": 0, "pre": None, "post": None}
    line = gains.loc[key]
    return {"gain": _finite(line["mean_gain"]), "gain_low": _finite(line["low"]), "gain_high": _finite(line["high"]),
            "gain_n": int(line["n"]), "pre": _finite(line["mean_pre"]), "post": _finite(line["mean_post"])}


def _follow(answers, minimum):
    """Mean follow-up score of learners and of supervisors, each None under ``minimum`` answers."""
    result = {}
    for role in ("learner", "supervisor"):
        scores = answers.loc[answers["respondent"] == role, "score"]
        result["follow_" + role] = float(scores.mean()) if len(scores) >= minimum else None
        result["follow_%s_n" % role] = int(len(scores))
    return result


def _effect(effects):
    """One course's effect, or the participant-weighted mean of several courses' with enough evidence."""
    if not effects:
        return None
    if len(effects) == 1:
        e = effects[0]
        return {"estimate": e.estimate, "low": e.low, "high": e.high, "n_treated": e.n_treated,
                "n_control": e.n_control, "enough": e.enough, "near_zero": e.near_zero, "shrunk": e.shrunk,
                "courses": 1}
    enough = [e for e in effects if e.enough and e.estimate is not None]
    weight = sum(e.n_treated for e in enough)
    return {"estimate": sum(e.estimate * e.n_treated for e in enough) / weight if weight else None,
            "low": None, "high": None, "n_treated": sum(e.n_treated for e in effects),
            "n_control": None, "enough": bool(enough), "near_zero": False, "shrunk": None, "courses": len(effects)}


def report_years(agency):
    """Years in which sessions of ``agency``'s courses ended, latest first."""
    ends = Session.objects.filter(course__agency=agency, ends_at__lte=timezone.now()).dates("ends_at", "year")
    measured = CourseEffect.objects.filter(course__agency=agency).values_list("year", flat=True).distinct()
    return sorted({day.year for day in ends} | set(measured), reverse=True)


def latest_measured_year(agency):
    """The latest training year whose courses of ``agency`` were measured (``evaluate_training``), or None."""
    return CourseEffect.objects.filter(course__agency=agency).order_by("-year").values_list("year", flat=True).first()
