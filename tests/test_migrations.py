"""Every model change has its migration: a host site must not find pending changes in Latih's apps."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.conftest import TRANSACTIONAL


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    out = StringIO()
    try:
        call_command("makemigrations", "tna", "courses", "lms", "cms", check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail("Models changed without a migration:\n" + out.getvalue())


@TRANSACTIONAL
def test_results_stored_as_reason_documents_keep_their_reasons_after_the_upgrade():
    """0008 moves each gap's reason from a JSON document into typed columns without losing a number."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("tna", "0007_gap_unchecked_references")], [("tna", "0008_gap_reason_columns")]
    reason = {
        "required": 3, "observed": 2.1, "gap": 0.9, "no_evidence": False,
        "priority_parts": {"gap": 22.5, "weight": 3.33, "appraisal": 7.5, "survey": 10.0, "ikm": 0.0},
        "confidence": 0.62, "leniency_correction": -0.25,
        "raters": {"supervisor": {"n": 1, "mean": 2.0, "weight": 0.47}, "self": {"n": 1, "mean": 2.5, "weight": 0.18},
                   "peer": {"n": 3, "mean": 2.1, "weight": 0.29}, "subordinate": {"n": 1, "mean": 1.75, "weight": 0.06}},
        "signals": ["behaviour_below", "low_discipline", "survey_priority_2"], "survey_priority": 2,
        "training": {"n": 1, "level": 2, "weight": 0.14},
        "appraisal": {"results": "meets", "behaviour": "below", "predikat": "Kurang", "discipline": 2},
    }
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = MigrationExecutor(connection).loader.project_state(before).apps
    agency = old.get_model("tna", "Agency").objects.create(code="kab-lama", name="Kabupaten Lama")
    unit = old.get_model("tna", "Unit").objects.create(agency=agency, code="u", name="Unit")
    position = old.get_model("tna", "Position").objects.create(agency=agency, name="Analis", job_type="pengawas")
    user = old.get_model("auth", "User").objects.create(username="198503152010011001")
    employee = old.get_model("tna", "Employee").objects.create(
        user=user, agency=agency, unit=unit, position=position, nip="198503152010011001", name="Budi", grade="III/a")
    cycle = old.get_model("tna", "Cycle").objects.create(year=2025)
    competency = old.get_model("tna", "Competency").objects.create(code="M.01", name="Integritas", group="managerial", category="other")
    old.get_model("tna", "CompetencyGap").objects.create(
        cycle=cycle, employee=employee, agency=agency, unit=unit, competency=competency, required_level=3,
        observed_level=2.1, confidence=0.62, gap=0.9, priority=43.33, reason=reason)
    MigrationExecutor(connection).migrate(after)

    from tna.models import CompetencyGap

    gap = CompetencyGap.objects.get()
    assert gap.reason == {**reason, "raters": {role: reason["raters"][role]
                                                for role in ("supervisor", "peer", "subordinate", "self")}}
    assert (gap.points_appraisal, gap.raters_peer, gap.training_level, gap.ikm) == (7.5, 3, 2, None)
    # And back: the document is rebuilt from the columns.
    MigrationExecutor(connection).migrate(before)
    old_gap = MigrationExecutor(connection).loader.project_state(before).apps.get_model("tna", "CompetencyGap")
    assert old_gap.objects.get().reason["priority_parts"] == reason["priority_parts"]
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
