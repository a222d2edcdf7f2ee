"""The mentors import: a file of mentors becomes offers in an agency's mentoring programme; re-import updates,
a dry run writes nothing, any bad row rejects the file with its row and column, agencies stay apart, and the
admin's upload takes the same file."""

import csv
import datetime
import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook
from wagtail.users.models import UserProfile

from lms.models import MentoringProgramme, MentorOffer
from lms.services.mentor_import import mentor_import
from lms.services.mentoring import mentor_offer_save
from tna.factories import AgencyFactory, CompetencyFactory, EmployeeFactory
from tna.infra.row_errors import ImportRejected

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["agency", "programme", "nip", "competencies", "capacity"]


def csv_bytes(rows, header=HEADER):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_programme(agency, code, competencies, **fields):
    programme = MentoringProgramme.objects.create(
        agency=agency, code=code, name="Program %s" % code, starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31), **fields)
    programme.competencies.set(competencies)
    return programme


@pytest.fixture
def digital(db):
    return CompetencyFactory(code="TK.01", name="Literasi Digital")


@pytest.fixture
def service(db):
    return CompetencyFactory(code="M.05", name="Pelayanan Publik", group="managerial")


@pytest.fixture
def writing(db):
    """In the dictionary but not in the programme."""
    return CompetencyFactory(code="TK.06", name="Komunikasi Publik")


@pytest.fixture
def programme(agency, digital, service, writing):
    return make_programme(agency, "mentor-2026", [digital, service], default_capacity=3)


@pytest.fixture
def mentors(make_employee):
    return make_employee("Sari Mentor"), make_employee("Bayu Mentor")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(code="kab-lain", name="Kabupaten Lain")


@pytest.fixture
def outsider(other_agency):
    return EmployeeFactory(name="Orang Lain", agency=other_agency)


def good_rows(mentors):
    sari, bayu = mentors
    return [
        ["kota-contoh", "mentor-2026", sari.nip, "TK.01; m.05", "2"],
        ["Kota-Contoh", "MENTOR-2026", bayu.nip, "M.05", ""],  # codes in any case; capacity: the default
    ]


def offers():
    return sorted(
        (o.mentor.name, o.capacity, o.source, sorted(o.competencies.values_list("code", flat=True)))
        for o in MentorOffer.objects.all()
    )


def errors_of(excinfo):
    return [(e.row, e.column, e.value, e.message) for e in excinfo.value.errors]


