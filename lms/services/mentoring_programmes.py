"""HR's writes on a mentoring programme: the programme itself, the mentors HR names or removes, and the
pairs HR starts or ends (docs/mentoring.md#hrs-programme-pages).

Matching, locks and vetoes are ``lms.services.mentor_matching``'s; offers go through
``lms.services.mentoring.mentor_offer_save``. A pair made active gets its start date (today in the
agency's zone) and its goal level, and both people are e-mailed once the transaction commits.
"""

import logging
import math
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tna.infra.formats import date_range_text, localized
from tna.models import Competency, CompetencyGap, Cycle
from tna.selectors import current_cycle

from ..conf import settings
from ..links import absolute
from ..models.mentoring import MentoringPair, MentoringProgramme, MentorOffer
from .mentor_matching import applications_reopen, job_rank
from .mentoring import CAPACITY_MAX, mentor_offer_save

logger = logging.getLogger("latih.lms")
Status = MentoringPair.Status
TARGET_JP_MAX = 200
END_REASON_MAX = 500
CHUNK = 2000


def today_in(agency):
    """Today in ``agency``'s time zone."""
    return timezone.localdate(timezone=ZoneInfo(agency.time_zone))


# --- the programme ---------------------------------------------------------------------------------

def programme_problems(*, agency, code, name, competency_ids, starts_on, ends_on, target_jp, min_mentor_level,
                       default_capacity, programme=None):
    """What is wrong with a programme's fields, by field (empty when nothing is)."""
    problems = {}
    try:
        validate_slug(code or "")
    except ValidationError:
        problems["code"] = _("Use letters, digits, hyphens and underscores only, such as mentor-2026.")
    else:
        if len(code) > 60:
            problems["code"] = _("At most 60 characters.")
        elif MentoringProgramme.objects.filter(agency=agency, code=code).exclude(
                pk=getattr(programme, "pk", None)).exists():
            problems["code"] = _("The agency has a programme with this code already.")
    if not (name or "").strip():
        problems["name"] = _("Give the programme a name.")
    elif len(name) > 200:
        problems["name"] = _("At most 200 characters.")
    if starts_on is None:
        problems["starts_on"] = _("Give the first day.")
    if ends_on is None:
        problems["ends_on"] = _("Give the last day.")
    elif starts_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The programme must end on or after the day it starts.")
    if not competency_ids:
        problems["competencies"] = _("Name at least one competency.")
    elif Competency.objects.filter(pk__in=competency_ids).count() != len(competency_ids):
        problems["competencies"] = _("One of the competencies does not exist.")
    for field, value, low, high in (("target_jp", target_jp, 1, TARGET_JP_MAX), ("min_mentor_level", min_mentor_level,
                                                                                1, 5),
                                    ("default_capacity", default_capacity, 0, CAPACITY_MAX)):
        if value is None or not low <= value <= high:
            problems[field] = _("Must be a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
    return problems


def programme_save(*, agency, code, name, competencies, starts_on, ends_on, target_jp=10, min_mentor_level=4,
                   default_capacity=2, prefer_cross_unit=True, credit_mentor=False, programme=None):
    """Create a programme of ``agency`` (``programme=None``) or edit ``programme``; return it.

    ``competencies`` are ``Competency`` instances or keys (at least one), replacing those stored.
    Raises ``ValidationError`` (a dict by field) when the code is not a slug or another programme
    of the agency has it, the programme ends before it starts, no competency is named, or a number
    is out of range (target JP 1–200, lowest mentor level 1–5, mentees per mentor 0–50). An edit
    keeps the agency; pairs and offers already made stay as they are (a competency taken out is no
    longer matched).
    """
    if programme is not None:
        agency = programme.agency
    ids = sorted({getattr(c, "pk", c) for c in competencies or ()})
    problems = programme_problems(
        agency=agency, code=code, name=name, competency_ids=ids, starts_on=starts_on, ends_on=ends_on,
        target_jp=target_jp, min_mentor_level=min_mentor_level, default_capacity=default_capacity,
        programme=programme)
    if problems:
        raise ValidationError(problems)
    fields = {"code": code, "name": name.strip(), "starts_on": starts_on, "ends_on": ends_on, "target_jp": target_jp,
              "min_mentor_level": min_mentor_level, "default_capacity": default_capacity,
              "prefer_cross_unit": bool(prefer_cross_unit), "credit_mentor": bool(credit_mentor)}
    try:
        with transaction.atomic():
            if programme is None:
                programme = MentoringProgramme.objects.create(agency=agency, **fields)
            else:
                for field, value in fields.items():
                    setattr(programme, field, value)
                programme.save(update_fields=list(fields))
            programme.competencies.set(ids)
    except IntegrityError:  # another request took the code between the check and the write
        raise ValidationError({"code": _("The agency has a programme with this code already.")}) from None
    return programme


# --- mentors ---------------------------------------------------------------------------------------

def offer_nominate(*, programme, mentor, competencies, capacity=None):
    """HR names ``mentor`` in ``programme`` for ``competencies`` (``capacity`` mentees at once, None: the
    programme's default); returns ``(offer, action)`` as ``mentor_offer_save`` does, source *nominated*."""
    return mentor_offer_save(programme=programme, mentor=mentor, competencies=competencies, capacity=capacity,
                             source=MentorOffer.Source.NOMINATED)


@transaction.atomic
def offer_remove(*, offer):
    """Take ``offer``'s mentor out of its programme; return how many proposed pairs of theirs went with it.

    Their active pairs go on to their end; their proposed pairs (locked or not) are deleted, and the
    applications those pairs served wait for a mentor again.
    """
    offer = MentorOffer.objects.select_for_update().get(pk=offer.pk)
    proposed = MentoringPair.objects.filter(programme_id=offer.programme_id, mentor_id=offer.mentor_id,
                                            status=Status.PROPOSED)
    keys = list(proposed.values_list("mentee_id", "competency_id"))
    proposed.delete()
    offer.delete()
    applications_reopen(programme=offer.programme_id, keys=keys)
    return len(keys)


# --- starting and ending pairs ----------------------------------------------------------------------

def goal_levels(pairs, agency):
    """{pair id: goal level} for proposed ``pairs`` of ``agency``, from the TNA results of each pair's cycle.

    The goal is the mentee's required level in the competency, never above the mentor's observed
    level (rounded down). A mentee without a gap of 1 or more (an application) aims one level above
    their observed level, within the same cap; with no result at all, at the mentor's level. The
    cycle is the one the matching read (``reason["cycle"]``), else the agency's latest with results;
    the mentor's level is the one the matching saw (``reason["mentor_level"]``), else their result.
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    latest = None
    years = {p.reason.get("cycle") for p in pairs if isinstance(p.reason, dict) and p.reason.get("cycle")}
    if len(years) < len(pairs) or not years:
        latest = current_cycle(CompetencyGap.objects.filter(agency=agency))
    cycles = {c.year: c.pk for c in Cycle.objects.filter(year__in=years)} if years else {}
    people = sorted({p.mentee_id for p in pairs} | {p.mentor_id for p in pairs})
    competencies = {p.competency_id for p in pairs}
    wanted = set(cycles.values()) | ({latest.pk} if latest else set())
    rows = {}
    for start in range(0, len(people), CHUNK):
        for cycle, employee, competency, required, observed, gap in CompetencyGap.objects.filter(
                cycle_id__in=wanted, competency_id__in=competencies,
                employee_id__in=people[start:start + CHUNK]).values_list(
                "cycle_id", "employee_id", "competency_id", "required_level", "observed_level", "gap"):
            rows[(cycle, employee, competency)] = (required, observed, gap)
    goals = {}
    for pair in pairs:
        reason = pair.reason if isinstance(pair.reason, dict) else {}
        cycle = cycles.get(reason.get("cycle")) or (latest.pk if latest else None)
        mentee = rows.get((cycle, pair.mentee_id, pair.competency_id))
        mentor_level = reason.get("mentor_level")
        if mentor_level is None:
            mentor_level = (rows.get((cycle, pair.mentor_id, pair.competency_id)) or (None, None, None))[1]
        cap = math.floor(mentor_level + 1e-9) if mentor_level is not None else 5
        if mentee is None:
            goal = cap
        else:
            required, observed, gap = mentee
            if gap < 1 and observed is not None:
                goal = min(cap, max(required, math.floor(observed + 1e-9) + 1))
            else:
                goal = min(cap, required)
        goals[pair.pk] = max(1, min(5, int(goal)))
    return goals


def _places(programme, mentor_ids):
    """({mentor id: capacity}, {mentor id: active pairs}) for ``mentor_ids`` in ``programme``."""
    capacity = dict(MentorOffer.objects.filter(programme=programme, mentor_id__in=mentor_ids).values_list(
        "mentor_id", "capacity"))
    busy = {}
    for mentor in MentoringPair.objects.filter(programme=programme, status=Status.ACTIVE,
                                               mentor_id__in=mentor_ids).values_list("mentor_id", flat=True):
        busy[mentor] = busy.get(mentor, 0) + 1
    return capacity, busy


def _start(programme, pairs, today):
    """Make ``pairs`` (locked rows of ``programme``) active; return the ones started and those refused, with why."""
    goals, now = goal_levels(pairs, programme.agency), timezone.now()
    capacity, busy = _places(programme, {p.mentor_id for p in pairs})
    started, refused = [], []
    # Locked pairs first: HR chose them by hand.
    for pair in sorted(pairs, key=lambda p: (not p.locked, p.pk)):
        if not (pair.mentor.active and pair.mentee.active):
            refused.append((pair, _("The mentor or the mentee is no longer active.")))
            continue
        if pair.mentor_id not in capacity:
            refused.append((pair, _("The mentor no longer takes part in the programme.")))
            continue
        if busy.get(pair.mentor_id, 0) >= capacity[pair.mentor_id]:
            refused.append((pair, _("The mentor has no place left.")))
            continue
        rule = _rule_broken(pair, programme)
        if rule:
            refused.append((pair, rule))
            continue
        busy[pair.mentor_id] = busy.get(pair.mentor_id, 0) + 1
        pair.status, pair.started_on, pair.goal_level = Status.ACTIVE, today, goals[pair.pk]
        pair.ended_on, pair.goal_met, pair.updated_at = None, None, now
        started.append(pair)
    MentoringPair.objects.bulk_update(started, ["status", "started_on", "goal_level", "ended_on", "goal_met",
                                                "updated_at"], batch_size=1000)
    notify_pairs_started(programme, [p.pk for p in started])
    return started, refused


def _rule_broken(pair, programme):
    """Why the matching rules no longer allow ``pair`` (a lock HR kept after its mentor's level fell, a
    mentee who now reports to the mentor …), or "". The same rules the matcher and its checker hold."""
    if pair.mentee.supervisor_id == pair.mentor_id:
        return _("The mentor is now the mentee's direct supervisor.")
    if job_rank(getattr(pair.mentor.position, "job_type", None)) < job_rank(getattr(pair.mentee.position, "job_type", None)):
        return _("The mentor's job level is below the mentee's.")
    level = pair.reason.get("mentor_level") if isinstance(pair.reason, dict) else None
    if level is not None and level < programme.min_mentor_level:
        return _("The mentor's level in the competency is below the programme's lowest.")
    return ""


def _locked_pairs(queryset):
    """The pairs of ``queryset`` with their people, the pair rows locked until the transaction ends."""
    return list(queryset.select_for_update(of=("self",))
                .select_related("mentor__position", "mentee__position").order_by("pk"))


@transaction.atomic
def pair_activate(*, pair, today=None):
    """Start a proposed ``pair``: status *active*, ``started_on`` today in the agency's zone and its goal level
    (``goal_levels``). Both people are e-mailed after the commit. Raises ``ValidationError`` when the pair
    is not proposed, someone in it has left, the mentor is out of the programme or has no place left."""
    programme = MentoringProgramme.objects.select_related("agency").get(pk=pair.programme_id)
    rows = _locked_pairs(MentoringPair.objects.filter(pk=pair.pk))
    if not rows or rows[0].status != Status.PROPOSED:
        raise ValidationError(_("Only a proposed pair can be made active."))
    started, refused = _start(programme, rows, today or today_in(programme.agency))
    if refused:
        raise ValidationError(refused[0][1])
    return started[0]


@transaction.atomic
def programme_activate_all(*, programme, today=None):
    """Start every proposed pair of ``programme``, locked or not; return ``(started, refused)``: the pairs
    made active and ``(pair, why)`` for those left proposed (someone left, the mentor has no place)."""
    programme = MentoringProgramme.objects.select_related("agency").get(pk=programme.pk)
    rows = _locked_pairs(MentoringPair.objects.filter(programme=programme, status=Status.PROPOSED))
    return _start(programme, rows, today or today_in(programme.agency))


@transaction.atomic
def pair_end(*, pair, reason, today=None):
    """HR ends an active ``pair`` early: status *ended*, ``ended_on`` today, goal not met, unlocked, with
    ``reason`` kept as the pair's ``end_reason`` (HR's, not shown to the pair). The mentee's need and application wait
    for another mentor at the next matching. Raises ``ValidationError`` without a reason or an active pair."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the pair ends.")})
    if len(reason) > END_REASON_MAX:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": END_REASON_MAX}})
    pair = MentoringPair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != Status.ACTIVE:
        raise ValidationError(_("Only an active pair can be ended."))
    programme = MentoringProgramme.objects.select_related("agency").get(pk=pair.programme_id)
    pair.status, pair.locked, pair.goal_met = Status.ENDED, False, False
    pair.ended_on, pair.end_reason = today or today_in(programme.agency), reason
    pair.save(update_fields=["status", "locked", "goal_met", "ended_on", "end_reason", "updated_at"])
    applications_reopen(programme=programme, keys=[(pair.mentee_id, pair.competency_id)])
    return pair


