"""Career steps: the criteria of a next job level and where a person stands on each.

Pure: dataclasses and frames in and out, no ORM (``lms.selectors.career`` reads them). Nothing
here decides a promotion: the career page shows the criteria an agency publishes
(``LATIH_CAREER_*``, docs/talent.md#career-page-and-succession) and how far a person has come.

A step (a job type from ``tna.talent.ladder.next_steps``) is judged on:

``appraisal``
    the predikat of each of the agency's last ``CAREER_APPRAISAL_YEARS`` appraisal years is at
    least Baik (*missing* when one is below, *unknown* when a year has no appraisal);
``leadership_training``
    managerial steps only: the step's national leadership programme (PKP, PKA, PKN) completed;
``jp``
    at least ``JP_MINIMUM_PER_YEAR`` JP of development ended in the last 12 months;
``competencies``
    each competency of the step's standard (the agency's median required level of the job level,
    ``tna.talent.selectors.level_standards``) against the person's observed level of their latest
    cycle with results; a competency never observed is *unknown*, never guessed;
``time_in_grade``
    at least ``CAREER_YEARS_IN_GRADE`` years since ``grade_since``, *unknown* when not recorded;
``grade``
    the grade reaches the lowest usual grade of the step (``tna.grades.GRADE_RANGE``);
``projects``
    at least ``CAREER_PROJECTS`` project assignments in the last ``CAREER_PROJECT_CYCLES`` cycles.

Succession readiness of a candidate for a key position, built on these criteria, is
``lms.succession``.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tna.grades import GRADE_RANGE, PANGKAT, JobType, grade_rank
from tna.infra.formats import date_text, integer, join_list, number
from tna.talent.ladder import PROGRAMME_OF_LEVEL, LeadershipProgramme

MET, MISSING, UNKNOWN = "met", "missing", "unknown"
STATUSES = (MET, MISSING, UNKNOWN)
CODES = ("appraisal", "leadership_training", "jp", "competencies", "time_in_grade", "grade", "projects")
#: Predikat that meet the appraisal criterion (PermenPANRB 6/2022, docs/domain.md#skp).
GOOD_PREDIKAT = frozenset({"Baik", "Sangat Baik"})

# Shortfalls below this are rounding noise of observed levels (floats), not a missing level.
EPSILON = 1e-6


@dataclass(frozen=True)
class Rules:
    """The published thresholds of the criteria; ``from_settings`` reads the ``LATIH_*`` ones."""

    appraisal_years: int = 2
    years_in_grade: int = 2
    projects: int = 1
    project_cycles: int = 3
    jp_minimum: int = 20
    near_shortfall: float = 2.0

    @classmethod
    def from_settings(cls):
        from tna.conf import settings

        return cls(
            appraisal_years=settings.CAREER_APPRAISAL_YEARS, years_in_grade=settings.CAREER_YEARS_IN_GRADE,
            projects=settings.CAREER_PROJECTS, project_cycles=settings.CAREER_PROJECT_CYCLES,
            jp_minimum=settings.JP_MINIMUM_PER_YEAR, near_shortfall=float(settings.SUCCESSION_NEAR_SHORTFALL),
        )


@dataclass(frozen=True)
class Person:
    """What the criteria read about one person.

    ``appraisal_years``: the agency's latest appraisal years, newest first (at most
    ``Rules.appraisal_years``); ``predikat``: {year: predikat} of the person's appraisals.
    ``observed``: {competency id: observed level} of the latest cycle with results (``results_year``);
    a competency absent or None has no evidence. ``project_cycles``: the latest cycle years
    (at most ``Rules.project_cycles``); ``assignment_years``: the cycle year of each of the
    person's project assignments.
    """

    job_type: str
    grade: str
    grade_since: datetime.date | None = None
    appraisal_years: tuple = ()
    predikat: Mapping = field(default_factory=dict)
    programmes_done: frozenset = frozenset()
    jp_recent: int = 0
    observed: Mapping = field(default_factory=dict)
    results_year: int | None = None
    project_cycles: tuple = ()
    assignment_years: tuple = ()


@dataclass(frozen=True)
class CompetencyRow:
    """One competency of a standard: required against observed (None: no evidence)."""

    competency_id: int
    required: int
    observed: float | None

    @property
    def shortfall(self):
        if self.observed is None:
            return None
        short = self.required - self.observed
        return short if short > EPSILON else 0.0

    @property
    def status(self):
        if self.observed is None:
            return UNKNOWN
        return MISSING if self.shortfall else MET


@dataclass(frozen=True)
class Criterion:
    """One criterion of a step: ``code`` (``CODES``), ``status`` (``STATUSES``), the numbers behind it,
    per-item ``rows`` (appraisal years as (year, predikat or None), competencies as ``CompetencyRow``)
    and a ``note`` saying why an unknown is unknown (``not_enough_history``, ``not_recorded``,
    ``no_results``, ``no_standard``)."""

    code: str
    status: str
    numbers: Mapping = field(default_factory=dict)
    rows: tuple = ()
    note: str = ""

    @property
    def missing_rows(self):
        """Competency rows below the required level, largest shortfall first."""
        rows = [r for r in self.rows if isinstance(r, CompetencyRow) and r.status == MISSING]
        return sorted(rows, key=lambda r: (-r.shortfall, r.competency_id))

    @property
    def unknown_rows(self):
        return [r for r in self.rows if isinstance(r, CompetencyRow) and r.status == UNKNOWN]


@dataclass(frozen=True)
class Step:
    """Where a person stands on the way to one job level."""

    job_type: str
    criteria: tuple

    @property
    def programme(self):
        return PROGRAMME_OF_LEVEL.get(self.job_type)

    def criterion(self, code):
        return next((c for c in self.criteria if c.code == code), None)

    def count(self, status):
        return sum(1 for c in self.criteria if c.status == status)

    @property
    def met(self):
        return self.count(MET)

    @property
    def all_met(self):
        return self.met == len(self.criteria)


# --- the criteria ------------------------------------------------------------------------------

def add_years(day, years):
    """``day`` ``years`` years later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def appraisal_criterion(person, rules):
    """The last ``rules.appraisal_years`` appraisal years: each at least Baik."""
    years = list(person.appraisal_years)[: rules.appraisal_years]
    rows = tuple((year, person.predikat.get(year)) for year in years)
    below = [year for year, predikat in rows if predikat is not None and predikat not in GOOD_PREDIKAT]
    recorded = sum(1 for _year, predikat in rows if predikat is not None)
    numbers = {"years": rules.appraisal_years, "recorded": recorded, "below": below}
    if below:
        return Criterion("appraisal", MISSING, numbers, rows)
    if len(years) < rules.appraisal_years or recorded < len(years):
        return Criterion("appraisal", UNKNOWN, numbers, rows, note="not_enough_history")
    return Criterion("appraisal", MET, numbers, rows)


