"""A recommendation's reason (``lms.recommend.reason_payloads``) as plain sentences, in the active language.

Every sentence is one whole msgid with named placeholders, so the Indonesian catalogue can put
the words in Indonesian order ("Jabatan Anda menuntut Komunikasi pada level 3; level Anda saat
ini 2,1.") instead of gluing English fragments together.
"""

from django.utils.translation import gettext as _

from tna.infra.formats import join_list, number
from tna.sentences import priority_band

#: The leadership programmes by their short names (proper names, the same in every language).
PROGRAMME_NAMES = {"pkp": "PKP", "pka": "PKA", "pkn2": "PKN Tingkat II", "pkn1": "PKN Tingkat I"}


def _name(item, names):
    return names.get(item["competency"]) or item.get("code") or "?"


def gap_sentence(item, names):
    """"Your position requires Communication at level 3; your level now is 2.1. Closing it is a high priority."."""
    text = _("Your position requires %(competency)s at level %(required)s; your level now is %(observed)s.") % {
        "competency": _name(item, names), "required": item["required"], "observed": number(item["observed"]),
    }
    band = priority_band(item.get("priority") or 0)
    if band:
        text += " " + {
            "high": _("Closing this gap is a high priority."),
            "medium": _("Closing this gap is a medium priority."),
            "low": _("Closing this gap is a low priority."),
        }[band]
    return text


def closure_sentence(item):
    """What the course brings to the main gap: the level it reaches and how much of the gap closes."""
    values = {"level": item["level"], "closure": number(item["closure"]), "gap": number(item["gap"])}
    if item["closure"] + 0.005 >= item["gap"]:
        return _("The course develops it to level %(level)s, enough to close the gap.") % values
    return _("The course develops it to level %(level)s, which closes %(closure)s of the %(gap)s levels missing.") % values


def effect_sentence(effect, item=None):
    """What earlier participants gained, where it was measured, and what that makes of the gap now.

    ``effect``: the payload's ``{"levels": …, "n": …}`` (``lms.services.impact``); ``item`` the
    main gap, whose closure the recommender already scaled by the measured effect.
    """
    values = {"levels": number(effect["levels"]), "n": effect["n"]}
    if effect["levels"] > 0.05:
        text = _("On average this course raised its participants' level by %(levels)s (n = %(n)s).") % values
    else:
        text = _("On average this course did not raise its participants' level (n = %(n)s).") % values
    if item is not None:
        text += " " + _("So it is expected to close %(closure)s of the %(gap)s levels missing.") % {
            "closure": number(item["closure"]), "gap": number(item["gap"])}
    return text


def develops_sentence(item, names):
    """For a top-up: the competency the position requires that the course develops further."""
    values = {"competency": _name(item, names), "required": item["required"], "level": item["level"]}
    if item.get("observed") is None:
        return _("Your position requires %(competency)s at level %(required)s; it has not been rated yet, "
                 "and this course works at level %(level)s.") % values
    values["observed"] = number(item["observed"])
    return _("Your position requires %(competency)s at level %(required)s and you are at %(observed)s; "
             "this course develops it further, to level %(level)s.") % values


def development_sentence(development):
    """Why a course of the person's development plan is recommended: the programme and the
    priority the agency gives it (never the talent box the plan came from).

    ``development``: the payload's ``{"kind": "development", "action": …, "programme": …, "priority": …}``.
    """
    values = {"priority": development.get("priority", 0)}
    if development.get("action") == "leadership_training":
        programme = development.get("programme")
        if programme:
            values["programme"] = PROGRAMME_NAMES.get(programme, str(programme).upper())
            return _("Your development plan includes the leadership training %(programme)s; your agency gives it "
                     "priority %(priority)s of 100.") % values
        return _("Your development plan includes leadership training; your agency gives it priority "
                 "%(priority)s of 100.") % values
    return _("Your development plan includes this course; your agency gives it priority %(priority)s of 100.") % values


def format_sentence(mode, jp):
    """"It is a classroom course of 16 JP." (one whole sentence per mode, for natural translations)."""
    template = {
        "classroom": _("It is a classroom course of %(jp)s JP."),
        "online": _("It is an online course of %(jp)s JP."),
        "blended": _("It is a blended course (online and in class) of %(jp)s JP."),
        "self_paced": _("It is a self-paced course of %(jp)s JP."),
    }.get(mode, _("It is a course of %(jp)s JP."))
    return template % {"jp": jp}


def preference_sentence(parts):
    """Whether the course matches the mode and time the person asked for in the survey."""
    mode, time = parts.get("mode_match", 0) >= 1, parts.get("time_match", 0) >= 1
    if mode and time:
        return _("It is held in the way and at the time of day you asked for in the survey.")
    if mode:
        return _("It is held in the way you asked for in the survey.")
    if time:
        return _("Its sessions are at the time of day you asked for in the survey.")
    return ""


def plan_sentence(reason):
    """Where the course stands in the plan towards the yearly JP minimum."""
    plan = reason.get("plan") or {}
    if not plan.get("in_plan"):
        return ""
    if reason.get("kind") in ("gap", "development") or reason.get("development"):
        return _("It is in your plan.")
    return _("It tops up your plan towards the minimum of %(minimum)s JP a year.") % {
        "minimum": plan.get("jp_minimum", 0)}


def explain_recommendation(reason, *, mode, names=None):
    """The sentences that explain one recommendation, in order.

    ``reason`` is the stored payload, ``mode`` the course's mode and ``names`` maps competency
    ids to names in the active language (codes are the fallback).
    """
    names = names or {}
    reason = reason or {}
    gaps, develops = reason.get("gaps") or [], reason.get("develops") or []
    sentences = []
    course = reason.get("course") or {}
    effect = course.get("effect")
    if gaps:
        main = gaps[0]
        sentences.append(gap_sentence(main, names))
        sentences.append(effect_sentence(effect, main) if effect else closure_sentence(main))
        if len(gaps) > 1:
            sentences.append(_("It also helps with %(competencies)s.") % {
                "competencies": join_list(_name(item, names) for item in gaps[1:])})
    elif develops:
        sentences.append(develops_sentence(develops[0], names))
        if len(develops) > 1:
            sentences.append(_("It also develops %(competencies)s.") % {
                "competencies": join_list(_name(item, names) for item in develops[1:])})
    if effect and not gaps:
        sentences.append(effect_sentence(effect))
    if reason.get("development"):
        sentences.append(development_sentence(reason["development"]))
    sentences.append(format_sentence(mode, course.get("jp", "?")))
    sentences.append(preference_sentence(reason.get("parts") or {}))
    sentences.append(plan_sentence(reason))
    return [sentence for sentence in sentences if sentence]


def plan_summary(*, planned, earned, minimum):
    """One sentence on the plan: what it adds up to against the yearly minimum."""
    values = {"planned": planned, "earned": earned, "minimum": minimum, "total": planned + earned}
    if planned + earned >= minimum:
        if earned:
            return _("Your plan adds %(planned)s JP to the %(earned)s JP you have this year: %(total)s JP, "
                     "at least the minimum of %(minimum)s JP.") % values
        return _("Your plan adds up to %(planned)s JP, at least the minimum of %(minimum)s JP a year.") % values
    return _("Your plan adds up to %(total)s JP with what you have this year; the catalogue has nothing more "
             "for you yet to reach the minimum of %(minimum)s JP.") % values
