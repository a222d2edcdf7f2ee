"""One agency's mentoring programme worked out by hand, for HR's programme pages.

Two top units: Setda (sub-units Bagian Umum and Bagian Hukum) and Dinkes. Competencies TK.81 Analisis
Data and TK.82 Penulisan Naskah; TNA results of 2026.

Needs (5): Xaverius TK.81 (gap 3, priority 90: weight 2.7), Yohana TK.82 (gap 2, priority 50: 1.0), both in
Bagian Umum; Zaki TK.81 (gap 1.5, priority 40: 0.6) in Dinkes; two applications in Dinkes: Wulan TK.81
(gap 0.4 only, her own priority 10: weight 0.1) and Vina TK.82 (no result: gap 1 at the median priority
of the gaps, 50: weight 0.5).

Mentors (3 places): Agus (Bagian Hukum, TK.81 at 4.5 and TK.82 at 4.2, two mentees) and Bima (Dinkes,
TK.81 at 4.0, one mentee); Sinta, head of Bagian Umum, stands at 4.6 in TK.82 but offers nothing. The optimum covers Xaverius, Yohana and Zaki (4.3): Agus takes both people of
Setda (same location, another unit), Bima takes Zaki next door. Both applications wait.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lms.models import MentoringApplication, MentoringProgramme
from lms.services.mentoring import mentor_offer_save
from tna.factories import (
    AgencyFactory,
    CompetencyFactory,
    CycleFactory,
    EmployeeFactory,
    PositionFactory,
    UnitFactory,
)
from tna.models import CompetencyGap

ZONE = ZoneInfo("Asia/Makassar")


def gap_row(cycle, employee, competency, *, required, observed, priority=0):
    return CompetencyGap.objects.create(
        cycle=cycle, employee=employee, agency=employee.agency, unit=employee.unit, competency=competency,
        required_level=required, observed_level=observed, gap=max(required - observed, 0), priority=priority)


@pytest.fixture
def scene(db):
    agency = AgencyFactory(code="kab-hr", name="Kabupaten Hr", time_zone="Asia/Makassar")
    setda = UnitFactory(agency=agency, code="setda", name="Sekretariat Daerah")
    umum = UnitFactory(agency=agency, code="bag-umum", name="Bagian Umum", parent=setda)
    hukum = UnitFactory(agency=agency, code="bag-hukum", name="Bagian Hukum", parent=setda)
    dinkes = UnitFactory(agency=agency, code="dinkes", name="Dinas Kesehatan")
    senior = PositionFactory(agency=agency, code="kabag", job_type="administrator")
    junior = PositionFactory(agency=agency, code="staf", job_type="pelaksana")
    data = CompetencyFactory(code="TK.81", name="Analisis Data", name_en="Data analysis")
    writing = CompetencyFactory(code="TK.82", name="Penulisan Naskah", name_en="Drafting")
    cycle = CycleFactory(year=2026)

    def person(name, unit, position, **fields):
        email = "%s@kab-hr.go.id" % name.split()[0].lower()
        return EmployeeFactory(name=name, agency=agency, unit=unit, position=position, email=email, **fields)

    boss = person("Sinta Atasan", umum, senior, roles=["supervisor"])
    x = person("Xaverius Staf", umum, junior, supervisor=boss)
    y = person("Yohana Staf", umum, junior, supervisor=boss)
    z = person("Zaki Staf", dinkes, junior)
    w = person("Wulan Staf", dinkes, junior)
    v = person("Vina Staf", dinkes, junior)
    a = person("Agus Mentor", hukum, senior)
    b = person("Bima Mentor", dinkes, senior)
    hr = person("Hera Diklat", dinkes, senior, roles=["training_admin"])
    gap_row(cycle, x, data, required=5, observed=2, priority=90)
    gap_row(cycle, y, writing, required=3, observed=1, priority=50)
    gap_row(cycle, z, data, required=3, observed=1.5, priority=40)
    gap_row(cycle, w, data, required=3, observed=2.6, priority=10)
    gap_row(cycle, a, data, required=3, observed=4.5)
    gap_row(cycle, a, writing, required=3, observed=4.2)
    gap_row(cycle, b, data, required=3, observed=4.0)
    gap_row(cycle, boss, writing, required=3, observed=4.6)
    today = timezone.localdate(timezone=ZONE)
    programme = MentoringProgramme.objects.create(
        agency=agency, code="mentor-2026", name="Mentoring 2026", starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=120), min_mentor_level=4, default_capacity=2, target_jp=12)
    programme.competencies.set([data, writing])
    mentor_offer_save(programme=programme, mentor=a, competencies=[data, writing], capacity=2, source="opt_in")
    mentor_offer_save(programme=programme, mentor=b, competencies=[data], capacity=1, source="nominated")
    applications = {
        "w": MentoringApplication.objects.create(programme=programme, employee=w, competency=data,
                                                 note="Saya ingin belajar analisis data."),
        "v": MentoringApplication.objects.create(programme=programme, employee=v, competency=writing),
    }
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    return {
        "agency": agency, "programme": programme, "cycle": cycle, "data": data, "writing": writing,
        "setda": setda, "dinkes": dinkes, "umum": umum, "boss": boss, "x": x, "y": y, "z": z, "w": w, "v": v,
        "a": a, "b": b, "hr": hr, "applications": applications, "today": today,
        "other_hr": EmployeeFactory(name="Lina Lain", agency=other, roles=["training_admin"]),
        "asn": person("Dedi Pegawai", dinkes, junior),
    }


@pytest.fixture
def hr_client(client, scene):
    client.force_login(scene["hr"].user)
    client.cookies["django_language"] = "en"
    return client
