"""Rupiah are whole and grouped the active language's way: Rp 1.250.000, in English Rp 1,250,000."""

import pytest
from django.template import Context, Template
from django.utils import translation

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


def test_english_groups_with_commas():
    with translation.override("en"):
        assert format_rupiah(1_250_000) == "Rp 1,250,000"
        assert Template("{% load catalogue %}{{ amount|rupiah }}").render(Context({"amount": 5_300_000})) == \
            "Rp 5,300,000"
