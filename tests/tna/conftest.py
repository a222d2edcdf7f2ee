"""Fixtures of the tna tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted as their English msgids; tests of the Indonesian text override this."""
    with translation.override("en"):
        yield
