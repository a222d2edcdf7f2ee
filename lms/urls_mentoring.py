"""Site URLs of mentoring and coaching, mounted by the site at ``mentoring/`` in the namespace ``lms_mentoring``:
the people's pages (their pairs, sessions, offers and applications), HR's programme pages and supervisors'
coaching records."""

from django.urls import include, path

app_name = "lms_mentoring"

urlpatterns = [
    path("", include("lms.urls_mentoring_people")),
    path("", include("lms.urls_mentoring_sessions")),
    path("programmes/", include("lms.urls_mentoring_hr")),
    path("coaching/", include("lms.urls_coaching")),
]
