"""The training history uploaded in the admin like tna's imports: preview, confirm, scoped to the agency."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.users.models import UserProfile

from courses.factories import CourseFactory
from lms.models import CreditSource, JpCredit
from tna.factories import AgencyFactory, CompetencyFactory, EmployeeFactory

UPLOAD, CONFIRM = reverse("tna_import"), reverse("tna_import_confirm")
HEADER = "nip,course,title,competency,jp,start,end,provider,route,certificate\n"


def _admin(make_employee):
    user = make_employee("Admin Pelatihan", roles=["training_admin"]).user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_a_training_admin_uploads_the_history_previews_it_and_confirms(client, agency, make_employee):
    learner = make_employee("Peserta Lama")
    CourseFactory(agency=agency, code="excel-lanjut", title="Excel Lanjutan", jp=24)
    client.force_login(_admin(make_employee))
    assert "Training history" in client.get(UPLOAD).content.decode()  # offered beside tna's formats

    body = HEADER + "%s,excel-lanjut,,,,2025-03-04,2025-03-06,,,\n" % learner.nip
    preview = client.post(UPLOAD, {"kind": "training_history", "file": SimpleUploadedFile("riwayat.csv", body.encode())})
    page = preview.content.decode()
    assert "1 to create" in page and not JpCredit.objects.exists()

    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post(CONFIRM, {"token": token}, follow=True)
    assert "1 created" in done.content.decode()
    credit = JpCredit.objects.get()
    assert (credit.employee, credit.source, credit.jp, credit.year) == (learner, CreditSource.IMPORT, 24, 2025)


def test_another_agencys_staff_are_refused_with_their_row(client, agency, make_employee):
    stranger = EmployeeFactory(agency=AgencyFactory(code="lain"))
    CompetencyFactory(code="M.01")
    client.force_login(_admin(make_employee))
    body = HEADER + "%s,,Bimtek Arsip,M.01,16,2025-03-04,2025-03-05,BKPSDM,KL10,\n" % stranger.nip
    page = client.post(UPLOAD, {"kind": "training_history",
                                "file": SimpleUploadedFile("riwayat.csv", body.encode())}).content.decode()
    assert 'id="import-errors"' in page and not JpCredit.objects.exists()
    assert "This employee works in another agency" in page and page.count("<tr><td>2</td>") == 1
