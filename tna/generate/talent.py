"""Synthetic talent evidence for a demo agency: time in grade, key positions, assessment-centre
results and project assignments, so the 9-box, the career page and succession have material."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import transaction
from django.db.models import Avg

from ..models import (
    AssessmentResult,
    Assignment,
    Competency,
    CompetencyGap,
    Cycle,
    Employee,
    Position,
    TalentPolicy,
)

# Project teams a regional government forms (title, competency codes).
PROJECTS = [
    ("Tim Percepatan Penurunan Stunting", ["M.02", "M.05"]),
    ("Tim Koordinasi SPBE", ["M.07", "TK.01"]),
    ("Tim Penyusun RKPD", ["M.04", "M.08"]),
    ("Tim Inovasi Pelayanan Publik", ["M.05", "M.07"]),
    ("Satuan Tugas Reformasi Birokrasi", ["M.01", "M.07"]),
    ("Panitia Seleksi Terbuka JPT Pratama", ["M.01", "M.08"]),
    ("Tim Penanganan Pengaduan Masyarakat", ["M.03", "M.05"]),
    ("Tim Evaluasi SAKIP", ["M.04", "M.08"]),
]
ROLES = ["lead", "secretary", "member", "member", "member", "adviser"]
KEY_JOB_TYPES = ("jpt_pratama", "administrator", "pengawas")
ASSESSED_JOB_TYPES = ("pengawas", "administrator", "ahli_muda", "ahli_madya")


@dataclass
class TalentEvidence:
    grade_dates: int = 0
    key_positions: int = 0
    assessments: int = 0
    assignments: int = 0


@transaction.atomic
def generate_talent_evidence(*, agency, cycle, seed=0, leadership_priority=None):
    """Fill in what is missing at ``agency``: grade dates, key positions, assessments, assignments.

    Idempotent: what is there already is kept, so a second demo run changes nothing.
    """
    rng = np.random.default_rng(seed + 16)
    made = TalentEvidence()
    today = date(cycle.year, 12, 1)

    staff = list(Employee.objects.filter(agency=agency, active=True, grade_since__isnull=True).only("pk"))
    for employee in staff:
        employee.grade_since = today - timedelta(days=int(rng.integers(90, 6 * 365)))
    Employee.objects.bulk_update(staff, ["grade_since"], batch_size=2000)
    made.grade_dates = len(staff)

    if not Position.objects.filter(agency=agency, is_key=True).exists():
        keys = []
        for job_type, count in zip(KEY_JOB_TYPES, (2, 3, 3), strict=True):
            keys += list(Position.objects.filter(agency=agency, job_type=job_type, employees__isnull=False)
                         .distinct().order_by("code").values_list("pk", flat=True)[:count])
        made.key_positions = Position.objects.filter(pk__in=keys).update(is_key=True)

    if not AssessmentResult.objects.filter(cycle=cycle, employee__agency=agency).exists():
        # An assessment centre sees roughly what the ratings see: the job-person match follows the
        # person's observed levels against their position's, with the centre's own noise.
        profile = (CompetencyGap.objects.filter(cycle=cycle, agency=agency, observed_level__isnull=False,
                                                employee__position__job_type__in=ASSESSED_JOB_TYPES)
                   .values("employee_id").annotate(observed=Avg("observed_level"), required=Avg("required_level"))
                   .order_by("employee_id").values_list("employee_id", "observed", "required"))
        chosen = [(pk, observed / required) for pk, observed, required in profile if rng.random() < 0.3]
        jpm = np.clip([100 * ratio + rng.normal(0, 4) for _pk, ratio in chosen], 50, 99).round(1)
        AssessmentResult.objects.bulk_create(
            AssessmentResult(cycle=cycle, employee_id=pk, jpm=float(score), assessed_on=today - timedelta(days=120),
                             assessor="UPT Penilaian Kompetensi BKN")
            for (pk, _ratio), score in zip(chosen, jpm, strict=True))
        made.assessments = len(chosen)

    if not Assignment.objects.filter(employee__agency=agency).exists():
        codes = {c.code: c for c in Competency.objects.filter(code__in={c for _t, cs in PROJECTS for c in cs})}
        previous = Cycle.objects.filter(year=cycle.year - 1).first()
        people = list(Employee.objects.filter(agency=agency, active=True).order_by("pk").values_list("pk", flat=True))
        rows, links = [], []
        for pk in people:
            if rng.random() >= 0.25:
                continue
            for _n in range(int(rng.integers(1, 3))):
                title, competencies = PROJECTS[int(rng.integers(len(PROJECTS)))]
                when = previous if previous and rng.random() < 0.4 else cycle
                start = date(when.year, int(rng.integers(1, 10)), 1)
                if any(r.employee_id == pk and r.title == title and r.start == start for r in rows[-2:]):
                    continue
                rows.append(Assignment(employee_id=pk, cycle=when, title=title, role=ROLES[int(rng.integers(len(ROLES)))],
                                       start=start, end=start + timedelta(days=int(rng.integers(60, 240)))))
                links.append([codes[c] for c in competencies if c in codes])
        Assignment.objects.bulk_create(rows, batch_size=2000)
        Through = Assignment.competencies.through
        Through.objects.bulk_create(
            [Through(assignment_id=row.pk, competency_id=c.pk) for row, cs in zip(rows, links, strict=True) for c in cs],
            batch_size=5000)
        made.assignments = len(rows)

    if leadership_priority is not None:
        TalentPolicy.objects.get_or_create(agency=agency, defaults={"leadership_priority": leadership_priority})
    return made
