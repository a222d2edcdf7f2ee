"""Mentors' offers: the one write path of a ``MentorOffer`` (the site's opt-in, HR's nomination, the import).

``mentor_offer_save`` creates or updates the offer of one mentor in one programme; the mentors
import (``lms.services.mentor_import``) writes a whole file in bulk to the same end state.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models.mentoring import MentorOffer

CAPACITY_MAX = 50  # as the model's check constraint


def offer_problems(*, programme, mentor, competency_ids, capacity):
    """What is wrong with an offer, by field (empty when nothing is)."""
    problems = {}
    if mentor.agency_id != programme.agency_id:
        problems["mentor"] = _("A mentor must work in the programme's agency.")
    elif not mentor.active:
        problems["mentor"] = _("This employee is no longer active.")
    if capacity is None or not 0 <= capacity <= CAPACITY_MAX:
        problems["capacity"] = _("Must be a whole number from %(low)d to %(high)d.") % {"low": 0, "high": CAPACITY_MAX}
    if not competency_ids:
        problems["competencies"] = _("Name at least one competency of the programme.")
    elif not set(competency_ids) <= set(programme.competencies.values_list("pk", flat=True)):
        problems["competencies"] = _("A mentor may only offer competencies of the programme.")
    return problems


@transaction.atomic
def mentor_offer_save(*, programme, mentor, competencies, capacity, source):
    """Create or update ``mentor``'s offer in ``programme`` and return ``(offer, action)``.

    ``competencies`` are ``Competency`` instances or keys, replacing those stored; they must be
    competencies of the programme. ``capacity`` is how many mentees at once (0–50; None means the
    programme's ``default_capacity``); ``source`` (a ``MentorOffer.Source``) records who made the
    offer last. ``action`` is ``create``, ``update`` or ``unchanged``. Raises ``ValidationError``
    (a dict by field) when the mentor is not an active employee of the programme's agency, the
    capacity is out of range or a competency is not the programme's.
    """
    if capacity is None:
        capacity = programme.default_capacity
    ids = sorted({getattr(c, "pk", c) for c in competencies or ()})
    problems = offer_problems(programme=programme, mentor=mentor, competency_ids=ids, capacity=capacity)
    if problems:
        raise ValidationError(problems)
    offer = MentorOffer.objects.select_for_update().filter(programme=programme, mentor=mentor).first()
    if offer is None:
        offer = MentorOffer.objects.create(programme=programme, mentor=mentor, capacity=capacity, source=source)
        offer.competencies.set(ids)
        return offer, "create"
    stored = sorted(offer.competencies.values_list("pk", flat=True))
    if (offer.capacity, offer.source, stored) == (capacity, source, ids):
        return offer, "unchanged"
    offer.capacity, offer.source = capacity, source
    offer.save(update_fields=["capacity", "source"])
    if stored != ids:
        offer.competencies.set(ids)
    return offer, "update"
