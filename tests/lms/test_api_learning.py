"""API of the learning area: me/recommendations/ (accept, dismiss) and me/learning/, scoped to the caller."""


import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from lms.factories import EnrollmentFactory
from lms.models import Enrollment, JpCredit, Recommendation, RecommendationStatus
from lms.services.recommendations import recommend_cycle
from tna.factories import CycleFactory, UserFactory

from .recommend_scene import competency, course_with_session, gap, this_cycle


@pytest.fixture
def scene(agency, make_employee, supervisor):
    cycle = this_cycle()
    communication = competency("M.03", "Komunikasi", "Communication")
    budi = make_employee("Budi Pegawai", supervisor=supervisor)
    citra = make_employee("Citra Rekan", supervisor=supervisor)
    for person in (budi, citra):
        gap(person, communication, cycle=cycle, required=3, observed=2.0, priority=60)
    cheap, cheap_session = course_with_session(agency, "komunikasi-efektif", [(communication, 3)], jp=24,
                                               cost=1_000_000)
    dear, dear_session = course_with_session(agency, "komunikasi-publik", [(communication, 3)], jp=24, cost=2_500_000)
    recommend_cycle(cycle=cycle)
    return {"cycle": cycle, "budi": budi, "citra": citra, "cheap": cheap, "cheap_session": cheap_session,
            "dear": dear, "dear_session": dear_session}


