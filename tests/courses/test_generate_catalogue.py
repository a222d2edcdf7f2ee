"""The demo catalogue: every seed agency gets 40+ published courses with sessions over six months."""

import datetime
from collections import Counter

from django.core.management import call_command
from django.utils import timezone

from cms.models import CareerInfoPage, CataloguePage
from courses.models import Course, Session, SessionStatus
from tna.models import Agency

SEED_CATEGORIES = ("it_digital", "time_management", "leadership", "communication", "teaching_technology",
                   "public_service")


def test_every_seed_agency_gets_a_public_catalogue(seed_regions, client, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("generate_catalogue", verbosity=0)

    for agency in Agency.objects.all():
        live = Course.objects.live().filter(agency=agency)
        assert live.count() >= 40, agency.code
        categories = Counter(live.values_list("category", flat=True))
        assert all(categories[c] >= 2 for c in SEED_CATEGORIES), (agency.code, categories)
        assert Course.objects.filter(agency=agency, live=False).count() == 1  # one draft awaits review
        assert not live.filter(competency_targets__isnull=True).exists()
    assert Course.objects.live().get(agency__code="prov-jambi", code="talenta-suksesi").route == "KL01"

    sessions = list(Session.objects.select_related("course__agency").prefetch_related("meetings"))
    days = [s.starts_at.astimezone(s.tz).date() for s in sessions]
    assert today < min(days) and max(days) <= today + datetime.timedelta(days=183)
    assert len({d.replace(day=1) for d in days}) >= 6  # spread over six months
    assert Counter(s.status for s in sessions) == {
        SessionStatus.SCHEDULED: len(sessions) - 10, SessionStatus.POSTPONED: 5, SessionStatus.CANCELLED: 5}
    assert all(s.capacity <= s.course.max_participants and s.enrollment_closes < s.starts_at for s in sessions)
    assert all(s.place for s in sessions if s.course.mode == "classroom")
    weekly = [s for s in sessions if s.course.code == "rapat-efektif"]
    assert weekly and all(m.starts_at.astimezone(s.tz).weekday() in (1, 3) for s in weekly for m in s.meetings.all())

    assert CataloguePage.objects.live().count() == 5 and CareerInfoPage.objects.live().count() == 5
    page = CataloguePage.objects.get(agency__code="medan")
    client.cookies["django_language"] = "en"
    html = client.get(page.url + "?category=leadership").content.decode()
    assert "Collaborative leadership for supervisors" in html and "Service excellence" not in html
    course = Course.objects.live().filter(agency=page.agency, sessions__status="scheduled").first()
    assert "seats left" in client.get(page.url + course.code + "/").content.decode()


def test_running_it_again_changes_nothing(seed_regions):
    call_command("generate_catalogue", agency=["sibolga"], verbosity=0)
    counts = Course.objects.count(), Session.objects.count()
    call_command("generate_catalogue", agency=["sibolga"], verbosity=0)
    assert (Course.objects.count(), Session.objects.count()) == counts
    assert Course.objects.filter(agency__code="medan").count() == 0
