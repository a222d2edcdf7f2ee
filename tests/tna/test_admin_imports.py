"""The admin import flow: upload, errors or a preview, confirm; scoped to the training admin's agency."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from tna.factories import UserFactory
from tna.imports import import_file
from tna.models import Agency, Employee, ImportJob, Rating, Unit

from .import_files import EMPLOYEE_HEADER, competencies, csv_bytes, nip, organisation, staff_rows, xlsx_bytes

pytestmark = pytest.mark.django_db

ORG_HEADER = ["agency", "agency_name", "unit", "unit_name", "parent_unit"]
RATING_HEADER = ["cycle", "ratee_nip", "rater_nip", "rater_role", "competency", "level"]
UPLOAD, CONFIRM = reverse("tna_import"), reverse("tna_import_confirm")


def english(user):
    """Admin pages in English for the assertions on wording."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def superuser():
    return english(UserFactory(username="root", is_superuser=True, is_staff=True))


@pytest.fixture
def staff(db):
    """kab-a (head ← analyst ← clerk) and kota-b (one head); the analyst is kab-a's training admin."""
    competencies()
    organisation()
    import_file(kind="employees", file=csv_bytes(EMPLOYEE_HEADER, staff_rows()))
    analyst = Employee.objects.get(nip=nip(2, sex=2)).user
    analyst.groups.add(Group.objects.get_or_create(name="training_admin")[0])
    return english(analyst)


def upload(client, kind, data, name="file.csv"):
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def error_cells(response):
    """(row, column) of every line of the errors table."""
    body = response.content.decode().split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", body)
    return {(int(row), column) for row, column in cells}


def test_the_upload_page_explains_every_format(client, superuser):
    client.force_login(superuser)

    page = client.get(UPLOAD).content.decode()

    for column in ("parent_unit", "supervisor_nip", "rater_role", "behaviour", "priority"):
        assert column in page


def test_superuser_previews_then_confirms_and_only_then_rows_land(client, superuser):
    client.force_login(superuser)
    rows = [["kab-a", "Kabupaten Alfa", "bkpsdm", "Badan Kepegawaian", ""],
            ["kab-a", "Kabupaten Alfa", "bidang", "Bidang Bangkom", "bkpsdm"]]

    preview = upload(client, "org", csv_bytes(ORG_HEADER, rows))

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 to create" in page and "Bidang Bangkom" in page and 'id="import-preview"' in page
    assert not Agency.objects.exists()

    done = client.post(CONFIRM, {"token": token_of(preview)}, follow=True)

    assert "2 created" in done.content.decode()
    assert Unit.objects.get(code="bidang").parent.code == "bkpsdm"
    assert not ImportJob.objects.get().file  # the waiting file is gone


def test_an_xlsx_upload_is_previewed_like_a_csv(client, superuser, staff):
    client.force_login(superuser)
    rows = [[2026, nip(2, sex=2), nip(2, sex=2), "self", "M.01", 3]]

    preview = upload(client, "ratings", xlsx_bytes(RATING_HEADER, rows), name="nilai.xlsx")
    client.post(CONFIRM, {"token": token_of(preview)})

    assert Rating.objects.get().level == 3


def test_a_broken_file_shows_every_error_with_row_and_column_and_writes_nothing(client, superuser, staff):
    client.force_login(superuser)
    rows = [
        [nip(5), "Baru", "kab-a", "bkpsdm", "staf", "IX/z", "PNS", "", ""],
        [nip(6), "Baru Dua", "kab-a", "gudang", "staf", "II/a", "PNS", nip(99), ""],
    ]

    response = upload(client, "employees", csv_bytes(EMPLOYEE_HEADER, rows))

    assert response.status_code == 200
    assert error_cells(response) == {(2, "grade"), (3, "unit"), (3, "supervisor_nip")}
    assert "nothing was written" in response.content.decode()
    assert 'name="token"' not in response.content.decode()
    assert Employee.objects.count() == 4
    assert not ImportJob.objects.get().file  # a rejected file is not kept


