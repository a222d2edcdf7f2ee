"""Site URLs of the lms delivery area: rosters, export, certificates and their check, evaluation and
follow-up, record."""

from django.urls import path

from .views import delivery, evaluation, impact

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
    path("evaluation/<int:enrollment_id>/", evaluation.evaluation, name="evaluation"),
    path("evaluation/report/", impact.evaluation_report_view, name="evaluation-report"),
    path("evaluation/report/measure/", impact.evaluation_measure_view, name="evaluation-measure"),
    path("follow-up/<int:enrollment_id>/", evaluation.follow_up, name="follow-up"),
    path("follow-up/<int:enrollment_id>/team/", evaluation.follow_up_team, name="follow-up-team"),
]
