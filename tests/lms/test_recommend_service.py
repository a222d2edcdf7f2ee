"""The recommendation service, command and task: what is read from the database and how a cycle's set is replaced."""

import datetime
import io
import json

import pandas as pd
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from courses.factories import ProviderFactory
from courses.models import SessionStatus
from lms.factories import EnrollmentFactory
from lms.models import JpCredit, Recommendation, RecommendationStatus
from lms.recommend import ANY_TIME, TIME_BITS
from lms.services import recommendations as service
from lms.services.recommendations import read_catalogue, recommend_cycle, survey_preferences
from lms.tasks import recommend_task
from tna.factories import AgencyFactory, CycleFactory, EmployeeFactory
from tna.models import SurveyResponse

from .recommend_scene import competency, course_with_session, gap, this_cycle


@pytest.fixture
def scene(agency, make_employee):
    """Budi lacks Communication (3 required, 2.0 observed) and meets Data analysis; three courses."""
    cycle = this_cycle()
    communication = competency("M.03", "Komunikasi", "Communication")
    data = competency("TK.05", "Analisis Data", "Data analysis")
    budi = make_employee("Budi Pegawai")
    citra = make_employee("Citra Rekan")
    for person in (budi, citra):
        gap(person, communication, cycle=cycle, required=3, observed=2.0, priority=60)
        gap(person, data, cycle=cycle, required=2, observed=2.4, priority=0)
    cheap, _ = course_with_session(agency, "komunikasi-efektif", [(communication, 3)], jp=16, cost=1_000_000)
    dear, _ = course_with_session(agency, "komunikasi-publik", [(communication, 3)], jp=16, cost=2_500_000)
    dashboard, _ = course_with_session(agency, "dasbor-data", [(data, 3)], jp=8, cost=600_000, mode="online",
                                       start="09:00", end="11:00")
    return {"cycle": cycle, "budi": budi, "citra": citra, "communication": communication, "data": data,
            "cheap": cheap, "dear": dear, "dashboard": dashboard}


def codes(employee, cycle):
    return list(Recommendation.objects.filter(employee=employee, cycle=cycle).order_by("rank")
                .values_list("course__code", flat=True))


def test_writes_ranked_recommendations_with_reasons(scene):
    summary = recommend_cycle(cycle=scene["cycle"])
    assert codes(scene["budi"], scene["cycle"]) == ["komunikasi-efektif", "dasbor-data", "komunikasi-publik"]
    first = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    assert first.rank == 1 and first.in_plan and first.competency == scene["communication"]
    assert first.status == RecommendationStatus.SUGGESTED
    assert first.reason["gaps"][0]["code"] == "M.03" and first.reason["gaps"][0]["closure"] == 1.0
    top_up = Recommendation.objects.get(employee=scene["budi"], course=scene["dashboard"])
    assert top_up.in_plan and top_up.competency is None and top_up.reason["kind"] == "top_up"
    assert summary.employees == 2 and summary.recommendations == 6 and summary.reaching_minimum == 2
    assert set(summary.timings) == {"reading", "ranking", "writing"}


def test_rerun_replaces_the_cycles_suggestions_and_leaves_other_cycles(scene):
    recommend_cycle(cycle=scene["cycle"])
    old_cycle = CycleFactory(year=scene["cycle"].year - 1)
    kept = Recommendation.objects.create(cycle=old_cycle, employee=scene["budi"], course=scene["dear"], rank=1,
                                         score=1, reason={})
    recommend_cycle(cycle=scene["cycle"])
    assert Recommendation.objects.filter(cycle=scene["cycle"]).count() == 6
    assert Recommendation.objects.filter(pk=kept.pk).exists()


def test_decided_recommendations_stay_and_their_course_is_not_suggested_again(scene):
    recommend_cycle(cycle=scene["cycle"])
    dismissed = Recommendation.objects.get(employee=scene["budi"], course=scene["cheap"])
    dismissed.status = RecommendationStatus.DISMISSED
    dismissed.save()
    recommend_cycle(cycle=scene["cycle"])
    dismissed.refresh_from_db()
    assert dismissed.status == RecommendationStatus.DISMISSED
    suggested = Recommendation.objects.filter(employee=scene["budi"], status=RecommendationStatus.SUGGESTED)
    assert suggested.get(rank=1).course == scene["dear"]  # now the best course left for the gap


