"""Supervisors' coaching conversations: record, change and delete one, and the coaching JP credit (route NKL01).

Only the person's direct supervisor (``Employee.supervisor``) records coaching: the levels are the
supervisor's own observation, and the TNA counts them as such (docs/tna-method.md), so HR does not
record them on a supervisor's behalf. A conversation is recorded, changed or deleted within
``RECORD_WINDOW_DAYS`` of the day it was held, never ahead of it; it rates at least one of the
competencies the person's position requires (only those enter the TNA), each 1–5.

The coaching credit: one ``JpCredit`` (source coaching) per person and calendar year, JP = the
year's conversation minutes // ``LATIH_JP_MINUTES`` (45), rewritten whole on every change, so it
always matches the conversations; it counts towards the yearly JP minimum and goes to the national
record like any completed training.
"""

from collections import Counter

from django.conf import settings as django_settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tna.conf import settings as tna_settings
from tna.models import Employee

from ..models.ledger import CreditSource, JpCredit
from ..models.mentoring import CoachingConversation, CoachingRating
from ..selectors.coaching import agency_today, required_competencies
from .mentoring_credit import credit_write

#: The development route of coaching (PerLAN 10/2018; ``lms.national.ROUTE_NAMES``).
ROUTE = "NKL01"
#: Days after the conversation within which its supervisor records, changes or deletes it: long enough
#: to catch up after leave, short enough that a year's TNA evidence and JP stop moving early in the next.
RECORD_WINDOW_DAYS = 60
MIN_MINUTES, MAX_MINUTES = 5, 480
TOPIC_LENGTH, ACTIONS_LENGTH = 200, 3000


def may_coach(coach, employee):
    """True when ``coach`` is active ``employee``'s direct supervisor."""
    return coach is not None and employee.active and employee.supervisor_id == coach.pk and coach.pk != employee.pk


def in_window(held_on, agency):
    """True when a conversation held on ``held_on`` may still be recorded, changed or deleted."""
    today = agency_today(agency)
    return (today - held_on).days <= RECORD_WINDOW_DAYS and held_on <= today


def _levels(ratings, employee):
    """``ratings`` ({Competency or id: level}) as {competency id: level}, and what is wrong with them ("" if nothing)."""
    levels = {}
    for competency, level in (ratings or {}).items():
        if isinstance(level, str) and level.strip().isdigit():
            level = int(level)
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            return levels, _("Each level is a whole number from 1 to 5.")
        levels[int(getattr(competency, "pk", competency))] = level
    if not levels:
        return levels, _("Rate at least one competency you discussed.")
    if set(levels) - set(required_competencies(employee).values_list("pk", flat=True)):
        return levels, _("Only the competencies %(name)s's position requires can be rated.") % {"name": employee.name}
    return levels, ""


def _checked(*, employee, held_on, minutes, topic, agreed_actions, ratings):
    """(topic, agreed actions, levels) cleaned; every problem at once as a ValidationError keyed by field."""
    errors = {}
    today = agency_today(employee.agency)
    if held_on is None:
        errors["held_on"] = _("Give the date of the conversation.")
    elif held_on > today:
        errors["held_on"] = _("The conversation cannot be in the future.")
    elif (today - held_on).days > RECORD_WINDOW_DAYS:
        errors["held_on"] = _("Conversations can be recorded up to %(days)d days after they were held.") % {
            "days": RECORD_WINDOW_DAYS}
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("The duration is a whole number of minutes from %(low)d to %(high)d.") % {
            "low": MIN_MINUTES, "high": MAX_MINUTES}
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = _("Give the topic of the conversation.")
    elif len(topic) > TOPIC_LENGTH:
        errors["topic"] = _("The topic is at most %(n)d characters.") % {"n": TOPIC_LENGTH}
    agreed_actions = (agreed_actions or "").strip()
    if len(agreed_actions) > ACTIONS_LENGTH:
        errors["agreed_actions"] = _("The agreed actions are at most %(n)d characters.") % {"n": ACTIONS_LENGTH}
    levels, problem = _levels(ratings, employee)
    if problem:
        errors[NON_FIELD_ERRORS] = problem
    if errors:
        raise ValidationError(errors)
    return topic, agreed_actions, levels


