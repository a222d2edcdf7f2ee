"""Offering to mentor (only at the programme's lowest level or above, as the matcher requires) and withdrawing;
applying for a mentor and withdrawing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lms.models import MentoringApplication, MentoringPair, MentorOffer
from lms.services.mentoring_people import (
    application_create,
    application_withdraw,
    offer_opt_in,
    offer_withdraw,
)

from .conftest import make_pair, today

pytestmark = pytest.mark.django_db


def messages_of(error):
    return " ".join(error.value.messages)


def test_a_mentor_at_the_programme_level_offers_themselves(scene):
    offer, action = offer_opt_in(programme=scene["programme"], mentor=scene["mentor"], competencies=[scene["data"]],
                                 capacity=3)
    assert action == "create"
    assert (offer.source, offer.capacity) == ("opt_in", 3)
    assert list(offer.competencies.values_list("code", flat=True)) == ["TK.71"]

    # Changing it keeps one offer.
    _offer, action = offer_opt_in(programme=scene["programme"], mentor=scene["mentor"],
                                  competencies=[scene["data"]], capacity=1)
    assert action == "update" and MentorOffer.objects.get().capacity == 1


def test_an_offer_below_the_lowest_level_names_the_competency_and_the_level(scene):
    with pytest.raises(ValidationError) as error:
        offer_opt_in(programme=scene["programme"], mentor=scene["mentor"],
                     competencies=[scene["data"], scene["writing"]], capacity=2)
    text = messages_of(error)
    assert "TK.72 Drafting" in text and "3.2" in text and "level 4" in text and "2026" in text
    assert "TK.71" not in text
    assert not MentorOffer.objects.exists()


def test_an_offer_without_a_tna_result_says_so(scene):
    with pytest.raises(ValidationError) as error:
        offer_opt_in(programme=scene["programme"], mentor=scene["hr"], competencies=[scene["data"]], capacity=2)
    assert "has no observed level of yours" in messages_of(error)


def test_offer_problems_still_apply(scene):
    with pytest.raises(ValidationError) as error:
        offer_opt_in(programme=scene["programme"], mentor=scene["stranger"], competencies=[scene["data"]],
                     capacity=2)
    assert "must work in the programme's agency" in messages_of(error)
    with pytest.raises(ValidationError) as error:
        offer_opt_in(programme=scene["programme"], mentor=scene["mentor"], competencies=[scene["data"]], capacity=99)
    assert "from 0 to 50" in messages_of(error)


def test_no_offer_in_an_ended_programme(scene):
    programme = scene["programme"]
    programme.starts_on, programme.ends_on = today() - datetime.timedelta(days=90), today() - datetime.timedelta(days=1)
    programme.save()
    with pytest.raises(ValidationError) as error:
        offer_opt_in(programme=programme, mentor=scene["mentor"], competencies=[scene["data"]], capacity=2)
    assert "ended on" in messages_of(error)


def test_withdrawing_an_offer_removes_unlocked_proposals_and_is_refused_while_mentoring(scene):
    offer, _ = offer_opt_in(programme=scene["programme"], mentor=scene["mentor"], competencies=[scene["data"]],
                            capacity=2)
    active = make_pair(scene, status="active")
    with pytest.raises(ValidationError) as error:
        offer_withdraw(offer=offer)
    assert "close your active pairs" in messages_of(error)

    active.delete()
    locked = make_pair(scene, status="proposed", locked=True)
    with pytest.raises(ValidationError) as error:
        offer_withdraw(offer=offer)
    assert "ask HR to release it" in messages_of(error)

    locked.delete()
    make_pair(scene, status="proposed")
    make_pair(scene, status="proposed", mentee=scene["colleague"])
    assert offer_withdraw(offer=offer) == 2
    assert not MentorOffer.objects.exists() and not MentoringPair.objects.exists()


def test_applying_for_a_mentor_once_per_competency(scene):
    application = application_create(programme=scene["programme"], employee=scene["colleague"],
                                     competency=scene["writing"], note="  Menulis nota dinas  ")
    assert (application.status, application.note) == ("open", "Menulis nota dinas")
    with pytest.raises(ValidationError) as error:
        application_create(programme=scene["programme"], employee=scene["colleague"], competency=scene["writing"])
    assert "already applied" in messages_of(error)

    application_withdraw(application=application)
    application.refresh_from_db()
    assert application.status == "withdrawn"
    # Applying again reopens the same row (one per programme, person and competency).
    again = application_create(programme=scene["programme"], employee=scene["colleague"],
                               competency=scene["writing"], note="lagi")
    assert again.pk == application.pk and again.status == "open" and again.note == "lagi"
    assert MentoringApplication.objects.count() == 1


def test_applications_refused_outside_the_programme(scene, django_user_model):
    from tna.factories import CompetencyFactory

    other = CompetencyFactory(code="TK.99")
    with pytest.raises(ValidationError) as error:
        application_create(programme=scene["programme"], employee=scene["mentee"], competency=other)
    assert "TK.99 is not a competency of this programme" in messages_of(error)

    with pytest.raises(ValidationError) as error:
        application_create(programme=scene["programme"], employee=scene["stranger"], competency=scene["data"])
    assert "Only active staff of the programme's agency" in messages_of(error)

    make_pair(scene, status="proposed")
    with pytest.raises(ValidationError) as error:
        application_create(programme=scene["programme"], employee=scene["mentee"], competency=scene["data"])
    assert "already have a mentor for TK.71" in messages_of(error)
    # Another competency of the same programme is still open to them.
    assert application_create(programme=scene["programme"], employee=scene["mentee"], competency=scene["writing"])

    programme = scene["programme"]
    programme.ends_on = today() - datetime.timedelta(days=1)
    programme.save()
    with pytest.raises(ValidationError) as error:
        application_create(programme=programme, employee=scene["colleague"], competency=scene["data"])
    assert "ended on" in messages_of(error)


def test_withdrawing_an_application_drops_its_unlocked_proposal_but_not_a_matched_one(scene):
    application = application_create(programme=scene["programme"], employee=scene["colleague"],
                                     competency=scene["data"])
    make_pair(scene, status="proposed", mentee=scene["colleague"])
    application_withdraw(application=application)
    assert not MentoringPair.objects.filter(mentee=scene["colleague"]).exists()

    application.status = "matched"
    application.save()
    with pytest.raises(ValidationError) as error:
        application_withdraw(application=application)
    assert "ask HR" in messages_of(error)
