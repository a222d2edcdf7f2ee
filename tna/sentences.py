"""Turn a gap's reason dict into short plain-language sentences (Indonesian or English via gettext)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .infra.formats import join_list, number

# Priority (0–100) at or above which a gap is called high / medium; anything above 0 is low.
HIGH_PRIORITY = 50
MEDIUM_PRIORITY = 25


def rater_label(role):
    """Lower-case name of a rater group for use inside a sentence."""
    labels = {
        "supervisor": pgettext("rater group in a sentence", "supervisor"),
        "peer": pgettext("rater group in a sentence", "peers"),
        "subordinate": pgettext("rater group in a sentence", "subordinates"),
        "other": pgettext("rater group in a sentence", "other raters"),
        "self": pgettext("rater group in a sentence", "self"),
    }
    return labels.get(role, role)


def priority_band(priority):
    """"high", "medium", "low" or "" (no priority) for a 0–100 priority."""
    if priority >= HIGH_PRIORITY:
        return "high"
    if priority >= MEDIUM_PRIORITY:
        return "medium"
    return "low" if priority > 0 else ""


def priority_label(priority):
    """Translated name of the priority band, e.g. "Tinggi"."""
    return {
        "high": pgettext("priority", "High"),
        "medium": pgettext("priority", "Medium"),
        "low": pgettext("priority", "Low"),
        "": pgettext("priority", "None"),
    }[priority_band(priority)]


def _signal_phrases(reason, *, own):
    """Clauses for the appraisal, survey and IKM signals in ``reason`` (second person when ``own``)."""
    appraisal = reason.get("appraisal") or {}
    phrases = []
    for signal in reason.get("signals") or []:
        if signal == "behaviour_below":
            phrases.append(_("work behaviour is below expectations"))
        elif signal == "results_below":
            phrases.append(_("work results are below expectations"))
        elif signal in ("low_discipline", "low_quality", "low_innovation"):
            indicator = signal.removeprefix("low_")
            text = {
                "discipline": _("discipline is rated low"),
                "quality": _("quality of work is rated low"),
                "innovation": _("innovation is rated low"),
            }[indicator]
            if appraisal.get(indicator) is not None:
                text = _("%(indicator)s (%(value)s of 5)") % {"indicator": text, "value": appraisal[indicator]}
            phrases.append(text)
        elif signal.startswith("survey_priority_"):
            level = reason.get("survey_priority") or signal.rsplit("_", 1)[-1]
            if own:
                phrases.append(_("you asked for it in the survey (priority %(level)s)") % {"level": level})
            else:
                phrases.append(_("they asked for it in the survey (priority %(level)s)") % {"level": level})
        elif signal == "low_ikm":
            score = reason.get("ikm")
            if own:
                text = _("your unit's public satisfaction score (IKM) is low")
            else:
                text = _("the unit's public satisfaction score (IKM) is low")
            phrases.append(text + (f" ({number(score)})" if score is not None else ""))
    return phrases


def level_sentence(reason, raters):
    """"Required level 3, observed 2.1 (supervisor 2.0; peers 2.5; self 3.0)." or "No ratings yet"."""
    required = reason.get("required")
    if reason.get("no_evidence") or reason.get("observed") is None:
        return _("Required level %(required)s; no ratings yet, so no gap is estimated.") % {"required": required}
    parts = "; ".join(f"{rater_label(r['role'])} {number(r['mean'])}" for r in raters if r.get("mean") is not None)
    values = {"required": required, "observed": number(reason["observed"]), "raters": parts}
    if parts:
        return _("Required level %(required)s, observed %(observed)s (%(raters)s).") % values
    return _("Required level %(required)s, observed %(observed)s.") % values


def gap_sentence(reason):
    """How far below the required level the person is, and how sure the estimate is."""
    if reason.get("no_evidence") or reason.get("observed") is None:
        return ""
    gap = float(reason.get("gap") or 0)
    if gap <= 0:
        text = _("The required level is met.")
    else:
        text = _("Gap of %(gap)s levels.") % {"gap": number(gap)}
    training = reason.get("training")
    if training:
        text += " " + _("Completed training at level %(level)s counts as evidence.") % {"level": training.get("level")}
    if "low_confidence" in (reason.get("signals") or []):
        text += " " + _("Few ratings so far, so treat this as an estimate.")
    return text


def priority_sentence(reason, priority, *, own=True):
    """"High priority because …" from the signals; empty when there is no priority."""
    band = priority_band(priority)
    if not band or reason.get("no_evidence"):
        return ""
    phrases = _signal_phrases(reason, own=own)
    if phrases:
        template = {
            "high": _("High priority because %(reasons)s."),
            "medium": _("Medium priority because %(reasons)s."),
            "low": _("Low priority because %(reasons)s."),
        }[band]
        return template % {"reasons": join_list(phrases)}
    return {
        "high": _("High priority, mainly because of the size of the gap."),
        "medium": _("Medium priority, mainly because of the size of the gap."),
        "low": _("Low priority: the gap is small."),
    }[band]


def explain(reason, raters, priority, *, own=True):
    """The sentences that explain one gap, in order; ``raters`` is what ``selectors.rater_view`` returned.

    ``own`` is True when the reader is the person themself ("you asked for it in the survey").
    """
    sentences = [
        level_sentence(reason, raters),
        gap_sentence(reason),
        priority_sentence(reason, priority, own=own),
    ]
    return [sentence for sentence in sentences if sentence]
