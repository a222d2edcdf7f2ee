"""Mentoring URLs of a pair's sessions (see lms.urls_mentoring): plan, record, log, confirm, cancel, .ics."""

from django.urls import path

from .views import mentoring_sessions as sessions

urlpatterns = [
    path("pairs/<int:pair_id>/sessions/plan/", sessions.plan, name="session-plan"),
    path("pairs/<int:pair_id>/sessions/record/", sessions.record, name="session-record"),
    path("sessions/<int:session_id>/", sessions.log, name="session-log"),
    path("sessions/<int:session_id>/confirm/", sessions.confirm, name="session-confirm"),
    path("sessions/<int:session_id>/cancel/", sessions.cancel, name="session-cancel"),
    path("sessions/<int:session_id>/mentoring.ics", sessions.ics, name="session-ics"),
]
