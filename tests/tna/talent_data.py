"""A small, known world of 9-box placements in two agencies, shared by the talent page and API tests."""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from tna import factories
from tna.models import Cycle, TalentPlacement
from tna.talent.boxes import AXES

PLACED_AT = timezone.make_aware(datetime.datetime(2026, 11, 2, 9, 30))


def reason_for(box, competency_id):
    """A reason shaped like ``tna.talent.grid``'s for a person in ``box`` decided by the profile."""
    performance, potential = AXES[box]
    return {
        "performance": {
            "appraisals": [{"year": 2026, "predikat": "Baik", "score": 2, "weight": 0.6},
                           {"year": 2025, "predikat": "Sangat Baik", "score": 3, "weight": 0.4}],
            "score": 2.4, "level": performance, "above_from": 2.5, "below_under": 1.5,
        },
        "potential": {
            "decided_by": "profile", "level": potential, "reference_job_type": "administrator", "compared": 8,
            "min_compared": 3, "shortfall": 0.5,
            "largest": [{"competency": competency_id, "required": 4, "observed": 2.5, "shortfall": 1.5}],
            "high_at_most": 0.25, "medium_at_most": 0.75, "jpm": None, "jpm_high_from": 90, "jpm_medium_from": 78,
        },
        "box": box,
    }


def place(employee, cycle, box, *, computed_box=None, job_type=None, moved_by=None, move_reason="", reason=None):
    """A placement of ``employee`` in ``box``; moved in calibration from ``computed_box`` when that differs."""
    computed = computed_box or box
    performance, potential = AXES[computed]
    moved = box != computed
    return TalentPlacement.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit,
        job_type=job_type or employee.position.job_type, performance=performance, potential=potential,
        computed_box=computed, box=box, performance_score=2.4, potential_score=0.5,
        reason=reason if reason is not None else {}, computed_at=PLACED_AT,
        moved_by=moved_by if moved else None, moved_at=PLACED_AT if moved else None,
        move_reason=move_reason if moved else "",
    )


def build_talent_world():
    """Agency A (two units; HR, the talent committee, a supervisor, a planner, an ASN) and agency B.

    2026 placements in A (box, unit, job type):
        Ani Sembilan 9 school pelaksana; Budi Sembilan 9 school administrator;
        Cici Delapan 8 health pelaksana; Dodi Lima 5 health pelaksana;
        Eka Satu 1 school pelaksana; Fani Kalibrasi 9 health pelaksana, moved from 7 by the committee;
        the ASN (Gita Asn) 5, the supervisor (Hadi Atasan) 6, the planner (Intan Perencana) 2.
    2025: Ani Sembilan 8. Agency B: Bima Beta 9 in 2026.
    """
    agency_a = factories.AgencyFactory(code="kab-a", name="Kabupaten Alpha")
    agency_b = factories.AgencyFactory(code="kab-b", name="Kabupaten Beta")
    school = factories.UnitFactory(agency=agency_a, code="disdik", name="Dinas Pendidikan")
    health = factories.UnitFactory(agency=agency_a, code="dinkes", name="Dinas Kesehatan")
    unit_b = factories.UnitFactory(agency=agency_b, code="bappeda", name="Bappeda Beta")
    staff_post = factories.PositionFactory(agency=agency_a, name="Pengadministrasi Umum", job_type="pelaksana")
    head_post = factories.PositionFactory(agency=agency_a, name="Kepala Bidang", job_type="administrator")
    competency = factories.CompetencyFactory(code="M.01", name="Integritas", name_en="Integrity", group="managerial")

    def person(name, unit, position=staff_post, roles=(), agency=agency_a):
        return factories.EmployeeFactory(name=name, agency=agency, unit=unit, position=position, roles=list(roles))

    admin = person("Adi Admin", health, roles=["training_admin"])
    committee = person("Kiki Komite", health, roles=["talent_committee"])
    supervisor = person("Hadi Atasan", school, roles=["supervisor"])
    asn = person("Gita Asn", school)
    asn.supervisor = supervisor
    asn.save()
    planner = person("Intan Perencana", health, roles=["planner"])
    ani = person("Ani Sembilan", school)
    budi = person("Budi Sembilan", school, position=head_post)
    cici = person("Cici Delapan", health)
    dodi = person("Dodi Lima", health)
    eka = person("Eka Satu", school)
    fani = person("Fani Kalibrasi", health)
    b_post = factories.PositionFactory(agency=agency_b, job_type="pelaksana")
    b_person = person("Bima Beta", unit_b, position=b_post, agency=agency_b)
    b_admin = person("Bunga Admin", unit_b, position=b_post, agency=agency_b, roles=["training_admin"])
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    old = Cycle.objects.create(year=2025, is_open=False)
    cycle = Cycle.objects.create(year=2026)
    reason = reason_for(9, competency.pk)
    placements = SimpleNamespace(
        ani=place(ani, cycle, 9, reason=reason),
        ani_old=place(ani, old, 8),
        budi=place(budi, cycle, 9),
        cici=place(cici, cycle, 8),
        dodi=place(dodi, cycle, 5),
        eka=place(eka, cycle, 1),
        fani=place(fani, cycle, 9, computed_box=7, moved_by=committee.user,
                   move_reason="=Leads the flood-relief task force"),
        asn=place(asn, cycle, 5),
        supervisor=place(supervisor, cycle, 6),
        planner=place(planner, cycle, 2),
        b_person=place(b_person, cycle, 9),
    )
    return SimpleNamespace(**{k: v for k, v in locals().items() if k not in ("person",)})
