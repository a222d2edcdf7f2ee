"""JP for mentoring: confirmed sessions credited on NKL02 per person, pair and year, shown in the learning
record and the JP total, and exported to the national record under the route's Indonesian name."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from lms import national
from lms.models import JpCredit
from lms.selectors.learning import jp_total
from lms.services.mentoring_credit import mentoring_credit_refresh

D = datetime.timedelta


def this_year_days(n):
    """``n`` distinct past days of this year (Jakarta), the oldest first; the test's sessions fall on them."""
    today = timezone.localdate()
    first = datetime.date(today.year, 1, 1)
    days = [today - D(days=k + 1) for k in range(n)]
    if days[-1] < first:  # early January: use the first days of the year, however few are past
        days = [first + D(days=k) for k in range(n)]
    return sorted(days)


def test_the_mentees_credit_adds_up_confirmed_minutes_per_year(pair, mentee, mentor, at, make_mentoring_session):
    make_mentoring_session(pair, at(datetime.date(2025, 11, 3), "09:00"), minutes=60)
    make_mentoring_session(pair, at(datetime.date(2025, 12, 1), "09:00"), minutes=60)
    make_mentoring_session(pair, at(datetime.date(2026, 1, 5), "09:00"), minutes=90)
    make_mentoring_session(pair, at(datetime.date(2026, 1, 12), "09:00"), minutes=90, mentor_confirmed_at=None)
    make_mentoring_session(pair, at(datetime.date(2026, 1, 19), "09:00"), minutes=90, status="planned",
                           confirmed=False)
    credits = mentoring_credit_refresh(pair=pair)
    rows = [(c.employee_id, c.year, c.jp, c.start_date, c.end_date) for c in credits]
    # 120 minutes are 2 JP in 2025; in 2026 only the 90 minutes both confirmed count (2 JP).
    assert rows == [(mentee.pk, 2025, 2, datetime.date(2025, 11, 3), datetime.date(2025, 12, 1)),
                    (mentee.pk, 2026, 2, datetime.date(2026, 1, 5), datetime.date(2026, 1, 5))]
    credit = credits[0]
    assert (credit.source, credit.route, credit.provider, credit.competency_type, credit.mentoring_pair_id) == (
        "mentoring", "NKL02", "Kota Contoh", "technical", pair.pk)
    # Stored in the site's language (Indonesian), whatever language the request was in.
    assert credit.title == "Mentoring: Mentoring Analis — Analisis Kebijakan"
    assert not JpCredit.objects.filter(employee=mentor).exists()


def test_the_mentor_is_credited_where_the_programme_says(pair, programme, mentor, mentee, at,
                                                          make_mentoring_session):
    make_mentoring_session(pair, at(datetime.date(2026, 3, 2), "09:00"), minutes=45)
    programme.credit_mentor = True
    programme.save()
    mentoring_credit_refresh(pair=pair)
    mentor_credit = JpCredit.objects.get(employee=mentor)
    assert mentor_credit.jp == 1 and mentor_credit.route == "NKL02"
    assert "mentor" in mentor_credit.title and mentor_credit.title.endswith("Mentoring Analis — Analisis Kebijakan")
    programme.credit_mentor = False
    programme.save()
    mentoring_credit_refresh(pair=pair)
    assert not JpCredit.objects.filter(employee=mentor).exists()
    assert JpCredit.objects.filter(employee=mentee).count() == 1


def test_a_refresh_updates_in_place_and_drops_a_year_below_one_jp(pair, mentee, at, make_mentoring_session):
    first = make_mentoring_session(pair, at(datetime.date(2026, 3, 2), "09:00"), minutes=60)
    credit = mentoring_credit_refresh(pair=pair)[0]
    make_mentoring_session(pair, at(datetime.date(2026, 3, 9), "09:00"), minutes=60)
    again = mentoring_credit_refresh(pair=pair)[0]
    assert (again.pk, again.jp, again.end_date) == (credit.pk, 2, datetime.date(2026, 3, 9))
    JpCredit.objects.filter(pk=credit.pk).update(jp=1)  # unchanged sessions rewrite the credit whole
    assert mentoring_credit_refresh(pair=pair)[0].jp == 2
    first.minutes, first.mentor_confirmed_at = 60, None
    first.save()
    first.pair.sessions.exclude(pk=first.pk).update(minutes=30)
    assert mentoring_credit_refresh(pair=pair) == []
    assert not JpCredit.objects.exists()


# --- where the JP show ---------------------------------------------------------------------------

@pytest.fixture
def credited(pair, mentee, at, make_mentoring_session):
    """Three confirmed hours this year: 4 JP for the mentee."""
    for day in this_year_days(3):
        make_mentoring_session(pair, at(day, "14:00"), minutes=60)
    return mentoring_credit_refresh(pair=pair)[0]


def test_mentoring_jp_count_towards_the_yearly_total_and_show_in_the_record(credited, mentee, client):
    year = timezone.localdate().year
    assert credited.jp == 4 and jp_total(mentee, year) == 4
    client.force_login(mentee.user)
    with translation.override("id"):
        page = client.get(reverse("lms:my-training"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
        dashboard = client.get(reverse("lms:dashboard"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Mentoring: Mentoring Analis — Analisis Kebijakan" in page and "Kota Contoh" in page
    assert "4 dari batas minimal 20 JP" in dashboard


def test_the_national_record_lists_mentoring_as_nkl02(credited, mentee, admin, client):
    rows = national.national_rows(national.credits_for_export(agency=mentee.agency))
    row = dict(zip(national.COLUMNS, next(r for r in rows if r[0] == mentee.nip), strict=True))
    assert (row["jalurPengembangan"], row["jenisDiklat"], row["jumlahJam"]) == ("NKL02", "Mentoring", 4)
    assert row["jenisKompetensi"] == "Teknis" and row["institusiPenyelenggara"] == "Kota Contoh"
    assert row["nomorSertipikat"] == "" and row["kodeVerifikasi"] == ""

    client.force_login(admin.user)
    response = client.get(reverse("lms:national-export"), {"format": "csv", "year": credited.year})
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == national.COLUMNS
    assert [mentee.nip, mentee.name, credited.title, "Teknis", "NKL02", "Mentoring", "Kota Contoh"] == lines[1][:7]
