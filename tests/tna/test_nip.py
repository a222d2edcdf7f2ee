"""NIP validation against the rules in docs/domain.md#nip, with property-based cases."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tna.nip import format_nip, parse_nip

birth_dates = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2005, 12, 31))


@st.composite
def valid_nips(draw):
    birth = draw(birth_dates)
    start_year = draw(st.integers(min_value=birth.year + 1, max_value=2026))
    return format_nip(
        birth_date=birth, start_year=start_year, start_month=draw(st.integers(1, 12)),
        sex=draw(st.sampled_from([1, 2])), serial=draw(st.integers(1, 999)),
    ), birth


@given(valid_nips())
def test_every_well_formed_nip_is_accepted_and_parsed(case):
    nip, birth = case
    parts = parse_nip(nip)
    assert parts.birth_date == birth
    assert parts.sex in (1, 2)
    assert 1 <= parts.serial <= 999


@given(valid_nips(), st.integers(min_value=13, max_value=99))
def test_start_month_outside_1_12_is_rejected(case, month):
    nip, _ = case
    bad = nip[:12] + "%02d" % month + nip[14:]
    with pytest.raises(ValidationError) as exc:
        parse_nip(bad)
    assert exc.value.code == "nip_start_month"


@given(valid_nips(), st.sampled_from([0, 3, 4, 5, 6, 7, 8, 9]))
def test_sex_digit_other_than_1_or_2_is_rejected(case, digit):
    nip, _ = case
    with pytest.raises(ValidationError) as exc:
        parse_nip(nip[:14] + str(digit) + nip[15:])
    assert exc.value.code == "nip_sex"


@given(valid_nips())
def test_serial_000_is_rejected(case):
    nip, _ = case
    with pytest.raises(ValidationError) as exc:
        parse_nip(nip[:15] + "000")
    assert exc.value.code == "nip_serial"


@given(valid_nips(), st.sampled_from(["0230", "1301", "0000", "0431", "0631"]))
def test_impossible_birth_date_is_rejected(case, month_day):
    nip, _ = case
    with pytest.raises(ValidationError) as exc:
        parse_nip(nip[:4] + month_day + nip[8:])
    assert exc.value.code == "nip_birth_date"


@given(birth_dates, st.integers(0, 11))
def test_cpns_start_before_birth_is_rejected(birth, years_before):
    nip = format_nip(birth_date=birth, start_year=birth.year - years_before, start_month=1, sex=1, serial=1)
    if (birth.year - years_before, 1) > (birth.year, birth.month):
        return
    with pytest.raises(ValidationError) as exc:
        parse_nip(nip)
    assert exc.value.code == "nip_start_before_birth"


@given(st.text(alphabet="0123456789", max_size=30).filter(lambda s: len(s) != 18))
def test_wrong_length_is_rejected(text):
    with pytest.raises(ValidationError) as exc:
        parse_nip(text)
    assert exc.value.code == "nip_format"


@pytest.mark.parametrize("value", [1.98001012005011e17, 198001012005011001])
def test_a_number_instead_of_text_is_rejected_not_guessed(value):
    with pytest.raises(ValidationError) as exc:
        parse_nip(value)
    assert exc.value.code == "nip_not_text"
    assert "text" in str(exc.value.messages[0])


def test_a_missing_nip_says_so():
    with pytest.raises(ValidationError) as exc:
        parse_nip(None)
    assert exc.value.messages == ["NIP is missing."]


def test_pppk_numbers_are_checked_leniently():
    # PPPK middle digits follow another layout: a start "month" of 21 is fine, a bad birth date is not.
    assert parse_nip("198505122021211003", employment="PPPK").birth_date == datetime.date(1985, 5, 12)
    with pytest.raises(ValidationError):
        parse_nip("198513122021211003", employment="PPPK")
