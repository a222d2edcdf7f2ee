"""URLs for competency profiles, team and unit heatmaps."""

from django.urls import path, re_path

from .views import gaps

urlpatterns = [
    path("kompetensi/", gaps.profile, name="profile"),
    path("kompetensi/tim/", gaps.team, name="team"),
    path("kompetensi/peta/", gaps.planner, name="planner"),
    re_path(r"^kompetensi/(?P<nip>[0-9]{18})/$", gaps.profile, name="profile_of"),
]