def appraisal_status(predikat_by_year, years, rules):
    """The appraisal criterion's status alone, for ``{year: predikat}`` and the agency's ``years``."""
    person = Person(job_type="", grade="", appraisal_years=tuple(years), predikat=predikat_by_year)
    return appraisal_criterion(person, rules).status


def appraisal_statuses(appraisals, years, rules):
    """``appraisal_status`` of many people at once: ``appraisals`` has employee_id, year, predikat.

    Returns a Series of statuses by employee id for the people in ``appraisals``; anyone else has
    no appraisal in those years, so their status is ``UNKNOWN``.
    """
    years = list(years)[: rules.appraisal_years]
    recent = appraisals[appraisals["year"].isin(years)]
    ids = pd.Index(appraisals["employee_id"].unique(), name="employee_id")
    status = pd.Series(UNKNOWN, index=ids, dtype=object)
    if not len(recent):
        return status
    count = recent.groupby("employee_id")["year"].nunique().reindex(ids, fill_value=0)
    below = (~recent["predikat"].isin(GOOD_PREDIKAT)).groupby(recent["employee_id"]).any().reindex(
        ids, fill_value=False)
    if len(years) >= rules.appraisal_years:
        status[count.to_numpy() == len(years)] = MET
    status[below.to_numpy(dtype=bool)] = MISSING
    return status


def leadership_criterion(person, step):
    """The step's leadership programme, for managerial steps; None for the others."""
    programme = PROGRAMME_OF_LEVEL.get(step)
    if programme is None:
        return None
    done = programme in person.programmes_done
    return Criterion("leadership_training", MET if done else MISSING, {"programme": programme})


def jp_criterion(person, rules):
    earned = int(person.jp_recent or 0)
    numbers = {"earned": earned, "minimum": rules.jp_minimum, "remaining": max(rules.jp_minimum - earned, 0)}
    return Criterion("jp", MET if earned >= rules.jp_minimum else MISSING, numbers)


