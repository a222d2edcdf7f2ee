"""Required levels per position: job-type defaults and explicit standards."""

from django.db import transaction

from ..conf import settings
from ..models import Competency, Position, RequiredLevel


def default_level(job_type):
    """The default required level for competencies that apply to every position."""
    return settings.DEFAULT_REQUIRED_LEVELS.get(job_type, 1)


@transaction.atomic
def required_levels_apply_defaults(*, positions=None, overwrite=False):
    """Give each position a required level for every competency that applies to all positions.

    Levels set explicitly (``is_default=False``) are kept; default rows are refreshed from the
    job type when ``overwrite`` is true (e.g. after a job type changed). Returns the rows created.
    """
    positions = list(Position.objects.all() if positions is None else positions)
    competencies = list(Competency.objects.filter(applies_to_all=True, active=True).values_list("pk", flat=True))
    existing = {
        (r.position_id, r.competency_id): r
        for r in RequiredLevel.objects.filter(position__in=positions, competency__in=competencies)
    }
    to_create, to_update = [], []
    for position in positions:
        level = default_level(position.job_type)
        for competency_id in competencies:
            row = existing.get((position.pk, competency_id))
            if row is None:
                to_create.append(RequiredLevel(position=position, competency_id=competency_id, level=level, is_default=True))
            elif overwrite and row.is_default and row.level != level:
                row.level = level
                to_update.append(row)
    RequiredLevel.objects.bulk_create(to_create, batch_size=2000)
    RequiredLevel.objects.bulk_update(to_update, ["level"], batch_size=2000)
    return len(to_create)
