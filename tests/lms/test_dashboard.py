"""The ASN's learning dashboard at /learning/: gaps, recommendations with accept, enrollments, meetings, JP."""


import pytest
from django.urls import reverse
from django.utils import timezone

from lms.factories import EnrollmentFactory
from lms.models import Enrollment, JpCredit, Recommendation, RecommendationStatus
from lms.services.recommendations import recommend_cycle
from tna.factories import UserFactory

from .recommend_scene import competency, course_with_session, gap, this_cycle


@pytest.fixture
def scene(agency, make_employee, supervisor):
    cycle = this_cycle()
    communication = competency("M.03", "Komunikasi", "Communication")
    data = competency("TK.05", "Analisis Data", "Data analysis")
    budi = make_employee("Budi Pegawai", supervisor=supervisor)
    gap(budi, communication, cycle=cycle, required=3, observed=2.0, priority=60)
    gap(budi, data, cycle=cycle, required=2, observed=2.4, priority=0)
    cheap, cheap_session = course_with_session(agency, "komunikasi-efektif", [(communication, 3)], jp=16,
                                               cost=1_000_000, requires_approval=False)
    course_with_session(agency, "komunikasi-publik", [(communication, 3)], jp=16, cost=2_500_000)
    course_with_session(agency, "dasbor-data", [(data, 3)], jp=8, cost=600_000, mode="online")
    # A seat held in a short course and 1 JP credited: 16 + 2 + 1 stays under 20, so the plan is topped up.
    held, held_session = course_with_session(agency, "arsip", [(data, 2)], jp=2, weeks=1)
    EnrollmentFactory(employee=budi, session=held_session, status="enrolled")
    today = timezone.localdate()
    JpCredit.objects.create(employee=budi, year=today.year, jp=1, title="Sosialisasi SPBE", competency_type="technical",
                            route="KL11", provider="Diskominfo", start_date=today, end_date=today)
    recommend_cycle(cycle=cycle)
    return {"cycle": cycle, "budi": budi, "cheap": cheap, "cheap_session": cheap_session, "held": held,
            "held_session": held_session}


@pytest.fixture
def page(client, scene):
    client.force_login(scene["budi"].user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("lms:dashboard"))
    assert response.status_code == 200
    return response


def test_dashboard_lives_at_learning():
    assert reverse("lms:dashboard") == "/learning/"


def test_shows_my_gap_with_levels_and_a_link_to_my_profile(page):
    html = page.content.decode()
    assert "M.03" in html and "required level 3, you are at 2.0" in html
    assert reverse("tna:profile") in html


def test_shows_my_plan_in_rank_order_with_the_reason(page):
    cards = page.context["plan"]
    assert [card["course"].code for card in cards] == ["komunikasi-efektif", "dasbor-data"]
    first = cards[0]["sentences"]
    assert first[0].startswith("Your position requires Communication at level 3; your level now is 2.0.")
    assert "The course develops it to level 3, enough to close the gap." in first
    assert "It is a classroom course of 16 JP." in first
    assert [card["course"].code for card in page.context["others"]] == ["komunikasi-publik"]
    html = page.content.decode()
    assert "It tops up your plan towards the minimum of 20 JP a year." in html


def test_accept_posts_to_the_enrollment_request_of_the_next_session(page, scene):
    html = page.content.decode()
    action = reverse("lms:enrollment-request", args=[scene["cheap_session"].pk])
    assert 'action="%s"' % action in html
    recommendation = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    assert 'name="recommendation" value="%d"' % recommendation.pk in html


def test_accepting_requests_a_seat_and_the_suggestion_leaves_the_list(client, scene):
    client.force_login(scene["budi"].user)
    recommendation = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    client.post(reverse("lms:enrollment-request", args=[scene["cheap_session"].pk]),
                {"recommendation": recommendation.pk})
    enrollment = Enrollment.objects.get(employee=scene["budi"], session=scene["cheap_session"])
    assert enrollment.recommendation == recommendation
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.ACCEPTED
    response = client.get(reverse("lms:dashboard"))
    assert "komunikasi-efektif" not in [card["course"].code for card in response.context["plan"]]
    assert scene["cheap_session"].pk in [e.session_id for e in response.context["enrollments"]]


def test_shows_my_enrollments_and_upcoming_meetings(page, scene):
    assert [e.session.course.code for e in page.context["enrollments"]] == ["arsip"]
    meetings = page.context["meetings"]
    assert len(meetings) == 2 and all(m.session.course == scene["held"] for m in meetings)
    assert scene["held"].display_title in page.content.decode()


def test_shows_my_jp_against_the_minimum(page, scene):
    html = page.content.decode()
    assert "1 of the minimum 20 JP" in html
    assert "19 JP to go." in html
    if scene["held_session"].starts_at.year == timezone.localdate().year:  # not so in the last days of December
        assert "will add 2 JP once completed" in html


def test_dismissing_sets_a_suggestion_aside(client, scene):
    client.force_login(scene["budi"].user)
    recommendation = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    response = client.post(reverse("lms:recommendation-dismiss", args=[recommendation.pk]))
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DISMISSED
    assert "komunikasi-efektif" not in [c["course"].code for c in client.get("/learning/").context["plan"]]


def test_nobody_can_dismiss_someone_elses_recommendation(client, scene, make_employee):
    client.force_login(make_employee("Eka Lain").user)
    recommendation = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    assert client.post(reverse("lms:recommendation-dismiss", args=[recommendation.pk])).status_code == 404
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.SUGGESTED


def test_someone_without_recommendations_is_told_why(client, make_employee):
    client.force_login(make_employee("Fajar Baru").user)
    client.cookies["django_language"] = "en"
    response = client.get("/learning/")
    html = response.content.decode()
    assert "No recommendations yet" in html and "No gap analysis results yet" in html
    assert "0 of the minimum 20 JP" in html


def test_an_account_without_an_employee_record_gets_a_clear_page(client, db):
    client.force_login(UserFactory(username="operator"))
    response = client.get("/learning/")
    assert response.status_code == 403
    assert b"employee record" in response.content or b"pegawai" in response.content


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/learning/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_dashboard_queries_do_not_grow_with_recommendations(client, scene, django_assert_max_num_queries):
    client.force_login(scene["budi"].user)
    with django_assert_max_num_queries(40):
        client.get("/learning/")


def test_default_language_page_is_indonesian_around_the_translated_parts(client, scene):
    client.force_login(scene["budi"].user)
    response = client.get("/learning/")
    assert response.status_code == 200
    assert 'lang="id"' in response.content.decode()