def competency_criterion(person, standard):
    """Each competency of ``standard`` ({competency id: required level}) against the observed level."""
    rows = tuple(
        CompetencyRow(int(cid), int(required), None if person.observed.get(cid) is None else float(person.observed[cid]))
        for cid, required in sorted(standard.items())
    )
    missing = [r for r in rows if r.status == MISSING]
    unknown = [r for r in rows if r.status == UNKNOWN]
    numbers = {
        "competencies": len(rows), "missing": len(missing), "unknown": len(unknown),
        "shortfall": round(sum(r.shortfall for r in missing), 2), "year": person.results_year,
    }
    if not rows:
        return Criterion("competencies", UNKNOWN, numbers, rows, note="no_standard")
    if missing:
        return Criterion("competencies", MISSING, numbers, rows)
    if unknown:
        return Criterion("competencies", UNKNOWN, numbers, rows,
                         note="no_results" if len(unknown) == len(rows) else "not_observed")
    return Criterion("competencies", MET, numbers, rows)


def time_in_grade_criterion(person, rules, today):
    """Years since ``grade_since``; unknown (not recorded) without the date, never guessed."""
    numbers = {"grade": person.grade, "minimum": rules.years_in_grade, "since": person.grade_since}
    if person.grade_since is None:
        return Criterion("time_in_grade", UNKNOWN, numbers, note="not_recorded")
    reached = add_years(person.grade_since, rules.years_in_grade)
    numbers.update(years=max((today - person.grade_since).days, 0) / 365.25, reached_on=reached)
    return Criterion("time_in_grade", MET if reached <= today else MISSING, numbers)


def grade_criterion(person, step):
    """The grade reaches the lowest grade usual for ``step``."""
    lowest = GRADE_RANGE[step][0]
    numbers = {"grade": person.grade, "lowest": lowest, "pangkat": PANGKAT.get(lowest, "")}
    return Criterion("grade", MET if grade_rank(person.grade) >= grade_rank(lowest) else MISSING, numbers)


def project_criterion(person, rules):
    cycles = set(list(person.project_cycles)[: rules.project_cycles])
    count = sum(1 for year in person.assignment_years if year in cycles)
    numbers = {"count": count, "minimum": rules.projects, "cycles": rules.project_cycles}
    return Criterion("projects", MET if count >= rules.projects else MISSING, numbers)


def assess_step(person, step, standard, *, today, rules=None):
    """The criteria of ``step`` (a job type) for ``person``, in the order of ``CODES``."""
    rules = rules or Rules()
    criteria = [
        appraisal_criterion(person, rules),
        leadership_criterion(person, step),
        jp_criterion(person, rules),
        competency_criterion(person, standard),
        time_in_grade_criterion(person, rules, today),
        grade_criterion(person, step),
        project_criterion(person, rules),
    ]
    return Step(job_type=step, criteria=tuple(c for c in criteria if c is not None))


# --- words -----------------------------------------------------------------------------------------

def job_type_label(job_type):
    try:
        return str(JobType(job_type).label)
    except ValueError:
        return job_type


def programme_label(programme):
    return str(LeadershipProgramme(programme).label) if programme else ""


def status_label(status):
    return {MET: _("Met"), MISSING: _("Not met yet"), UNKNOWN: _("Unknown")}[status]


def criterion_title(code):
    return {
        "appraisal": _("Appraisal (SKP) history"),
        "leadership_training": _("Leadership training"),
        "jp": _("Development hours (JP)"),
        "competencies": _("Competency levels"),
        "time_in_grade": _("Time in grade"),
        "grade": _("Grade (golongan)"),
        "projects": _("Project participation"),
    }[code]


def _years(years):
    return join_list(["%d" % y for y in years])


