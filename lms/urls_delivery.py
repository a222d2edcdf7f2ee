"""Site URLs of the lms delivery area: rosters, export, certificates and their check, evaluation, record."""

from django.urls import path

from .views import delivery

urlpatterns = [
    path("delivery/", delivery.session_list, name="delivery-sessions"),
    path("delivery/sessions/<int:session_id>/", delivery.session_roster, name="delivery-roster"),
    path("delivery/sessions/<int:session_id>/attendance/", delivery.attendance_upload, name="attendance-upload"),
    path("delivery/sessions/<int:session_id>/attendance.csv", delivery.attendance_template,
         name="attendance-template"),
    path("delivery/export/", delivery.national_export, name="national-export"),
    # Public: printed on every certificate, so the address must never change.
    path("certificates/verify/", delivery.certificate_verify, name="certificate-verify"),
    path("certificates/verify/<str:code>/", delivery.certificate_verify, name="certificate-verify-code"),
    path("certificates/<str:code>/pdf/", delivery.certificate_download, name="certificate-pdf"),
    path("history/", delivery.my_training, name="my-training"),
    path("history/record.pdf", delivery.record_pdf_view, name="record-pdf"),
    path("history/record.json", delivery.record_json, name="record-json"),
    path("evaluation/<int:enrollment_id>/", delivery.evaluation, name="evaluation"),
]
