"""factory_boy factories for the catalogue, shipped with the package for tests of host projects."""

import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from tna.factories import AgencyFactory, CompetencyFactory

from . import models, services
from .recurrence import recurring_slots


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Provider

    name = factory.Sequence(lambda n: "Penyelenggara %d" % n)
    kind = "agency_unit"
    agency = factory.SubFactory(AgencyFactory)


class CourseFactory(factory.django.DjangoModelFactory):
    """A published course (``live=False`` for a draft) developing one competency at level 3."""

    class Meta:
        model = models.Course
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    provider = factory.SubFactory(ProviderFactory, agency=factory.SelfAttribute("..agency"))
    code = factory.Sequence(lambda n: "kursus-%d" % n)
    title = factory.Sequence(lambda n: "Kursus %d" % n)
    title_en = factory.Sequence(lambda n: "Course %d" % n)
    description = "Deskripsi kursus."
    description_en = "Course description."
    category = "it_digital"
    route = "KL10"
    mode = "classroom"
    jp = 16
    cost_per_participant = 1_250_000
    min_participants = 5
    max_participants = 30
    live = True
    first_published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        """``CourseFactory(competencies=[(competency, level), …])``; default one new competency at 3."""
        if not create:
            return
        targets = extracted if extracted is not None else [(CompetencyFactory(), 3)]
        for order, (competency, level) in enumerate(targets):
            models.CourseCompetency.objects.create(course=self, competency=competency, level=level, sort_order=order)
        if self.live:
            from modelsearch.index import insert_or_update_object

            insert_or_update_object(self)


def session_for(course, *, first_day=None, days=2, start="08:00", end="12:00", weekdays=(0, 1, 2, 3, 4),
                capacity=20, place="Aula BKPSDM", online_url="", **kwargs):
    """A session of ``course`` through ``courses.services`` (meetings on working days from ``first_day``)."""
    first_day = first_day or timezone.localdate() + datetime.timedelta(days=14)
    slots = recurring_slots(
        first_day=first_day, start=datetime.time.fromisoformat(start), end=datetime.time.fromisoformat(end),
        count=days, tz=ZoneInfo(course.agency.time_zone), weekdays=weekdays,
    )
    return services.session_create(
        course=course, meetings=slots, capacity=capacity, place=place, online_url=online_url, **kwargs
    )
