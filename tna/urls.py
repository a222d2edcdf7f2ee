"""ASN-facing pages of the tna app: evidence entry (ratings, survey) and competency views."""

from django.urls import include, path

from . import urls_assignments, urls_entry, urls_gaps, urls_talent

app_name = "tna"
urlpatterns = [
    path("", include(urls_entry)),
    path("", include(urls_assignments)),
    path("", include(urls_gaps)),
    path("", include(urls_talent)),
]
