"""Reads for talent management: the competency standard of each job level, per agency.

The pure parts of ``tna.talent`` (boxes, ladders, the grid) take what these return.
"""

import pandas as pd

from ..conf import settings
from ..grades import JobType
from ..models import Competency, RequiredLevel, TalentPlacement

STANDARD_COLUMNS = ["agency_id", "job_type", "competency_id", "required"]


def level_standards(agency_ids):
    """The standard each job level asks in each agency, as a frame of ``STANDARD_COLUMNS``.

    A job level's standard in an agency is the median required level, per competency, over the
    agency's positions of that job type (rounded half up). Where the agency has no position of a
    job type, the competencies that apply to every position take the job type's default level
    (``LATIH_DEFAULT_REQUIRED_LEVELS``), so a person's next step always has a standard.
    """
    agency_ids = list(agency_ids)
    rows = pd.DataFrame.from_records(
        RequiredLevel.objects.filter(position__agency_id__in=agency_ids).values_list(
            "position__agency_id", "position__job_type", "competency_id", "level"),
        columns=["agency_id", "job_type", "competency_id", "level"],
    )
    explicit = (rows.groupby(["agency_id", "job_type", "competency_id"], sort=False)["level"].median()
                .add(0.5).floordiv(1).astype(int).rename("required").reset_index())
    general = list(Competency.objects.filter(applies_to_all=True, active=True).values_list("pk", flat=True))
    have = set(zip(explicit["agency_id"], explicit["job_type"], strict=True))
    defaults = [
        (agency_id, job_type, competency_id, settings.DEFAULT_REQUIRED_LEVELS.get(job_type, 1))
        for agency_id in agency_ids for job_type in JobType.values if (agency_id, job_type) not in have
        for competency_id in general
    ]
    frame = pd.concat([explicit, pd.DataFrame(defaults, columns=STANDARD_COLUMNS)], ignore_index=True)
    return frame[STANDARD_COLUMNS].astype({"agency_id": "int64", "competency_id": "int64", "required": "int64"})


def standard_of(agency_id, job_type):
    """{competency id: required level} of ``job_type`` in one agency."""
    frame = level_standards([agency_id])
    frame = frame[frame["job_type"] == job_type]
    return dict(zip(frame["competency_id"].tolist(), frame["required"].tolist(), strict=True))


def placements_of(cycle, agency):
    """The 9-box placements of ``cycle`` in ``agency``, highest box first, with each person's
    employee and unit fetched."""
    return (TalentPlacement.objects.filter(cycle=cycle, agency=agency)
            .select_related("employee", "unit").order_by("-box", "employee__name", "employee__nip"))