# --- e-mail ----------------------------------------------------------------------------------------

def _started_messages(pair):
    programme, competency = pair.programme, pair.competency
    context = {"mentor": pair.mentor.name, "mentee": pair.mentee.name, "competency": localized(competency, "name"),
               "programme": programme.name}
    common = [
        _("Programme: %s") % programme.name,
        _("Competency: %(code)s %(name)s") % {"code": competency.code, "name": localized(competency, "name")},
        _("Goal: level %(level)d") % {"level": pair.goal_level},
        _("Target: %(jp)d JP of mentoring") % {"jp": programme.target_jp},
        _("Period: %s") % date_range_text(programme.starts_on, programme.ends_on),
    ]
    link = absolute("lms_mentoring:pair", pair.pk)
    if link:
        common.append(_("The pair's page: %s") % link)
    out = []
    if pair.mentor.email:
        lines = [_("You are now the mentor of %(mentee)s in %(competency)s.") % context, ""] + common
        if pair.mentee.email:
            lines.append(_("Mentee's e-mail: %s") % pair.mentee.email)
        lines += ["", _("Agree on your first meeting with your mentee.")]
        out.append(EmailMessage(subject=_("Mentoring: you are %(mentee)s's mentor") % context,
                                body="\n".join(lines), to=[pair.mentor.email]))
    if pair.mentee.email:
        lines = [_("%(mentor)s is now your mentor in %(competency)s.") % context, ""] + common
        if pair.mentor.email:
            lines.append(_("Mentor's e-mail: %s") % pair.mentor.email)
        lines += ["", _("Your mentor will get in touch to agree on a first meeting.")]
        out.append(EmailMessage(subject=_("Mentoring: %(mentor)s is your mentor") % context,
                                body="\n".join(lines), to=[pair.mentee.email]))
    return out


def notify_pairs_started(programme, pair_ids):
    """E-mail the mentor and the mentee of each pair in ``pair_ids`` once the transaction commits."""
    if not settings.EMAIL_NOTIFICATIONS or not pair_ids:
        return

    def send():
        pairs = MentoringPair.objects.filter(pk__in=pair_ids, status=Status.ACTIVE).select_related(
            "programme", "competency", "mentor", "mentee")
        with translation.override(django_settings.LANGUAGE_CODE):
            messages = [message for pair in pairs for message in _started_messages(pair)]
        if messages:
            with get_connection(fail_silently=True) as connection:
                connection.send_messages(messages)
        logger.info("Mentoring programme %s: %d pairs started, %d people emailed", programme.pk, len(pair_ids),
                    len(messages))

    transaction.on_commit(send)
