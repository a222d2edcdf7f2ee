"""factory_boy factories for lms models, shipped with the package for tests of host projects.

Other lms areas add their factories at the end of this module.
"""

import factory
from django.utils import timezone

from tna.factories import EmployeeFactory

from . import models


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An enrollment written directly (no service, no email): ``status`` as given, default enrolled.

    Use ``lms.services.enrollment`` in tests of the workflow itself; this is for setting a scene.
    """

    class Meta:
        model = models.Enrollment

    employee = factory.SubFactory(EmployeeFactory)
    session = None
    status = models.EnrollmentStatus.ENROLLED
    requested_at = factory.LazyFunction(timezone.now)
    queued_at = factory.LazyAttribute(
        lambda o: o.requested_at if o.status != models.EnrollmentStatus.REQUESTED else None
    )
    decided_at = factory.SelfAttribute("queued_at")


class CalendarTokenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CalendarToken

    employee = factory.SubFactory(EmployeeFactory)


# --- delivery: attendance, completion, certificates ----------------------------------------------

def held_session(course, *, weeks_ago=2, days=5, capacity=20, **kwargs):
    """A session of ``course`` whose ``days`` meetings (08:00–12:00, Monday to Friday) were held
    ``weeks_ago`` weeks ago, created through ``courses.services`` like any other."""
    import datetime

    from courses.factories import session_for

    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7 * weeks_ago)
    return session_for(course, first_day=monday, days=days, capacity=capacity, **kwargs)


class AttendanceFactory(factory.django.DjangoModelFactory):
    """One participant's attendance at one meeting (``status`` present by default)."""

    class Meta:
        model = models.Attendance

    enrollment = factory.SubFactory(EnrollmentFactory)
    meeting = None
    status = models.Attendance.Status.PRESENT


def attend(enrollment, meetings, status=models.Attendance.Status.PRESENT):
    """Mark ``enrollment`` with ``status`` at each of ``meetings`` in one insert."""
    models.Attendance.objects.bulk_create(
        models.Attendance(enrollment=enrollment, meeting=meeting, status=status) for meeting in meetings
    )


# --- evaluation: the agency's own questions, the follow-up ---------------------------------------

class ReactionQuestionFactory(factory.django.DjangoModelFactory):
    """An extra 1–5 evaluation question of an agency, asked (``active``) by default."""

    class Meta:
        model = models.ReactionQuestion

    agency = factory.SubFactory("tna.factories.AgencyFactory")
    text = factory.Sequence(lambda n: "Pertanyaan tambahan %d" % n)
    text_en = factory.Sequence(lambda n: "Extra question %d" % n)
    sort_order = factory.Sequence(lambda n: n)


class FollowUpFactory(factory.django.DjangoModelFactory):
    """An answered follow-up, written directly (no service): the learner's by default."""

    class Meta:
        model = models.FollowUp

    enrollment = factory.SubFactory(EnrollmentFactory)
    respondent = models.Respondent.LEARNER
    score = 4
    example = ""
    answered_at = factory.LazyFunction(timezone.now)


def completed(employee, session, *, days_ago):
    """``employee``'s completed enrollment in ``session``, completed ``days_ago`` days ago (a scene for the
    follow-up, whose clock starts at completion)."""
    import datetime

    return EnrollmentFactory(employee=employee, session=session, status=models.EnrollmentStatus.COMPLETED,
                             completed_at=timezone.now() - datetime.timedelta(days=days_ago))
