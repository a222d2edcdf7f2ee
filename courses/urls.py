"""Public URLs of the catalogue outside the page tree: a session's calendar file and an agency's feed."""

from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("sessions/<uuid:uid>.ics", views.session_ics, name="session_ics"),
    path("<slug:agency_code>/feed.ics", views.agency_feed, name="agency_feed"),
]
