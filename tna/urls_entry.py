"""URLs for evidence entry: self-assessment, rating reports and peers, the needs survey."""

from django.urls import path

from .views import entry

urlpatterns = [
    path("evidence/", entry.evidence_hub, name="evidence"),
    path("evidence/<int:year>/", entry.evidence_hub, name="evidence_cycle"),
    path("evidence/<int:year>/self/", entry.evidence_self, name="evidence_self"),
    path("evidence/<int:year>/survey/", entry.evidence_survey, name="evidence_survey"),
    path("evidence/<int:year>/report/<str:nip>/", entry.evidence_report, name="evidence_report"),
    path("evidence/<int:year>/report/<str:nip>/peers/", entry.evidence_peers, name="evidence_peers"),
    path("evidence/<int:year>/colleague/<str:nip>/", entry.evidence_colleague, name="evidence_colleague"),
]
