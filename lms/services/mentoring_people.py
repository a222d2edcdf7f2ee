"""What people do in a mentoring programme themselves: offer to mentor or withdraw, apply for a mentor or
withdraw, give closing feedback on a pair — and the closing of pairs, by feedback or at the programme's end
(docs/mentoring.md#closing-a-pair).

Completed mentoring becomes evidence like completed training: the mentee's mentoring JP credit of the
pair gets the competency at the level the mentor judged reached (``CreditedCompetency``), which
``lms.training_evidence`` hands to the next TNA run.
"""

import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tna.conf import settings as tna_settings
from tna.infra.formats import date_text, number

from ..models import CreditSource, JpCredit
from ..models.ledger import CreditedCompetency
from ..models.mentoring import (
    MentoringApplication,
    MentoringPair,
    MentoringProgramme,
    MentoringSession,
    MentorOffer,
    PairFeedback,
)
from ..selectors.career import today_of
from ..selectors.mentoring import OPEN_PAIR, confirmed_sessions_q, tna_levels
from .mentoring import mentor_offer_save, offer_problems
from .mentoring_credit import mentoring_credit_refresh
from .mentoring_sessions import session_cancel

Status = MentoringPair.Status
Role = PairFeedback.Role
AppStatus = MentoringApplication.Status


def _programme_open(programme, today):
    if programme.ends_on < today:
        raise ValidationError(_("The programme %(name)s ended on %(date)s.") % {
            "name": programme.name, "date": date_text(programme.ends_on)})


# --- offers ------------------------------------------------------------------------------------

def mentor_level_problems(*, programme, mentor, competencies):
    """Why ``mentor`` may not offer each of ``competencies`` (Competency instances) in ``programme``, as a
    list of sentences (empty when they may offer them all): their observed level in the agency's latest
    TNA must be at least the programme's ``min_mentor_level``, as the matcher requires."""
    cycle, gaps = tna_levels(mentor, [c.pk for c in competencies])
    if cycle is None:
        return [_("Your agency has no TNA results yet: mentors are chosen by their observed level, so offers "
                  "open once the first TNA has run.")]
    problems = []
    for competency in competencies:
        gap = gaps.get(competency.pk)
        observed = gap.observed_level if gap is not None else None
        values = {"competency": "%s %s" % (competency.code, competency.display_name), "year": cycle.year,
                  "minimum": programme.min_mentor_level}
        if observed is None:
            problems.append(_("You cannot offer %(competency)s: the TNA of %(year)s has no observed level of yours "
                              "in it, and the programme asks at least level %(minimum)s.") % values)
        elif observed < programme.min_mentor_level:
            problems.append(_("You cannot offer %(competency)s: your observed level in the TNA of %(year)s is "
                              "%(level)s, and the programme asks at least level %(minimum)s.")
                            % {**values, "level": number(observed)})
    return problems


@transaction.atomic
def offer_opt_in(*, programme, mentor, competencies, capacity):
    """``mentor`` offers themselves in ``programme`` for ``competencies`` (Competency instances), taking up to
    ``capacity`` mentees at once (0 takes no new mentee for now). Returns ``(offer, action)`` as
    ``mentor_offer_save`` (source *opt_in*).

    Raises ``ValidationError`` (by field) when the programme has ended, the offer breaks
    ``offer_problems`` (agency, active, capacity 0–50, competencies of the programme) or the mentor's
    observed level in a competency is below the programme's lowest mentor level.
    """
    competencies = list(competencies)
    _programme_open(programme, today_of(programme.agency))
    problems = offer_problems(programme=programme, mentor=mentor, competency_ids=[c.pk for c in competencies],
                              capacity=capacity)
    if not problems:
        levels = mentor_level_problems(programme=programme, mentor=mentor, competencies=competencies)
        if levels:
            problems["competencies"] = levels
    if problems:
        raise ValidationError(problems)
    return mentor_offer_save(programme=programme, mentor=mentor, competencies=competencies, capacity=capacity,
                             source=MentorOffer.Source.OPT_IN)


