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


APPRAISAL_SIGNALS = ("behaviour_below", "results_below", "low_discipline", "low_quality", "low_innovation")


def _appraisal_phrase(signal, appraisal):
    """One appraisal fact ("discipline is rated low (2 of 5)") for an appraisal signal."""
    if signal == "behaviour_below":
        return _("work behaviour is below expectations")
    if signal == "results_below":
        return _("work results are below expectations")
    indicator = signal.removeprefix("low_")
    text = {
        "discipline": _("discipline is rated low"),
        "quality": _("quality of work is rated low"),
        "innovation": _("innovation is rated low"),
    }[indicator]
    if appraisal.get(indicator) is not None:
        text = _("%(indicator)s (%(value)s of 5)") % {"indicator": text, "value": appraisal[indicator]}
    return text


def _signal_phrases(reason, *, own):
    """Clauses for the appraisal, survey and IKM signals in ``reason`` (second person when ``own``)."""
    appraisal = reason.get("appraisal") or {}
    phrases = []
    for signal in reason.get("signals") or []:
        if signal in APPRAISAL_SIGNALS:
            phrases.append(_appraisal_phrase(signal, appraisal))
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


def spread_sentence(reason, raters):
    """Why the observed level lies outside the rater groups shown, when it does ("" otherwise).

    The observed level is a weighted mean of every counted group, so it can only sit below or
    above all of ``raters`` when something not listed there counts too: a group too small to be
    shown on its own, the supervisor's coaching (either way) or completed training (which only raises
    it). Compared as shown: one decimal.
    """
    observed = reason.get("observed")
    means = [round(float(r["mean"]), 1) for r in raters if r.get("mean") is not None]
    if reason.get("no_evidence") or observed is None or not means:
        return ""
    shown = round(float(observed), 1)
    coached = (reason.get("coaching") or {}).get("level")
    if shown < min(means):
        if coached and coached < min(means):
            return _("The observed level is below every group shown here because the supervisor's coaching "
                     "counts too.")
        return _(
            "The observed level is below every group shown here: ratings of groups too small to be shown "
            "on their own count as well, each group with its own weight."
        )
    if shown > max(means):
        if reason.get("training"):
            return _("The observed level is above every group shown here because completed training counts too.")
        if coached and coached > max(means):
            return _("The observed level is above every group shown here because the supervisor's coaching "
                     "counts too.")
        return _(
            "The observed level is above every group shown here: ratings of groups too small to be shown "
            "on their own count as well, each group with its own weight."
        )
    return ""


def gap_sentence(reason):
    """How far below the required level the person is, and how sure the estimate is."""
    if reason.get("no_evidence") or reason.get("observed") is None:
        return ""
    gap = float(reason.get("gap") or 0)
    if gap <= 0:
        text = _("The required level is met.")
    else:
        text = _("Gap of %(gap)s levels.") % {"gap": number(gap)}
    coaching = reason.get("coaching")
    if coaching:
        text += " " + _("Coaching by the supervisor, at level %(level)s, counts as evidence.") % {
            "level": coaching.get("level")}
    training = reason.get("training")
    if training:
        text += " " + _("Completed training at level %(level)s counts as evidence.") % {"level": training.get("level")}
    signals = reason.get("signals") or []
    if "ratings_left_out" in signals:
        text += " " + _("Some ratings were left out because their group was too small to keep the raters anonymous.")
    if "low_confidence" in signals:
        text += " " + _("Few ratings so far, so treat this as an estimate.")
    return text


def _points(value):
    return _("%(points)s points") % {"points": number(value)}


def _part_phrase(key, points, reason, *, own):
    """What one priority part stands for, with its points: "the gap of 0.8 levels (19.5 points)"."""
    values = {"points": _points(points)}
    if key == "gap":
        return _("the gap of %(gap)s levels (%(points)s)") % {**values, "gap": number(reason.get("gap"))}
    if key == "weight":
        if own:
            return _("the weight of this competency for your position (%(points)s)") % values
        return _("the weight of this competency for the position (%(points)s)") % values
    if key == "appraisal":
        appraisal = reason.get("appraisal") or {}
        facts = [_appraisal_phrase(s, appraisal) for s in reason.get("signals") or [] if s in APPRAISAL_SIGNALS]
        if facts:
            return _("the appraisal (SKP), where %(facts)s (%(points)s)") % {**values, "facts": join_list(facts)}
        return _("the appraisal (SKP) (%(points)s)") % values
    if key == "survey":
        level = reason.get("survey_priority") or "–"
        if own:
            return _("your request in the training-needs survey, priority %(level)s (%(points)s)") % {**values, "level": level}
        return _("their request in the training-needs survey, priority %(level)s (%(points)s)") % {**values, "level": level}
    if key == "ikm":
        score = number(reason.get("ikm"))
        if own:
            return _("your unit's low public satisfaction score, IKM %(score)s (%(points)s)") % {**values, "score": score}
        return _("the unit's low public satisfaction score, IKM %(score)s (%(points)s)") % {**values, "score": score}
    return "%s (%s)" % (key, values["points"])


def _signal_priority_sentence(reason, band, *, own):
    # Results stored before the priority parts were kept: say which signals were present.
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


def priority_sentence(reason, priority, *, own=True):
    """What the priority is made of, largest part first, each with its points.

    "Medium priority (26 of 100), mostly from the gap of 0.8 levels (19.5 points); also …". Built
    from ``reason["priority_parts"]``, so two competencies of one person read differently when
    their parts differ; a reason without parts falls back to the signals. Empty without priority.
    """
    band = priority_band(priority)
    if not band or reason.get("no_evidence"):
        return ""
    parts = sorted(
        ((key, float(points)) for key, points in (reason.get("priority_parts") or {}).items() if points and points > 0),
        key=lambda part: -part[1],
    )
    if not parts:
        return _signal_priority_sentence(reason, band, own=own)
    head = {
        "high": _("High priority (%(score)s of 100)"),
        "medium": _("Medium priority (%(score)s of 100)"),
        "low": _("Low priority (%(score)s of 100)"),
    }[band] % {"score": number(priority, 0)}
    phrases = [_part_phrase(key, points, reason, own=own) for key, points in parts]
    if len(parts) == 1:
        return _("%(head)s, all from %(part)s.") % {"head": head, "part": phrases[0]}
    total = sum(points for _key, points in parts)
    if parts[0][1] >= total / 2:
        return _("%(head)s, mostly from %(main)s; also from %(rest)s.") % {
            "head": head, "main": phrases[0], "rest": join_list(phrases[1:]),
        }
    return _("%(head)s, from %(parts)s.") % {"head": head, "parts": join_list(phrases)}


def explain(reason, raters, priority, *, own=True):
    """The sentences that explain one gap, in order; ``raters`` is what ``selectors.rater_view`` returned.

    ``own`` is True when the reader is the person themself ("you asked for it in the survey").
    """
    sentences = [
        level_sentence(reason, raters),
        spread_sentence(reason, raters),
        gap_sentence(reason),
        priority_sentence(reason, priority, own=own),
    ]
    return [sentence for sentence in sentences if sentence]
