"""URLs of the 9-box pages for HR and the talent committee."""

from django.urls import path, re_path

from .views import talent

urlpatterns = [
    path("talenta/", talent.grid, name="talent"),
    re_path(r"^talenta/(?P<nip>[0-9]{18})/$", talent.placement, name="talent_placement"),
]