@transaction.atomic
def offer_withdraw(*, offer):
    """Withdraw ``offer``: the offer goes, and with it the mentor's proposed pairs in the programme that HR
    has not locked. Returns how many proposed pairs were removed.

    Refused (``ValidationError``) while the mentor has an active pair in the programme, or a proposed
    pair HR has locked (HR means to start it: HR must release it first).
    """
    offer = MentorOffer.objects.select_for_update(of=("self",)).select_related("programme").get(pk=offer.pk)
    pairs = MentoringPair.objects.filter(programme=offer.programme, mentor=offer.mentor_id)
    if pairs.filter(status=Status.ACTIVE).exists():
        raise ValidationError(_("You are mentoring someone in this programme: close your active pairs before "
                                "withdrawing your offer."))
    if pairs.filter(status=Status.PROPOSED, locked=True).exists():
        raise ValidationError(_("HR has kept a proposed pair with you in this programme: ask HR to release it "
                                "before withdrawing your offer."))
    removed, _detail = pairs.filter(status=Status.PROPOSED, locked=False).delete()
    offer.delete()
    return removed


# --- applications ------------------------------------------------------------------------------

@transaction.atomic
def application_create(*, programme, employee, competency, note=""):
    """``employee`` asks ``programme`` for a mentor in ``competency`` (whatever the TNA says). Returns the
    open ``MentoringApplication``; applying again after withdrawing reopens the same row.

    Refused (``ValidationError``) when the employee is not active staff of the programme's agency, the
    competency is not the programme's, the programme has ended, an application for the competency
    is already open, or a proposed or active pair already gives them a mentor in it.
    """
    if employee.agency_id != programme.agency_id or not employee.active:
        raise ValidationError(_("Only active staff of the programme's agency can apply."))
    _programme_open(programme, today_of(programme.agency))
    if not programme.competencies.filter(pk=competency.pk).exists():
        raise ValidationError({"competency": _("%(competency)s is not a competency of this programme.")
                               % {"competency": competency.code}})
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": _("Keep it under 2,000 characters.")})
    if MentoringPair.objects.filter(programme=programme, mentee=employee, competency=competency,
                                    status__in=OPEN_PAIR).exists():
        raise ValidationError(_("You already have a mentor for %(competency)s in this programme.")
                              % {"competency": competency.code})
    application = (MentoringApplication.objects.select_for_update()
                   .filter(programme=programme, employee=employee, competency=competency).first())
    if application is None:
        return MentoringApplication.objects.create(programme=programme, employee=employee, competency=competency,
                                                   note=note)
    if application.status == AppStatus.OPEN:
        raise ValidationError(_("You have already applied for a mentor in %(competency)s.")
                              % {"competency": competency.code})
    application.status, application.note, application.created_at = AppStatus.OPEN, note, timezone.now()
    application.save(update_fields=["status", "note", "created_at"])
    return application


@transaction.atomic
def application_withdraw(*, application):
    """Withdraw an open ``application``; the applicant's proposed pairs of that need that HR has not locked go
    with it. Returns the application. A matched application cannot be withdrawn (the pair is HR's)."""
    application = MentoringApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == AppStatus.WITHDRAWN:
        return application
    if application.status != AppStatus.OPEN:
        raise ValidationError(_("A mentor has been found for this application: ask HR if you want to stop."))
    application.status = AppStatus.WITHDRAWN
    application.save(update_fields=["status"])
    MentoringPair.objects.filter(programme=application.programme_id, mentee=application.employee_id,
                                 competency=application.competency_id, status=Status.PROPOSED,
                                 locked=False).delete()
    return application


# --- closing feedback and closing --------------------------------------------------------------

def role_in(pair, employee):
    """``mentor`` or ``mentee`` when ``employee`` is one of the pair, else None."""
    if employee is None:
        return None
    if employee.pk == pair.mentor_id:
        return Role.MENTOR
    if employee.pk == pair.mentee_id:
        return Role.MENTEE
    return None


