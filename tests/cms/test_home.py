"""The role home (/beranda/): each role sees the work waiting for it, linked to where it is done, and
nothing of roles it does not hold; its cost does not grow with the agency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms.factories import EnrollmentFactory
from lms.models import EnrollmentStatus
from tna.factories import UserFactory

from .home_scene import build_scene


@pytest.fixture(autouse=True)
def english(client):
    """These pages are checked in English: the person chose it with the language switch."""
    client.cookies["django_language"] = "en"
PANELS = {"asn": "My learning and assessments", "supervisor": "My team", "training_admin": "Training delivery",
          "planner": "Planning"}


@pytest.fixture
def scene(db):
    return build_scene()


def home(client, employee_or_user):
    user = getattr(employee_or_user, "user", employee_or_user)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def panels_in(html):
    return {role for role, title in PANELS.items() if "<h2 id=\"home-%s\">%s" % (role.replace("_", "-"), title) in html}


def test_signing_in_leads_to_the_role_home(client, scene):
    response = client.post(reverse("login"), {"username": scene.asn.nip, "password": "latih-test-pass"})
    assert response.status_code == 302 and response["Location"] == reverse("home") == "/beranda/"


def test_the_home_needs_a_sign_in(client, db):
    response = client.get("/beranda/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/beranda/"


def test_an_asn_sees_assessments_due_meetings_this_week_courses_to_rate_jp_and_requests(client, scene):
    html = home(client, scene.asn)
    assert panels_in(html) == {"asn"}
    year = scene.cycle.year
    assert 'href="/evidence/%d/self/">Self-assessment</a>' % year in html
    assert "0 of 2 competencies rated" in html
    assert 'href="/evidence/%d/survey/">Training-needs survey</a>' % year in html
    assert 'href="/evidence/%d/colleague/%s/">Rate Citra Rekan (peer)</a>' % (year, scene.peer.nip) in html
    seat = scene.running.enrollments.get()
    assert 'href="/learning/enrollments/%d/">Excel Lanjutan</a>' % seat.pk in html  # meets this week
    rate = scene.held.enrollments.get(employee=scene.asn)
    assert 'href="/learning/evaluation/%d/">Rate Pelayanan Prima</a>' % rate.pk in html
    assert "of 20 JP credited" in html
    request = scene.wanted.enrollments.get()
    assert 'href="/learning/enrollments/%d/">Menulis Laporan</a>' % request.pk in html
    assert "waiting for approval since" in html


def test_an_asn_with_everything_entered_is_told_so(client, scene):
    from tna.models import PeerAssignment, Rating, SurveyResponse

    me = scene.asn
    for ratee in (me, scene.peer):
        for required in scene.position.required_levels.all():
            Rating.objects.create(cycle=scene.cycle, ratee=ratee, rater=me, competency=required.competency, level=3,
                                  rater_role="self" if ratee == me else "peer")
    SurveyResponse.objects.create(cycle=scene.cycle, employee=me, competency=scene.position.required_levels.first().competency,
                                  priority=2)
    assert PeerAssignment.objects.filter(rater=me).exists()
    html = home(client, me)
    assert "Your self-assessment, survey and peer ratings for %d are in." % scene.cycle.year in html
    assert ">Self-assessment</a>" not in html and "(peer)</a>" not in html


def test_a_supervisor_sees_requests_with_their_duty_clash_and_the_reports_still_to_rate(client, scene):
    html = home(client, scene.boss)
    assert panels_in(html) == {"asn", "supervisor"}  # every employee is an asn too
    assert "<strong>1</strong> request waits for your decision" in html
    request = scene.wanted.enrollments.get()
    assert html.count('href="/learning/enrollments/%d/">Andi Pegawai</a>' % request.pk) == 2  # oldest, and clashing
    assert "1 request clashes with duty or other training" in html
    assert "overlaps 1 other training" in html
    assert 'href="/learning/approvals/">Decide on the requests</a>' in html
    year = scene.cycle.year
    for report in (scene.asn, scene.peer, scene.unmarked):
        assert 'href="/evidence/%d/report/%s/">%s</a>' % (year, report.nip, report.name) in html
    assert "SKP appraisal: not yet" in html


def test_the_supervisor_clash_is_the_approval_page_warning(client, scene):
    client.force_login(scene.boss.user)
    approvals = client.get(reverse("lms:enrollment-approvals")).content.decode()
    assert "Clash with other training" in approvals  # the same selector feeds both pages


def test_a_training_admin_sees_sessions_attendance_completions_and_courses_in_review(client, scene):
    html = home(client, scene.admin)
    assert panels_in(html) == {"asn", "training_admin"}
    assert "<strong>2</strong> sessions meet this week" in html
    assert 'href="/learning/delivery/sessions/%d/">Excel Lanjutan — Angkatan I</a>' % scene.running.pk in html
    assert "<strong>3</strong> meetings held without full attendance" in html and "in 2 sessions" in html
    assert "2 meetings to mark" in html  # the session two weeks ago: one participant never marked
    assert "<strong>1</strong> participant qualifies but is not completed yet" in html
    assert "1 participant to complete" in html
    assert 'href="/learning/delivery/sessions/%d/">Pelayanan Prima</a>' % scene.held.pk in html
    assert "<strong>1</strong> course is in review" in html
    assert 'href="/admin/snippets/courses/course/edit/%d/">Kursus Dalam Telaah</a>' % scene.draft.pk in html


def test_a_planner_sees_the_tna_run_courses_to_review_plans_and_the_budget(client, scene):
    html = home(client, scene.planner)
    assert panels_in(html) == {"asn", "planner"}
    assert "Training-needs analysis %d" % scene.cycle.year in html and "Succeeded" in html
    assert "6 employees analysed, 9 gaps found." in html
    assert 'href="/admin/latih/tna-runs/"' in html
    assert 'Kursus Dalam Telaah</a>' in html
    assert 'href="/admin/latih/budget/?year=%d&amp;plan=%d">Rencana Uji</a>' % (scene.plan.fiscal_year, scene.plan.pk) in html
    assert "by Eko Perencana" in html  # a person by name, not by NIP
    assert "Rp 250,000,000" in html or "Rp 250.000.000" in html


def test_a_person_with_several_roles_gets_each_panel(client, scene):
    from django.contrib.auth.models import Group

    scene.planner.user.groups.add(Group.objects.get_or_create(name="training_admin")[0])
    html = home(client, scene.planner)
    assert panels_in(html) == {"asn", "training_admin", "planner"}


def test_a_superuser_without_employee_record_sees_every_agency(client, scene):
    html = home(client, UserFactory(is_superuser=True))
    assert panels_in(html) == {"supervisor", "training_admin", "planner"}
    assert "all agencies" in html and "Kursus Dalam Telaah" in html


def test_an_account_without_role_is_told_what_to_do(client, db):
    html = home(client, UserFactory())
    assert not panels_in(html)
    assert "Your account has no role in Latih yet" in html


def _queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["asn", "boss", "admin", "planner"])
def test_the_home_costs_the_same_queries_for_a_larger_agency(client, scene, role):
    from django.contrib.auth.models import Group

    user = getattr(scene, role).user
    if role == "asn":
        user.groups.add(Group.objects.get_or_create(name="supervisor")[0])  # and their (empty) team panel
    _queries(client, user)  # fills the caches every request shares (content types, the site)
    before = _queries(client, user)
    # Twenty more staff: reports of the supervisor, each asking for the session that clashes, and
    # participants of the past session without attendance.
    for person in scene.staff(20):
        EnrollmentFactory(employee=person, session=scene.wanted, status=EnrollmentStatus.REQUESTED)
        EnrollmentFactory(employee=person, session=scene.held)
    assert _queries(client, user) == before


def test_the_asn_sees_their_development_plan_and_the_supervisor_their_teams_actions_never_boxes(client, scene):
    from lms.models import DevelopmentItem

    cycle = scene.cycle
    DevelopmentItem.objects.create(cycle=cycle, employee=scene.asn, action="coaching", box=8, priority=60)
    DevelopmentItem.objects.create(cycle=cycle, employee=scene.asn, action="rotation", box=8, status="done")

    html = home(client, scene.asn)
    assert "My development plan" in html and "Coaching" in html and "Rotation" not in html  # done items leave
    assert reverse("lms_career:mine") in html
    html = home(client, scene.boss)
    assert "Development plans of my team" in html and "Andi Pegawai" in html and "Coaching" in html
    assert "Box" not in html and "box 8" not in html.lower()