def test_confirm_does_not_trust_what_is_posted(client, superuser, staff):
    client.force_login(superuser)
    rows = [[2026, nip(2, sex=2), nip(2, sex=2), "self", "M.01", 3]]
    token = token_of(upload(client, "ratings", csv_bytes(RATING_HEADER, rows)))

    # A made-up token, then the real one after the waiting file was changed in the storage.
    client.post(CONFIRM, {"token": "A" * 43})
    job = ImportJob.objects.get(token=token)
    storage, name = job.file.storage, job.file.name
    storage.delete(name)
    storage.save(name, ContentFile(csv_bytes(RATING_HEADER, [[2026, nip(2, sex=2), nip(2, sex=2), "self", "M.01", 5]])))
    client.post(CONFIRM, {"token": token})

    assert not Rating.objects.exists()
    assert not storage.exists(name) and ImportJob.objects.get(token=token).status == "expired"
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "no longer waiting" in response.content.decode()


def test_another_user_cannot_confirm_someone_elses_upload(client, superuser, staff):
    client.force_login(superuser)
    rows = [[2026, nip(2, sex=2), nip(2, sex=2), "self", "M.01", 3]]
    token = token_of(upload(client, "ratings", csv_bytes(RATING_HEADER, rows)))

    client.force_login(staff)  # a new session, even though this admin could import the file
    client.post(CONFIRM, {"token": token})

    assert not Rating.objects.exists()


def test_confirm_checks_again_and_lands_nothing_when_the_database_moved_on(client, superuser, staff):
    client.force_login(superuser)
    rows = [[nip(5), "Baru", "kab-a", "dinkes", "staf", "II/a", "PNS", nip(3), ""]]
    preview = upload(client, "employees", csv_bytes(EMPLOYEE_HEADER, rows))
    Employee.objects.filter(nip=nip(3)).delete()  # the supervisor left between preview and confirm

    response = client.post(CONFIRM, {"token": token_of(preview)})

    assert error_cells(response) == {(2, "supervisor_nip")}
    assert not Employee.objects.filter(nip=nip(5)).exists()


def test_training_admin_imports_into_their_own_agency(client, staff):
    client.force_login(staff)
    rows = [[nip(5), "Pegawai Baru", "kab-a", "dinkes", "staf", "II/a", "PNS", nip(3), "baru@alfa.go.id"]]

    preview = upload(client, "employees", csv_bytes(EMPLOYEE_HEADER, rows))
    client.post(CONFIRM, {"token": token_of(preview)})

    assert Employee.objects.get(nip=nip(5)).supervisor.nip == nip(3)


def test_training_admin_cannot_touch_another_agency(client, staff):
    client.force_login(staff)
    people = [[nip(5), "Orang Beta", "kota-b", "bkpsdm", "staf", "II/a", "PNS", nip(4), ""]]
    units = [["kota-b", "Kota Beta", "gudang", "Gudang", ""], ["kab-c", "Kabupaten Baru", "setda", "Setda", ""]]
    ratings = [[2026, nip(4), nip(4), "self", "M.01", 3]]

    for kind, data in (("employees", csv_bytes(EMPLOYEE_HEADER, people)), ("org", csv_bytes(ORG_HEADER, units)),
                       ("ratings", csv_bytes(RATING_HEADER, ratings))):
        response = upload(client, kind, data)
        assert "kab-a" in response.content.decode(), kind
        assert 'name="token"' not in response.content.decode()

    assert error_cells(upload(client, "org", csv_bytes(ORG_HEADER, units))) == {(2, "agency"), (3, "agency")}
    assert not Employee.objects.filter(nip=nip(5)).exists()
    assert not Unit.objects.filter(code="gudang").exists() and not Agency.objects.filter(code="kab-c").exists()
    assert not Rating.objects.exists()


def test_people_without_the_role_are_turned_away(client, staff):
    clerk = english(Employee.objects.get(nip=nip(3)).user)  # asn only
    client.force_login(clerk)

    assert client.get(UPLOAD).status_code == 302
    response = upload(client, "org", csv_bytes(ORG_HEADER, [["kab-a", "", "x", "X", ""]]))
    assert response.status_code == 302
    assert not Unit.objects.filter(code="x").exists()


def test_wrong_file_types_are_refused_before_reading(client, superuser):
    client.force_login(superuser)

    response = upload(client, "org", b"%PDF-1.4", name="org.pdf")

    assert response.status_code == 200
    assert ".csv or .xlsx" in response.content.decode()
