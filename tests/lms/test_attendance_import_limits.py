"""Limits of the attendance upload: its size, and no more rows than participants times meetings."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import pytest

from lms.models import Attendance
from lms.services.attendance_import import attendance_import
from tna.infra.row_errors import ImportRejected

from .delivery_scene import held, meetings, participants, service_competency, taught_course


def csv_bytes(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_a_file_longer_than_seats_times_meetings_is_refused_at_the_first_extra_row(participants, meetings, admin):
    session = participants[0].session
    limit = len(participants) * len(meetings)
    rows = ["%s,%d,yes" % (participants[0].employee.nip, 1)] * (limit + 5)

    with pytest.raises(ImportRejected) as rejected:
        attendance_import(session=session, data=csv_bytes("nip,meeting,present", *rows), user=admin.user)

    error = rejected.value.errors[0]
    assert len(rejected.value.errors) == 1 and error.row == limit + 2
    assert "more than %d rows" % limit in error.message and "participant" in error.message
    assert not Attendance.objects.exists()


def test_a_file_over_the_size_limit_is_refused_unread(participants, meetings, admin, settings):
    settings.LATIH_IMPORT_MAX_BYTES = 100
    data = csv_bytes("nip,meeting,present", *["%s,1,yes" % participants[0].employee.nip] * 10)

    with pytest.raises(ImportRejected) as rejected:
        attendance_import(session=participants[0].session, data=data, user=admin.user)

    assert "larger than" in rejected.value.errors[0].message
    assert not Attendance.objects.exists()
