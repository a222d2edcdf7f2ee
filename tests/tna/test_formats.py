"""One way to write numbers, rupiah and dates per language, and rupiah typed the ways people type them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from tna.infra import formats
from tna.infra.forms import RupiahField

UTC = datetime.UTC


@pytest.fixture
def indonesian():
    with translation.override("id"):
        yield


def render(source, **context):
    return Template("{% load latih_formats %}" + source).render(Context(context))


# Typing rupiah ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    "250.000.000", "Rp 250.000.000", "Rp250.000.000", "Rp. 250.000.000", "rp 250.000.000", "IDR 250.000.000",
    "250 000 000", "250\u00a0000\u00a0000", "Rp\u00a0250\u202f000\u202f000", "250000000", " 250000000 ",
    "250,000,000", "Rp 250.000.000,-", "250.000.000,00",
])
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_way_of_writing_rupiah_is_read_exactly(typed, language):
    with translation.override(language):
        assert formats.parse_rupiah(typed) == 250_000_000


@pytest.mark.parametrize("typed, code", [
    ("250.5", "decimals"), ("250,5", "decimals"), ("250,000.50", "decimals"), ("250.000,50", "decimals"),
    ("250.00", "decimals"),  # 250.000 with a digit missing, or 250 with cents: never guessed
    ("2.50.000", "grouping"), ("25.0000", "grouping"), ("1.0000.000", "grouping"), ("0.500", "grouping"),
    ("250.000 000", "mixed"), ("250,000.000", "mixed"),
    ("250rb", "invalid"), ("2,5 juta", "invalid"), ("abc", "invalid"), ("Rp", "invalid"), ("1e9", "invalid"),
    ("-250.000", "negative"), ("Rp -250.000", "negative"), ("−250000", "negative"),
])
def test_ambiguous_or_wrong_amounts_are_refused_never_reinterpreted(typed, code, indonesian):
    with pytest.raises(ValidationError) as refused:
        formats.parse_rupiah(typed)
    assert refused.value.code == code


def test_the_refusal_says_what_was_typed_and_shows_how_to_write_it(indonesian):
    with pytest.raises(ValidationError) as refused:
        formats.parse_rupiah("250,000.50")
    message = refused.value.messages[0]
    assert "“250,000.50”" in message and "250.000.000" in message
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        formats.parse_rupiah("2.50.000")
    assert refused.value.messages == [
        "“2.50.000” is not grouped by thousands. Group the digits in threes from the right, for example 250,000,000."]


def test_negative_amounts_only_where_allowed():
    assert formats.parse_rupiah("-Rp 50.000", allow_negative=True) == -50_000
    assert formats.parse_rupiah("0") == 0


def test_the_rupiah_field_reads_refuses_and_shows_the_amount_grouped(indonesian):
    field = RupiahField(label="Pagu")
    assert field.clean("Rp 1.250.000") == 1_250_000
    assert field.widget.format_value(1_250_000) == "1.250.000"
    assert 'inputmode="numeric"' in field.widget.render("amount", 1_250_000)
    assert 'value="1.250.000"' in field.widget.render("amount", 1_250_000)
    with pytest.raises(ValidationError, match="250.000.000"):
        field.clean("1.25")
    with pytest.raises(ValidationError) as refused:
        RupiahField(min_value=1_000_000).clean("500.000")
    assert "Rp 1.000.000" in refused.value.messages[0]
    assert RupiahField(required=False).clean("  ") is None
    with translation.override("en"):
        assert field.widget.format_value(1_250_000) == "1,250,000"


# Writing numbers, rupiah, dates -------------------------------------------------------------

DAY = datetime.date(2026, 12, 4)
MOMENT = datetime.datetime(2026, 12, 4, 9, 15, tzinfo=UTC)  # 16.15 WIB, 17.15 WITA


def test_indonesian_numbers_shares_rupiah_and_durations(indonesian):
    assert formats.number(1234.54) == "1.234,5"
    assert formats.integer(2986) == "2.986"
    assert formats.percent(0.1, 1) == "10,0%"
    assert formats.format_rupiah(250_000_000) == "Rp 250.000.000"
    assert formats.format_rupiah(-50_000) == "-Rp 50.000"
    assert formats.format_rupiah(None) == ""
    assert formats.rupiah_digits(250_000_000) == "250.000.000"
    assert formats.number(None) == formats.integer(float("nan")) == "–"
    assert formats.seconds_text(1.94).startswith("1,9 ")


def test_english_numbers_shares_rupiah_and_durations():
    assert formats.number(1234.54) == "1,234.5"
    assert formats.integer(2986) == "2,986"
    assert formats.percent(0.1, 1) == "10.0%"
    assert formats.format_rupiah(250_000_000) == "Rp 250,000,000"
    assert formats.seconds_text(1.94) == "1.9 s"


def test_dates_and_times_one_way_per_language(indonesian):
    assert formats.date_text(DAY) == "4 Des 2026"
    assert formats.datetime_text(MOMENT) == "4 Des 2026 16.15"
    assert formats.datetime_text(MOMENT, "Asia/Makassar", zone=True) == "4 Des 2026 17.15 WITA"
    assert formats.time_text(MOMENT) == "16.15"
    assert formats.weekday_date_text(DAY) == "Jum, 4 Des 2026"
    assert formats.date_range_text(DAY, DAY) == "4 Des 2026"
    assert formats.date_range_text(datetime.date(2026, 12, 3), DAY) == "3–4 Des 2026"
    assert formats.date_range_text(datetime.date(2026, 11, 30), DAY) == "30 Nov – 4 Des 2026"
    assert formats.date_range_text(datetime.date(2026, 12, 30), datetime.date(2027, 1, 2)) == "30 Des 2026 – 2 Jan 2027"
    end = MOMENT + datetime.timedelta(hours=4)
    assert formats.span_text(MOMENT, end, ZoneInfo("Asia/Jayapura")) == "Jum, 4 Des 2026, 18.15–22.15 WIT"
    with translation.override("en"):
        assert formats.date_text(DAY) == "4 Dec 2026"
        assert formats.datetime_text(MOMENT) == "4 Dec 2026 16:15"
        assert formats.span_text(MOMENT, end, "Asia/Jakarta") == "Fri, 4 Dec 2026, 16:15–20:15 WIB"


def test_django_s_own_formats_follow_tna_formats(indonesian):
    """Templates written the plain Django way give the same text as the helpers."""
    page = Template('{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"DATETIME_FORMAT" }}|'
                    '{{ n }}|{{ x|floatformat:1 }}').render(Context({"d": DAY, "t": MOMENT, "n": 2986, "x": 1234.54}))
    assert page == "4 Des 2026|4 Des 2026|4 Des 2026 16.15|2.986|1.234,5"
    with translation.override("en"):
        page = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ n }}|{{ x|floatformat:1 }}').render(
            Context({"d": DAY, "n": 2986, "x": 1234.54}))
        assert page == "4 Dec 2026|2,986|1,234.5"


def test_template_filters(indonesian):
    assert render("{{ a|rupiah }} {{ n|integer }} {{ s|percent:1 }} {{ x|number:2 }}", a=1_250_000, n=12345,
                  s=0.125, x=2.5) == "Rp 1.250.000 12.345 12,5% 2,50"
    assert render("{{ t|local_datetime:'Asia/Makassar' }} · {{ t|local_date }} · {{ t|local_time }}", t=MOMENT) == \
        "4 Des 2026 17.15 · 4 Des 2026 · 16.15"
    assert render("{% date_range a b %} · {{ d|day_month }} · {{ d|weekday_date }}", a=datetime.date(2026, 12, 1),
                  b=DAY, d=DAY) == "1–4 Des 2026 · 4 Des · Jum, 4 Des 2026"
    assert render("{{ s|seconds }}", s=3.14).startswith("3,1 ")


@pytest.mark.django_db
def test_a_person_is_shown_by_name_not_by_nip():
    from tna.factories import EmployeeFactory

    employee = EmployeeFactory(name="Saiful Firmansyah, S.T.")
    assert render("{{ u|person }}", u=employee.user) == "Saiful Firmansyah, S.T."
    assert render("{{ u|person }}", u=None) == "—"


# The site's settings ------------------------------------------------------------------------


def test_no_warning_with_latih_s_formats():
    ids = {m.id for m in run_checks() if m.id.startswith("tna.")}
    assert not ids & {"tna.W002", "tna.W003"}


def test_a_host_without_the_formats_is_warned(settings):
    settings.FORMAT_MODULE_PATH = None
    settings.USE_THOUSAND_SEPARATOR = False
    ids = {m.id for m in run_checks() if m.id.startswith("tna.")}
    assert {"tna.W002", "tna.W003"} <= ids