def test_a_good_file_imports_and_a_re_import_updates(programme, mentors):
    result = mentor_import(file=csv_bytes(good_rows(mentors)))

    assert (result.rows, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    assert result.actions == {2: "create", 3: "create"}
    assert offers() == [("Bayu Mentor", 3, "imported", ["M.05"]), ("Sari Mentor", 2, "imported", ["M.05", "TK.01"])]

    again = mentor_import(file=csv_bytes(good_rows(mentors)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    rows = good_rows(mentors)
    rows[0][3:] = ["TK.01", "5"]
    changed = mentor_import(file=csv_bytes(rows))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    assert changed.actions == {2: "update", 3: "unchanged"}
    assert MentorOffer.objects.count() == 2
    assert offers() == [("Bayu Mentor", 3, "imported", ["M.05"]), ("Sari Mentor", 5, "imported", ["TK.01"])]


def test_a_dry_run_checks_and_counts_but_writes_nothing(programme, mentors):
    result = mentor_import(file=csv_bytes(good_rows(mentors)), dry_run=True)

    assert (result.dry_run, result.created, result.updated) == (True, 2, 0)
    assert not MentorOffer.objects.exists()


def test_an_xlsx_file_with_its_columns_in_another_order_and_extra_ones_imports(programme, mentors):
    sari, _bayu = mentors
    header = ["Catatan", "NIP", "Competencies", "Capacity", "Programme", "Agency"]
    result = mentor_import(file=xlsx_bytes([["senior", sari.nip, "TK.01", 4, "mentor-2026", "kota-contoh"]], header),
                           filename="mentor.xlsx")

    assert result.created == 1
    assert offers() == [("Sari Mentor", 4, "imported", ["TK.01"])]


def test_an_opted_in_mentor_in_the_file_is_updated_not_duplicated(programme, mentors, service):
    sari, _bayu = mentors
    mentor_offer_save(programme=programme, mentor=sari, competencies=[service], capacity=1,
                      source=MentorOffer.Source.OPT_IN)

    result = mentor_import(file=csv_bytes(good_rows(mentors)))

    assert (result.created, result.updated) == (1, 1)
    assert MentorOffer.objects.filter(mentor=sari).count() == 1
    assert offers()[1] == ("Sari Mentor", 2, "imported", ["M.05", "TK.01"])


def test_the_bulk_write_ends_where_mentor_offer_save_does(agency, programme, mentors, digital, service):
    twin = make_programme(agency, "kembar", [digital, service], default_capacity=3)
    mentor_import(file=csv_bytes(good_rows(mentors)))
    for mentor, competencies, capacity in ((mentors[0], [digital, service], 2), (mentors[1], [service], None)):
        mentor_offer_save(programme=twin, mentor=mentor, competencies=competencies, capacity=capacity,
                          source=MentorOffer.Source.IMPORTED)

    def state(p):
        return sorted((o.mentor_id, o.capacity, o.source, sorted(o.competencies.values_list("pk", flat=True)))
                      for o in p.mentors.all())

    assert state(programme) == state(twin)


def test_bad_rows_are_all_reported_with_row_and_column_and_nothing_is_written(
        programme, mentors, outsider, other_agency, digital, make_employee):
    sari, bayu = mentors
    make_programme(other_agency, "lain-2026", [digital])
    rows = [
        ["kota-contoh", "mentor-2026", sari.nip, "TK.01", "2"],  # fine, yet not written
        ["kota-entah", "mentor-2026", bayu.nip, "TK.01", ""],
        ["kota-contoh", "lain-2026", bayu.nip, "TK.01", ""],
        ["kota-contoh", "mentor-2026", "1.98501E+17", "TK.01", ""],
        ["kota-contoh", "mentor-2026", outsider.nip, "TK.01", ""],
        ["kota-contoh", "mentor-2026", bayu.nip, "TK.99;M.05", ""],
        ["kota-contoh", "mentor-2026", bayu.nip, "TK.06", ""],
        ["kota-contoh", "mentor-2026", bayu.nip, "TK.01", "60"],
        ["kota-contoh", "mentor-2026", bayu.nip, "TK.01", "dua"],
        ["kota-contoh", "mentor-2026", sari.nip, "M.05", "1"],
        ["kota-contoh", "mentor-2026", bayu.nip, "", "1"],
    ]
    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=csv_bytes(rows))

    assert errors_of(excinfo) == [
        (3, "agency", "kota-entah", "Unknown agency kota-entah: import it with the org file first."),
        (4, "programme", "lain-2026", "Agency kota-contoh has no mentoring programme with the code lain-2026."),
        (5, "nip", "1.98501E+17", "The NIP was shortened to scientific notation by a spreadsheet, so its digits "
                                  "are already lost — format the column as text and type the NIPs again."),
        (6, "nip", outsider.nip, "This employee does not work in agency kota-contoh; a mentor must work in the "
                                 "programme's agency."),
        (7, "competencies", "TK.99", "No competency has the code TK.99."),
        (8, "competencies", "TK.06", "Competency TK.06 is not one of programme mentor-2026's; it covers M.05, TK.01."),
        (9, "capacity", "60", "Must be a whole number from 0 to 50."),
        (10, "capacity", "dua", "Must be a whole number from 0 to 50."),
        (11, "nip", sari.nip, "This mentor in the same programme already appears in row 2."),
        (12, "competencies", "", "Name at least one competency of the programme: codes separated by \";\" "
                                 "(M.05;TK.01)."),
    ]
    assert excinfo.value.row_count == 10
    assert not MentorOffer.objects.exists()


def test_a_nip_stored_as_a_number_in_an_xlsx_is_refused(programme, mentors):
    sari, _bayu = mentors
    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=xlsx_bytes([["kota-contoh", "mentor-2026", float(sari.nip), "TK.01", 2]]),
                      filename="mentor.xlsx")

    [(row, column, _value, message)] = errors_of(excinfo)
    assert (row, column) == (2, "nip") and message.startswith("The NIP is stored as a number")
    assert not MentorOffer.objects.exists()


def test_an_employee_who_left_may_not_mentor(programme, make_employee):
    gone = make_employee("Sudah Pensiun", active=False)
    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=csv_bytes([["kota-contoh", "mentor-2026", gone.nip, "TK.01", ""]]))

    assert errors_of(excinfo) == [(2, "nip", gone.nip, "This employee is no longer active.")]


def test_a_header_without_a_required_column_is_refused_by_its_file_spelling(programme, mentors):
    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=csv_bytes([["kota-contoh", mentors[0].nip, "TK.01"]], ["Agency", "NIP", "Competencies"]))

    assert [(e.row, e.column) for e in excinfo.value.errors] == [(1, "programme")]


def test_a_training_admin_imports_their_own_agency_only(programme, mentors, admin, other_agency, outsider, digital):
    make_programme(other_agency, "lain-2026", [digital])
    assert mentor_import(file=csv_bytes(good_rows(mentors)), user=admin.user).created == 2

    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=csv_bytes([["kab-lain", "lain-2026", outsider.nip, "TK.01", ""]]), user=admin.user)
    assert errors_of(excinfo) == [
        (2, "agency", "kab-lain", "Your account may only import data of agency kota-contoh."),
    ]

    with pytest.raises(PermissionDenied):
        mentor_import(file=csv_bytes(good_rows(mentors)), user=admin.user, agency=other_agency)
    assert MentorOffer.objects.count() == 2


