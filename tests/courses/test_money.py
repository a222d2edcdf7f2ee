"""Rupiah are written the Indonesian way, in any language."""

import pytest
from django.template import Context, Template

from tna.infra.formats import format_rupiah


@pytest.mark.parametrize("amount, text", [
    (1_250_000, "Rp 1.250.000"), (0, "Rp 0"), (950, "Rp 950"), (12_500_000_000, "Rp 12.500.000.000"),
    (-50_000, "-Rp 50.000"), (None, ""),
])
def test_format_rupiah(amount, text):
    assert format_rupiah(amount) == text


def test_template_filter():
    rendered = Template("{% load catalogue %}{{ amount|rupiah }}").render(Context({"amount": 5_300_000}))
    assert rendered == "Rp 5.300.000"
