"""A placement's reason (``tna.talent.grid``'s dict) in words and small tables, for the placement page.

Every key is read with a default: a reason written by an older run, or by hand, still shows what it has.
"""

from django.utils.translation import gettext as _

from ..grades import JobType
from ..infra.formats import integer, number, percent
from ..models import Competency
from ..talent.boxes import Performance, Potential


def _label(choices, value):
    return str(choices(value).label) if value in choices.values else (value or "—")


def _share(value):
    return percent(value, 0) if isinstance(value, int | float) else "—"


def _number(value, digits=2):
    return number(value, digits) if isinstance(value, int | float) else "—"


def performance_section(reason):
    """{"level", "rows" (per SKP year: year, predikat, points, weight), "sentence"} or None."""
    if not isinstance(reason, dict):
        return None
    rows = [{
        "year": str(row.get("year", "")), "predikat": row.get("predikat") or "—",
        "points": _number(row.get("score"), 0), "weight": _share(row.get("weight")),
    } for row in reason.get("appraisals") or [] if isinstance(row, dict)]
    score = reason.get("score")
    sentence = ""
    if isinstance(score, int | float):
        sentence = _(
            "Weighted score %(score)s of 3: above expectations from %(above)s, below expectations under %(below)s."
        ) % {"score": _number(score), "above": _number(reason.get("above_from"), 1),
             "below": _number(reason.get("below_under"), 1)}
    return {"level": _label(Performance, reason.get("level")), "rows": rows, "sentence": sentence}


def _largest(rows):
    rows = [row for row in rows or [] if isinstance(row, dict)]
    names = {c.pk: c for c in Competency.objects.filter(pk__in=[row.get("competency") for row in rows])}
    return [{
        "code": names[row["competency"]].code if row.get("competency") in names else "",
        "name": names[row["competency"]].display_name if row.get("competency") in names else _("competency no longer listed"),
        "required": _number(row.get("required"), 0), "observed": _number(row.get("observed")),
        "shortfall": _number(row.get("shortfall")),
    } for row in rows]


def _profile_sentence(potential, reference):
    compared, shortfall = potential.get("compared"), potential.get("shortfall")
    if not compared or shortfall is None:
        return _("No competency could be compared with the standard of %(reference)s.") % {"reference": reference}
    return _(
        "Against the standard of %(reference)s, the mean shortfall over %(compared)s competencies is %(shortfall)s "
        "levels (potential is high at a shortfall of at most %(high)s, medium at most %(medium)s)."
    ) % {"reference": reference, "compared": integer(compared), "shortfall": _number(shortfall),
         "high": _number(potential.get("high_at_most")), "medium": _number(potential.get("medium_at_most"))}


def potential_section(potential):
    """{"level", "rule" (what decided, in words), "sentences", "largest" (competency shortfalls)} or None."""
    if not isinstance(potential, dict):
        return None
    reference = _label(JobType, potential.get("reference_job_type"))
    jpm = potential.get("jpm")
    sentences = []
    if potential.get("decided_by") == "assessment" and isinstance(jpm, int | float):
        rule = _("An assessment-centre result decided it.")
        sentences.append(_(
            "Job-person match (JPM) %(jpm)s: potential is high from %(high)s and medium from %(medium)s."
        ) % {"jpm": percent(jpm / 100, 1), "high": _jpm(potential.get("jpm_high_from")),
             "medium": _jpm(potential.get("jpm_medium_from"))})
        if potential.get("compared"):
            sentences.append(_("The competency profile, for comparison: %(profile)s") % {
                "profile": _profile_sentence(potential, reference)})
    else:
        rule = _("The competency profile decided it, against the next job level.")
        sentences.append(_profile_sentence(potential, reference))
        minimum = potential.get("min_compared")
        if isinstance(minimum, int):
            sentences.append(_("The profile decides when at least %(minimum)s competencies can be compared.") % {
                "minimum": integer(minimum)})
    return {"level": _label(Potential, potential.get("level")), "rule": rule, "reference": reference,
            "sentences": sentences, "largest": _largest(potential.get("largest"))}


def _jpm(value):
    return percent(value / 100, 0) if isinstance(value, int | float) else "—"


def reason_sections(reason):
    """The reason of a placement as the page shows it: ``performance`` and ``potential`` sections (None when
    the reason lacks them) and ``box``, the box the evidence gave."""
    reason = reason if isinstance(reason, dict) else {}
    return {
        "performance": performance_section(reason.get("performance")),
        "potential": potential_section(reason.get("potential")),
        "box": reason.get("box"),
    }
