"""Concurrent enrollment scenes shared by the PostgreSQL tests and the SQLite run in a subprocess.

Each scene fires real threads (each with its own database connection) at the service or the
API, then checks the result against the event log, replayed in the order the database
serialised the writes (event ids are taken while the session row is locked).

Run ``python -m tests.lms.race`` with ``DATABASE_URL`` pointing at an already migrated SQLite
file to try the scenes on SQLite (``test_concurrency.py`` does this).
"""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection

CAPACITY = 10


def in_parallel(calls):
    """Run the zero-argument ``calls`` in as many threads, released together; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        try:
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result() for future in futures]


def build_scene(people, *, capacity=CAPACITY):
    """An agency that approves automatically, one session of ``capacity`` seats, ``people`` staff."""
    from courses.factories import CourseFactory, session_for
    from tna.factories import AgencyFactory, EmployeeFactory, UnitFactory

    agency = AgencyFactory(code="kota-balapan", name="Kota Balapan", auto_approve_enrollment=True)
    unit = UnitFactory(agency=agency, code="setda", name="Sekretariat Daerah")
    course = CourseFactory(agency=agency, code="balapan", title="Kelas Rebutan", max_participants=60)
    day = datetime.date.today() + datetime.timedelta(days=21)
    session = session_for(course, first_day=day, days=2, capacity=capacity, label="Angkatan Rebutan")
    staff = [EmployeeFactory(agency=agency, unit=unit, name="Peserta %02d" % i, email="p%02d@balapan.go.id" % i)
             for i in range(people)]
    return session, staff


def request_through_api(session, employee):
    """POST enrollments/ as ``employee``; (HTTP status, body)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(employee.user)
    response = client.post("/api/v1/enrollments/", {"session": session.pk}, format="json")
    return response.status_code, response.json()


def check_requests(session, responses, *, capacity=CAPACITY):
    """The 50-requests scene: exactly ``capacity`` seats, the rest waitlisted in the order served."""
    from lms.models import Enrollment
    from lms.models import EnrollmentStatus as S

    assert [status for status, _body in responses] == [201] * len(responses), responses
    rows = list(Enrollment.objects.filter(session=session).order_by("queued_at", "pk"))
    assert len(rows) == len(responses)
    assert [r.status for r in rows] == [S.ENROLLED] * capacity + [S.WAITLISTED] * (len(rows) - capacity)
    # The order the server served them is one order: by id, by time asked, by place in the queue.
    assert [r.pk for r in rows] == sorted(r.pk for r in rows)
    assert [r.requested_at for r in rows] == sorted(r.requested_at for r in rows)
    positions = {body["enrollment"]["id"]: body["enrollment"]["waitlist_position"] for _s, body in responses}
    waiting = [r.pk for r in rows[capacity:]]
    assert [positions[pk] for pk in waiting] == list(range(1, len(waiting) + 1))
    assert all(positions[r.pk] is None for r in rows[:capacity])
    check_event_log(session, capacity=capacity)


def check_event_log(session, *, capacity=CAPACITY):
    """Replay the session's events in the order written: seats never above capacity, and every
    promotion takes the head of the queue as it stood then."""
    from lms.models import Enrollment, EnrollmentEvent
    from lms.models import EnrollmentStatus as S

    queued = dict(Enrollment.objects.filter(session=session).values_list("pk", "queued_at"))
    seats, queue, highest, promotions = set(), [], 0, 0
    for event in EnrollmentEvent.objects.filter(enrollment__session=session).order_by("pk"):
        e, before, after = event.enrollment_id, event.from_status, event.to_status
        if before == S.ENROLLED:
            seats.discard(e)
        if before == S.WAITLISTED:
            if after == S.ENROLLED:
                assert queue and queue[0] == e, "promotion out of order: %s before %s" % (e, queue[:1])
                promotions += 1
            queue.remove(e)
        if after == S.ENROLLED:
            seats.add(e)
        if after == S.WAITLISTED:
            assert not queue or (queued[queue[-1]], queue[-1]) < (queued[e], e), "joined the queue ahead of others"
            queue.append(e)
        highest = max(highest, len(seats))
        assert len(seats) <= capacity, "%d seats taken at event %d" % (len(seats), event.pk)
    held = Enrollment.objects.filter(session=session).holding_seat().count()
    assert held == len(seats) <= capacity
    waiting = list(Enrollment.objects.filter(session=session).waitlist().values_list("pk", flat=True))
    assert waiting == queue
    return {"highest": highest, "promotions": promotions, "held": held, "waiting": len(waiting)}


def race_cancellations_against_promotion(session, staff, *, capacity=CAPACITY):
    """Seats full and a long queue; then, all at once: seat holders and queued people cancel while
    newcomers ask. Returns the log check's summary after asserting nobody hit an error."""
    from lms.models import Enrollment
    from lms.models import EnrollmentStatus as S
    from lms.services.enrollment import enrollment_cancel, enrollment_request

    first, newcomers = staff[:40], staff[40:50]
    for person in first:  # one at a time: 10 seats, 30 queued in a known order
        enrollment_request(employee=person, session=session, user=person.user)
    held = list(Enrollment.objects.filter(session=session, status=S.ENROLLED).order_by("pk"))
    waiting = list(Enrollment.objects.filter(session=session).waitlist())
    leaving = held[:8] + waiting[0:16:2]  # 8 seat holders, and every other one of the first 16 queued

    def cancel(enrollment):
        return lambda: enrollment_cancel(enrollment=enrollment, user=enrollment.employee.user).status

    def ask(person):
        return lambda: enrollment_request(employee=person, session=session, user=person.user).status

    results = in_parallel([cancel(e) for e in leaving] + [ask(p) for p in newcomers])
    assert results[:len(leaving)] == [S.CANCELLED] * len(leaving)
    assert set(results[len(leaving):]) <= {S.ENROLLED, S.WAITLISTED}
    summary = check_event_log(session, capacity=capacity)
    assert summary["held"] == capacity, summary  # the queue was long enough to refill every seat
    return summary


def main():
    """The SQLite run: both scenes on a migrated database file (``DATABASE_URL``)."""
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # locmem mail, so the on-commit emails stay in memory
    session, staff = build_scene(50)
    responses = in_parallel([lambda p=p: request_through_api(session, p) for p in staff])
    check_requests(session, responses)
    other, more = build_scene_again(session)
    summary = race_cancellations_against_promotion(other, more)
    print("ok: 50 parallel requests -> 10 enrolled, 40 waitlisted; race: %s" % summary)


def build_scene_again(previous):
    """A second session of the same course for the second scene, with 50 fresh people."""
    from courses.factories import session_for
    from tna.factories import EmployeeFactory

    course = previous.course
    day = datetime.date.today() + datetime.timedelta(days=60)
    session = session_for(course, first_day=day, days=2, capacity=CAPACITY, label="Angkatan Kedua")
    unit = previous.enrollments.first().employee.unit
    staff = [EmployeeFactory(agency=course.agency, unit=unit, name="Kedua %02d" % i) for i in range(50)]
    return session, staff


if __name__ == "__main__":
    import os
    import sys

    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    main()
