"""Required levels default from the job type and stay editable."""

import pytest

from tna.factories import CompetencyFactory, PositionFactory, RequiredLevelFactory
from tna.models import RequiredLevel
from tna.services.positions import required_levels_apply_defaults

pytestmark = pytest.mark.django_db


def test_defaults_follow_the_job_type_and_keep_explicit_levels():
    national = CompetencyFactory(code="M.01", group="managerial", applies_to_all=True)
    technical = CompetencyFactory(code="TK.09", applies_to_all=False)
    head = PositionFactory(job_type="jpt_pratama")
    clerk = PositionFactory(job_type="pelaksana")
    RequiredLevelFactory(position=clerk, competency=national, level=2)

    created = required_levels_apply_defaults()

    assert created == 1
    assert RequiredLevel.objects.get(position=head, competency=national).level == 4
    assert RequiredLevel.objects.get(position=clerk, competency=national).level == 2  # set by hand, kept
    assert not RequiredLevel.objects.filter(competency=technical).exists()


def test_changed_job_type_refreshes_default_rows_only_when_asked():
    national = CompetencyFactory(code="M.02", group="managerial", applies_to_all=True)
    position = PositionFactory(job_type="pelaksana")
    required_levels_apply_defaults()
    position.job_type = "administrator"
    position.save()

    required_levels_apply_defaults(positions=[position])
    assert RequiredLevel.objects.get(position=position, competency=national).level == 1
    required_levels_apply_defaults(positions=[position], overwrite=True)
    assert RequiredLevel.objects.get(position=position, competency=national).level == 3
