"""Write paths for evidence entered per cycle: 360° ratings, SKP appraisals, the survey, peer lists."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import (
    Appraisal,
    Competency,
    Employee,
    ExpectationRating,
    PeerAssignment,
    RaterRole,
    Rating,
    SurveyResponse,
    TrainingMode,
)
from ..models.evidence import WEEKDAYS, PreferredTime
from ..roles import TRAINING_ADMIN, has_role

# How many peers a supervisor picks for each report (an empty list clears the assignment).
PEERS_MIN = 2
PEERS_MAX = 4


def required_competencies(employee):
    """Active competencies the employee's position requires, in dictionary order."""
    return Competency.objects.filter(active=True, required_levels__position_id=employee.position_id).order_by(
        "sort_order", "code"
    )


def rater_role_for(*, cycle, rater, ratee):
    """The role ``rater`` rates ``ratee`` in during ``cycle``, or None when they may not rate them.

    Self when it is the same person, supervisor of a direct report, subordinate of one's own direct
    supervisor, peer only where a PeerAssignment for the cycle says so.
    """
    if rater.pk == ratee.pk:
        return RaterRole.SELF
    if ratee.supervisor_id == rater.pk:
        return RaterRole.SUPERVISOR
    if rater.supervisor_id == ratee.pk:
        return RaterRole.SUBORDINATE
    if PeerAssignment.objects.filter(cycle=cycle, ratee=ratee, rater=rater).exists():
        return RaterRole.PEER
    return None


def _check_open(cycle):
    if not cycle.is_open:
        raise ValidationError(
            _("Cycle %(year)s is closed: its evidence can no longer be entered or changed."),
            code="cycle_closed", params={"year": cycle.year},
        )


def _check_level(value, *, low, high, what):
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            _("%(what)s must be a whole number from %(low)s to %(high)s, not %(value)r."),
            code="out_of_range", params={"what": what, "low": low, "high": high, "value": value},
        )


def _competency_ids(keys):
    """Primary keys of competencies given as instances or keys."""
    return [getattr(key, "pk", key) for key in keys]


@transaction.atomic
def rating_submit(*, cycle, rater, ratee, levels):
    """Store ``rater``'s 1–5 ``levels`` ({competency: level}) for ``ratee`` in ``cycle``.

    The role follows from the relationship (see ``rater_role_for``); anyone else is refused. Only
    competencies the ratee's position requires are accepted. Existing ratings by the same rater
    are updated, others created. Returns the role the ratings were stored under.
    """
    _check_open(cycle)
    if not rater.active or not ratee.active:
        raise ValidationError(_("Only active employees can give or receive ratings."), code="inactive")
    role = rater_role_for(cycle=cycle, rater=rater, ratee=ratee)
    if role is None:
        raise ValidationError(
            _("%(rater)s may not rate %(ratee)s: only the person themselves, their direct supervisor, "
              "their direct reports and the peers assigned for cycle %(year)s can."),
            code="not_entitled", params={"rater": rater.name, "ratee": ratee.name, "year": cycle.year},
        )
    if not levels:
        raise ValidationError(_("Rate at least one competency."), code="empty")
    by_id = dict(zip(_competency_ids(levels), levels.values(), strict=True))
    required = set(required_competencies(ratee).values_list("pk", flat=True))
    extra = set(by_id) - required
    if extra:
        codes = sorted(Competency.objects.filter(pk__in=extra).values_list("code", flat=True)) or sorted(map(str, extra))
        raise ValidationError(
            _("The position of %(ratee)s does not require %(codes)s; rate only the competencies it requires."),
            code="not_required", params={"ratee": ratee.name, "codes": ", ".join(codes)},
        )
    for level in by_id.values():
        _check_level(level, low=1, high=5, what=_("A competency level"))
    rows = [
        Rating(cycle=cycle, ratee=ratee, rater=rater, rater_role=role, competency_id=pk, level=level)
        for pk, level in by_id.items()
    ]
    Rating.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["cycle", "ratee", "rater", "competency"],
        update_fields=["rater_role", "level", "updated_at"],
    )
    return role


@transaction.atomic
def appraisal_submit(*, cycle, rater, employee, results, behaviour, discipline=None, quality=None, innovation=None):
    """Record the SKP appraisal of ``employee`` by their direct superior; returns the Appraisal.

    ``results`` and ``behaviour`` are ``above``/``meets``/``below``; the optional indicators are
    1–5. The appraisal's ``predikat`` follows PermenPANRB 6/2022.
    """
    _check_open(cycle)
    if employee.supervisor_id != rater.pk:
        raise ValidationError(
            _("Only the direct supervisor of %(employee)s can enter their SKP appraisal."),
            code="not_supervisor", params={"employee": employee.name},
        )
    for what, value in ((_("Work results"), results), (_("Work behaviour"), behaviour)):
        if value not in ExpectationRating.values:
            raise ValidationError(
                _("%(what)s must be one of above, meets, below, not %(value)r."),
                code="invalid_expectation", params={"what": what, "value": value},
            )
    indicators = {"discipline": discipline, "quality": quality, "innovation": innovation}
    labels = {"discipline": _("Discipline"), "quality": _("Quality of work"), "innovation": _("Innovation")}
    for name, value in indicators.items():
        if value is not None:
            _check_level(value, low=1, high=5, what=labels[name])
    appraisal, _created = Appraisal.objects.update_or_create(
        cycle=cycle, employee=employee,
        defaults={"rated_by": rater, "results": results, "behaviour": behaviour, **indicators},
    )
    return appraisal


