"""Attendance per meeting: by the training admin (one mark, the roster grid) and by CSV/XLSX upload."""

# The scene's fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import Workbook

from courses.factories import session_for
from lms.factories import EnrollmentFactory
from lms.models import Attendance
from lms.services.attendance import attendance_record
from lms.services.attendance_import import attendance_import
from lms.services.completion import enrollment_complete
from tna.infra.row_errors import ImportRejected

from .delivery_scene import held, meetings, participants, service_competency, taught_course

pytestmark = pytest.mark.django_db


def marks(enrollment):
    return dict(Attendance.objects.filter(enrollment=enrollment).values_list("meeting__number", "status"))


def test_admin_records_and_corrects_attendance(participants, meetings, admin):
    ani = participants[0]
    attendance_record(enrollment=ani, meeting=meetings[0], present=True, user=admin.user)
    attendance_record(enrollment=ani, meeting=meetings[1], present="excused", user=admin.user)
    attendance_record(enrollment=ani, meeting=meetings[0], present=False, user=admin.user)
    assert marks(ani) == {1: "absent", 2: "excused"}
    assert Attendance.objects.get(enrollment=ani, meeting=meetings[0]).recorded_by == admin.user


def test_attendance_refusals_say_why(participants, meetings, admin, make_employee, taught_course):
    ani = participants[0]
    with pytest.raises(PermissionDenied):
        attendance_record(enrollment=ani, meeting=meetings[0], present=True, user=make_employee("Eko Biasa").user)
    later = session_for(taught_course, first_day=datetime.date.today() + datetime.timedelta(days=30), days=1)
    with pytest.raises(ValidationError, match="not a meeting of this person's session"):
        attendance_record(enrollment=ani, meeting=later.meetings.get(), present=True, user=admin.user)
    upcoming = EnrollmentFactory(employee=ani.employee, session=later)
    with pytest.raises(ValidationError, match="has not started yet"):
        attendance_record(enrollment=upcoming, meeting=later.meetings.get(), present=True, user=admin.user)
    waiting = EnrollmentFactory(employee=make_employee("Gita Antre"), session=ani.session, status="waitlisted")
    with pytest.raises(ValidationError, match="does not hold a seat"):
        attendance_record(enrollment=waiting, meeting=meetings[0], present=True, user=admin.user)
    with pytest.raises(ValidationError, match="present, absent or excused"):
        attendance_record(enrollment=ani, meeting=meetings[0], present="maybe", user=admin.user)


def test_attendance_is_final_once_completed(participants, meetings, admin):
    ani = participants[0]
    for meeting in meetings:
        attendance_record(enrollment=ani, meeting=meeting, present=True, user=admin.user)
    enrollment_complete(enrollment=ani, user=admin.user)
    with pytest.raises(ValidationError, match="already completed"):
        attendance_record(enrollment=ani, meeting=meetings[0], present=False, user=admin.user)


def test_roster_tick_per_meeting(participants, meetings, admin, client):
    ani, bayu, _cici = participants
    client.force_login(admin.user)
    url = reverse("lms:delivery-roster", args=[ani.session_id])
    page = client.get(url).content.decode()
    assert "Ani Peserta" in page and f'name="a-{ani.pk}-{meetings[0].pk}"' in page
    response = client.post(url, {
        "action": "save",
        f"a-{ani.pk}-{meetings[0].pk}": "on",
        f"a-{ani.pk}-{meetings[1].pk}": "on",
        f"a-{bayu.pk}-{meetings[0].pk}": "on",
        f"pre-{ani.pk}": "45",
    }, follow=True)
    assert "Attendance and scores saved." in response.content.decode()
    assert marks(ani) == {1: "present", 2: "present", 3: "absent", 4: "absent", 5: "absent"}
    assert marks(bayu)[1] == "present"
    ani.refresh_from_db()
    assert ani.pre_test.score == 45
    assert "2 (40%)" in client.get(url).content.decode()


