"""factory_boy factories for tna models, shipped with the package for tests of host projects."""

import datetime

import factory
from django.contrib.auth import get_user_model

from . import models
from .nip import format_nip


def nip_for(n, *, sex=1):
    """A valid, unique PNS NIP for sequence number ``n``."""
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=(n * 37) % 9000)
    start_year = birth.year + 22 + n % 10
    return format_nip(birth_date=birth, start_year=start_year, start_month=1 + n % 12, sex=sex, serial=1 + n % 999)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "agency-%d" % n)
    name = factory.Sequence(lambda n: "Kabupaten Contoh %d" % n)
    kind = "regency"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: "unit-%d" % n)
    name = factory.Sequence(lambda n: "Dinas Contoh %d" % n)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Position

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: "position-%d" % n)
    name = factory.Sequence(lambda n: "Analis %d" % n)
    job_type = "pelaksana"


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Competency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "TK.%02d" % (n + 50))
    name = factory.Sequence(lambda n: "Kompetensi %d" % n)
    name_en = factory.Sequence(lambda n: "Competency %d" % n)
    group = "technical"
    category = "it_digital"


class RequiredLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RequiredLevel

    position = factory.SubFactory(PositionFactory)
    competency = factory.SubFactory(CompetencyFactory)
    level = 3
    is_default = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: "user%d" % n)
    password = factory.django.Password("latih-test-pass")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Employee
        skip_postgeneration_save = True

    nip = factory.Sequence(nip_for)
    name = factory.Faker("name", locale="id_ID")
    agency = factory.SubFactory(AgencyFactory)
    unit = factory.SubFactory(UnitFactory, agency=factory.SelfAttribute("..agency"))
    position = factory.SubFactory(PositionFactory, agency=factory.SelfAttribute("..agency"))
    grade = "III/a"
    employment = "PNS"
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..nip"))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``EmployeeFactory(roles=["supervisor"])`` puts the user in those groups (asn always)."""
        if not create:
            return
        from django.contrib.auth.models import Group

        for name in ["asn", *(extracted or [])]:
            self.user.groups.add(Group.objects.get_or_create(name=name)[0])


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Cycle
        django_get_or_create = ("year",)

    year = 2026


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Rating

    cycle = factory.SubFactory(CycleFactory)
    ratee = factory.SubFactory(EmployeeFactory)
    rater = factory.SubFactory(EmployeeFactory, agency=factory.SelfAttribute("..ratee.agency"))
    rater_role = "peer"
    competency = factory.SubFactory(CompetencyFactory)
    level = 3


class AppraisalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Appraisal

    cycle = factory.SubFactory(CycleFactory)
    employee = factory.SubFactory(EmployeeFactory)
    results = "meets"
    behaviour = "meets"