NO_SESSION = _lazy(
    "The pair cannot be completed yet: no session has been confirmed by both of you, so there is no mentoring to "
    "credit. Record and confirm your sessions first.")
NO_CREDIT = _lazy(
    "The pair cannot be completed yet: its confirmed sessions add up to less than one JP (%(minutes)s minutes) in "
    "a year, so there is no mentoring to credit. Record and confirm your next session first.")


def _has_confirmed_session(pair):
    return pair.sessions.filter(confirmed_sessions_q()).exists()


def evidence_level(pair, level_reached):
    """The level completed mentoring credits: the mentor's ``level_reached``, never above the mentor's own
    observed level when paired (the floor of ``reason["mentor_level"]``; for a pair made by hand, the
    mentor's level in the latest TNA), and at least 1."""
    cap = pair.reason.get("mentor_level") if isinstance(pair.reason, dict) else None
    if cap is None:
        _cycle, gaps = tna_levels(pair.mentor, [pair.competency_id])
        gap = gaps.get(pair.competency_id)
        cap = gap.observed_level if gap is not None else None
    level = int(level_reached)
    if cap is not None:
        level = min(level, math.floor(cap))
    return max(level, 1)


def _credit_evidence(pair, level_reached):
    """Refresh the pair's credits and put the competency on the mentee's latest one; the credit, or None."""
    mentoring_credit_refresh(pair=pair)
    credit = (JpCredit.objects.filter(mentoring_pair=pair, employee_id=pair.mentee_id, source=CreditSource.MENTORING)
              .order_by("-year", "-end_date", "-pk").first())
    if credit is None:
        return None
    CreditedCompetency.objects.update_or_create(credit=credit, competency_id=pair.competency_id,
                                                defaults={"level": evidence_level(pair, level_reached)})
    return credit


def _complete(pair, *, mentor_feedback, today):
    """Close ``pair`` as completed and credit its evidence; without a credit, the reason it cannot (and
    nothing is closed)."""
    if not _has_confirmed_session(pair):
        return str(NO_SESSION)
    if _credit_evidence(pair, mentor_feedback.level_reached) is None:
        return str(NO_CREDIT) % {"minutes": tna_settings.JP_MINUTES}
    pair.status, pair.goal_met, pair.ended_on = Status.COMPLETED, True, today
    pair.save(update_fields=["status", "goal_met", "ended_on", "updated_at"])
    return ""


