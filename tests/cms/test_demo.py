"""``manage.py demo`` sets up a first look, twice over without change, and prints working logins."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page

from courses.models import Course, Session
from lms.models import Recommendation
from tna.models import Agency, Appraisal, CompetencyGap, Cycle, Employee, Rating, SurveyResponse, TnaRun

pytestmark = pytest.mark.django_db

COUNTED = [
    Agency, Employee, User, Rating, Appraisal, SurveyResponse, CompetencyGap, TnaRun, Course, Session, Page,
    Recommendation,
]


def demo(**options):
    out = StringIO()
    call_command("demo", employees=40, force=True, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED} | {
        "memberships": User.groups.through.objects.count(),
    }


def logins(output):
    """(username, password) pairs of the printed table."""
    return re.findall(r"\s{2}(\d{18}|admin)\s{2,}(\S+)\s{2,}", output)


def test_demo_twice_gives_the_same_state_and_working_logins():
    first_output = demo()
    first = counts()
    second_output = demo()

    assert counts() == first
    assert first["Agency"] == 5
    assert first["Employee"] == 40 + 4 * 20
    assert first["Rating"] > 0 and first["CompetencyGap"] > 0 and first["Course"] > 0 and first["Recommendation"] > 0
    cycle = Cycle.objects.get()
    assert cycle.is_open

    printed = logins(second_output)
    assert printed == logins(first_output)
    assert len(printed) == 5
    usernames = [username for username, _password in printed]
    for username, password in printed:
        assert authenticate(username=username, password=password) is not None, username
    assert User.objects.get(username="admin").is_superuser

    learner, supervisor, training_admin, planner = (Employee.objects.get(nip=nip) for nip in usernames[1:])
    assert {e.agency.code for e in (learner, supervisor, training_admin, planner)} == {"lampung-selatan"}
    assert learner.supervisor == supervisor
    assert CompetencyGap.objects.filter(employee=learner, cycle=cycle, gap__gt=0).exists()
    assert supervisor.user.groups.filter(name="supervisor").exists()
    assert training_admin.user.groups.filter(name="training_admin").exists()
    assert planner.user.groups.filter(name="planner").exists()
    # Only the demo people can log in; everyone else has an unusable password.
    assert User.objects.filter(employee__isnull=False).exclude(password__startswith="!").count() == 4
    assert Group.objects.get(name="asn").user_set.count() == Employee.objects.count()


def test_demo_refuses_to_set_known_passwords_without_debug():
    with pytest.raises(CommandError, match="--force"):
        call_command("demo", employees=40, stdout=StringIO())
    assert not Employee.objects.exists()