def api(employee):
    client = APIClient()
    client.force_authenticate(employee.user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def test_my_recommendations_are_mine_only_best_first_with_why(scene):
    response = api(scene["budi"]).get("/api/v1/me/recommendations/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["course"] for r in results] == ["komunikasi-efektif", "komunikasi-publik"]
    assert {r["id"] for r in results} <= set(
        Recommendation.objects.filter(employee=scene["budi"]).values_list("pk", flat=True))
    first = results[0]
    assert first["rank"] == 1 and first["in_plan"] and first["kind"] == "gap" and first["competency"] == "M.03"
    assert first["cycle"] == scene["cycle"].year and first["jp"] == 24
    assert first["explanation"][0] == "Your position requires Communication at level 3; your level now is 2.0. " \
                                      "Closing this gap is a high priority."
    assert first["next_session"]["id"] == scene["cheap_session"].pk
    assert first["reason"]["gaps"][0]["required"] == 3


def test_someone_elses_recommendation_is_not_found(scene):
    theirs = Recommendation.objects.filter(employee=scene["citra"]).first()
    client = api(scene["budi"])
    assert client.get("/api/v1/me/recommendations/%d/" % theirs.pk).status_code == 404
    assert client.post("/api/v1/me/recommendations/%d/accept/" % theirs.pk).status_code == 404
    assert client.post("/api/v1/me/recommendations/%d/dismiss/" % theirs.pk).status_code == 404
    assert not Enrollment.objects.exists()


def test_accept_requests_a_seat_in_the_next_open_session(scene):
    mine = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    response = api(scene["budi"]).post("/api/v1/me/recommendations/%d/accept/" % mine.pk)
    assert response.status_code == 201, response.content
    enrollment = Enrollment.objects.get(pk=response.json()["enrollment"])
    assert enrollment.employee == scene["budi"] and enrollment.session == scene["cheap_session"]
    assert enrollment.status == "requested"  # Budi has a supervisor, the course needs approval
    mine.refresh_from_db()
    assert mine.status == RecommendationStatus.ACCEPTED
    remaining = api(scene["budi"]).get("/api/v1/me/recommendations/").json()["results"]
    assert [r["course"] for r in remaining] == ["komunikasi-publik"]
    accepted = api(scene["budi"]).get("/api/v1/me/recommendations/?status=accepted").json()["results"]
    assert [r["course"] for r in accepted] == ["komunikasi-efektif"]


def test_accept_refuses_a_session_of_another_course(scene):
    mine = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    response = api(scene["budi"]).post("/api/v1/me/recommendations/%d/accept/" % mine.pk,
                                       {"session": scene["dear_session"].pk}, format="json")
    assert response.status_code == 400
    assert not Enrollment.objects.exists()


def test_dismiss_sets_it_aside_once(scene):
    mine = Recommendation.objects.get(employee=scene["budi"], course=scene["dear"])
    client = api(scene["budi"])
    response = client.post("/api/v1/me/recommendations/%d/dismiss/" % mine.pk)
    assert response.status_code == 200 and response.json()["status"] == "dismissed"
    assert client.post("/api/v1/me/recommendations/%d/dismiss/" % mine.pk).status_code == 400


def test_cycle_filter_and_unknown_cycle(scene):
    client = api(scene["budi"])
    assert len(client.get("/api/v1/me/recommendations/?cycle=%d" % scene["cycle"].year).json()["results"]) == 2
    CycleFactory(year=scene["cycle"].year - 1)
    assert client.get("/api/v1/me/recommendations/?cycle=%d" % (scene["cycle"].year - 1)).json()["results"] == []
    assert client.get("/api/v1/me/recommendations/?in_plan=true").json()["count"] == 1


def test_my_learning_has_the_years_jp_and_enrollments(scene):
    today = timezone.localdate()
    JpCredit.objects.create(employee=scene["budi"], year=today.year, jp=12, title="Pelayanan Prima",
                            competency_type="managerial", route="KL02", provider="BPSDM", start_date=today,
                            end_date=today, certificate_number="001/2026")
    JpCredit.objects.create(employee=scene["budi"], year=today.year - 1, jp=30, title="Lama", competency_type="technical",
                            route="KL03", provider="BPSDM", start_date=today.replace(year=today.year - 1),
                            end_date=today.replace(year=today.year - 1))
    JpCredit.objects.create(employee=scene["citra"], year=today.year, jp=40, title="Bukan milik Budi",
                            competency_type="technical", route="KL03", provider="BPSDM", start_date=today, end_date=today)
    enrollment = EnrollmentFactory(employee=scene["budi"], session=scene["cheap_session"], status="enrolled")
    EnrollmentFactory(employee=scene["citra"], session=scene["dear_session"], status="enrolled")
    data = api(scene["budi"]).get("/api/v1/me/learning/?year=%d" % today.year).json()
    assert data["year"] == today.year and data["jp_total"] == 12 and data["jp_minimum"] == 20
    assert data["jp_remaining"] == 8 and data["meets_minimum"] is False
    assert [c["title"] for c in data["credits"]] == ["Pelayanan Prima"]
    assert data["credits"][0]["certificate_number"] == "001/2026"
    in_this_year = scene["cheap_session"].starts_at.year == today.year
    assert [e["id"] for e in data["enrollments"]] == ([enrollment.pk] if in_this_year else [])
    last_year = api(scene["budi"]).get("/api/v1/me/learning/?year=%d" % (today.year - 1)).json()
    assert last_year["jp_total"] == 30 and last_year["meets_minimum"] is True


def test_my_learning_defaults_to_this_year_and_checks_the_year(scene):
    client = api(scene["budi"])
    assert client.get("/api/v1/me/learning/").json()["year"] == timezone.localdate().year
    assert client.get("/api/v1/me/learning/?year=twenty").status_code == 400


def test_accounts_without_an_employee_get_404_and_anonymous_401(db):
    client = APIClient()
    assert client.get("/api/v1/me/recommendations/").status_code in (401, 403)
    assert client.get("/api/v1/me/learning/").status_code in (401, 403)
    client.force_authenticate(UserFactory(username="operator"))
    assert client.get("/api/v1/me/recommendations/").status_code == 404
    assert client.get("/api/v1/me/learning/").status_code == 404


def test_token_auth_works(scene):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=scene["budi"].user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + token.key)
    assert client.get("/api/v1/me/learning/").status_code == 200


def test_the_schema_documents_both_endpoints(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "/api/v1/me/recommendations/" in paths and "/api/v1/me/learning/" in paths
    assert "/api/v1/me/recommendations/{id}/accept/" in paths
    parameters = {p["name"] for p in paths["/api/v1/me/learning/"]["get"]["parameters"]}
    assert "year" in parameters
    listing = {p["name"] for p in paths["/api/v1/me/recommendations/"]["get"]["parameters"]}
    assert {"cycle", "status", "in_plan", "page"} <= listing


def test_the_list_writes_exactly_what_the_serializer_writes(scene):
    """me/recommendations/ builds its page from plain rows (recommendation_rows) rather than through
    RecommendationSerializer, the contract of each item: the JSON is the same, key for key, in both languages."""
    import json
    import uuid

    from django.utils import translation
    from rest_framework.renderers import JSONRenderer

    from courses.factories import session_for
    from lms.api.serializers import RecommendationSerializer
    from lms.selectors import learning

    dear = scene["dear"]
    dear.title_en = "Public communication"
    dear.save()
    later = session_for(dear, first_day=timezone.localdate() + timezone.timedelta(days=90), label=str(uuid.uuid4()))
    later.enrollment_opens = timezone.now() + timezone.timedelta(days=30)  # not open yet: not the one shown
    later.save()
    for language in ("en", "id"):
        client = api(scene["budi"])
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
        results = client.get("/api/v1/me/recommendations/").json()["results"]
        rows = list(learning.my_recommendations(scene["budi"], scene["cycle"]))
        with translation.override(language):
            context = {"names": learning.competency_names([r.reason for r in rows]),
                       "sessions": learning.next_sessions({r.course_id for r in rows})}
            expected = json.loads(JSONRenderer().render(RecommendationSerializer(rows, many=True, context=context).data))
        assert results == expected
        assert [list(row) for row in results] == [list(row) for row in expected]  # key order


def test_my_learning_writes_exactly_what_the_serializers_write(scene):
    """me/learning/ builds its credits and enrollments from plain rows (jp_credit_rows, learning_enrollment_rows)
    rather than through JpCreditSerializer and LearningEnrollmentSerializer, the contract: the same JSON."""
    import json

    from django.utils import translation
    from rest_framework.renderers import JSONRenderer

    from lms.api.serializers import JpCreditSerializer, LearningEnrollmentSerializer
    from lms.models.ledger import CreditedCompetency
    from lms.selectors import learning
    from tna.models import Competency

    budi, session = scene["budi"], scene["cheap_session"]
    year = session.starts_at.year
    credit = JpCredit.objects.create(employee=budi, year=year, jp=12, title="Pelayanan Prima", competency_type="managerial",
                                     route="KL02", provider="BPSDM", start_date=session.starts_at.date(),
                                     end_date=session.starts_at.date(), certificate_number="001")
    for code in ("TK.09", "M.03", "M.01"):
        competency = Competency.objects.filter(code=code).first() or competency_factory(code)
        CreditedCompetency.objects.create(credit=credit, competency=competency, level=3)
    EnrollmentFactory(employee=budi, session=session, status="enrolled")
    scene["dear"].title_en = "Public communication"
    scene["dear"].save()
    EnrollmentFactory(employee=budi, session=scene["dear_session"], status="waitlisted")
    for language in ("en", "id"):
        client = api(budi)
        client.credentials(HTTP_ACCEPT_LANGUAGE=language)
        data = client.get("/api/v1/me/learning/?year=%d" % year).json()
        with translation.override(language):
            expected = {
                "credits": JpCreditSerializer(learning.jp_credits(budi, year), many=True).data,
                "enrollments": LearningEnrollmentSerializer(learning.my_enrollments(budi, year=year), many=True).data,
            }
        expected = json.loads(JSONRenderer().render(expected))
        assert len(data["enrollments"]) == 2 and data["credits"][0]["competencies"]
        for part in ("credits", "enrollments"):
            assert data[part] == expected[part]
            assert [list(row) for row in data[part]] == [list(row) for row in expected[part]]  # key order
        assert (data["jp_total"], data["jp_held"]) == (12, scene["cheap"].jp)


def competency_factory(code):
    from tna.factories import CompetencyFactory

    return CompetencyFactory(code=code, name="Kompetensi %s" % code)
