"""The supervisor's warnings: the person's clashing enrollments and the unit falling below its on-duty share."""

import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.coverage import meeting_days, shortfalls
from lms.factories import EnrollmentFactory
from lms.models import Enrollment
from lms.selectors.enrollments import approval_warnings
from lms.services.enrollment import enrollment_request

WIB = ZoneInfo("Asia/Jakarta")


def test_meeting_days_are_local_dates():
    start = datetime.datetime(2027, 1, 4, 23, 0, tzinfo=datetime.UTC)  # 06:00 WIB on the 5th
    assert meeting_days([(start, start + datetime.timedelta(hours=4))], WIB) == [datetime.date(2027, 1, 5)]


def test_shortfall_counts_the_person_and_rounds_the_minimum_up():
    day = datetime.date(2027, 1, 5)
    assert shortfalls(unit_id=1, person_id=9, days=[day], staff=7, away_by_day={}, min_share=0.8) == []
    short, = shortfalls(unit_id=1, person_id=9, days=[day], staff=7, away_by_day={day: {3}}, min_share=0.8)
    assert (short.on_duty, short.minimum, short.away) == (5, 6, 2)
    # Someone already counted as away is not counted twice.
    assert shortfalls(unit_id=1, person_id=3, days=[day], staff=7, away_by_day={day: {3}}, min_share=0.8) == []


def test_the_approval_page_data_names_clashes_and_short_days(
    asn, colleague, supervisor, head, course, open_course, make_session, first_day
):
    """The unit has four active people (head, supervisor, asn, colleague) and keeps half on duty."""
    training = make_session(course, capacity=5, days=2)
    # The colleague already has a seat on the first day only (a one-day session).
    EnrollmentFactory(employee=colleague, session=make_session(open_course, capacity=5, days=1, start="13:00",
                                                                end="15:00", label="Sore"))
    EnrollmentFactory(employee=head, session=make_session(open_course, capacity=5, days=1, label="Kepala"))
    pending = enrollment_request(employee=asn, session=training, user=asn.user)
    with CaptureQueriesContext(connection) as queries:
        warnings = approval_warnings(Enrollment.objects.filter(pk=pending.pk).select_related(
            "employee__unit", "employee__agency", "session__course__agency"))[pending.pk]
    assert len(queries) == 7  # a fixed number, however many requests are pending
    assert warnings.clashes == []
    short, = warnings.shortfalls
    assert short.day == first_day
    assert (short.staff, short.away, short.on_duty, short.minimum) == (4, 3, 1, 2)


def test_an_overlap_created_by_a_reschedule_shows_as_a_clash(asn, course, open_course, make_session):
    pending = enrollment_request(employee=asn, session=make_session(course, capacity=5), user=asn.user)
    EnrollmentFactory(employee=asn, session=make_session(open_course, capacity=5, start="11:00", end="13:00"))
    warnings = approval_warnings([Enrollment.objects.select_related("employee__unit", "employee__agency")
                                  .get(pk=pending.pk)])[pending.pk]
    assert [c.session.course.code for c in warnings.clashes] == ["literasi-digital"]
