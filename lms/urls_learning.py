"""Site URLs of the lms learning area: the ASN's dashboard and setting a recommendation aside."""

from django.urls import path

from .views import learning

urlpatterns = [
    path("", learning.dashboard, name="dashboard"),
    path("recommendations/<int:pk>/dismiss/", learning.dismiss, name="recommendation-dismiss"),
]
