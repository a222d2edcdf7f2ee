"""Upload limits and the background path of the imports: refused early, streamed, and all or nothing."""

import csv
import datetime
import io
import re
import tracemalloc

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from tna.factories import UserFactory
from tna.imports import ImportRejected, import_file
from tna.imports.jobs import import_job_create, import_jobs_sweep
from tna.infra.spreadsheets import read_table
from tna.models import Employee, ImportJob, Unit
from tna.nip import format_nip
from tna.tasks import import_check_task

from .import_files import EMPLOYEE_HEADER, csv_bytes, in_english, organisation  # noqa: F401

pytestmark = pytest.mark.django_db

ORG_HEADER = ["agency", "agency_name", "unit", "unit_name", "parent_unit"]
UPLOAD, CONFIRM = reverse("tna_import"), reverse("tna_import_confirm")


@pytest.fixture
def superuser():
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def upload(client, kind, data, name="file.csv"):
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, data)})


def error_cells(response):
    body = response.content.decode().split('id="import-errors"', 1)[1].split("</table>", 1)[0]
    return {(int(row), column) for row, column in re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td>", body)}


def many_nips(count):
    """``count`` distinct valid PNS NIPs: 999 serials per birth date."""
    start = datetime.date(1980, 1, 1)
    return [
        format_nip(birth_date=(birth := start + datetime.timedelta(days=n // 999)), start_year=birth.year + 23,
                   start_month=1 + n % 12, sex=1 + n % 2, serial=1 + n % 999)
        for n in range(count)
    ]


def workforce(count, *, bad_row=None):
    """A CSV of ``count`` kab-a employees in chains of ten; ``bad_row`` (a spreadsheet row) has a wrong grade."""
    nips = many_nips(count)
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(EMPLOYEE_HEADER)
    for i, nip in enumerate(nips):
        supervisor = nips[i - 1] if i % 10 else ""
        grade = "IX/z" if i + 2 == bad_row else "II/a"
        writer.writerow([nip, "Pegawai %d" % i, "kab-a", "bkpsdm", "staf", grade, "PNS", supervisor, ""])
    return out.getvalue().encode(), nips


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(client, superuser, settings):
    settings.LATIH_IMPORT_MAX_BYTES = 1024
    client.force_login(superuser)

    response = upload(client, "org", csv_bytes(ORG_HEADER, [["kab-a", "Kabupaten Alfa", "u%d" % i, "Unit", ""]
                                                           for i in range(100)]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "one upload may hold at most 1 KB" in page and "The file is 3 KB" in page
    assert not ImportJob.objects.exists() and not Unit.objects.exists()


def test_a_file_over_the_row_limit_is_refused_with_the_limit(client, superuser, settings):
    settings.LATIH_IMPORT_MAX_ROWS = 3
    client.force_login(superuser)
    rows = [["kab-a", "Kabupaten Alfa", "u%d" % i, "Unit %d" % i, ""] for i in range(5)]

    response = upload(client, "org", csv_bytes(ORG_HEADER, rows))

    page = response.content.decode()
    assert "more than 3 data rows" in page and "nothing was written" in page
    assert error_cells(response) == {(5, "")}  # the first row past the limit
    assert not Unit.objects.exists()


def test_the_commands_take_a_row_limit_only_when_given_one(db, settings, tmp_path):
    settings.LATIH_IMPORT_MAX_ROWS = 1  # for uploads only
    path = tmp_path / "org.csv"
    path.write_bytes(csv_bytes(ORG_HEADER, [["kab-a", "Kabupaten Alfa", "u%d" % i, "Unit", ""] for i in range(3)]))

    with pytest.raises(CommandError):
        call_command("import_org", str(path), max_rows=2, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Unit.objects.exists()

    call_command("import_org", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Unit.objects.count() == 3


def test_reading_a_file_streams_its_rows(tmp_path):
    path = tmp_path / "big.csv"
    rows = [["%018d" % (198001012005011001 + i), "Nama Pegawai %d" % i, "kab-a", "bkpsdm", "staf", "II/a", "PNS", "",
             "pegawai%d@alfa.go.id" % i] for i in range(20_000)]
    path.write_bytes(csv_bytes(EMPLOYEE_HEADER, rows))
    size = path.stat().st_size

    tracemalloc.start()
    try:
        table = read_table(str(path))
        count = sum(1 for _row in table.rows)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 20_000 and len(table.rows) == 20_000
    # Never the whole decoded text nor a list of rows: a sliver of the file's size at any time.
    assert peak < size / 20, (peak, size)


def test_a_big_file_goes_to_the_background_and_one_bad_row_lands_nothing(client, superuser, settings):
    organisation()
    settings.LATIH_IMPORT_BACKGROUND_BYTES = 100_000
    client.force_login(superuser)
    data, _nips = workforce(20_000, bad_row=19_990)
    before = Employee.objects.count()

    response = upload(client, "employees", data)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("tna_import_job", args=[job.token])
    page = client.get(response.url)
    assert error_cells(page) == {(19_990, "grade")}
    assert "nothing was written" in page.content.decode()
    assert job.size == len(data) and not ImportJob.objects.get().file  # the rejected file is gone
    assert Employee.objects.count() == before
    # The same verdict as the synchronous path.
    with pytest.raises(ImportRejected) as caught, translation.override("en"):
        import_file(kind="employees", file=data, dry_run=True)
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [
        (e[0], e[1], e[3]) for e in ImportJob.objects.get().errors
    ]
    csv_lines = client.get(reverse("tna_import_errors", args=[job.token])).content.decode("utf-8-sig").splitlines()
    assert csv_lines[1].startswith("19990,grade,IX/z,")


def test_a_big_file_is_previewed_then_written_in_the_background(client, superuser, settings):
    organisation()
    settings.LATIH_IMPORT_BACKGROUND_BYTES = 100_000
    client.force_login(superuser)
    data, nips = workforce(10_000)

    preview = client.get(upload(client, "employees", data).url)

    page = preview.content.decode()
    assert "passed every check" in page and 'id="import-preview"' in page
    job = ImportJob.objects.get()
    assert (job.result["rows"], job.result["created"], job.result["updated"]) == (10_000, 10_000, 0)
    assert [p[:2] for p in job.result["preview"]] == [[n, "create"] for n in range(2, 22)]
    assert job.result["preview"][0][2][0] == nips[0]

    done = client.post(CONFIRM, {"token": str(job.token)})

    assert done.status_code == 302 and done.url == reverse("tna_import_job", args=[job.token])
    assert "Imported: 10000 created" in client.get(done.url).content.decode().replace(",", "")
    job.refresh_from_db()
    assert job.status == "done" and not job.file
    assert Employee.objects.filter(nip__in=nips).count() == 10_000
    tenth = Employee.objects.select_related("supervisor").get(nip=nips[19])
    assert tenth.supervisor.nip == nips[18] and Employee.objects.get(nip=nips[20]).supervisor is None
    assert tenth.user.groups.filter(name="asn").exists()
    assert Employee.objects.get(nip=nips[18]).user.groups.filter(name="supervisor").exists()


def test_a_working_upload_shows_its_progress_on_a_page_that_reloads(client, superuser):
    client.force_login(superuser)
    job = ImportJob.objects.create(kind="employees", filename="pegawai.csv", requested_by=superuser,
                                   status="checking", stage="read", done=5000, total=20000)

    response = client.get(reverse("tna_import_job", args=[job.token]))

    page = response.content.decode()
    assert response["Refresh"] == "2" and '<meta http-equiv="refresh" content="2">' in page
    assert "5,000 of about 20,000 rows (25%)" in page and "<script>" not in page.split("<body", 1)[1]
    # Someone else's upload is not theirs to see.
    client.force_login(UserFactory(username="other", is_superuser=True, is_staff=True))
    assert client.get(reverse("tna_import_job", args=[job.token])).status_code == 404


def test_uploads_left_unconfirmed_expire_and_lose_their_file(superuser):
    job = ImportJob.objects.create(kind="org", filename="org.csv", requested_by=superuser, status="checked")
    job.file.save("upload", io.BytesIO(b"agency\n"), save=True)
    name = job.file.name
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - datetime.timedelta(hours=25))

    import_jobs_sweep()

    job.refresh_from_db()
    assert job.status == "expired" and not job.file and not job.file.storage.exists(name)


def test_a_training_admin_sees_only_their_own_uploads(client, superuser):
    organisation()
    admin = UserFactory(username="admin-b")
    admin.groups.add(Group.objects.get_or_create(name="training_admin")[0])
    mine = ImportJob.objects.create(kind="org", filename="mine.csv", requested_by=superuser, status="done")

    client.force_login(superuser)
    assert "mine.csv" in client.get(UPLOAD).content.decode()
    assert client.get(reverse("tna_import_errors", args=[mine.token])).status_code == 200

    client.force_login(admin)
    assert "mine.csv" not in client.get(UPLOAD).content.decode()
    assert client.get(reverse("tna_import_errors", args=[mine.token])).status_code == 404


def test_a_worker_writes_the_problems_in_the_uploaders_language(superuser):
    upload = SimpleUploadedFile("org.csv", csv_bytes(ORG_HEADER, [["kab-a", "", "bkpsdm", "Badan", ""]]))
    with translation.override("en"):
        job = import_job_create(kind="org", upload=upload, user=superuser)

    with translation.override("id"):  # a worker runs in the site's default language
        import_check_task.call(job.pk)

    job.refresh_from_db()
    assert job.status == "rejected" and job.errors[0][3] == "Agency kab-a is new: give its name."
