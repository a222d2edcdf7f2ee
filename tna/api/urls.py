"""URLs of the tna API that are not plain router viewsets (me/…, gaps/summary)."""

from django.urls import path

from .gaps import MyGapsView

urlpatterns = [
    path("me/gaps/", MyGapsView.as_view(), name="me-gaps"),
]