def test_completed_and_enrolled_courses_are_not_recommended(scene, agency):
    cheap_session = scene["cheap"].sessions.get()
    EnrollmentFactory(employee=scene["budi"], session=cheap_session, status="enrolled")
    recommend_cycle(cycle=scene["cycle"])
    assert "komunikasi-efektif" not in codes(scene["budi"], scene["cycle"])
    assert "komunikasi-efektif" in codes(scene["citra"], scene["cycle"])


def test_jp_credited_this_year_counts_towards_the_minimum(scene):
    today = timezone.localdate()
    JpCredit.objects.create(employee=scene["budi"], year=scene["cycle"].year, jp=4, title="Seminar",
                            competency_type="technical", route="KL06", provider="LAN", start_date=today, end_date=today)
    recommend_cycle(cycle=scene["cycle"])
    top_up = Recommendation.objects.get(employee=scene["budi"], course=scene["dashboard"])
    assert not top_up.in_plan  # 16 JP planned + 4 earned reach 20
    assert top_up.reason["plan"]["jp_earned"] == 4
    assert Recommendation.objects.get(employee=scene["citra"], course=scene["dashboard"]).in_plan


def test_the_survey_preference_reorders_a_tie(scene, agency):
    twin, _ = course_with_session(agency, "komunikasi-daring", [(scene["communication"], 3)], jp=16,
                                  cost=1_000_000, mode="online")
    SurveyResponse.objects.create(cycle=scene["cycle"], employee=scene["budi"], competency=scene["communication"],
                                  priority=3, mode="online")
    recommend_cycle(cycle=scene["cycle"])
    assert codes(scene["budi"], scene["cycle"])[0] == "komunikasi-daring"
    assert codes(scene["citra"], scene["cycle"])[0] == "komunikasi-efektif"


def test_agency_run_leaves_other_agencies_alone(scene):
    other_agency = AgencyFactory(code="kab-lain")
    outsider = EmployeeFactory(agency=other_agency)
    elsewhere = Recommendation.objects.create(cycle=scene["cycle"], employee=outsider, course=scene["dear"], rank=1,
                                              score=1, reason={})
    summary = recommend_cycle(cycle=scene["cycle"], agency=scene["budi"].agency)
    assert summary.employees == 2
    assert Recommendation.objects.filter(pk=elsewhere.pk).exists()


def test_a_failed_write_keeps_the_previous_set(scene, monkeypatch):
    recommend_cycle(cycle=scene["cycle"])
    before = list(Recommendation.objects.order_by("pk").values_list("pk", "course_id", "rank"))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        recommend_cycle(cycle=scene["cycle"])
    assert list(Recommendation.objects.order_by("pk").values_list("pk", "course_id", "rank")) == before


def test_catalogue_takes_open_published_sessions_and_remote_shared_courses(agency, make_employee):
    data = competency("TK.05", "Analisis Data", "Data analysis")
    other = AgencyFactory(code="kab-lain", name="Kabupaten Lain")
    own, _ = course_with_session(agency, "own", [(data, 3)])
    course_with_session(agency, "draft", [(data, 3)], live=False)
    theirs, _ = course_with_session(other, "theirs", [(data, 3)], mode="online")  # their own provider
    lan = ProviderFactory(agency=None, kind="lan", name="Lembaga Administrasi Negara")
    shared, _ = course_with_session(other, "lan-course", [(data, 3)], provider=lan, mode="online")
    far, _ = course_with_session(other, "lan-classroom", [(data, 3)], provider=lan)  # would need travel
    # A code the agency lists itself is not offered again from elsewhere.
    duplicate_own, _ = course_with_session(agency, "lan-dup", [(data, 3)], provider=lan, mode="online")
    duplicate_theirs, _ = course_with_session(other, "lan-dup", [(data, 3)], provider=lan, mode="online")
    closed, closed_session = course_with_session(agency, "closed", [(data, 3)])
    closed_session.enrollment_closes = timezone.now() - datetime.timedelta(hours=1)
    closed_session.save()
    cancelled, cancelled_session = course_with_session(agency, "cancelled", [(data, 3)])
    cancelled_session.status, cancelled_session.cancel_reason = SessionStatus.CANCELLED, "Too few"
    cancelled_session.save()
    courses, offers = read_catalogue(now=timezone.now())
    assert set(courses["course_id"]) == {own.pk, theirs.pk, shared.pk, far.pk, duplicate_own.pk, duplicate_theirs.pk}
    mine = set(offers[offers["agency_id"] == agency.pk]["course_id"])
    assert mine == {own.pk, shared.pk, duplicate_own.pk}
    assert set(offers[offers["agency_id"] == other.pk]["course_id"]) == {
        theirs.pk, shared.pk, far.pk, duplicate_theirs.pk}