def coaching_save(*, coach, employee, held_on, minutes, topic, agreed_actions="", ratings, conversation=None):
    """Record a coaching conversation (or change ``conversation``) and refresh the person's coaching credit.

    ``ratings`` maps each competency discussed (a Competency or its id) to the level 1–5 the coach
    sees; competencies left out are not rated (on a change, their earlier levels go). Returns the
    saved ``CoachingConversation``. Raises PermissionDenied unless ``coach`` is the person's direct
    supervisor (and, for a change, the one who recorded it), and ValidationError keyed by field
    (held_on, minutes, topic, agreed_actions; the ratings' problems as non-field errors).
    """
    if not may_coach(coach, employee):
        raise PermissionDenied(_("Only %(name)s's direct supervisor can record their coaching.") % {
            "name": employee.name})
    if conversation is not None:
        if conversation.coach_id != coach.pk or conversation.employee_id != employee.pk:
            raise PermissionDenied(_("Only the supervisor who recorded a coaching conversation can change it."))
        if not in_window(conversation.held_on, employee.agency):
            raise ValidationError(_("This conversation was held more than %(days)d days ago; it can no longer "
                                    "be changed.") % {"days": RECORD_WINDOW_DAYS})
    topic, agreed_actions, levels = _checked(employee=employee, held_on=held_on, minutes=minutes, topic=topic,
                                             agreed_actions=agreed_actions, ratings=ratings)
    with transaction.atomic():
        # The person first, as every write about them does; then their conversation.
        list(Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk"))
        years = {held_on.year}
        if conversation is None:
            conversation = CoachingConversation(employee=employee, coach=coach)
        else:
            conversation = CoachingConversation.objects.select_for_update().get(pk=conversation.pk)
            years.add(conversation.held_on.year)
        conversation.held_on, conversation.minutes = held_on, minutes
        conversation.topic, conversation.agreed_actions = topic, agreed_actions
        conversation.save()
        CoachingRating.objects.filter(conversation=conversation).delete()
        CoachingRating.objects.bulk_create([
            CoachingRating(conversation=conversation, competency_id=competency, level=level)
            for competency, level in sorted(levels.items())
        ])
        for year in sorted(years):
            coaching_credit_refresh(employee=employee, year=year)
    return conversation


def coaching_delete(*, conversation, by):
    """Delete ``conversation`` and refresh the person's credit: only its coach ``by``, while still the person's
    direct supervisor (as for a change) and within the window."""
    employee = Employee.objects.select_related("agency").get(pk=conversation.employee_id)
    if by is None or conversation.coach_id != by.pk or not may_coach(by, employee):
        raise PermissionDenied(_("Only the supervisor who recorded a coaching conversation can delete it."))
    if not in_window(conversation.held_on, employee.agency):
        raise ValidationError(_("This conversation was held more than %(days)d days ago; it can no longer "
                                "be deleted.") % {"days": RECORD_WINDOW_DAYS})
    with transaction.atomic():
        list(Employee.objects.select_for_update().filter(pk=employee.pk).values_list("pk"))
        year = conversation.held_on.year
        CoachingConversation.objects.filter(pk=conversation.pk).delete()
        coaching_credit_refresh(employee=employee, year=year)


def _title():
    """The stored title, in the site's default language like every stored record."""
    with translation.override(django_settings.LANGUAGE_CODE):
        return _("Coaching")


def coaching_credit_refresh(*, employee, year):
    """Write ``employee``'s coaching credit of ``year`` from that year's conversations; returns it, or None.

    JP = the year's minutes // ``LATIH_JP_MINUTES``; route NKL01, the agency as provider, the first
    and last conversation as start and end, the competency type most rated that year. Created at
    1 JP, updated as conversations change, deleted when they no longer add up to one JP.
    """
    with transaction.atomic():
        employee = Employee.objects.select_related("agency").get(pk=employee.pk)
        conversations = CoachingConversation.objects.filter(employee=employee, held_on__year=year)
        held = list(conversations.order_by("held_on", "pk").values_list("held_on", "minutes"))
        jp = sum(minutes for _day, minutes in held) // tna_settings.JP_MINUTES
        credit = JpCredit.objects.select_for_update().filter(
            employee=employee, source=CreditSource.COACHING, year=year).first()
        if jp < 1:
            if credit is not None:
                credit.delete()
            return None
        groups = Counter(CoachingRating.objects.filter(conversation__in=conversations)
                         .order_by("conversation__held_on", "pk").values_list("competency__group", flat=True))
        values = {
            "jp": jp, "title": _title(), "route": ROUTE, "provider": employee.agency.name[:200],
            "competency_type": groups.most_common(1)[0][0] if groups else "", "start_date": held[0][0],
            "end_date": held[-1][0],
        }
        return credit_write(credit, values, employee=employee, source=CreditSource.COACHING, year=year)