def criterion_summary(criterion, step=None):
    """Where the person stands on ``criterion``, in one sentence."""
    c, n = criterion, criterion.numbers
    if c.code == "appraisal":
        if c.status == MISSING:
            return _("Below Baik in %(years)s.") % {"years": _years(n["below"])}
        if c.status == UNKNOWN:
            return _("Not enough appraisal history: %(recorded)s of %(years)s years recorded.") % {
                "recorded": integer(n["recorded"]), "years": integer(n["years"])}
        return ngettext("At least Baik in the last appraisal year.",
                        "At least Baik in each of the last %(years)s appraisal years.", n["years"]) % {
            "years": integer(n["years"])}
    if c.code == "leadership_training":
        values = {"programme": programme_label(n["programme"])}
        return (_("%(programme)s completed.") if c.status == MET else _("%(programme)s not completed yet.")) % values
    if c.code == "jp":
        return _("%(earned)s of the minimum %(minimum)s JP in the last 12 months.") % {
            "earned": integer(n["earned"]), "minimum": integer(n["minimum"])}
    if c.code == "competencies":
        if c.note == "no_standard":
            return _("No competency standard is set for this job level.")
        if c.note == "no_results":
            return _("No observed competency levels yet.")
        parts = []
        if n["missing"]:
            parts.append(ngettext(
                "%(count)s competency below the required level, %(levels)s levels short in all.",
                "%(count)s competencies below the required level, %(levels)s levels short in all.",
                n["missing"]) % {"count": integer(n["missing"]), "levels": number(n["shortfall"])})
        if n["unknown"]:
            parts.append(ngettext("%(count)s competency without an observed level.",
                                  "%(count)s competencies without an observed level.", n["unknown"]) % {
                "count": integer(n["unknown"])})
        if not parts:
            parts.append(ngettext("The required level of the competency is reached.",
                                  "The required level of all %(count)s competencies is reached.",
                                  n["competencies"]) % {"count": integer(n["competencies"])})
        if n["year"]:
            parts.append(_("Results of %(year)s.") % {"year": "%d" % n["year"]})
        return " ".join(parts)
    if c.code == "time_in_grade":
        if c.status == UNKNOWN:
            return _("Not recorded: the date of entering grade %(grade)s is not in the personnel record.") % {
                "grade": n["grade"]}
        return _("%(years)s years in grade %(grade)s since %(since)s; at least %(minimum)s asked.") % {
            "years": number(n["years"]), "grade": n["grade"], "since": date_text(n["since"]),
            "minimum": integer(n["minimum"])}
    if c.code == "grade":
        values = {"grade": n["grade"], "lowest": n["lowest"], "step": job_type_label(step) if step else ""}
        if c.status == MET:
            return _("Grade %(grade)s reaches %(lowest)s, the lowest usual grade for %(step)s.") % values
        return _("Grade %(grade)s is below %(lowest)s, the lowest usual grade for %(step)s.") % values
    if c.code == "projects":
        return ngettext(
            "%(count)s project assignment in the last %(cycles)s cycles; at least %(minimum)s asked.",
            "%(count)s project assignments in the last %(cycles)s cycles; at least %(minimum)s asked.",
            n["count"]) % {"count": integer(n["count"]), "cycles": integer(n["cycles"]),
                           "minimum": integer(n["minimum"])}
    raise KeyError(c.code)


def criterion_to_close(criterion):
    """What would close a criterion that is not met; '' when it is met."""
    c, n = criterion, criterion.numbers
    if c.status == MET:
        return ""
    if c.code == "appraisal":
        if c.status == MISSING:
            return _("Appraisals of at least Baik in the coming years: the criterion looks at the last %(years)s.") % {
                "years": integer(n["years"])}
        return _("It is judged once %(years)s appraisal years are recorded.") % {"years": integer(n["years"])}
    if c.code == "leadership_training":
        return _("Take %(programme)s.") % {"programme": programme_label(n["programme"])}
    if c.code == "jp":
        return _("%(remaining)s more JP of development in the next months.") % {"remaining": integer(n["remaining"])}
    if c.code == "competencies":
        if c.note == "no_standard":
            return _("HR sets the standard of the job level with the required levels of its positions.")
        if c.status == MISSING:
            return _("Training, coaching or assignments that develop the competencies below.")
        return _("The next 360° assessment gives these competencies an observed level.")
    if c.code == "time_in_grade":
        if c.status == UNKNOWN:
            return _("HR can record the date from the grade's decree (TMT golongan).")
        return _("Reached on %(date)s.") % {"date": date_text(n["reached_on"])}
    if c.code == "grade":
        return _("A promotion in grade to %(lowest)s (%(pangkat)s) first.") % {
            "lowest": n["lowest"], "pangkat": n["pangkat"]}
    if c.code == "projects":
        return _("Taking part in a project team or task force.")
    raise KeyError(c.code)
