"""Site URLs of the career pages, mounted by the site at ``karier/`` in their own namespace ``lms_career``:
a person's career page and the succession page of key positions."""

from django.urls import path

from .views import career

app_name = "lms_career"

urlpatterns = [
    path("saya/", career.mine, name="mine"),
    path("suksesi/", career.succession, name="succession"),
]
