"""Every model change has its migration: a host site must not find pending changes in Latih's apps."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_and_their_migrations_agree():
    out = StringIO()
    try:
        call_command("makemigrations", "tna", "courses", "lms", "cms", check=True, dry_run=True, stdout=out)
    except SystemExit:
        pytest.fail("Models changed without a migration:\n" + out.getvalue())