def test_someone_without_the_role_may_not_import(programme, mentors):
    with pytest.raises(PermissionDenied):
        mentor_import(file=csv_bytes(good_rows(mentors)), user=mentors[0].user)


def test_the_agency_option_narrows_the_command_line(programme, mentors, other_agency):
    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=csv_bytes(good_rows(mentors)), agency=other_agency)

    assert [(e.row, e.column) for e in excinfo.value.errors] == [(2, "agency"), (3, "agency")]


def test_max_rows_refuses_a_longer_file(programme, mentors):
    with pytest.raises(ImportRejected) as excinfo:
        mentor_import(file=csv_bytes(good_rows(mentors)), max_rows=1)

    assert "more than 1 data rows" in excinfo.value.errors[0].message


def test_the_command_reports_the_counts_the_dry_run_and_the_problems(programme, mentors, tmp_path):
    path = tmp_path / "mentor.csv"
    path.write_bytes(csv_bytes(good_rows(mentors)))

    out = StringIO()
    call_command("import_mentors", str(path), "--dry-run", stdout=out)
    assert re.search(r"mentors: 2 rows checked — would create 2, update 0, leave 0 unchanged; dry run, nothing "
                     r"written \(.+\)\.", out.getvalue())
    assert not MentorOffer.objects.exists()

    out = StringIO()
    call_command("import_mentors", str(path), "--agency", "KOTA-CONTOH", stdout=out)
    assert "mentors: 2 rows checked — 2 created, 0 updated, 0 unchanged" in out.getvalue()

    path.write_bytes(csv_bytes([["kota-contoh", "mentor-2026", mentors[0].nip, "TK.01", "dua"]]))
    err = StringIO()
    with pytest.raises(CommandError, match=r"rejected: 1 problem in 1 row; nothing was written"):
        call_command("import_mentors", str(path), stdout=StringIO(), stderr=err)
    assert "row 2, capacity 'dua': Must be a whole number from 0 to 50." in err.getvalue()
    assert MentorOffer.objects.get(mentor=mentors[0]).capacity == 2

    with pytest.raises(CommandError, match="no agency with code nowhere"):
        call_command("import_mentors", str(path), "--agency", "nowhere")
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_mentors", str(tmp_path / "missing.csv"))


def test_the_sample_file_is_well_formed():
    with (ROOT / "docs/samples/mentors.csv").open(encoding="utf-8") as sample:
        rows = list(csv.reader(sample))
    assert rows[0] == HEADER and len(rows) > 2
    assert all(len(row) == len(HEADER) and re.fullmatch(r"\d{18}", row[2]) for row in rows[1:])


def test_mentor_offer_save_creates_updates_and_refuses(programme, mentors, outsider, digital, writing):
    sari, _bayu = mentors
    offer, action = mentor_offer_save(programme=programme, mentor=sari, competencies=[digital], capacity=None,
                                      source=MentorOffer.Source.OPT_IN)
    assert (action, offer.capacity, offer.source) == ("create", 3, "opt_in")
    assert mentor_offer_save(programme=programme, mentor=sari, competencies=[digital.pk], capacity=3,
                             source=MentorOffer.Source.OPT_IN)[1] == "unchanged"
    assert mentor_offer_save(programme=programme, mentor=sari, competencies=[digital], capacity=0,
                             source=MentorOffer.Source.NOMINATED)[1] == "update"
    assert offers() == [("Sari Mentor", 0, "nominated", ["TK.01"])]

    with pytest.raises(ValidationError) as excinfo:
        mentor_offer_save(programme=programme, mentor=outsider, competencies=[writing], capacity=51,
                          source=MentorOffer.Source.NOMINATED)
    assert set(excinfo.value.message_dict) == {"mentor", "competencies", "capacity"}


def _admin(make_employee):
    user = make_employee("Admin Pelatihan", roles=["training_admin"]).user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_the_admin_upload_takes_the_mentors_file(client, programme, mentors, make_employee):
    upload, confirm = reverse("tna_import"), reverse("tna_import_confirm")
    client.force_login(_admin(make_employee))
    assert "Mentors" in client.get(upload).content.decode()

    body = csv_bytes(good_rows(mentors))
    page = client.post(upload, {"kind": "mentors", "file": SimpleUploadedFile("mentor.csv", body)}).content.decode()
    assert "2 to create" in page and not MentorOffer.objects.exists()

    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post(confirm, {"token": token}, follow=True)
    assert "2 created" in done.content.decode()
    assert MentorOffer.objects.filter(source="imported").count() == 2
