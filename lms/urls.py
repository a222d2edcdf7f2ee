"""URLs of the lms site pages, one module per area."""

from django.urls import include, path

app_name = "lms"

urlpatterns = [
    path("", include("lms.urls_enrollment")),
    path("", include("lms.urls_learning")),
    path("", include("lms.urls_delivery")),
    path("", include("lms.urls_scheduling")),
]
