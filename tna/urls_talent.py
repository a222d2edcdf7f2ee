"""URLs of the 9-box pages for HR and the talent committee."""

from django.urls import path, re_path

from .views import talent, talent_policy

urlpatterns = [
    path("talenta/", talent.grid, name="talent"),
    path("talenta/kebijakan/", talent_policy.talent_policy, name="talent_policy"),
    re_path(r"^talenta/(?P<nip>[0-9]{18})/$", talent.placement, name="talent_placement"),
]
