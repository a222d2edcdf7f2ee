"""A small, known world of two agencies with gap results, shared by the gap view, API and privacy tests."""

from types import SimpleNamespace

from tna import factories
from tna.models import CompetencyGap, CompetencyLevel, Cycle


def reason_for(required, observed, *, raters=None, priority_parts=None, signals=(), **extra):
    """A reason dict shaped like the engine's (see reason-contract.md)."""
    gap = max(required - observed, 0) if observed is not None else 0
    return {
        "required": required,
        "observed": observed,
        "gap": round(gap, 2),
        "confidence": 0.7 if observed is not None else 0,
        "no_evidence": observed is None,
        "raters": raters or {},
        "leniency_correction": 0.0,
        "priority_parts": priority_parts or {},
        "signals": list(signals),
        **extra,
    }


def make_gap(employee, competency, cycle, *, required, observed, priority=0.0, confidence=None, **reason):
    """One CompetencyGap row for ``employee`` with a contract-shaped reason."""
    gap = max(required - observed, 0) if observed is not None else 0
    return CompetencyGap.objects.create(
        cycle=cycle, employee=employee, agency_id=employee.agency_id, unit_id=employee.unit_id,
        competency=competency, required_level=required, observed_level=observed,
        confidence=confidence if confidence is not None else (0.7 if observed is not None else 0),
        gap=round(gap, 2), priority=priority if observed is not None else 0,
        reason=reason_for(required, observed, **reason),
    )


def build_world():
    """Agency A (two units, a supervisor chain, HR staff) and agency B, with 2025 and 2026 results.

    Gaps in 2026 (required → observed):
        staff:      M.01 3 → 2.1 (priority 70, supervisor 1, peers 2 and a subordinate pooled, self),
                    M.02 3 → no ratings yet, TK.01 2 → 2.5
        head:       M.01 4 → 3.0 (priority 40)
        deputy:     M.01 3 → 1.5 (priority 60), reports to staff (indirect report of head)
        colleague:  M.01 3 → 3.0, in the other unit, outside head's chain
        b_person:   M.01 2 → 1.0 in agency B
    """
    agency_a = factories.AgencyFactory(code="kab-a", name="Kabupaten Alpha")
    agency_b = factories.AgencyFactory(code="kab-b", name="Kabupaten Beta")
    school = factories.UnitFactory(agency=agency_a, code="disdik", name="Dinas Pendidikan")
    health = factories.UnitFactory(agency=agency_a, code="dinkes", name="Dinas Kesehatan")
    unit_b = factories.UnitFactory(agency=agency_b, code="bappeda", name="Bappeda Beta")
    m01 = factories.CompetencyFactory(code="M.01", name="Integritas", name_en="Integrity", group="managerial", sort_order=1)
    m02 = factories.CompetencyFactory(code="M.02", name="Kerjasama", name_en="Cooperation", group="managerial", sort_order=2)
    tk01 = factories.CompetencyFactory(code="TK.01", name="Literasi Digital", name_en="Digital literacy", group="technical", sort_order=20)
    CompetencyLevel.objects.create(
        competency=m01, level=3, descriptor="Menciptakan situasi kerja yang membuat unit taat pada nilai.",
        descriptor_en="Creates a working climate in which the unit keeps to its values.",
    )
    head = factories.EmployeeFactory(agency=agency_a, unit=school, name="Hana Kepala", roles=["supervisor"])
    staff = factories.EmployeeFactory(agency=agency_a, unit=school, name="Sari Staf", supervisor=head, roles=["supervisor"])
    deputy = factories.EmployeeFactory(agency=agency_a, unit=school, name="Dedi Bawahan", supervisor=staff)
    colleague = factories.EmployeeFactory(agency=agency_a, unit=health, name="Citra Rekan")
    planner = factories.EmployeeFactory(agency=agency_a, unit=health, name="Putri Perencana", roles=["planner"])
    admin = factories.EmployeeFactory(agency=agency_a, unit=health, name="Adi Admin", roles=["training_admin"])
    b_person = factories.EmployeeFactory(agency=agency_b, unit=unit_b, name="Bima Beta")
    b_planner = factories.EmployeeFactory(agency=agency_b, unit=unit_b, name="Bunga Perencana", roles=["planner"])
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    old = Cycle.objects.create(year=2025, is_open=False)
    cycle = Cycle.objects.create(year=2026)
    # As the analysis leaves them (tna.analysis.anonymity): two peers and one subordinate count
    # only as one pool of three, sharing their roles' weight by rater count.
    staff_raters = {
        "supervisor": {"n": 1, "mean": 1.6, "weight": 0.4},
        "peer": {"n": 2, "mean": 2.5, "weight": 0.3},
        "subordinate": {"n": 1, "mean": 2.2, "weight": 0.15},
        "self": {"n": 1, "mean": 3.0, "weight": 0.15},
    }
    make_gap(
        staff, m01, cycle, required=3, observed=2.1, priority=70,
        raters=staff_raters, signals=["behaviour_below", "survey_priority_3"], survey_priority=3,
        appraisal={"results": "meets", "behaviour": "below", "predikat": "Kurang"},
        priority_parts={"gap": 45.0, "weight": 0, "appraisal": 10.0, "survey": 15.0, "ikm": 0},
    )
    make_gap(staff, m02, cycle, required=3, observed=None)
    make_gap(staff, tk01, cycle, required=2, observed=2.5, raters={"self": {"n": 1, "mean": 2.5, "weight": 1.0}})
    make_gap(staff, m01, old, required=3, observed=1.4, priority=80)
    make_gap(head, m01, cycle, required=4, observed=3.0, priority=40)
    make_gap(deputy, m01, cycle, required=3, observed=1.5, priority=60)
    make_gap(colleague, m01, cycle, required=3, observed=3.0)
    make_gap(b_person, m01, cycle, required=2, observed=1.0, priority=55)
    return SimpleNamespace(**locals())
