"""The planner's scheduling pages: run, see the calendar and on-duty shares, move, lock, re-run, publish."""

import datetime

import pytest
from django.urls import reverse

from lms.models import Enrollment, ProposedClass, ScheduleRun

pytestmark = pytest.mark.urls("tests.lms.scheduling.urls")


@pytest.fixture
def planner(make_employee):
    return make_employee("Pak Perencana", roles=["planner"])


@pytest.fixture
def demand(scene, teachers, cycle):
    from lms.models import Recommendation, RecommendationStatus

    course, _closed = scene
    for t in teachers[2:]:
        Recommendation.objects.create(cycle=cycle, employee=t, course=course, rank=1, score=1,
                                      status=RecommendationStatus.ACCEPTED)
    return course


def test_planner_runs_and_sees_the_proposal(client, planner, demand, first_day):
    client.force_login(planner.user)
    page = client.get(reverse("lms:schedule-runs"))
    assert page.status_code == 200
    response = client.post(reverse("lms:schedule-runs"), {
        "first_day": first_day.isoformat(), "last_day": (first_day + datetime.timedelta(days=34)).isoformat(),
        "cycle": "2026", "method": "cp-sat", "time_limit": "5",
    })
    run = ScheduleRun.objects.get()
    assert response.status_code == 302 and response.url == reverse("lms:schedule-run", args=[run.pk])
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert run.figures["placed"] == 3
    assert "Hari jadi kota" in html  # the closure day is shown on the calendar
    assert "SD Negeri 1" in html  # its on-duty share is shown
    assert "80%" in html


def test_move_lock_rerun_and_publish_from_the_page(client, planner, admin, demand, first_day, cycle):
    from lms.services.scheduling import schedule_run

    run = schedule_run(agency=planner.agency, first_day=first_day, last_day=first_day + datetime.timedelta(days=34),
                       cycle=cycle, time_limit=5)
    client.force_login(planner.user)
    pc = run.classes.first()
    before = sorted(pc.meetings.values_list("starts_at", flat=True))
    client.post(reverse("lms:schedule-class-move", args=[pc.pk]), {"days": "7"})
    pc.refresh_from_db()
    assert pc.locked
    assert sorted(pc.meetings.values_list("starts_at", flat=True)) == [s + datetime.timedelta(days=7) for s in before]
    client.post(reverse("lms:schedule-class-move", args=[pc.pk]), {"days": "-7"})
    client.post(reverse("lms:schedule-class-lock", args=[pc.pk]))
    pc.refresh_from_db()
    assert not pc.locked
    client.post(reverse("lms:schedule-class-lock", args=[pc.pk]))
    response = client.post(reverse("lms:schedule-rerun", args=[run.pk]))
    again = ScheduleRun.objects.exclude(pk=run.pk).get()
    assert response.url == reverse("lms:schedule-run", args=[again.pk])
    assert again.classes.filter(key=pc.key, locked=True).exists()

    # Planners plan; training admins publish.
    publish_url = reverse("lms:schedule-publish", args=[again.pk])
    assert publish_url not in client.get(reverse("lms:schedule-run", args=[again.pk])).content.decode()
    client.force_login(admin.user)
    assert publish_url in client.get(reverse("lms:schedule-run", args=[again.pk])).content.decode()
    client.post(reverse("lms:schedule-publish", args=[again.pk]), {"place": "Aula SD Negeri 1"})
    again.refresh_from_db()
    assert again.status == ScheduleRun.Status.PUBLISHED
    assert Enrollment.objects.filter(session__in=ProposedClass.objects.filter(run=again).values("session")).count() == 3


def test_other_agencies_and_plain_staff_are_kept_out(client, make_employee, demand, first_day, cycle):
    from lms.services.scheduling import schedule_run
    from tna.factories import EmployeeFactory

    run = schedule_run(agency=demand.agency, first_day=first_day, last_day=first_day + datetime.timedelta(days=20),
                       cycle=cycle, time_limit=2)
    client.force_login(make_employee("Biasa").user)
    assert client.get(reverse("lms:schedule-runs")).status_code == 403
    outsider = EmployeeFactory(roles=["planner"])
    client.force_login(outsider.user)
    assert client.get(reverse("lms:schedule-run", args=[run.pk])).status_code == 403