@transaction.atomic
def pair_feedback_save(*, pair, by, usefulness, goal_met, comment="", level_reached=None):
    """``by`` (the pair's mentor or mentee) gives or changes their closing feedback on an active pair.

    ``usefulness`` 1–5; ``goal_met`` whether the pair's goal is met; ``level_reached`` (1–5) only from
    the mentor, and required when the mentor says the goal is met. A mentor may say the goal is met
    only once at least one session has been confirmed by both sides. Returns the ``PairFeedback``.

    The pair closes as soon as the mentor says the goal is met and the mentee has given feedback
    (whatever order they came in): status *completed*, ``goal_met`` True, ``ended_on`` today in the
    agency's time zone, the competency credited on the mentee's mentoring JP credit of the pair
    (``evidence_level``), and the planned sessions still ahead cancelled (``session_cancel``: both
    get the calendar cancellation). Until then each side may change their feedback.
    """
    pair = (MentoringPair.objects.select_for_update(of=("self",)).select_related("programme__agency", "mentor")
            .get(pk=pair.pk))
    role = role_in(pair, by)
    if role is None:
        raise ValidationError(_("Only the pair's mentor and mentee give closing feedback."))
    if pair.status != Status.ACTIVE:
        raise ValidationError(_("Closing feedback is given on an active pair; this one is %(status)s.")
                              % {"status": pair.get_status_display().lower()})
    problems = {}
    if usefulness not in (1, 2, 3, 4, 5):
        problems["usefulness"] = _("Choose from 1 to 5.")
    if goal_met not in (True, False):
        problems["goal_met"] = _("Say whether the goal was met.")
    if role == Role.MENTEE and level_reached is not None:
        problems["level_reached"] = _("Only the mentor judges the level reached.")
    elif level_reached is not None and level_reached not in (1, 2, 3, 4, 5):
        problems["level_reached"] = _("Choose a level from 1 to 5.")
    elif role == Role.MENTOR and goal_met is True and level_reached is None:
        problems["level_reached"] = _("Say which level your mentee has reached.")
    comment = (comment or "").strip()
    if len(comment) > 3000:
        problems["comment"] = _("Keep it under 3,000 characters.")
    if problems:
        raise ValidationError(problems)
    if role == Role.MENTOR and goal_met and not _has_confirmed_session(pair):
        raise ValidationError({"goal_met": str(NO_SESSION)})

    feedback, _created = PairFeedback.objects.update_or_create(
        pair=pair, role=role,
        defaults={"usefulness": usefulness, "goal_met": goal_met, "comment": comment,
                  "level_reached": level_reached if role == Role.MENTOR else None})
    given = {f.role: f for f in PairFeedback.objects.filter(pair=pair)}
    mentor = given.get(Role.MENTOR)
    if mentor is not None and mentor.goal_met and Role.MENTEE in given:
        problem = _complete(pair, mentor_feedback=mentor, today=today_of(pair.programme.agency))
        if problem:
            raise ValidationError(problem)
        # The meetings still ahead will not take place: both calendars get the cancellation.
        for session in pair.sessions.filter(status=MentoringSession.Status.PLANNED, starts_at__gt=timezone.now()):
            session_cancel(session=session, by=by)
    return feedback


@dataclass
class CloseSummary:
    """What ``pairs_close_expired`` did."""

    completed: int = 0
    ended: int = 0

    def as_dict(self):
        return {"completed": self.completed, "ended": self.ended}


def pairs_close_expired(*, today=None):
    """Close every active pair whose programme ended before today (each agency's today, or ``today``).

    A pair both sides said met its goal (with the mentor's level) is *completed* with its evidence, as
    the feedback would have done; any other is *ended*: ``goal_met`` False where someone gave feedback,
    None where nobody did. ``ended_on`` is the programme's last day. Returns a ``CloseSummary``.
    Run daily (``manage.py close_mentoring_pairs``, ``lms.tasks.mentoring_close_task``).
    """
    summary = CloseSummary()
    candidates = (MentoringProgramme.objects.filter(pairs__status=Status.ACTIVE).distinct()
                  .select_related("agency"))
    if today is not None:
        candidates = candidates.filter(ends_on__lt=today)
    for programme in candidates:
        if programme.ends_on >= (today or today_of(programme.agency)):
            continue
        with transaction.atomic():
            pairs = list(MentoringPair.objects.select_for_update(of=("self",))
                         .filter(programme=programme, status=Status.ACTIVE).select_related("mentor", "programme"))
            given = {}
            for feedback in PairFeedback.objects.filter(pair__in=pairs):
                given.setdefault(feedback.pair_id, {})[feedback.role] = feedback
            for pair in pairs:
                sides = given.get(pair.pk, {})
                mentor, mentee = sides.get(Role.MENTOR), sides.get(Role.MENTEE)
                if (mentor is not None and mentee is not None and mentor.goal_met and mentee.goal_met
                        and not _complete(pair, mentor_feedback=mentor, today=programme.ends_on)):
                    summary.completed += 1
                    continue
                # One save per pair (a handful a day), so the audit trail records each closing.
                pair.status, pair.goal_met, pair.ended_on = Status.ENDED, (False if sides else None), programme.ends_on
                pair.save(update_fields=["status", "goal_met", "ended_on", "updated_at"])
                summary.ended += 1
    return summary