def test_roster_is_only_for_the_course_agency_s_training_admins(participants, client, make_employee):
    client.force_login(make_employee("Eko Biasa").user)
    assert client.get(reverse("lms:delivery-roster", args=[participants[0].session_id])).status_code == 403
    assert client.get(reverse("lms:delivery-sessions")).status_code == 403


def test_sessions_list_links_to_the_roster(participants, admin, client):
    client.force_login(admin.user)
    page = client.get(reverse("lms:delivery-sessions")).content.decode()
    assert reverse("lms:delivery-roster", args=[participants[0].session_id]) in page
    assert "Service excellence basics" in page


def csv_bytes(*lines):
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_csv_upload_by_meeting_number_and_by_date(participants, meetings, admin):
    ani, bayu, _cici = participants
    day3 = meetings[2].starts_at.astimezone(ani.session.tz).date()
    data = csv_bytes(
        "nip;meeting;date;present",
        f"{ani.employee.nip};1;;ya",
        "{};;{};hadir".format(ani.employee.nip, day3.strftime("%d-%m-%Y")),
        f"{bayu.employee.nip};2;;tidak",
        f"{bayu.employee.nip};3;;izin",
    )
    assert attendance_import(session=ani.session, data=data, user=admin.user) == 4
    assert marks(ani) == {1: "present", 3: "present"}
    assert marks(bayu) == {2: "absent", 3: "excused"}


def test_csv_upload_is_all_or_nothing_with_row_and_column(participants, admin, make_employee):
    ani = participants[0]
    stranger = make_employee("Hadi Luar")
    data = csv_bytes(
        "nip,meeting,present",
        f"{ani.employee.nip},1,yes",
        f"{ani.employee.nip},9,yes",
        f"{stranger.nip},2,yes",
        f"{ani.employee.nip},3,perhaps",
        f"{ani.employee.nip},1,no",
    )
    with pytest.raises(ImportRejected) as rejected:
        attendance_import(session=ani.session, data=data, user=admin.user)
    problems = [(e.row, e.column) for e in rejected.value.errors]
    assert problems == [(3, "meeting"), (4, "nip"), (5, "present"), (6, "nip")]
    assert "already in row 2" in rejected.value.errors[-1].message
    assert not Attendance.objects.exists()


def test_csv_without_meeting_column_is_refused(participants, admin):
    with pytest.raises(ImportRejected) as rejected:
        attendance_import(session=participants[0].session, data=csv_bytes("nip,present", "1,yes"), user=admin.user)
    assert "\"meeting\"" in rejected.value.errors[0].message


def test_xlsx_nip_stored_as_number_is_refused(participants, admin):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nip", "meeting", "present"])
    sheet.append([int(participants[0].employee.nip), 1, "yes"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as rejected:
        attendance_import(session=participants[0].session, data=buffer.getvalue(), filename="a.xlsx", user=admin.user)
    assert "format the column as text" in rejected.value.errors[0].message


def test_upload_page_shows_the_problems(participants, admin, client):
    client.force_login(admin.user)
    session = participants[0].session
    upload = io.BytesIO(csv_bytes("nip,meeting,present", f"{participants[0].employee.nip},7,yes"))
    upload.name = "presensi.csv"
    response = client.post(reverse("lms:attendance-upload", args=[session.pk]), {"file": upload}, follow=True)
    text = response.content.decode()
    assert "nothing was imported" in text
    assert "row 2, meeting" in text and "no meeting with this number" in text


def test_attendance_template_lists_people_and_held_meetings(participants, admin, client):
    client.force_login(admin.user)
    response = client.get(reverse("lms:attendance-template", args=[participants[0].session_id]))
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "nip,name,meeting,date,present"
    assert len(lines) == 1 + 3 * 5
    assert lines[1].startswith(participants[0].employee.nip + ",Ani Peserta,1,")


@pytest.fixture(autouse=True)
def english_pages(client):
    """These pages are read in English (the msgids); the site's Indonesian is tested elsewhere."""
    client.cookies["django_language"] = "en"