def test_session_times_follow_the_meetings_in_the_agency_zone(agency):
    data = competency("TK.05", "Analisis Data", "Data analysis")
    morning, _ = course_with_session(agency, "pagi", [(data, 3)], start="09:00", end="11:00")
    day, _ = course_with_session(agency, "sehari", [(data, 3)], start="08:00", end="15:00")
    afternoon, _ = course_with_session(agency, "siang", [(data, 3)], start="13:30", end="15:30")
    alone, _ = course_with_session(agency, "mandiri", [(data, 3)], mode="self_paced")
    courses, _ = read_catalogue(now=timezone.now())
    times = courses.drop_duplicates("course_id").set_index("course_id")["times"]
    assert times[morning.pk] == TIME_BITS["morning"] | TIME_BITS["short_blocks"]
    assert times[day.pk] == TIME_BITS["full_day"]
    assert times[afternoon.pk] == TIME_BITS["afternoon"] | TIME_BITS["short_blocks"]
    assert times[alone.pk] == ANY_TIME


def test_survey_preferences_take_the_most_asked_for_mode_and_time():
    answers = pd.DataFrame([
        (1, 3, "online", "morning"), (1, 1, "classroom", ""), (1, 1, "classroom", ""),
        (2, 2, "", ""),
    ], columns=["employee_id", "priority", "mode", "time"])
    result = survey_preferences(answers).set_index("employee_id")
    assert result.loc[1, "mode"] == "online" and result.loc[1, "time"] == "morning"
    assert result.loc[2, "mode"] == "" and result.loc[2, "time"] == ""


def test_command_reports_progress_and_counts(scene):
    out = io.StringIO()
    with translation.override("en"):
        call_command("recommend", cycle=scene["cycle"].year, stdout=out)
        text = out.getvalue()
        assert "[1/3] reading" in text and "[3/3] writing" in text
        assert "6 for 2 employees" in text and "2 plans reach the JP minimum" in text
        with pytest.raises(CommandError, match="no cycle 1999"):
            call_command("recommend", cycle=1999, stdout=io.StringIO())
        with pytest.raises(CommandError, match="no agency with code nowhere"):
            call_command("recommend", cycle=scene["cycle"].year, agency="nowhere", stdout=io.StringIO())


def test_background_task_runs_the_service(scene):
    result = recommend_task.enqueue(scene["cycle"].year, scene["budi"].agency.code)
    assert result.return_value["recommendations"] == 6
    assert Recommendation.objects.filter(cycle=scene["cycle"]).count() == 6


def test_reason_json_is_stored_as_an_object(scene):
    recommend_cycle(cycle=scene["cycle"])
    reason = Recommendation.objects.filter(employee=scene["budi"]).first().reason
    assert isinstance(reason, dict) and json.dumps(reason)


def test_an_empty_catalogue_clears_the_suggestions_without_failing(scene):
    recommend_cycle(cycle=scene["cycle"])
    for course in (scene["cheap"], scene["dear"], scene["dashboard"]):
        course.sessions.update(status=SessionStatus.CANCELLED, cancel_reason="Dibatalkan")
    summary = recommend_cycle(cycle=scene["cycle"])
    assert summary.recommendations == 0
    assert not Recommendation.objects.filter(cycle=scene["cycle"]).exists()


def test_a_published_tna_run_queues_fresh_recommendations_for_its_scope(scene, settings):
    """tna announces new results; lms queues the recommendations of that cycle and agency."""
    from tna.models import TnaRun
    from tna.signals import results_published

    run = TnaRun.objects.create(cycle=scene["cycle"], agency=scene["budi"].agency, status=TnaRun.Status.SUCCEEDED)
    settings.LATIH_RECOMMEND_AFTER_TNA = False
    results_published.send(sender=TnaRun, run=run)
    assert not Recommendation.objects.exists()

    settings.LATIH_RECOMMEND_AFTER_TNA = True
    results_published.send(sender=TnaRun, run=run)  # the test settings run tasks at once
    assert codes(scene["budi"], scene["cycle"]) == ["komunikasi-efektif", "dasbor-data", "komunikasi-publik"]