def _clean_blocked_days(days):
    cleaned = {str(day).strip().lower()[:3] for day in days or [] if str(day).strip()}
    unknown = cleaned - set(WEEKDAYS)
    if unknown:
        raise ValidationError(
            _("Unknown weekday %(days)s; use mon, tue, wed, thu, fri, sat or sun."),
            code="invalid_weekday", params={"days": ", ".join(sorted(unknown))},
        )
    return [day for day in WEEKDAYS if day in cleaned]


@transaction.atomic
def survey_submit(*, cycle, employee, needs, mode="", time="", blocked_days=(), note=""):
    """Replace ``employee``'s training-needs survey answers for ``cycle``; returns the new rows.

    ``needs`` lists (competency, priority 1–3) pairs; ``mode`` and ``time`` are a TrainingMode and
    a PreferredTime value (or empty); ``blocked_days`` are weekday codes such as ``tue``.
    """
    _check_open(cycle)
    needs = list(needs)
    if not needs:
        raise ValidationError(_("Choose at least one competency you want to develop."), code="empty")
    priorities = {}
    for competency, priority in needs:
        pk = getattr(competency, "pk", competency)
        if pk in priorities:
            raise ValidationError(_("Each competency can be listed only once."), code="duplicate")
        _check_level(priority, low=1, high=3, what=_("A priority"))
        priorities[pk] = priority
    known = set(Competency.objects.filter(pk__in=priorities, active=True).values_list("pk", flat=True))
    if known != set(priorities):
        raise ValidationError(_("One of the chosen competencies is not in the dictionary."), code="unknown_competency")
    mode, time = mode or "", time or ""
    if mode and mode not in TrainingMode.values:
        raise ValidationError(
            _("Unknown training mode %(mode)r; use classroom, online, blended or self_paced."),
            code="invalid_mode", params={"mode": mode},
        )
    if time not in PreferredTime.values:
        raise ValidationError(_("Unknown preferred time %(time)r."), code="invalid_time", params={"time": time})
    days = _clean_blocked_days(blocked_days)
    SurveyResponse.objects.filter(cycle=cycle, employee=employee).delete()
    return SurveyResponse.objects.bulk_create([
        SurveyResponse(
            cycle=cycle, employee=employee, competency_id=pk, priority=priority,
            mode=mode, time=time, blocked_days=days, note=note or "",
        )
        for pk, priority in priorities.items()
    ])


def may_assign_peers(*, by, ratee):
    """True when ``by`` (an Employee) may choose the peers who rate ``ratee``."""
    if ratee.supervisor_id == by.pk:
        return True
    user = by.user
    return has_role(user, TRAINING_ADMIN) and (user.is_superuser or by.agency_id == ratee.agency_id)


@transaction.atomic
def peer_assignments_set(*, cycle, ratee, raters, by):
    """Make ``raters`` the peers who rate ``ratee`` in ``cycle``; returns the assigned Employees.

    Allowed to the ratee's direct supervisor and to a training admin of the ratee's agency. Peers
    are active colleagues from the same agency, neither the ratee, their supervisor nor their
    direct reports; 2–4 of them, or none to clear the list. A peer taken off the list loses the
    ratings they already gave the ratee this cycle, so only assigned peers count as peers.
    """
    _check_open(cycle)
    if not may_assign_peers(by=by, ratee=ratee):
        raise ValidationError(
            _("Only the direct supervisor of %(ratee)s or a training admin of their agency can choose their peers."),
            code="not_entitled", params={"ratee": ratee.name},
        )
    ids = {getattr(rater, "pk", rater) for rater in raters}
    if ids and not PEERS_MIN <= len(ids) <= PEERS_MAX:
        raise ValidationError(
            _("Choose from %(min)s to %(max)s peers (you chose %(n)s)."),
            code="peer_count", params={"min": PEERS_MIN, "max": PEERS_MAX, "n": len(ids)},
        )
    peers = list(Employee.objects.filter(pk__in=ids))
    if len(peers) != len(ids):
        raise ValidationError(_("One of the chosen peers does not exist."), code="unknown_peer")
    for peer in peers:
        reason = None
        if peer.pk == ratee.pk:
            reason = _("%(peer)s cannot be their own peer.")
        elif peer.pk == ratee.supervisor_id:
            reason = _("%(peer)s is the supervisor of %(ratee)s, not a peer.")
        elif peer.supervisor_id == ratee.pk:
            reason = _("%(peer)s reports to %(ratee)s, so they rate as a subordinate, not a peer.")
        elif peer.agency_id != ratee.agency_id:
            reason = _("%(peer)s works in another agency than %(ratee)s.")
        elif not peer.active:
            reason = _("%(peer)s is no longer active.")
        if reason:
            raise ValidationError(reason, code="invalid_peer", params={"peer": peer.name, "ratee": ratee.name})
    current = set(PeerAssignment.objects.filter(cycle=cycle, ratee=ratee).values_list("rater_id", flat=True))
    removed = current - ids
    if removed:
        PeerAssignment.objects.filter(cycle=cycle, ratee=ratee, rater__in=removed).delete()
        Rating.objects.filter(cycle=cycle, ratee=ratee, rater__in=removed, rater_role=RaterRole.PEER).delete()
    PeerAssignment.objects.bulk_create(
        [PeerAssignment(cycle=cycle, ratee=ratee, rater_id=pk) for pk in ids - current]
    )
    return sorted(peers, key=lambda peer: peer.name)
